/**
 * Every environment variable the frontend reads, validated in one place.
 *
 * Build / server (next.config.ts, `next start`):
 *   API_ORIGIN   where /api/* is proxied (default http://127.0.0.1:8001). Baked into the build's
 *                routes manifest, so set it when running `next build`.
 * Browser (inlined at build time, so they must be read with their literal names):
 *   NEXT_PUBLIC_SENTRY_DSN   optional; the frontend has no runtime needs beyond its own origin.
 */

export class EnvError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = "EnvError";
  }
}

export interface ServerEnv {
  apiOrigin: string;
}

export interface PublicEnv {
  sentryDsn: string | null;
}

function origin(variable: string, raw: string | undefined, fallback: string): string {
  const value = (raw ?? "").trim() || fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnvError(variable, `${JSON.stringify(value)} is not a URL like http://127.0.0.1:8001`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EnvError(variable, "must use http:// or https://");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash || url.username) {
    throw new EnvError(variable, "must be an origin only (scheme://host[:port]), without a path");
  }
  return url.origin;
}

export function parseServerEnv(env: Record<string, string | undefined>): ServerEnv {
  return { apiOrigin: origin("API_ORIGIN", env.API_ORIGIN, "http://127.0.0.1:8001") };
}

export function parsePublicEnv(env: Record<string, string | undefined>): PublicEnv {
  const dsn = (env.NEXT_PUBLIC_SENTRY_DSN ?? "").trim();
  if (dsn && !/^https:\/\/[^@\s]+@[^/\s]+\/\S+$/.test(dsn)) {
    throw new EnvError("NEXT_PUBLIC_SENTRY_DSN", "is not a Sentry DSN (https://key@host/project)");
  }
  return { sentryDsn: dsn || null };
}

/** The browser-visible env; literal names so Next can inline them. */
export const publicEnv: PublicEnv = parsePublicEnv({
  NEXT_PUBLIC_SENTRY_DSN: process.env.NEXT_PUBLIC_SENTRY_DSN,
});
