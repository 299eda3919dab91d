import { expect, test } from "@playwright/test";

// Installable: a manifest with icons; offline, a page request gets the offline shell.
test("the app has a manifest and an offline shell", async ({ page, context }) => {
  const manifest = await (await page.request.get("/manifest.webmanifest")).json();
  expect(manifest.display).toBe("standalone");
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toContain("512x512");
  expect((await page.request.get("/icons/icon-192.png")).ok()).toBe(true);

  await page.goto("/login");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload(); // now controlled by the service worker
  await context.setOffline(true);
  await page.goto("/profile").catch(() => undefined);
  await expect(page.getByRole("heading", { name: "Kamu sedang offline" })).toBeVisible();
  await context.setOffline(false);
});
