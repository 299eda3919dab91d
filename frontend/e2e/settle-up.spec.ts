import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

test("settle-up: recorded by the payer, confirmed by the receiver, balances back to zero", async ({ browser }) => {
  const ayuCtx = await browser.newContext();
  const budiCtx = await browser.newContext();
  const ayuApi = Api.for(ayuCtx);
  const budiApi = Api.for(budiCtx);
  await ayuApi.register("Ayu", uniqueEmail("ayu"));
  await ayuApi.call("PATCH", "/api/me", {
    payout: { method: "bank", account_name: "BCA · Ayu", account_number: "8800123456", share_with_groups: true },
  });
  await budiApi.register("Budi", uniqueEmail("budi"));
  const group = await ayuApi.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Arisan", currency: "IDR" });
  const invite = await ayuApi.call<{ code: string }>("POST", `/api/groups/${group.id}/invites`, {});
  const budiMember = await budiApi.call<{ member_id: number }>("POST", `/api/invites/${invite.code}/accept`, {});
  await ayuApi.call("POST", `/api/groups/${group.id}/bills`, {
    title: "Bensin",
    total: "100000",
    payers: [{ member_id: group.my_member_id, amount: "100000" }],
    split: { mode: "equal", members: [{ member_id: group.my_member_id }, { member_id: budiMember.member_id }] },
  });

  // Budi sees what to pay, to whom, with Ayu's account, and records it in one tap.
  const budi = await budiCtx.newPage();
  await budi.goto(`/groups/${group.id}?tab=balances`);
  const settle = budi.getByTestId("settle");
  await expect(settle).toContainText("Budi (kamu) bayar ke Ayu");
  await expect(settle).toContainText("Rp50.000");
  await expect(settle).toContainText("8800123456");
  await expect(settle.getByRole("button", { name: "Salin nomor rekening" })).toBeVisible();
  await expectNoSeriousA11yViolations(budi, "balances + settle-up");
  await settle.getByRole("button", { name: "Catat pembayaran" }).click();
  await expect(budi.getByText("Pembayaran dicatat, menunggu konfirmasi Ayu.")).toBeVisible();
  await expect(budi.getByTestId("payments")).toContainText("menunggu");

  // Ayu confirms from her home page.
  const ayu = await ayuCtx.newPage();
  await ayu.goto("/");
  await expect(ayu.getByText("Menunggu konfirmasimu")).toBeVisible();
  await expect(ayu.getByText("Budi bilang sudah membayarmu")).toBeVisible();
  await ayu.getByRole("button", { name: "Konfirmasi" }).click();
  await expect(ayu.getByText("Pembayaran dikonfirmasi.")).toBeVisible();
  await expect(ayu.getByText("Menunggu konfirmasimu")).toHaveCount(0);

  // Everyone is square.
  await ayu.goto(`/groups/${group.id}?tab=balances`);
  await expect(ayu.getByText("Semua sudah lunas.").first()).toBeVisible();
  const balances = ayu.getByTestId("balances");
  await expect(balances.getByText("lunas")).toHaveCount(2);
  await budi.reload();
  await expect(budi.getByTestId("payments")).toContainText("dikonfirmasi");
  await expect(budi.getByText("Saldomu:")).toContainText("Lunas");

  await ayuCtx.close();
  await budiCtx.close();
});
