import { describe, expect, it } from "vitest";

import { debugRoutesEnabled, EnvError, mergeSentryEnv, parsePublicEnv, parseServerEnv } from "./env";

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
  const DSN = "https://abc@o1.ingest.sentry.io/42";

  it("leaves Sentry off without a DSN", () => {
    expect(parsePublicEnv({}).sentry).toBeNull();
    expect(parsePublicEnv({ NEXT_PUBLIC_SENTRY_DSN: "  " }).sentry).toBeNull();
  });

  it("reads the DSN, environment, release and sample rate", () => {
    expect(parsePublicEnv({ NEXT_PUBLIC_SENTRY_DSN: DSN }).sentry).toEqual({
      dsn: DSN,
      environment: "production",
      release: null,
      tracesSampleRate: 0,
    });
    expect(
      parsePublicEnv({
        NEXT_PUBLIC_SENTRY_DSN: "http://public@127.0.0.1:18003/1",
        NEXT_PUBLIC_SENTRY_ENVIRONMENT: "staging",
        NEXT_PUBLIC_SENTRY_RELEASE: "v1.2.3",
        NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: "0.25",
      }).sentry,
    ).toEqual({ dsn: "http://public@127.0.0.1:18003/1", environment: "staging", release: "v1.2.3", tracesSampleRate: 0.25 });
    expect(parsePublicEnv({ NEXT_PUBLIC_SENTRY_DSN: DSN, NODE_ENV: "development" }).sentry?.environment).toBe("development");
  });

  it("falls back to the build's commit for the release", () => {
    expect(parsePublicEnv({ NEXT_PUBLIC_SENTRY_DSN: DSN }, "0123abcd").sentry?.release).toBe("0123abcd");
    expect(parsePublicEnv({ NEXT_PUBLIC_SENTRY_DSN: DSN, NEXT_PUBLIC_SENTRY_RELEASE: "v2" }, "0123abcd").sentry?.release).toBe("v2");
  });

  it.each([
    [{ NEXT_PUBLIC_SENTRY_DSN: "nope" }, /NEXT_PUBLIC_SENTRY_DSN/],
    [{ NEXT_PUBLIC_SENTRY_DSN: "https://o1.ingest.sentry.io/42" }, /NEXT_PUBLIC_SENTRY_DSN/], // no key
    [{ NEXT_PUBLIC_SENTRY_DSN: "ftp://k@o1.ingest.sentry.io/42" }, /NEXT_PUBLIC_SENTRY_DSN/],
    [{ NEXT_PUBLIC_SENTRY_DSN: "https://k@o1.ingest.sentry.io/" }, /NEXT_PUBLIC_SENTRY_DSN/], // no project
    [{ NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: "2" }, /NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE/],
    [{ NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: "-0.1" }, /NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE/],
    [{ NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: "half" }, /NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE/],
    [{ NEXT_PUBLIC_SENTRY_RELEASE: "feature/x" }, /NEXT_PUBLIC_SENTRY_RELEASE/],
    [{ NEXT_PUBLIC_SENTRY_ENVIRONMENT: "my env" }, /NEXT_PUBLIC_SENTRY_ENVIRONMENT/],
  ])("names the variable when it is wrong: %j", (env, message) => {
    expect(() => parsePublicEnv(env)).toThrow(EnvError);
    expect(() => parsePublicEnv(env)).toThrow(message);
  });
});

describe("mergeSentryEnv", () => {
  it("prefers the server's environment at run time over what the build inlined", () => {
    const merged = mergeSentryEnv(
      { NEXT_PUBLIC_SENTRY_DSN: "https://run@h/1", NEXT_PUBLIC_SENTRY_RELEASE: " ", NODE_ENV: "production", OTHER: "x" },
      { NEXT_PUBLIC_SENTRY_DSN: "https://build@h/1", NEXT_PUBLIC_SENTRY_RELEASE: "built" },
    );
    expect(merged).toEqual({
      NODE_ENV: "production",
      NEXT_PUBLIC_SENTRY_DSN: "https://run@h/1",
      NEXT_PUBLIC_SENTRY_ENVIRONMENT: undefined,
      NEXT_PUBLIC_SENTRY_RELEASE: "built",
      NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: undefined,
    });
  });
});

describe("debugRoutesEnabled", () => {
  it("only with PAYTUNGAN_DEBUG_ROUTES=1", () => {
    expect(debugRoutesEnabled({})).toBe(false);
    expect(debugRoutesEnabled({ PAYTUNGAN_DEBUG_ROUTES: "0" })).toBe(false);
    expect(debugRoutesEnabled({ PAYTUNGAN_DEBUG_ROUTES: "1" })).toBe(true);
  });
});
