import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

test("a stale edit gets a 409 that is explained, keeps my edits and can be saved over the latest", async ({ browser }) => {
  const ayuCtx = await browser.newContext();
  const budiCtx = await browser.newContext();
  const ayuApi = Api.for(ayuCtx);
  const budiApi = Api.for(budiCtx);
  await ayuApi.register("Ayu", uniqueEmail("ayu"));
  await budiApi.register("Budi", uniqueEmail("budi"));
  const group = await ayuApi.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Kantor", currency: "IDR" });
  const invite = await ayuApi.call<{ code: string }>("POST", `/api/groups/${group.id}/invites`, {});
  const b = await budiApi.call<{ member_id: number }>("POST", `/api/invites/${invite.code}/accept`, {});
  const bill = await ayuApi.call<{ id: number }>("POST", `/api/groups/${group.id}/bills`, {
    title: "Makan siang",
    total: "80000",
    payers: [{ member_id: group.my_member_id, amount: "80000" }],
    split: { mode: "equal", members: [{ member_id: group.my_member_id }, { member_id: b.member_id }] },
  });
  const editUrl = `/groups/${group.id}/bills/${bill.id}/edit`;

  // Both open the edit page of version 1.
  const ayu = await ayuCtx.newPage();
  const budi = await budiCtx.newPage();
  await ayu.goto(editUrl);
  await budi.goto(editUrl);
  await expect(ayu.getByLabel("Judul", { exact: true })).toHaveValue("Makan siang");
  await expect(budi.getByLabel("Judul", { exact: true })).toHaveValue("Makan siang");

  // Ayu saves first.
  await ayu.getByLabel("Judul", { exact: true }).fill("Makan siang Padang");
  await ayu.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(ayu.getByRole("heading", { name: "Makan siang Padang" })).toBeVisible();

  // Budi's save is stale: explained, his edits stay in the form, the latest is shown.
  await budi.getByLabel("Total tagihan").fill("90.000");
  await budi.getByLabel("Judul", { exact: true }).fill("Makan siang + es teh");
  await budi.getByRole("button", { name: "Simpan tagihan" }).click();
  const banner = budi.getByRole("status").filter({ hasText: "Tagihan ini baru saja diubah orang lain" });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Makan siang Padang");
  await expect(budi.getByLabel("Judul", { exact: true })).toHaveValue("Makan siang + es teh");
  await expect(budi.getByLabel("Total tagihan")).toHaveValue("90.000");
  await expectNoSeriousA11yViolations(budi, "edit conflict");

  // He keeps his changes on top of the latest version and saves again.
  await banner.getByRole("button", { name: "Simpan perubahanku di atas versi terbaru" }).click();
  await budi.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(budi.getByRole("heading", { name: "Makan siang + es teh" })).toBeVisible();
  await expect(budi.getByText("Rp90.000").first()).toBeVisible();

  // Or the other way: reload the latest and drop mine.
  await ayu.goto(editUrl);
  await budi.goto(editUrl);
  await ayu.getByLabel("Judul", { exact: true }).fill("Versi Ayu");
  await ayu.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(ayu.getByRole("heading", { name: "Versi Ayu" })).toBeVisible();
  await budi.getByLabel("Judul", { exact: true }).fill("Versi Budi");
  await budi.getByRole("button", { name: "Simpan tagihan" }).click();
  await budi.getByRole("button", { name: "Buang perubahanku, muat versi terbaru" }).click();
  await expect(budi.getByLabel("Judul", { exact: true })).toHaveValue("Versi Ayu");

  await ayuCtx.close();
  await budiCtx.close();
});
