import { expect, test } from "@playwright/test";

// A logged-out visitor's pages log nothing in red: the app asks GET /api/auth/session (200 with
// no user) instead of GET /api/me, whose 401 the browser reports as a failed resource.
test("logged-out pages leave no error in the console", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(err.message));
  for (const path of ["/", "/login", "/signup", "/forgot-password"]) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  expect(errors).toEqual([]);
});
