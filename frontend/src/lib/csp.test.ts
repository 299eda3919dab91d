import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, dsnOrigin, newNonce, securityHeaders } from "./csp";

const base = { nonce: "abc123==", dev: false, https: true, sentryOrigin: "https://o1.ingest.sentry.io" };

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(";").map((d) => d.trim().split(/\s+(.*)/s, 2) as [string, string]));
}

describe("contentSecurityPolicy", () => {
  it("allows scripts only by this response's nonce, never eval or inline in production", () => {
    const d = directives(contentSecurityPolicy(base));
    expect(d.get("script-src")).toBe("'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(d.get("script-src")).not.toContain("unsafe");
    expect(d.get("object-src")).toBe("'none'");
    expect(d.get("frame-ancestors")).toBe("'none'");
    expect(d.get("base-uri")).toBe("'self'");
    expect(d.get("connect-src")).toBe("'self' https://o1.ingest.sentry.io");
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });

  it("adds eval only for next dev, and no https upgrade over http", () => {
    const d = directives(contentSecurityPolicy({ ...base, dev: true, https: false, sentryOrigin: null }));
    expect(d.get("script-src")).toContain("'unsafe-eval'");
    expect(d.get("connect-src")).toBe("'self' ws:");
    expect(d.has("upgrade-insecure-requests")).toBe(false);
  });
});

describe("securityHeaders", () => {
  it("sends HSTS only over https", () => {
    expect(securityHeaders(base)["Strict-Transport-Security"]).toMatch(/^max-age=31536000/);
    expect(securityHeaders({ ...base, https: false })["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders(base)["X-Content-Type-Options"]).toBe("nosniff");
  });
});

describe("dsnOrigin / newNonce", () => {
  it("takes the ingestion origin from a DSN", () => {
    expect(dsnOrigin("https://key@o1.ingest.sentry.io/42")).toBe("https://o1.ingest.sentry.io");
    expect(dsnOrigin("http://public@127.0.0.1:26003/1")).toBe("http://127.0.0.1:26003");
    expect(dsnOrigin("")).toBeNull();
    expect(dsnOrigin("not a url")).toBeNull();
  });
  it("makes a fresh 128-bit nonce each time", () => {
    const a = newNonce();
    expect(atob(a)).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
