import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { translate } from "@/lib/i18n";

import { apiErrorText, codeKey, translatedFields } from "./error-text";
import { ApiError } from "./errors";

const tId = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate("id", k, v);
const tEn = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate("en", k, v);

describe("apiErrorText", () => {
  it("says the password is wrong, not that the session ended (issue 15)", () => {
    const err = new ApiError({ status: 401, code: "invalid_credentials", message: "Email or password is incorrect." });
    expect(apiErrorText(tId, err)).toBe("Email atau kata sandi salah.");
    expect(apiErrorText(tEn, err)).toBe("Email or password is incorrect.");
    expect(apiErrorText(tId, err)).not.toContain("Sesimu");
  });

  it("a real expired session still says so", () => {
    expect(apiErrorText(tId, new ApiError({ status: 401, code: "not_authenticated", message: "x" }))).toBe("Sesimu berakhir. Silakan masuk lagi.");
  });

  it("falls back to the server's (translated) message for an unknown code, then by status", () => {
    expect(apiErrorText(tId, new ApiError({ status: 404, code: "some_new_code", message: "Kata server." }))).toBe("Kata server.");
    expect(apiErrorText(tEn, new ApiError({ status: 409, code: "some_new_code", message: "Server words." }))).toBe("Server words.");
    expect(apiErrorText(tEn, new ApiError({ status: 404, code: "some_new_code", message: "" }))).toBe(tEn("error.notFound"));
    expect(apiErrorText(tEn, new ApiError({ status: 503, code: "some_new_code", message: "Trace: x" }))).toBe(tEn("error.server"));
    expect(apiErrorText(tEn, new ApiError({ status: 0, code: "network", message: "x" }))).toBe(tEn("error.network"));
    expect(apiErrorText(tEn, new ApiError({ status: 429, code: "throttled", message: "x", retryAfter: 7 }))).toContain("7");
  });

  it("translates a coded field error in place", () => {
    const err = new ApiError({ status: 422, code: "email_taken", message: "x", details: { fields: { email: ["That email is registered."] } } });
    expect(translatedFields(tId, err)).toEqual({ email: ["Email ini sudah terdaftar. Coba masuk."] });
    const plain = new ApiError({ status: 422, code: "invalid", message: "x", details: { fields: { email: ["bad"], name: ["bad"] } } });
    expect(translatedFields(tId, plain)).toEqual({ email: ["bad"], name: ["bad"] });
  });
});

// Every code the backend can send has a text: the codes are read from the backend's source.
function backendCodes(): string[] {
  const root = join(__dirname, "../../../../backend/paytungan");
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "tests" && name !== "migrations") walk(path);
      } else if (name.endsWith(".py")) {
        const src = readFileSync(path, "utf8");
        for (const m of src.matchAll(/\bcode\s*=\s*"([a-z_]+)"/g)) codes.add(m[1]!);
        for (const m of src.matchAll(/^\s+\d{3}: "([a-z_]+)",$/gm)) codes.add(m[1]!); // common/middleware.py
        for (const m of src.matchAll(/error_response\(\s*\d{3},\s*"([a-z_]+)"/g)) codes.add(m[1]!);
        for (const m of src.matchAll(/^\s+"([a-z_]+)": 4\d\d,$/gm)) codes.add(m[1]!); // receipts: rejections
      }
    }
  };
  walk(root);
  return [...codes].sort();
}

describe("the code catalogue", () => {
  it("covers every error code in the backend", () => {
    const codes = backendCodes();
    expect(codes.length).toBeGreaterThan(30);
    expect(codes.filter((c) => !codeKey(c))).toEqual([]);
  });
});
