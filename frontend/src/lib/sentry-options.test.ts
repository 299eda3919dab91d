import { describe, expect, it } from "vitest";

import { browserSentryConfigJson, parseBrowserSentryConfig, scrubSamplingContext, sharedSentryOptions } from "./sentry-options";
import { FILTERED } from "./sentry-scrub";

const CONFIG = { dsn: "https://k@o1.ingest.sentry.io/42", environment: "staging", release: "abc123", tracesSampleRate: 0 };

describe("sharedSentryOptions", () => {
  it("sends no default PII and scrubs events, spans and breadcrumbs", () => {
    const options = sharedSentryOptions(CONFIG);
    expect(options).toMatchObject({ dsn: CONFIG.dsn, environment: "staging", release: "abc123", tracesSampleRate: 0 });
    // SDK v11's spelling of sendDefaultPii: false.
    expect(options.dataCollection).toMatchObject({ userInfo: false, cookies: false, httpBodies: [], stackFrameVariables: false });
    expect(JSON.stringify(options.beforeSend({ message: "a@b.co", request: { cookies: { sessionid: "s" } } }))).toBe(
      JSON.stringify({ message: "[email]", request: {} }),
    );
    const span = { trace_id: "t", span_id: "s", name: "GET /join/abc", is_segment: true, attributes: { "url.full": "https://x/?token=abc", "http.request.header.cookie": "sessionid=s", "http.response.status_code": 200 } };
    expect(options.beforeSendSpan(span)).toEqual({
      ...span,
      name: `GET /join/${FILTERED}`,
      attributes: { "url.full": `https://x/?token=${FILTERED}`, "http.request.header.cookie": FILTERED, "http.response.status_code": 200 },
    });
    expect(options.beforeBreadcrumb({ message: "token=abc" })).toEqual({ message: `token=${FILTERED}` });
  });
  it("leaves the release to the SDK when unknown", () => {
    expect(sharedSentryOptions({ ...CONFIG, release: null }).release).toBeUndefined();
  });
});

describe("browser settings", () => {
  it("round-trip through the layout's JSON, which cannot close its <script>", () => {
    const json = browserSentryConfigJson({ ...CONFIG, environment: "</script><script>alert(1)" });
    expect(json).not.toContain("<");
    expect(parseBrowserSentryConfig(json)).toEqual({ ...CONFIG, environment: "</script><script>alert(1)" });
  });
  it("are null when missing or unreadable", () => {
    expect(parseBrowserSentryConfig(null)).toBeNull();
    expect(parseBrowserSentryConfig("{")).toBeNull();
    expect(parseBrowserSentryConfig('{"environment":"x"}')).toBeNull();
    expect(parseBrowserSentryConfig('{"dsn":"https://k@h/1","environment":"x","tracesSampleRate":7}')?.tracesSampleRate).toBe(0);
  });
});

describe("scrubSamplingContext", () => {
  it("scrubs the transaction name in the envelope's trace header", () => {
    const dsc: { transaction?: string; trace_id: string } = { transaction: "/join/secret-code", trace_id: "t" };
    scrubSamplingContext(dsc);
    expect(dsc).toEqual({ transaction: `/join/${FILTERED}`, trace_id: "t" });
  });
});
