import { expect, test } from "@playwright/test";

import { Api, PASSWORD, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

test("Indonesian by default, English by switch: remembered in a cookie and the profile", async ({ browser }) => {
  // An Indonesian browser; the profile's locale (Indonesian for a new account) decides once logged in.
  const ctx = await browser.newContext({ locale: "id-ID" });
  const api = Api.for(ctx);
  await api.register("Ayu", uniqueEmail("ayu"));
  await api.call("PATCH", "/api/me", { locale: "id" });
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

test("an English browser gets English until it chooses Indonesian: then the UI and the API's messages are Indonesian", async ({ browser }) => {
  const setup = await browser.newContext();
  const { email } = await Api.for(setup).register("Ganda");
  await setup.close();

  const ctx = await browser.newContext({ locale: "en-US" });
  const page = await ctx.newPage();
  await page.goto("/signup");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();

  await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("button", { name: "Daftar" })).toBeVisible();
  // Still an English browser (Accept-Language en-US), but the API follows the app's choice.
  const csrf = await page.request.get("/api/auth/csrf");
  expect(csrf.headers()["content-language"]).toBe("id");

  // A password rule, written by the API (Django's validators): in Indonesian.
  await page.getByLabel("Nama").fill("Ganda lagi");
  await page.getByLabel("Email").fill(uniqueEmail("ganda"));
  await page.getByLabel("Kata sandi").fill("pendek");
  await page.getByRole("button", { name: "Daftar" }).click();
  await expect(page.getByLabel("Kata sandi")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/Kata sandi terlalu pendek\. Harus mengandung setidaknya 8 karakter\./)).toBeVisible();
  await expect(page.getByText(/too short/)).toHaveCount(0);

  // A duplicate email: in Indonesian too, and after a reload (the choice is remembered).
  await page.reload();
  await expect(page.getByRole("button", { name: "Daftar" })).toBeVisible();
  await page.getByLabel("Nama").fill("Ganda lagi");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill(PASSWORD);
  await page.getByRole("button", { name: "Daftar" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText(/Email ini sudah terdaftar/)).toBeVisible();
  await expect(page.getByText(/already registered/)).toHaveCount(0);
  await ctx.close();
});
