import { describe, expect, it } from "vitest";

import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it.each([
    "/groups/3",
    "/groups/3?tab=bills",
    "/join/abc#x",
    "/profile",
  ])("keeps the local path %s", (next) => {
    expect(safeNext(next)).toBe(next);
  });

  it.each([
    null,
    undefined,
    "",
    "//example.com",
    "///example.com",
    "/\\example.com",
    "\\/example.com",
    "/%09/example.com",
    "/\t/example.com",
    "/\n/example.com",
    "/\r/example.com",
    "/\t\\example.com",
    " //example.com",
    "https://example.com",
    "https:example.com",
    "http:/example.com",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    "example.com",
    "/.//example.com",
    "/..//example.com",
    "/\u2028/example.com",
    "/\u0000/example.com",
  ])("sends %j home", (next) => {
    expect(safeNext(next)).toBe("/");
  });

  it("what it returns never resolves to another origin", () => {
    // The decoded forms of the hostile query values, as URLSearchParams hands them over.
    for (const raw of ["/%09/example.com", "/%0a/example.com", "/%0d/example.com", "/%5Cexample.com", "/%2F/example.com"]) {
      const decoded = new URLSearchParams(`next=${raw}`).get("next");
      const out = safeNext(decoded);
      expect(new URL(out, "https://app.test").origin).toBe("https://app.test");
    }
  });

  it("keeps percent-encoded slashes encoded (they stay one path segment)", () => {
    expect(safeNext("/%2F/example.com")).toBe("/%2F/example.com");
  });
});
