import { expect, test } from "@playwright/test";

// The Django admin through this origin's /admin rewrite (next.config.ts; vercel.json in
// production). Its URLs end in "/", which a rewrite parameter never captures: /admin/login/
// used to reach Django as /admin/login and redirect to itself for ever.
test("the admin login page loads through the frontend's proxy, and refuses a wrong password", async ({ request }) => {
  const index = await request.get("/admin/", { maxRedirects: 0 });
  expect(index.status()).toBe(302);
  expect(index.headers()["location"]).toMatch(/^(http:\/\/[^/]+)?\/admin\/login\/\?next=\/admin\/$/);

  const page = await request.get("/admin/login/?next=/admin/", { maxRedirects: 0 });
  expect(page.status()).toBe(200);
  const html = await page.text();
  const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html)?.[1];
  expect(csrf).toBeTruthy();

  // A wrong password is checked (the form again, 200) and counted like an API login.
  const login = await request.post("/admin/login/?next=/admin/", {
    form: { csrfmiddlewaretoken: csrf!, username: "nobody@example.com", password: "wrong-password-1" },
    headers: { Referer: new URL("/admin/login/", page.url()).toString() },
    maxRedirects: 0,
  });
  expect(login.status()).toBe(200);
  expect(await login.text()).toContain("errornote");
});
