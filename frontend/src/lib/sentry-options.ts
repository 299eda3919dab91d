/**
 * The Sentry options both sides share (the browser's lazy chunk, src/lib/sentry-browser.ts, and
 * the Next server's, src/lib/sentry-server.ts). Pure, so it is unit-tested without the SDK.
 */
import type { BrowserOptions, NodeOptions } from "@sentry/nextjs";

import type { SentryEnv } from "./env";
import { scrub, scrubBreadcrumb, scrubEvent, scrubText } from "./sentry-scrub";

export interface SharedSentryOptions {
  dsn: string;
  environment: string;
  release: string | undefined;
  tracesSampleRate: number;
  dataCollection: DataCollection;
  beforeSend: <E extends object>(event: E) => E;
  beforeSendSpan: <S extends object>(span: S) => S;
  beforeBreadcrumb: <B extends object>(crumb: B) => B;
}

type DataCollection = NonNullable<BrowserOptions["dataCollection"]> & NonNullable<NodeOptions["dataCollection"]>;

/**
 * What the SDK may collect by itself: the old `sendDefaultPii: false`, spelled out. SDK v11
 * replaced that switch with `dataCollection`, whose defaults collect more (the user's IP address,
 * cookies, request bodies, local variables), so every category is set here.
 */
export const DATA_COLLECTION: DataCollection = {
  userInfo: false, // no user.* filled in from requests (IP address); Sentry is told not to infer it
  cookies: false,
  // Request headers help (user agent, host); those carrying the client's address do not.
  httpHeaders: { request: { deny: ["forwarded", "-ip", "remote-", "via", "-user", "mail"] }, response: false },
  httpBodies: [],
  urlQueryParams: { deny: ["mail", "account", "iban", "card"] }, // besides the SDK's own list
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
  databaseQueryData: false,
  queues: false,
  stackFrameVariables: false,
};

export function sharedSentryOptions(config: SentryEnv): SharedSentryOptions {
  return {
    dsn: config.dsn,
    environment: config.environment,
    release: config.release ?? undefined,
    tracesSampleRate: config.tracesSampleRate,
    // No IP address, cookies or request bodies from the SDK itself; the scrubber does the rest.
    dataCollection: DATA_COLLECTION,
    beforeSend: scrubEvent,
    // Tracing (off by default) streams spans (SDK v11): name, attributes (URLs, headers) and links.
    beforeSendSpan: (span) => scrub(span) as typeof span,
    beforeBreadcrumb: scrubBreadcrumb,
  };
}

/**
 * The trace header of every envelope (the "dynamic sampling context") carries the transaction
 * name, a URL path that may hold an invite code; it is built outside `beforeSend`.
 */
export function scrubSamplingContext(dsc: { transaction?: string }): void {
  if (typeof dsc.transaction === "string") dsc.transaction = scrubText(dsc.transaction);
}

/** The browser's part of the settings, as the root layout renders it (JSON in a <script>). */
export function parseBrowserSentryConfig(json: string | null | undefined): SentryEnv | null {
  if (!json) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const { dsn, environment, release, tracesSampleRate } = raw as Record<string, unknown>;
  if (typeof dsn !== "string" || !dsn || typeof environment !== "string") return null;
  return {
    dsn,
    environment,
    release: typeof release === "string" && release ? release : null,
    tracesSampleRate: typeof tracesSampleRate === "number" && tracesSampleRate >= 0 && tracesSampleRate <= 1 ? tracesSampleRate : 0,
  };
}

/** JSON safe to put inside <script type="application/json"> (no "</script>" can end it early). */
export function browserSentryConfigJson(config: SentryEnv): string {
  return JSON.stringify(config).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
