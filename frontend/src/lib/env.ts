/**
 * Every environment variable the frontend reads, validated in one place.
 *
 * Build / server (next.config.ts, `next start`):
 *   API_ORIGIN   where /api/* is proxied (default http://127.0.0.1:8001). Baked into the build's
 *                routes manifest, so set it when running `next build`.
 * Error monitoring (Sentry, docs/operations.md "Frontend Sentry"). Read by the server when it
 * starts and on every page render (the root layout hands the browser its part), so one build
 * serves any environment; a value inlined at build time (`next build` with the variable set) is
 * the fallback:
 *   NEXT_PUBLIC_SENTRY_DSN                 optional; Sentry is off without it
 *   NEXT_PUBLIC_SENTRY_ENVIRONMENT         default "production" ("development" under `next dev`)
 *   NEXT_PUBLIC_SENTRY_RELEASE             default: the git commit the build was made from
 *   NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE  0 to 1, default 0 (no tracing)
 * Test only:
 *   PAYTUNGAN_DEBUG_ROUTES=1               serves /debug/sentry (errors on purpose, for make e2e)
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

type Env = Record<string, string | undefined>;

export interface ServerEnv {
  apiOrigin: string;
}

/** What Sentry needs, on either side; null when NEXT_PUBLIC_SENTRY_DSN is not set. */
export interface SentryEnv {
  dsn: string;
  environment: string;
  release: string | null;
  tracesSampleRate: number;
}

export interface PublicEnv {
  sentry: SentryEnv | null;
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

export function parseServerEnv(env: Env): ServerEnv {
  return { apiOrigin: origin("API_ORIGIN", env.API_ORIGIN, "http://127.0.0.1:8001") };
}

function sentryDsn(raw: string | undefined): string | null {
  const value = (raw ?? "").trim();
  if (!value) return null;
  const problem = "is not a Sentry DSN (https://<public key>@<host>/<project id>)";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnvError("NEXT_PUBLIC_SENTRY_DSN", problem);
  }
  // http:// only for a self-hosted Sentry or a local stand-in (make e2e).
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.username || url.password) {
    throw new EnvError("NEXT_PUBLIC_SENTRY_DSN", problem);
  }
  if (!/\/[^/]+$/.test(url.pathname) || url.search || url.hash) {
    throw new EnvError("NEXT_PUBLIC_SENTRY_DSN", problem);
  }
  return value;
}

function sentryRelease(raw: string | undefined, buildCommit: string | undefined): string | null {
  const value = (raw ?? "").trim() || (buildCommit ?? "").trim();
  if (!value) return null;
  // Sentry's rule for release names.
  if (value.length > 200 || value === "." || value === ".." || /[\s/\\]/.test(value)) {
    throw new EnvError("NEXT_PUBLIC_SENTRY_RELEASE", "must be at most 200 characters, without spaces or slashes");
  }
  return value;
}

function sampleRate(raw: string | undefined): number {
  const value = (raw ?? "").trim();
  if (!value) return 0;
  const rate = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(rate >= 0 && rate <= 1)) {
    throw new EnvError("NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE", "must be a number from 0 to 1");
  }
  return rate;
}

/**
 * The Sentry settings. `buildCommit` is the commit `next build` ran on (next.config.ts), the
 * release when NEXT_PUBLIC_SENTRY_RELEASE is not set.
 */
export function parsePublicEnv(env: Env, buildCommit?: string): PublicEnv {
  const dsn = sentryDsn(env.NEXT_PUBLIC_SENTRY_DSN);
  // Validated even without a DSN, so a typo shows before the day Sentry is switched on.
  const release = sentryRelease(env.NEXT_PUBLIC_SENTRY_RELEASE, buildCommit);
  const tracesSampleRate = sampleRate(env.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE);
  const environment =
    (env.NEXT_PUBLIC_SENTRY_ENVIRONMENT ?? "").trim() || (env.NODE_ENV === "development" ? "development" : "production");
  if (environment.length > 64 || /[\s/]/.test(environment)) {
    throw new EnvError("NEXT_PUBLIC_SENTRY_ENVIRONMENT", "must be at most 64 characters, without spaces or slashes");
  }
  return { sentry: dsn ? { dsn, environment, release, tracesSampleRate } : null };
}

/** PAYTUNGAN_DEBUG_ROUTES=1: the test-only routes under /debug answer (else 404). */
export function debugRoutesEnabled(env: Env): boolean {
  return (env.PAYTUNGAN_DEBUG_ROUTES ?? "").trim() === "1";
}

export const SENTRY_VARIABLES = [
  "NEXT_PUBLIC_SENTRY_DSN",
  "NEXT_PUBLIC_SENTRY_ENVIRONMENT",
  "NEXT_PUBLIC_SENTRY_RELEASE",
  "NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE",
] as const;

/**
 * The value of each Sentry variable: the server's environment now, else what `next build` saw.
 * `runtime` is the live process.env (looked up by computed names, which the bundler leaves
 * alone); `inlined` holds the literal `process.env.NEXT_PUBLIC_*` reads the bundler replaced.
 */
export function mergeSentryEnv(runtime: Env, inlined: Env): Env {
  const merged: Env = { NODE_ENV: runtime.NODE_ENV };
  for (const name of SENTRY_VARIABLES) {
    const live = runtime[name];
    merged[name] = live !== undefined && live.trim() !== "" ? live : inlined[name];
  }
  return merged;
}
