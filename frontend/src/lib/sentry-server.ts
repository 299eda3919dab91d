import "server-only";

/**
 * The Sentry SDK in the Next server (server rendering, route handlers), started by
 * src/instrumentation.ts only when NEXT_PUBLIC_SENTRY_DSN is set. Errors reach it through Next's
 * `onRequestError` hook; the same scrubbing as the browser and the backend.
 */
import { captureRequestError, getClient, init, type NodeOptions } from "@sentry/nextjs";

import type { SentryEnv } from "./env";
import { scrubSamplingContext, sharedSentryOptions } from "./sentry-options";

export function startServerSentry(config: SentryEnv): void {
  const options: NodeOptions = sharedSentryOptions(config);
  init(options);
  getClient()?.on("createDsc", scrubSamplingContext);
}

export { captureRequestError };
