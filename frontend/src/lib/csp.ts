/**
 * The security headers of every page (src/proxy.ts sets them; the API sets its own).
 *
 * Scripts: only those carrying this response's nonce, and what they load ('strict-dynamic': the
 * Next runtime loads its chunks, the Sentry loader its SDK chunk). Next reads the nonce from the
 * request's Content-Security-Policy header and puts it on its own tags, which is why every page
 * is rendered per request (the root layout reads cookies anyway). 'unsafe-eval' only under
 * `next dev` (React's dev tooling uses eval), never in a production build.
 * connect-src: this origin (the API is proxied under /api) and Sentry's ingestion origin, taken
 * from the DSN the server runs with.
 */
export interface CspOptions {
  nonce: string;
  dev: boolean;
  https: boolean;
  /** Origin of the Sentry DSN the browser reports to, if any. */
  sentryOrigin: string | null;
}

export function contentSecurityPolicy({ nonce, dev, https, sentryOrigin }: CspOptions): string {
  const connect = ["'self'", ...(sentryOrigin ? [sentryOrigin] : []), ...(dev ? ["ws:"] : [])];
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect.join(" ")}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "report-uri /csp-report",
    // Over plain http (make run, make e2e) this would send every request to https:// and break.
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** The origin of a Sentry DSN (https://key@o1.ingest.sentry.io/2 -> https://o1.ingest.sentry.io). */
export function dsnOrigin(dsn: string | null | undefined): string | null {
  if (!dsn) return null;
  try {
    return new URL(dsn).origin;
  } catch {
    return null;
  }
}

/** A year, subdomains included (the app and its API live under one registered domain). */
export const HSTS = "max-age=31536000; includeSubDomains";

export interface SecurityHeaders {
  "Content-Security-Policy": string;
  [name: string]: string;
}

export function securityHeaders(opts: CspOptions): SecurityHeaders {
  return {
    "Content-Security-Policy": contentSecurityPolicy(opts),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    ...(opts.https ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/** 128 random bits, base64: unguessable and fresh for every response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
