import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, test, type Page } from "@playwright/test";

import { Api, PASSWORD, uniqueEmail } from "./helpers";

// Every main screen at 360 px (phones) and 1280 px (desktop), for docs/screenshots/.
const OUT = process.env.SCREENSHOT_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "screenshots");
const WIDTHS = [360, 1280] as const;

async function shoot(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await expect(page.locator("[role=status] .animate-spin")).toHaveCount(0);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true, animations: "disabled" });
  }
}

test("screenshots of every main screen", async ({ browser }) => {
  test.setTimeout(180_000);
  mkdirSync(OUT, { recursive: true });

  const ayuCtx = await browser.newContext();
  const citraCtx = await browser.newContext();
  const ayu = Api.for(ayuCtx);
  const citra = Api.for(citraCtx);
  const ayuEmail = uniqueEmail("ayu");
  await ayu.register("Ayu Lestari", ayuEmail);
  await ayu.call("PATCH", "/api/me", {
    username: `ayu${Date.now().toString(36)}`,
    payout: { method: "bank", account_name: "BCA · Ayu Lestari", account_number: "1234567890", share_with_groups: true },
  });
  await citra.register("Citra");

  const group = await ayu.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Liburan Bali", currency: "IDR" });
  const budi = await ayu.call<{ id: number }>("POST", `/api/groups/${group.id}/members`, { name: "Budi" });
  await ayu.call("POST", `/api/groups/${group.id}/members`, { name: "Dewi" });
  const invite = await ayu.call<{ code: string }>("POST", `/api/groups/${group.id}/invites`, { expires_in_days: 30 });
  const citraMember = await citra.call<{ member_id: number }>("POST", `/api/invites/${invite.code}/accept`, {});
  const A = group.my_member_id;
  const B = budi.id;
  const C = citraMember.member_id;

  const dinner = await ayu.call<{ id: number }>("POST", `/api/groups/${group.id}/bills`, {
    title: "Makan malam di Jimbaran",
    date: "2026-11-20",
    category: "food",
    payers: [{ member_id: A, amount: "150150" }],
    split: {
      mode: "itemized",
      items: [
        { name: "Sate ayam", quantity: 2, unit_price: "35000", member_ids: [A, B] },
        { name: "Nasi goreng", quantity: 1, unit_price: "48000", member_ids: [C] },
        { name: "Es teh", quantity: 1, unit_price: "22000", member_ids: [A] },
      ],
      charges: { discount: "10000", service_percent: "5", tax_percent: "10" },
    },
  });
  await citra.call("POST", `/api/groups/${group.id}/bills`, {
    title: "Sewa motor",
    date: "2026-11-21",
    category: "transport",
    total: "300000",
    payers: [{ member_id: C, amount: "300000" }],
    split: { mode: "equal", members: [{ member_id: A }, { member_id: B }, { member_id: C }] },
  });
  await ayu.call("POST", `/api/groups/${group.id}/bills`, {
    title: "Villa 2 malam",
    date: "2026-11-19",
    category: "lodging",
    total: "2400000",
    payers: [{ member_id: A, amount: "2400000" }],
    split: { mode: "shares", members: [{ member_id: A, value: "2" }, { member_id: B, value: "1" }, { member_id: C, value: "1" }] },
  });
  // Citra says she paid Ayu: waiting for Ayu's confirmation on her home page.
  await citra.call("POST", `/api/groups/${group.id}/payments`, { from_member_id: C, to_member_id: A, amount: "250000", currency: "IDR" });

  const anon = await browser.newPage();
  await anon.goto("/");
  await shoot(anon, "01-landing");
  await anon.goto("/login");
  await shoot(anon, "02-login");
  await anon.goto("/signup");
  await shoot(anon, "03-signup");
  await anon.goto("/forgot-password");
  await shoot(anon, "04-forgot-password");
  await anon.goto("/reset-password?token=example");
  await shoot(anon, "05-reset-password");
  await anon.close();

  const page = await ayuCtx.newPage();
  await page.goto("/");
  await expect(page.getByText("Menunggu konfirmasimu")).toBeVisible();
  await shoot(page, "10-home");
  await page.goto(`/groups/${group.id}`);
  await expect(page.getByText("Villa 2 malam")).toBeVisible();
  await shoot(page, "20-group-bills");
  await page.goto(`/groups/${group.id}?tab=balances`);
  await expect(page.getByTestId("settle")).toBeVisible();
  await shoot(page, "21-group-balances");
  await page.goto(`/groups/${group.id}?tab=members`);
  await expect(page.getByTestId("invite-url")).toBeVisible();
  await shoot(page, "22-group-members");
  await page.goto(`/groups/${group.id}?tab=activity`);
  await expect(page.getByRole("heading", { name: "Aktivitas" })).toBeVisible();
  await shoot(page, "23-group-activity");
  await page.goto(`/groups/${group.id}?tab=settings`);
  await shoot(page, "24-group-settings");
  await page.goto(`/groups/${group.id}/bills/${dinner.id}`);
  await expect(page.getByTestId("shares")).toBeVisible();
  await shoot(page, "30-bill-detail");
  await page.goto(`/groups/${group.id}/bills/${dinner.id}/edit`);
  await expect(page.getByTestId("preview")).toContainText("Rp150.150");
  await shoot(page, "31-bill-edit-itemized");
  await page.goto(`/groups/${group.id}/bills/new`);
  await page.getByText("Sama rata").click();
  await page.getByLabel("Total tagihan").fill("90.000");
  await page.getByLabel("Judul", { exact: true }).fill("Kopi pagi");
  await expect(page.getByTestId("preview")).toContainText("Rp22.500");
  await shoot(page, "32-bill-new-equal");
  await page.goto("/split");
  await shoot(page, "40-split-now");
  await page.goto("/profile");
  await shoot(page, "50-profile");

  const citraPage = await citraCtx.newPage();
  await citraPage.goto(`/join/${invite.code}`);
  await expect(citraPage.getByText("Liburan Bali")).toBeVisible();
  await shoot(citraPage, "60-join");

  // English.
  await page.context().addCookies([{ name: "locale", value: "en", url: page.url() }]);
  await ayu.call("PATCH", "/api/me", { locale: "en" });
  await page.goto(`/groups/${group.id}?tab=balances`);
  await expect(page.getByRole("link", { name: "Balances" })).toBeVisible();
  await shoot(page, "70-group-balances-en");
  await page.goto(`/groups/${group.id}/bills/${dinner.id}/edit`);
  await expect(page.getByTestId("preview")).toContainText("IDR 150,150");
  await shoot(page, "71-bill-edit-en");
  void PASSWORD;
});
