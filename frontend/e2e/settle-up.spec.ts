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
  // The amount is prefilled and editable; recording offers "Undo" for a few seconds.
  await settle.getByRole("button", { name: "Catat pembayaran" }).click();
  const form = budi.getByTestId("record-payment");
  await expect(form.getByLabel("Jumlah")).toHaveValue("50.000");
  await form.getByLabel("Jumlah").fill("20.000");
  await budi.screenshot({ path: "../docs/screenshots/payment-record-amount-1280.png", fullPage: true, animations: "disabled" });
  await form.getByRole("button", { name: "Catat pembayaran" }).click();
  await expect(budi.getByText("Pembayaran dicatat, menunggu konfirmasi Ayu.")).toBeVisible();
  await expect(budi.getByTestId("payments")).toContainText("Rp20.000");
  await budi.screenshot({ path: "../docs/screenshots/payment-undo-1280.png", fullPage: true, animations: "disabled" });
  await budi.getByRole("button", { name: "Urungkan" }).click();
  await expect(budi.getByText("Pembayaran tadi dibatalkan.")).toBeVisible();
  await expect(budi.getByTestId("payments")).toHaveCount(0);

  await settle.getByRole("button", { name: "Catat pembayaran" }).click();
  await expect(form.getByLabel("Jumlah")).toHaveValue("50.000");
  await form.getByRole("button", { name: "Catat pembayaran" }).click();
  await expect(budi.getByText("Pembayaran dicatat, menunggu konfirmasi Ayu.")).toBeVisible();
  await expect(budi.getByTestId("payments")).toContainText("menunggu");
  await expect(budi.getByTestId("recorded-by")).toHaveCount(0); // Budi recorded his own payment

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

test("a payment someone else recorded says so to both sides", async ({ browser }) => {
  const ctxs = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [ayuApi, budiApi, citraApi] = ctxs.map((c) => Api.for(c));
  await ayuApi!.register("Ayu", uniqueEmail("ayu"));
  await budiApi!.register("Budi", uniqueEmail("budi"));
  await citraApi!.register("Citra", uniqueEmail("citra"));
  const group = await ayuApi!.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Kos", currency: "IDR" });
  const invite = await ayuApi!.call<{ code: string }>("POST", `/api/groups/${group.id}/invites`, {});
  const budi = await budiApi!.call<{ member_id: number }>("POST", `/api/invites/${invite.code}/accept`, {});
  await citraApi!.call("POST", `/api/invites/${invite.code}/accept`, {});
  // Citra writes down that Budi paid Ayu.
  await citraApi!.call("POST", `/api/groups/${group.id}/payments`, {
    from_member_id: budi.member_id,
    to_member_id: group.my_member_id,
    amount: "15000",
    currency: "IDR",
  });

  const ayu = await ctxs[0]!.newPage();
  await ayu.goto("/");
  await expect(ayu.getByText("Citra mencatat Budi sudah membayarmu")).toBeVisible();
  await ayu.screenshot({ path: "../docs/screenshots/home-pending-recorded-by-1280.png", fullPage: true, animations: "disabled" });
  const budiPage = await ctxs[1]!.newPage();
  await budiPage.goto(`/groups/${group.id}?tab=balances`);
  await expect(budiPage.getByTestId("recorded-by")).toContainText("dicatat oleh Citra");
  await ayu.getByRole("button", { name: "Tolak" }).click();
  await expect(ayu.getByText("Pembayaran ditolak.")).toBeVisible();
  for (const c of ctxs) await c.close();
});
