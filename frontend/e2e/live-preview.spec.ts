import { expect, test } from "@playwright/test";

import { signUpUi } from "./helpers";

// The per-person panel is computed in the browser (lib/split.ts): it shows what is complete,
// says what is left out, and keeps working offline.
test("the per-person preview shows what is complete, also offline", async ({ page, context }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpUi(page, "Ayu");
  await page.getByRole("link", { name: "Bagi tagihan sekarang" }).first().click();
  await page.getByLabel("Untuk apa?").fill("Makan malam");
  await page.getByLabel("Nama teman 1").fill("Budi");
  await page.getByLabel("Nama teman 2").fill("Citra");
  await page.getByRole("button", { name: "Lanjut" }).click();
  await expect(page.getByRole("heading", { name: "Tagihan baru" })).toBeVisible();

  const items = page.getByTestId("item");
  const preview = page.getByTestId("preview");
  await items.nth(0).getByLabel("Nama item").fill("Sate ayam");
  await items.nth(0).getByLabel("Jml").fill("2");
  await items.nth(0).getByLabel("Harga satuan").fill("35.000");
  await items.nth(0).getByText("Ayu").click();
  await items.nth(0).getByText("Budi").click();
  await page.getByRole("button", { name: "+ Tambah item" }).click();
  // A second item nobody has ticked yet: left out, and the panel says so.
  await items.nth(1).getByLabel("Nama item").fill("Nasi goreng");
  await items.nth(1).getByLabel("Harga satuan").fill("48.000");
  await expect(preview).toContainText("Rp70.000");
  await expect(page.getByTestId("preview-partial")).toBeVisible();

  await context.setOffline(true);
  await items.nth(1).getByText("Citra").click();
  await page.getByLabel("Servis %").fill("10");
  await expect(page.getByTestId("preview-partial")).toHaveCount(0);
  await expect(preview).toContainText("Rp129.800"); // (70.000 + 48.000) x 1,1
  await expect(preview.locator("[data-member-id]")).toHaveCount(3);
  await expect(preview).toContainText("Rp52.800"); // Citra: 48.000 + 4.800
  await page.screenshot({ path: "../docs/screenshots/bill-preview-offline-390.png", fullPage: true, animations: "disabled" });

  // Equal mode with a total only: no items needed.
  await page.getByRole("radio", { name: "Sama rata" }).check({ force: true });
  await page.getByLabel("Total tagihan", { exact: true }).fill("100.000");
  await expect(preview).toContainText("Rp33.334");
  await expect(preview).toContainText("Rp33.333");
  await context.setOffline(false);
});
