import { expect, test } from "@playwright/test";

import { Api, PASSWORD, expectNoSeriousA11yViolations } from "./helpers";

test("a wrong password says so (not 'session ended'); editing clears the field error and the banner", async ({ page, context }) => {
  const { email } = await Api.for(context).register("Salah");
  await context.clearCookies();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill("wrong-password-123");
  await page.getByRole("button", { name: "Masuk" }).click();
  const banner = page.getByRole("alert").filter({ hasText: /\S/ }).and(page.locator(":not(#__next-route-announcer__)"));
  await expect(banner).toHaveText("Email atau kata sandi salah.");
  await expect(page.getByText("Sesimu berakhir")).toHaveCount(0);
  await page.screenshot({ path: "../docs/screenshots/login-wrong-password.png" });
  await expectNoSeriousA11yViolations(page, "login, wrong password");
  // Typing again: the complaint is about the old value, so it goes.
  await page.getByLabel("Kata sandi").fill(PASSWORD);
  await expect(banner).toHaveCount(0);
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByRole("heading", { name: "Halo, Salah!" })).toBeVisible();
});

test("a duplicate email is explained under the field, in English when the app is in English, and clears on edit", async ({ browser }) => {
  const setup = await browser.newContext();
  const { email } = await Api.for(setup).register("Dupe");
  await setup.close();

  // An Indonesian browser that chose English in the app.
  const context = await browser.newContext({ locale: "id-ID", extraHTTPHeaders: { "Accept-Language": "id-ID,id;q=0.9" } });
  await context.addCookies([{ name: "locale", value: "en", url: test.info().project.use.baseURL! }]);
  const page = await context.newPage();
  await page.goto("/signup");
  // The API reads the app's language cookie, so it answers in the app's language.
  await expect.poll(async () => (await context.cookies()).find((c) => c.name === "locale")?.value).toBe("en");
  const lang = await page.request.get("/api/auth/csrf");
  expect(lang.headers()["content-language"]).toBe("en");

  await page.getByLabel("Name").fill("Dupe again");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  const field = page.getByLabel("Email");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("That email is already registered. Try logging in.")).toBeVisible();
  await page.screenshot({ path: "../docs/screenshots/signup-email-taken-en.png" });
  await field.fill(`x${email}`);
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("That email is already registered.")).toHaveCount(0);
  await context.close();
});

test("a bill the API refuses: the error under the field and the banner go once the field is corrected", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Besar");
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "Besar trip", currency: "IDR" });
  await page.goto(`/groups/${group.id}/bills/new`);
  await page.getByLabel("Judul", { exact: true }).fill("Rumah");
  await page.getByText("Sama rata").click();
  const total = page.getByLabel("Total tagihan");
  // Fifteen digits pass the form's own check; the API's limit is a trillion rupiah less one.
  await total.fill("5.000.000.000.000");
  await page.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(total).toHaveAttribute("aria-invalid", "true");
  const under = page.locator(`#${await total.getAttribute("id")}-err`);
  await expect(under).toContainText(/terlalu besar/i);
  await page.screenshot({ path: "../docs/screenshots/bill-server-error-1280.png", animations: "disabled" });

  await total.fill("500.000");
  await expect(total).not.toHaveAttribute("aria-invalid", "true");
  await expect(under).toHaveCount(0);
  await expect(page.getByRole("alert").and(page.locator(":not(#__next-route-announcer__)")).filter({ hasText: /\S/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(page.getByRole("heading", { name: "Rumah" })).toBeVisible();
});
