// Next's server instrumentation hook: starts Sentry in the Node server when
// NEXT_PUBLIC_SENTRY_DSN is set (src/lib/sentry-server.ts) and hands it the errors of server
// rendering and route handlers. Without a DSN the SDK is never imported.
import type { Instrumentation } from "next";

let capture: Instrumentation.onRequestError | null = null;

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { sentryEnv } = await import("@/lib/sentry-config");
  // Throws on a malformed value (src/lib/env.ts): better a server that does not start.
  const config = sentryEnv();
  if (!config) return;
  const sentry = await import("@/lib/sentry-server");
  sentry.startServerSentry(config);
  capture = sentry.captureRequestError;
}

export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  await capture?.(error, request, context);
};
