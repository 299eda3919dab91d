import { execFileSync } from "node:child_process";

import type { NextConfig } from "next";

import { parsePublicEnv, parseServerEnv } from "./src/lib/env";

// The browser only ever talks to this origin: /api/* (and the Django admin) are proxied to the
// API, so the session cookie and CSRF work unchanged. API_ORIGIN is read at build time and baked
// into the routes manifest (`next build`), so build with the origin you will serve against.
// In production on Vercel, frontend/vercel.json does the same rewrite at the edge.
const { apiOrigin } = parseServerEnv(process.env);

// Sentry's default release: the commit being built (CI and hosts name it; else ask git).
function buildCommit(): string {
  for (const name of ["GIT_COMMIT", "SOURCE_VERSION", "COMMIT_SHA", "VERCEL_GIT_COMMIT_SHA"]) {
    const value = process.env[name]?.trim();
    if (value && value !== "unknown") return value;
  }
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { stdio: ["ignore", "pipe", "ignore"], encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}
const commit = buildCommit();
// Fails the build on a malformed NEXT_PUBLIC_SENTRY_* value (the server checks again at start).
parsePublicEnv(process.env, commit);

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // `make e2e` builds into its own directory (its API listens elsewhere), so it never clobbers
  // the build `make run` serves.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // A self-contained server for container hosts (deploy/frontend.Dockerfile). The local scripts
  // (make run / e2e) build and serve with `next start` instead: NEXT_OUTPUT=server.
  output: process.env.NEXT_OUTPUT === "server" ? undefined : "standalone",
  poweredByHeader: false,
  // The local builds (scripts/build.sh: make run, make e2e) skip next build's own type check,
  // about 40 s of a fresh build: `make test` runs the same `tsc --noEmit`. Production builds
  // (Vercel, deploy/frontend.Dockerfile: `npm run build`) keep it.
  typescript: { ignoreBuildErrors: process.env.PAYTUNGAN_SKIP_BUILD_TYPECHECK === "1" },
  // Inlined into both bundles: src/lib/sentry-config.ts. @sentry/nextjs's withSentryConfig is not
  // used: it exists for source-map upload, release creation and build telemetry, none wanted here
  // (docs/operations.md, "Frontend Sentry").
  env: { PAYTUNGAN_BUILD_COMMIT: commit },
  // Leaves the SDK's debug logging out of the bundles (Sentry's documented tree-shaking flag).
  compiler: { define: { __SENTRY_DEBUG__: false } },
  // Loaded by Node, not bundled: the SDK's module hooks need the real files (else it warns at start).
  serverExternalPackages: ["@sentry/server-runtime-injection"],
  // ...including the ES-module hook it registers at run time, which file tracing cannot see
  // (the standalone server of deploy/frontend.Dockerfile would miss it).
  outputFileTracingIncludes: { "/*": ["./node_modules/@sentry/server-runtime-injection/build/esm/**/*.js"] },
  // Django's URLs decide their own trailing slashes (/admin/ redirects); don't fight them.
  skipTrailingSlashRedirect: true,
  async rewrites() {
    return [
      { source: "/api/:path*", destination: `${apiOrigin}/api/:path*` },
      // A parameter never captures the trailing slash, and Django's admin URLs all end in one:
      // without these two, /admin/login/ reached Django as /admin/login, which redirects to
      // /admin/login/?next=... and round again (the admin unusable through this proxy).
      { source: "/admin/", destination: `${apiOrigin}/admin/` },
      { source: "/admin/:path+/", destination: `${apiOrigin}/admin/:path+/` },
      { source: "/admin/:path*", destination: `${apiOrigin}/admin/:path*` },
      { source: "/admin", destination: `${apiOrigin}/admin/` },
      { source: "/static/:path*", destination: `${apiOrigin}/static/:path*` },
    ];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
