import { describe, expect, it } from "vitest";

import { EnvError, parsePublicEnv, parseServerEnv } from "./env";

describe("parseServerEnv", () => {
  it("defaults API_ORIGIN to the local API and normalises it", () => {
    expect(parseServerEnv({}).apiOrigin).toBe("http://127.0.0.1:8001");
    expect(parseServerEnv({ API_ORIGIN: "https://api.paytungan.id/" }).apiOrigin).toBe("https://api.paytungan.id");
  });
  it("names the variable when it is wrong", () => {
    expect(() => parseServerEnv({ API_ORIGIN: "api.paytungan.id" })).toThrow(EnvError);
    expect(() => parseServerEnv({ API_ORIGIN: "https://x.y/api" })).toThrow(/API_ORIGIN: must be an origin only/);
    expect(() => parseServerEnv({ API_ORIGIN: "ftp://x.y" })).toThrow(/API_ORIGIN/);
  });
});

describe("parsePublicEnv", () => {
  it("accepts an empty or well-formed Sentry DSN", () => {
    expect(parsePublicEnv({}).sentryDsn).toBeNull();
    expect(parsePublicEnv({ NEXT_PUBLIC_SENTRY_DSN: "https://abc@o1.ingest.sentry.io/42" }).sentryDsn).toBe("https://abc@o1.ingest.sentry.io/42");
    expect(() => parsePublicEnv({ NEXT_PUBLIC_SENTRY_DSN: "nope" })).toThrow(/NEXT_PUBLIC_SENTRY_DSN/);
  });
});
