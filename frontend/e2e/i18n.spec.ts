import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

test("Indonesian by default, English by switch: remembered in a cookie and the profile", async ({ browser }) => {
  const ctx = await browser.newContext({ locale: "en-US" }); // the browser's language doesn't decide
  const api = Api.for(ctx);
  await api.register("Ayu", uniqueEmail("ayu"));
  const group = await api.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Trip", currency: "IDR" });
  const budi = await api.call<{ id: number }>("POST", `/api/groups/${group.id}/members`, { name: "Budi" });
  const page = await ctx.newPage();

  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("heading", { name: "Halo, Ayu!" })).toBeVisible();

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Hi, Ayu!" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect.poll(async () => (await api.call<{ locale: string }>("GET", "/api/me")).locale).toBe("en");
  await page.reload();
  await expect(page.getByRole("heading", { name: "Hi, Ayu!" })).toBeVisible();

  // English notation in and out: "125,000" typed, "IDR 125,000" shown.
  await page.goto(`/groups/${group.id}/bills/new`);
  await page.getByLabel("Title", { exact: true }).fill("Hotel");
  await page.getByText("Equally").click();
  await page.getByLabel("Bill total").fill("125,000");
  await expect(page.getByTestId("preview")).toContainText("IDR 62,500");
  await expect(page.getByTestId("preview")).toContainText("IDR 125,000");
  await expectNoSeriousA11yViolations(page, "new bill (en)");
  // Indonesian notation is refused with an explanation in English.
  await page.getByLabel("Bill total").fill("125.000");
  await expect(page.getByText("IDR has no decimals.")).toBeVisible();
  await page.getByLabel("Bill total").fill("125,000");
  await page.getByRole("button", { name: "Save bill" }).click();
  await expect(page.getByRole("heading", { name: "Hotel" })).toBeVisible();
  await expect(page.getByText("IDR 125,000").first()).toBeVisible();
  void budi;

  // Back to Indonesian from the profile.
  await page.goto("/profile");
  await page.getByRole("combobox", { name: "Language" }).selectOption("id");
  await page.getByRole("button", { name: "Save" }).first().click();
  await expect(page.getByRole("heading", { name: "Profil" }).first()).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Halo, Ayu!" })).toBeVisible();
  await ctx.close();
});
