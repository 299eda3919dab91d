import { NextResponse, type NextRequest } from "next/server";

import { dsnOrigin, newNonce, securityHeaders } from "@/lib/csp";

/**
 * Security headers for the pages (src/lib/csp.ts). The request carries the CSP too: that is where
 * Next's renderer reads the nonce it puts on its scripts.
 */
export function proxy(request: NextRequest) {
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const headers = securityHeaders({
    nonce: newNonce(),
    dev: process.env.NODE_ENV === "development",
    https,
    sentryOrigin: sentryOrigin(),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

// The DSN the server runs with (one build serves any environment, src/lib/env.ts), else the
// value `next build` inlined.
let cachedSentryOrigin: string | null | undefined;
function sentryOrigin(): string | null {
  if (cachedSentryOrigin === undefined) {
    const live = globalThis.process?.env?.["NEXT_PUBLIC_SENTRY_DSN"]?.trim();
    cachedSentryOrigin = dsnOrigin(live || process.env.NEXT_PUBLIC_SENTRY_DSN);
  }
  return cachedSentryOrigin;
}

export const config = {
  matcher: [
    {
      // Pages only: the API, the admin and Django's static files are proxied and set their own.
      source: "/((?!api/|api$|admin|static/|_next/static|_next/image|csp-report).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
