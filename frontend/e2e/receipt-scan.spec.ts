import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

const HERE = dirname(fileURLToPath(import.meta.url));
// Rendered by tools/receipts/generate.py (the lines of backend/paytungan/receipts/tests/test_api_scan.py):
// 2 x 35.000 + 3 x 8.000 + 45.000, service 5 %, PB1 10 %, total 160.545.
const RECEIPT = join(HERE, "fixtures", "receipt.png");
const SHOTS = process.env.SCREENSHOT_DIR ?? join(HERE, "..", "..", "docs", "screenshots");

test("scan a receipt into the itemized editor, correct a price, save the bill", async ({ page, context }) => {
  // OCR takes ~1 s of CPU; on a shared, saturated machine its wall time stretches far beyond.
  test.setTimeout(240_000);
  const api = Api.for(context);
  await api.register("Ayu", uniqueEmail("ayu"));
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "Makan malam", currency: "IDR" });
  await api.call("POST", `/api/groups/${group.id}/members`, { name: "Budi" });

  await page.goto(`/groups/${group.id}/bills/new`);
  await page.getByLabel("Judul", { exact: true }).fill("Warung Sederhana");
  await page.getByText("Per item", { exact: true }).click();

  await page.locator("#receipt-scan-file").setInputFiles(RECEIPT);
  const result = page.getByTestId("receipt-scan-result");
  await expect(result.getByRole("status")).toContainText("Terbaca 3 item", { timeout: 150_000 });
  // The read lines are shown with how each was taken.
  await expect(result.getByRole("listitem").filter({ hasText: "Tunai" })).toContainText("diabaikan");
  await expect(result.getByRole("listitem").filter({ hasText: "PB1" })).toContainText("biaya");

  const items = page.getByTestId("item");
  await expect(items).toHaveCount(3);
  await expect(items.nth(0).getByLabel("Nama item")).toHaveValue("Nasi Goreng Spesial");
  await expect(items.nth(0).getByLabel("Jml")).toHaveValue("2");
  await expect(items.nth(0).getByLabel("Harga satuan")).toHaveValue("35.000");
  await expect(items.nth(1).getByLabel("Harga satuan")).toHaveValue("8.000");
  await expect(page.getByLabel("Servis %")).toHaveValue("5");
  await expect(page.getByLabel("Pajak %")).toHaveValue("10");

  // Every value stays editable: the sate was 46.000 after all, and who had what is ticked.
  await items.nth(2).getByLabel("Harga satuan").fill("46.000");
  await items.nth(0).getByText("Ayu", { exact: false }).click();
  await items.nth(0).getByText("Budi", { exact: false }).click();
  await items.nth(1).getByText("Budi", { exact: false }).click();
  await items.nth(2).getByText("Ayu", { exact: false }).click();
  // 140.000 + 5 % service (7.000) + 10 % tax (14.700)
  await expect(page.getByTestId("preview")).toContainText("Rp161.700");
  await expectNoSeriousA11yViolations(page, "new bill after a receipt scan");
  await page.screenshot({ path: join(SHOTS, "receipt-scan-1280.png"), fullPage: true, animations: "disabled" });

  await page.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(page.getByRole("heading", { name: "Warung Sederhana" })).toBeVisible();
  await expect(page.getByText("Rp161.700").first()).toBeVisible();
});
