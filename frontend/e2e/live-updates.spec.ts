import { expect, test } from "@playwright/test";

import { Api, uniqueEmail } from "./helpers";

// Open group pages poll GET /groups/{gid}/changes (ETag, 304) and refetch when it moves.
test("another member's bill and a confirmed payment appear without a reload", async ({ browser }) => {
  const ayuCtx = await browser.newContext();
  const budiCtx = await browser.newContext();
  const ayuApi = Api.for(ayuCtx);
  const budiApi = Api.for(budiCtx);
  await ayuApi.register("Ayu", uniqueEmail("ayu"));
  await budiApi.register("Budi", uniqueEmail("budi"));
  const group = await ayuApi.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Arisan", currency: "IDR" });
  const invite = await ayuApi.call<{ code: string }>("POST", `/api/groups/${group.id}/invites`, {});
  const budi = await budiApi.call<{ member_id: number }>("POST", `/api/invites/${invite.code}/accept`, {});

  const ayu = await ayuCtx.newPage();
  const polls: number[] = [];
  ayu.on("response", (r) => {
    if (r.url().endsWith(`/api/groups/${group.id}/changes`)) polls.push(r.status());
  });
  await ayu.goto(`/groups/${group.id}`);
  await expect(ayu.getByRole("heading", { name: "Arisan" })).toBeVisible();
  await expect.poll(() => polls.filter((s) => s === 304).length, { timeout: 15_000 }).toBeGreaterThan(0);

  // Budi adds a bill in his own browser: Ayu's open page shows it.
  await budiApi.call("POST", `/api/groups/${group.id}/bills`, {
    title: "Bensin",
    total: "100000",
    payers: [{ member_id: budi.member_id, amount: "100000" }],
    split: { mode: "equal", members: [{ member_id: group.my_member_id }, { member_id: budi.member_id }] },
  });
  await expect(ayu.getByRole("link", { name: /Bensin/ })).toBeVisible({ timeout: 10_000 });
  await expect(ayu.getByText("Kamu berutang").first()).toBeVisible();

  // Ayu records paying Budi; Budi's open page shows the pending badge and title, then confirms.
  const budiPage = await budiCtx.newPage();
  await budiPage.goto(`/groups/${group.id}?tab=balances`);
  await expect(budiPage.getByTestId("balances")).toBeVisible();
  await ayuApi.call("POST", `/api/groups/${group.id}/payments`, {
    from_member_id: group.my_member_id,
    to_member_id: budi.member_id,
    amount: "50000",
    currency: "IDR",
  });
  await expect(budiPage.getByTestId("pending-badge")).toHaveText(/^1/, { timeout: 10_000 });
  await expect.poll(() => budiPage.title()).toMatch(/^\(1\) /);
  await budiPage.screenshot({ path: "../docs/screenshots/group-live-pending-badge-1280.png", fullPage: true, animations: "disabled" });
  await budiPage.getByTestId("payments").getByRole("button", { name: "Konfirmasi" }).click();
  await expect(budiPage.getByTestId("pending-badge")).toHaveCount(0);

  // Ayu's page (balances tab) sees the confirmation without a reload.
  await ayu.getByRole("link", { name: "Saldo" }).click();
  await expect(ayu.getByTestId("payments")).toContainText("dikonfirmasi", { timeout: 10_000 });
  await expect(ayu.getByText("Semua sudah lunas.").first()).toBeVisible();
  await ayuCtx.close();
  await budiCtx.close();
});
