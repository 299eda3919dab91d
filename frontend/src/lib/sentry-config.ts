import "server-only";

import { mergeSentryEnv, parsePublicEnv, type SentryEnv } from "./env";

/**
 * The Sentry settings of this server process (src/lib/env.ts): its environment when it runs,
 * else the values `next build` inlined. Throws EnvError when a value is malformed; the server's
 * start (src/instrumentation.ts) calls it first, so a typo stops `next start` instead of every page.
 */
export function sentryEnv(): SentryEnv | null {
  if (cached === undefined) {
    const inlined = {
      NEXT_PUBLIC_SENTRY_DSN: process.env.NEXT_PUBLIC_SENTRY_DSN,
      NEXT_PUBLIC_SENTRY_ENVIRONMENT: process.env.NEXT_PUBLIC_SENTRY_ENVIRONMENT,
      NEXT_PUBLIC_SENTRY_RELEASE: process.env.NEXT_PUBLIC_SENTRY_RELEASE,
      NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: process.env.NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE,
    };
    cached = parsePublicEnv(mergeSentryEnv(liveEnv(), inlined), process.env.PAYTUNGAN_BUILD_COMMIT).sentry;
  }
  return cached;
}
let cached: SentryEnv | null | undefined;

/** process.env as it is when the server runs (a computed read the bundler cannot inline). */
function liveEnv(): Record<string, string | undefined> {
  return globalThis.process?.env ?? {};
}
