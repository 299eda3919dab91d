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
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId("preview").screenshot({ path: "../docs/screenshots/bill-foreign-preview-390.png", animations: "disabled" });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByLabel("Beberapa orang membayar").check();
  await page.getByLabel("Jumlah dibayar Ayu (kamu)").fill("15");
  await expect(page.getByText("Sisa yang belum dibayar: US$5,50")).toBeVisible();
  await page.getByLabel("Jumlah dibayar Budi").fill("5,50");
  await expect(page.getByText("Sisa yang belum dibayar: US$0,00")).toBeVisible();
  await page.getByRole("button", { name: "Simpan tagihan" }).click();

  await expect(page.getByRole("heading", { name: "Chili crab" })).toBeVisible();
  await expect(page.getByText("Rp333.125").first()).toBeVisible();
  await expect(page.getByText("Kurs 16.250:")).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "../docs/screenshots/bill-foreign-detail-390.png", fullPage: true, animations: "disabled" });

  // Deleting the group asks in the page (no browser dialog): cancel keeps it, confirm deletes it.
  page.on("dialog", () => {
    throw new Error("no browser dialogs");
  });
  const empty = await api.call<{ id: number }>("POST", "/api/groups", { name: "Kosong", currency: "IDR" }); // balances must be zero
  await page.goto(`/groups/${empty.id}?tab=settings`);
  await page.getByRole("button", { name: "Hapus grup" }).click();
  const question = page.getByRole("group", { name: /Hapus grup ini beserta semua tagihannya/ });
  await expect(question).toBeVisible();
  await question.getByRole("button", { name: "Batal" }).click();
  await expect(question).toHaveCount(0);
  await page.getByRole("button", { name: "Hapus grup" }).click();
  await question.getByRole("button", { name: "Hapus grup" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: /Singapura/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /Kosong/ })).toHaveCount(0);
});
