import { expect, test } from "@playwright/test";

import { Api, PASSWORD } from "./helpers";

// Query values as an attacker would put them in a link (already URL-encoded).
const HOSTILE = [
  "/%09/example.com",
  "/%0a/example.com",
  "/%0d/example.com",
  "//example.com",
  "/%5Cexample.com",
  "%2F%2Fexample.com",
  "/%5C%09example.com",
  "https://example.com",
  "https:example.com",
  "/.//example.com",
  "javascript:alert(document.domain)",
];

test("after login, ?next= never leaves the app's origin", async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  // Anything that would reach another host fails the test instead of hanging on the network.
  const escaped: string[] = [];
  await context.route((url) => url.hostname.endsWith("example.com"), (route) => {
    escaped.push(route.request().url());
    return route.abort();
  });
  const { email } = await Api.for(context).register("Redirect");
  await context.clearCookies();

  // Through the form: the visitor logs in and lands at home, not on example.com.
  await page.goto(`/login?next=${HOSTILE[0]}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill(PASSWORD);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByRole("heading", { name: "Halo, Redirect!" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(origin);

  // Already logged in: the login page forwards to `next` at once.
  for (const raw of HOSTILE) {
    await page.goto(`/login?next=${raw}`);
    await expect(page).toHaveURL(`${origin}/`);
    expect(new URL(page.url()).origin, raw).toBe(origin);
  }
  // (That a real local path is still honoured is src/lib/safe-next.test.ts's job.)
  expect(escaped).toEqual([]);
});
