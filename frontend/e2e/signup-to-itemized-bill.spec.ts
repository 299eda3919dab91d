import { expect, test } from "@playwright/test";

import { expectNoSeriousA11yViolations, signUpUi } from "./helpers";

// The Indonesian dinner: 2x35.000 shared by A and B, 48.000 for C, 22.000 for A, discount 10.000,
// service 5 %, tax 10 % -> Rp150.150.
test("sign up, split a bill now, type the receipt, see the right per-person totals", async ({ page }) => {
  await signUpUi(page, "Ayu");
  await expectNoSeriousA11yViolations(page, "home (empty)");

  await page.getByRole("link", { name: "Bagi tagihan sekarang" }).first().click();
  await page.getByLabel("Untuk apa?").fill("Makan malam");
  await page.getByLabel("Nama teman 1").fill("Budi");
  await page.getByLabel("Nama teman 2").fill("Citra");
  await expectNoSeriousA11yViolations(page, "split now: people");
  await page.getByRole("button", { name: "Lanjut" }).click();

  await expect(page.getByRole("heading", { name: "Tagihan baru" })).toBeVisible();
  await expect(page.getByLabel("Judul", { exact: true })).toHaveValue("Makan malam");

  const items = page.getByTestId("item");
  const fill = async (index: number, name: string, qty: string, price: string, who: string[]) => {
    if ((await items.count()) <= index) await page.getByRole("button", { name: "+ Tambah item" }).click();
    const item = items.nth(index);
    await item.getByLabel("Nama item").fill(name);
    await item.getByLabel("Jml").fill(qty);
    await item.getByLabel("Harga satuan").fill(price);
    for (const person of who) await item.getByText(person, { exact: false }).click();
  };
  await fill(0, "Sate ayam", "2", "35.000", ["Ayu", "Budi"]);
  await fill(1, "Nasi goreng", "1", "48.000", ["Citra"]);
  await fill(2, "Es teh", "1", "22.000", ["Ayu"]);

  await page.getByLabel("Diskon (nominal)").fill("10.000");
  await page.getByLabel("Servis %").fill("5");
  await page.getByLabel("Pajak %").fill("10");

  // Live per-person totals from the preview endpoint.
  const preview = page.getByTestId("preview");
  await expect(preview).toContainText("Rp150.150");
  await expect(preview.getByText("Rp51.480")).toBeVisible(); // Citra: 48.000 - 3.429 + 2.229 + 4.680
  await expect(preview).toContainText(/Rp61\.13[23]/); // Ayu (the tax tie is broken by content)
  await expect(preview).toContainText(/Rp37\.53[78]/); // Budi
  await expectNoSeriousA11yViolations(page, "new bill (itemized)");

  await page.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(page.getByRole("heading", { name: "Makan malam" })).toBeVisible();
  const shares = page.getByTestId("shares");
  await expect(page.getByText("Rp150.150").first()).toBeVisible();
  await expect(shares).toContainText("Rp51.480");
  await expect(shares).toContainText("masih utang");
  await expectNoSeriousA11yViolations(page, "bill detail");

  // The group shows the bill and what everyone owes Ayu.
  await page.getByRole("link", { name: "Makan malam" }).first().click();
  await expect(page.getByRole("link", { name: /Makan malam/ })).toBeVisible();
  await page.getByRole("link", { name: "Saldo" }).click();
  await expect(page.getByTestId("balances")).toContainText(/dipiutangi Rp89\.01[78]/); // Ayu is owed 150.150 - 61.13x
  await expectNoSeriousA11yViolations(page, "group balances");
});
