/**
 * The Sentry browser SDK, in a chunk of its own that src/lib/sentry-loader.ts imports once the
 * page is idle (and only when NEXT_PUBLIC_SENTRY_DSN is set). No session replay, no user
 * feedback widget; tracing only with NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE above 0.
 */
import { captureException, init, type BrowserOptions } from "@sentry/nextjs";

import { parseBrowserSentryConfig, scrubSamplingContext, sharedSentryOptions } from "./sentry-options";

/** Starts the SDK; returns how to report an error caught elsewhere, or null without settings. */
export function startBrowserSentry(json: string | null): ((error: unknown) => void) | null {
  const config = parseBrowserSentryConfig(json);
  if (!config) return null;
  const options: BrowserOptions = {
    ...sharedSentryOptions(config),
    // With tracing off, no page-load spans (whose names are raw URLs) at all.
    integrations: (defaults) => (config.tracesSampleRate > 0 ? defaults : defaults.filter((i) => i.name !== "BrowserTracing")),
  };
  const client = init(options);
  client?.on("createDsc", scrubSamplingContext);
  return (error) => {
    captureException(error, { mechanism: { type: "auto.paytungan.loader", handled: false } });
  };
}
