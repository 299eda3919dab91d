import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, test, type Page } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations } from "./helpers";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHOTS = process.env.SCREENSHOT_DIR ?? join(ROOT, "docs", "screenshots");

async function shoot(page: Page, name: string, width: number) {
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true, animations: "disabled" });
}

type Prefs = { pending_payments: boolean; balance_reminders: boolean; balance_days: number; weekly_digest: boolean };

test("notification preferences: toggle, save, reload; a bad N is refused on its field", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Sari");
  await page.goto("/profile");
  const card = page.getByRole("region", { name: "Notifikasi email" });
  await expect(card.getByLabel("Ingatkan aku sekali tentang pembayaran kepadaku yang belum kukonfirmasi setelah sehari")).toBeChecked();
  await expect(card.getByLabel("Setelah berapa hari, dan jaraknya (1-90)")).toBeDisabled();

  await card.getByLabel("Ingatkan aku kalau aku masih berutang di grup").check();
  await card.getByLabel("Setelah berapa hari, dan jaraknya (1-90)").fill("0");
  await card.getByRole("button", { name: "Simpan" }).click();
  await expect(card.getByRole("alert").first()).toBeVisible();
  expect((await api.call<Prefs>("GET", "/api/me/notifications")).balance_reminders).toBe(false);

  await card.getByLabel("Setelah berapa hari, dan jaraknya (1-90)").fill("3");
  await card.getByLabel("Ringkasan mingguan: tagihan baru, pembayaran dan saldo di grupku").check();
  await card.getByLabel("Ingatkan aku sekali tentang pembayaran kepadaku yang belum kukonfirmasi setelah sehari").uncheck();
  await card.getByRole("button", { name: "Simpan" }).click();
  await expect(page.getByText("Pengaturan notifikasi tersimpan.")).toBeVisible();
  expect(await api.call<Prefs>("GET", "/api/me/notifications")).toEqual({
    pending_payments: false,
    balance_reminders: true,
    balance_days: 3,
    weekly_digest: true,
  });

  await page.reload();
  await expect(card.getByLabel("Ringkasan mingguan: tagihan baru, pembayaran dan saldo di grupku")).toBeChecked();
  await expect(card.getByLabel("Setelah berapa hari, dan jaraknya (1-90)")).toHaveValue("3");
  await expectNoSeriousA11yViolations(page, "profile notifications");
  await card.scrollIntoViewIfNeeded();
  await shoot(page, "profile-notifications", 1280);
});

test("a reminder email's unsubscribe link: the page changes nothing until the button is pressed", async ({ browser }) => {
  test.skip(!process.env.DATABASE_URL, "needs the e2e database to run the send_reminders job");
  const ayuCtx = await browser.newContext();
  const budiCtx = await browser.newContext();
  const ayu = Api.for(ayuCtx);
  const budi = Api.for(budiCtx);
  await ayu.register("Ayu");
  const budiMe = await budi.register("Budi");
  const group = await ayu.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Kos", currency: "IDR" });
  const member = await ayu.call<{ id: number }>("POST", `/api/groups/${group.id}/members`, { email: budiMe.email });
  // Ayu records paying Budi: pending until Budi, the receiver, confirms it.
  await ayu.call("POST", `/api/groups/${group.id}/payments`, {
    from_member_id: group.my_member_id,
    to_member_id: member.id,
    amount: "125000",
    currency: "IDR",
  });

  // The job, a day and an hour later (console email backend: the email is on its stdout).
  const later = new Date(Date.now() + 25 * 3600 * 1000).toISOString();
  const out = execFileSync(join(ROOT, ".venv", "bin", "python"), ["backend/manage.py", "send_reminders", "--now", later], {
    cwd: ROOT,
    env: process.env,
    encoding: "utf8",
  })
    .replace(/=\r?\n/g, "")
    .replace(/=3D/g, "=");
  // The page link (body), not the List-Unsubscribe header's one-click API URL.
  const links = [...out.matchAll(/https?:\/\/[^\s"<>/]+\/unsubscribe\?token=[^\s"<>]+/g)].map((m) => new URL(m[0]));
  const mine = links.find((url) => {
    const payload = (url.searchParams.get("token") ?? "").split(":")[0] ?? "";
    return (JSON.parse(Buffer.from(payload, "base64url").toString()) as { u: number }).u === budiMe.id;
  });
  expect(mine, "Budi's reminder with its unsubscribe link").toBeTruthy();
  expect(out).toContain("Rp125.000");
  expect(out).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

  // Opened without logging in: it shows what it would do, and does nothing yet.
  const anon = await browser.newContext();
  const page = await anon.newPage();
  await page.goto(mine!.pathname + mine!.search);
  await expect(page.getByRole("heading", { name: "Berhenti berlangganan" })).toBeVisible();
  await expect(page.getByText(/Berhenti mengirim pengingat pembayaran yang menunggu konfirmasi ke .\*\*\*@/)).toBeVisible();
  expect((await budi.call<Prefs>("GET", "/api/me/notifications")).pending_payments).toBe(true);
  await expectNoSeriousA11yViolations(page, "unsubscribe");
  await shoot(page, "unsubscribe", 360);

  await page.getByRole("button", { name: "Ya, berhenti" }).click();
  await expect(page.getByText(/Selesai: kami tidak akan mengirim pengingat pembayaran/)).toBeVisible();
  expect((await budi.call<Prefs>("GET", "/api/me/notifications")).pending_payments).toBe(false);

  await page.reload();
  await expect(page.getByText(/sudah tidak menerima pengingat pembayaran/)).toBeVisible();
  await page.goto("/unsubscribe?token=forged");
  await expect(page.getByText("Tautan ini tidak berlaku lagi. Atur notifikasi di profilmu.")).toBeVisible();
  await Promise.all([ayuCtx.close(), budiCtx.close(), anon.close()]);
});
