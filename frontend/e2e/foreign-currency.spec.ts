import { expect, test } from "@playwright/test";

import { Api, uniqueEmail } from "./helpers";

test("a bill in another currency with a rate, paid by two people", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Ayu", uniqueEmail("ayu"));
  const group = await api.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Singapura", currency: "IDR" });
  await api.call("POST", `/api/groups/${group.id}/members`, { name: "Budi" });

  await page.goto(`/groups/${group.id}/bills/new`);
  await page.getByLabel("Judul", { exact: true }).fill("Chili crab");
  await page.getByLabel("Mata uang tagihan").selectOption("USD");
  await page.getByLabel("Kurs: 1 USD = … IDR").fill("16.250");
  const item = page.getByTestId("item").first();
  await item.getByLabel("Nama item").fill("Crab");
  await item.getByLabel("Harga satuan").fill("20,50");
  await item.getByText("Ayu").click();
  await item.getByText("Budi").click();
  // 20.50 USD x 16,250 = Rp333.125, split in two.
  await expect(page.getByTestId("preview")).toContainText("Rp333.125");
  await expect(page.getByTestId("preview")).toContainText("US$20,50");

  await page.getByLabel("Beberapa orang membayar").check();
  await page.getByLabel("Jumlah dibayar Ayu (kamu)").fill("15");
  await expect(page.getByText("Sisa yang belum dibayar: US$5,50")).toBeVisible();
  await page.getByLabel("Jumlah dibayar Budi").fill("5,50");
  await expect(page.getByText("Sisa yang belum dibayar: US$0,00")).toBeVisible();
  await page.getByRole("button", { name: "Simpan tagihan" }).click();

  await expect(page.getByRole("heading", { name: "Chili crab" })).toBeVisible();
  await expect(page.getByText("Rp333.125").first()).toBeVisible();
  await expect(page.getByText("Kurs 16.250:")).toBeVisible();
});
