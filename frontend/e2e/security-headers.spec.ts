import { expect, test } from "@playwright/test";

import { Api } from "./helpers";

const PAGES = ["/", "/login", "/signup", "/split", "/join/not-a-code", "/no-such-page"];

test("pages send a nonce CSP, nosniff, a referrer policy and no framing; HSTS behind https", async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of PAGES) {
    const res = await request.get(path);
    const h = res.headers();
    const csp = h["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp, path).not.toContain("unsafe-eval");
    expect(csp, path).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("same-origin");
    // Over plain http (this test server) HSTS means nothing and is left out.
    expect(h["strict-transport-security"], path).toBeUndefined();
    // Every script tag of the page carries this response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    nonces.add(nonce!);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/type="application\/(json|ld\+json)"/.test(tag));
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(PAGES.length); // fresh per response

  // Behind a TLS-terminating proxy (Vercel, Cloud Run, nginx): HSTS, and mixed content upgraded.
  const tls = await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } });
  expect(tls.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  expect(tls.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
});

test("the app works under its CSP: no violation while logging in and using a group", async ({ page, context }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(msg.text())) violations.push(msg.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const api = Api.for(context);
  await api.register("Csp");
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "CSP trip", currency: "IDR" });
  await page.goto(`/groups/${group.id}`);
  await expect(page.getByRole("heading", { name: "CSP trip" })).toBeVisible();
  // Client-side navigation and a form (hydrated React, the router's chunks).
  await page.getByRole("link", { name: "Profil" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await page.goBack();
  await expect(page.getByRole("heading", { name: "CSP trip" })).toBeVisible();
  // Long enough for the Sentry loader (1.5 s after load) to fetch its chunk and settings.
  await page.waitForTimeout(2500);
  expect(violations).toEqual([]);
});
