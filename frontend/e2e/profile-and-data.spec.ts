import { readFileSync } from "node:fs";

import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, signUpUi } from "./helpers";

test("profile: payout details, download my data and the group's, delete and restore a bill, delete the account", async ({ page, context }) => {
  await signUpUi(page, "Sari");
  const api = Api.for(context);
  const group = await api.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Dapur", currency: "IDR" });
  const bill = await api.call<{ id: number }>("POST", `/api/groups/${group.id}/bills`, {
    title: "Gas elpiji",
    total: "25000",
    payers: [{ member_id: group.my_member_id, amount: "25000" }],
    split: { mode: "equal", members: [{ member_id: group.my_member_id }] },
  });

  // Payout details, shared with groups.
  await page.goto("/profile");
  await page.getByLabel("Metode").selectOption("ewallet");
  await page.getByLabel("Nama pemilik / bank").fill("GoPay · Sari");
  await page.getByLabel("Nomor rekening / HP").fill("081234567890");
  await page.getByLabel("Tampilkan ke teman satu grup saat mereka melunasi").check();
  await page.getByRole("button", { name: "Simpan", exact: true }).first().click();
  await expect(page.getByText("Profil disimpan.")).toBeVisible();
  const me = await api.call<{ payout: { method: string; account_number: string; share_with_groups: boolean } }>("GET", "/api/me");
  expect(me.payout).toMatchObject({ method: "ewallet", account_number: "081234567890", share_with_groups: true });
  await expectNoSeriousA11yViolations(page, "profile");

  // My data, as a JSON download.
  const [mine] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Unduh semua dataku (JSON)" }).click()]);
  expect(mine.suggestedFilename()).toMatch(/\.json$/);
  const data = JSON.parse(readFileSync((await mine.path())!, "utf8")) as object;
  expect(JSON.stringify(data)).toContain("GoPay · Sari");

  // The group's export, JSON and CSV.
  await page.goto(`/groups/${group.id}?tab=settings`);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Unduh CSV" }).click()]);
  expect(readFileSync((await csv.path())!, "utf8")).toContain("Gas elpiji");

  // Delete a bill (no question first: it can be restored at once), then restore it.
  await page.goto(`/groups/${group.id}/bills/${bill.id}`);
  await page.getByRole("button", { name: "Hapus" }).click();
  await expect(page.getByText("Tagihan ini sudah dihapus.")).toBeVisible();
  await page.getByRole("button", { name: "Pulihkan" }).click();
  await expect(page.getByText("Tagihan dipulihkan.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Hapus" })).toBeVisible();

  // Delete the account: personal data gone, logged out.
  await page.goto("/profile");
  const del = page.getByRole("button", { name: "Hapus akunku" });
  await expect(del).toBeDisabled();
  await page.getByLabel("Ketik HAPUS untuk menghapus akunmu selamanya.").fill("HAPUS");
  await del.click();
  await expect(page.getByRole("link", { name: "Mulai gratis" })).toBeVisible();
  const res = await context.request.get("/api/me");
  expect(res.status()).toBe(401);
});
