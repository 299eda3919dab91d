import { describe, expect, it } from "vitest";

import { FILTERED, isSensitiveKey, scrub, scrubBreadcrumb, scrubEvent, scrubText } from "./sentry-scrub";

// The same cases as the backend's backend/paytungan/ops/tests/test_scrub.py, plus the browser's.

describe("isSensitiveKey", () => {
  it.each([
    "password",
    "new_password",
    "X-CSRFToken",
    "csrftoken",
    "Authorization",
    "Cookie",
    "sessionid",
    "token",
    "access_tokens",
    "api_key",
    "email",
    "payout_account_number",
    "account_number",
    "accountName",
    "client_secret",
    "Proxy-Authorization",
    "sentry_dsn",
  ])("%s is sensitive", (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });
  it.each(["name", "author", "amount", "currency", "group_id", "request_id", "url", "message"])("%s is not", (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
  it("ignores what is not a string", () => {
    expect(isSensitiveKey(3)).toBe(false);
    expect(isSensitiveKey(null)).toBe(false);
  });
});

describe("scrubText", () => {
  it.each([
    ["user ayu.lestari@example.com failed", "ayu.lestari@example.com"],
    ["LoginIn(email='a@b.co', password='hunter2 with spaces')", "hunter2 with spaces"],
    ['{"password": "p\\"w", "x": 1}', 'p\\"w'],
    ["GET /hooks/uptime?token=abc123secret&x=1", "abc123secret"],
    ["Authorization: Bearer pat_abcdef123456", "pat_abcdef123456"],
    ["payout_account_number=1234567890", "1234567890"],
    ["/api/invites/Xy7-secret-code/accept", "Xy7-secret-code"],
    // The browser's own:
    ["https://paytungan.id/join/Xy7-secret-code?x=1", "Xy7-secret-code"],
    ["https://paytungan.id/profile?q=ani%40example.com", "ani%40example.com"],
    ["https://paytungan.id/reset-password?token=rst-abc-123", "rst-abc-123"],
    ["console: sessionid=abc; csrftoken=def", "abc"],
    ["console: sessionid=abc; csrftoken=def", "def"],
    ['{"csrf_token":"tok-123"}', "tok-123"],
    ["my token is pyt_AbCdEf0123456789_-xyz, keep it", "AbCdEf0123456789"],
    ["transfer to BCA 1234567890 a/n Ayu", "1234567890"],
    ["WA 0812-3456-7890", "3456-7890"],
    // Account numbers as Indonesian banks print them (Mandiri, BRI), and other groupings.
    ["Mandiri 123-00-1234567-8", "1234567"],
    ["BRI 0123-01-012345-50-1", "012345"],
    ["no. rek 12345-67890", "67890"],
    ["rek 1234 5678 90", "5678"],
    // An invite code in a percent-encoded path: the login page's ?next= after /join/<code>.
    ["https://paytungan.id/login?next=%2Fjoin%2FXy7-secret-code", "Xy7-secret"],
    ["/signup?next=%2fjoin%2fXy7-secret-code&x=1", "Xy7-secret"],
  ])("removes the secret from %j", (text, leaked) => {
    expect(scrubText(text)).not.toContain(leaked);
  });

  it("keeps the shape around what it removes", () => {
    expect(scrubText("mail ayu@example.com now")).toBe("mail [email] now");
    expect(scrubText("GET /x?token=abc&page=2")).toBe(`GET /x?token=${FILTERED}&page=2`);
    expect(scrubText("password='pw'")).toBe(`password='${FILTERED}'`);
    expect(scrubText("X-Debug: Bearer pat_abcdef123456")).toBe(`X-Debug: Bearer ${FILTERED}`);
    expect(scrubText("/join/abc123")).toBe(`/join/${FILTERED}`);
  });

  it("leaves text without secrets unchanged", () => {
    const text = "TypeError: Cannot read properties of undefined (reading 'amount') in /groups/7/bills/new";
    expect(scrubText(text)).toBe(text);
    const amounts = "total 125000000 IDR on 2026-12-02 07:08:09, id 0df56e4e1234567890abcdef";
    expect(scrubText(amounts)).toBe(amounts);
    const more = "bill 2026-12-02 Rp 1.234.567 and 10000 20000 30000, 2026-12-03T11:20:21.123Z";
    expect(scrubText(more)).toBe(more);
    expect(scrubText("dsn http://public@127.0.0.1:9/1")).toBe("dsn http://public@127.0.0.1:9/1");
  });

  it("is idempotent", () => {
    const once = scrubText("a@b.co token=x /join/abc Bearer abcdefgh pyt_abcdef 1234567890");
    expect(scrubText(once)).toBe(once);
  });
});

describe("scrubEvent", () => {
  it("cleans request, extra, exception, breadcrumbs and user, on a copy", () => {
    const event = {
      request: {
        url: "https://paytungan.id/groups/7?email=ani@example.com&token=qs-secret",
        query_string: "token=qs-secret",
        headers: { Authorization: "Bearer x-secret", Cookie: "sessionid=s", Accept: "*/*", Referer: "https://paytungan.id/join/inv-secret" },
        cookies: { sessionid: "s", csrftoken: "c" },
        data: { email: "a@b.co", password: "pw", name: "Ayu", payout: { account_number: "1234567890", method: "bank" } },
      },
      extra: { context: { token: "t-secret" }, note: "mail me at a@b.co" },
      exception: { values: [{ type: "Error", value: "no user a@b.co" }] },
      breadcrumbs: [
        { category: "console", message: "login a@b.co", data: { arguments: ["login a@b.co"] } },
        { category: "navigation", data: { from: "/join/inv-secret", to: "/groups/7" } },
        { category: "fetch", data: { url: "/api/invites/inv-secret/accept", method: "POST" } },
      ],
      user: { id: "42", email: "a@b.co", ip_address: "1.2.3.4", username: "ayu" },
      tags: { request_id: "req-1" },
      environment: "production",
      release: "abc123",
    };
    const out = scrubEvent(event);
    const flat = JSON.stringify(out);
    for (const secret of ["qs-secret", "x-secret", "sessionid=s", "a@b.co", "ani@example.com", '"pw"', "t-secret", "1234567890", "1.2.3.4", '"ayu"', "inv-secret"]) {
      expect(flat, secret).not.toContain(secret);
    }
    expect(out.request).not.toHaveProperty("cookies");
    expect(out.request.headers.Accept).toBe("*/*");
    expect(out.request.headers.Cookie).toBe(FILTERED);
    expect(out.request.data.name).toBe("Ayu");
    expect(out.request.data.payout.method).toBe("bank");
    expect(out.user).toEqual({ id: "42" });
    expect(out.tags).toEqual({ request_id: "req-1" });
    expect(out.environment).toBe("production");
    expect(out.release).toBe("abc123");
    expect(event.request.data.password).toBe("pw"); // a copy: the original is untouched
  });

  it("judges header pairs by their name", () => {
    const out = scrubEvent({ request: { headers: [["Authorization", "Bearer abcdef123456"], ["Accept", "*/*"]] } });
    expect(out.request.headers).toEqual([["Authorization", FILTERED], ["Accept", "*/*"]]);
  });

  it("keeps empty values under sensitive keys (nothing to hide) and drops a user without id", () => {
    expect(scrubEvent({ extra: { token: "", password: null }, user: { email: "a@b.co" } })).toEqual({
      extra: { token: "", password: null },
      user: {},
    });
  });

  it("leaves the SDK's own processing metadata alone (never sent, holds live objects)", () => {
    class Scope {
      secret = "token=abc";
    }
    const scope = new Scope();
    const out = scrubEvent({ message: "x", sdkProcessingMetadata: { scope } });
    expect(out.sdkProcessingMetadata.scope).toBe(scope);
  });

  it("cuts deep nesting instead of crashing", () => {
    const deep: Record<string, unknown> = {};
    let current = deep;
    for (let i = 0; i < 100; i++) {
      const next: Record<string, unknown> = {};
      current.x = next;
      current = next;
    }
    expect(JSON.stringify(scrubEvent({ extra: deep }))).toContain(FILTERED);
  });
});

describe("scrubBreadcrumb", () => {
  it("cleans message and data", () => {
    const out = scrubBreadcrumb({ category: "fetch", data: { url: "https://x/?token=abc123" }, message: "a@b.co" });
    expect(JSON.stringify(out)).not.toContain("abc123");
    expect(JSON.stringify(out)).not.toContain("a@b.co");
  });
  it("judges console arguments logged as a name and a value", () => {
    const out = scrubBreadcrumb({ category: "console", data: { arguments: ["password", "hunter2"] } });
    expect(out.data.arguments).toEqual(["password", FILTERED]);
  });
});

describe("scrub", () => {
  it("passes scalars and class instances through", () => {
    expect(scrub(3)).toBe(3);
    expect(scrub(true)).toBe(true);
    expect(scrub(null)).toBe(null);
    const date = new Date(0);
    expect(scrub(date)).toBe(date);
  });
});
