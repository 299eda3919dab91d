import type { NextConfig } from "next";

import { parseServerEnv } from "./src/lib/env";

// The browser only ever talks to this origin: /api/* (and the Django admin) are proxied to the
// API, so the session cookie and CSRF work unchanged. API_ORIGIN is read at build time and baked
// into the routes manifest (`next build`), so build with the origin you will serve against.
// In production on Vercel, frontend/vercel.json does the same rewrite at the edge.
const { apiOrigin } = parseServerEnv(process.env);

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // `make e2e` builds into its own directory (its API listens elsewhere), so it never clobbers
  // the build `make run` serves.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // A self-contained server for container hosts (deploy/frontend.Dockerfile). The local scripts
  // (make run / e2e) build and serve with `next start` instead: NEXT_OUTPUT=server.
  output: process.env.NEXT_OUTPUT === "server" ? undefined : "standalone",
  poweredByHeader: false,
  // Django's URLs decide their own trailing slashes (/admin/ redirects); don't fight them.
  skipTrailingSlashRedirect: true,
  async rewrites() {
    return [
      { source: "/api/:path*", destination: `${apiOrigin}/api/:path*` },
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
