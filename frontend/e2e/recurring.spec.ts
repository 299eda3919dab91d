import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const SHOTS = process.env.SCREENSHOT_DIR ?? join(HERE, "..", "..", "docs", "screenshots");
const PYTHON = join(ROOT, ".venv", "bin", "python");

/**
 * The daily job, run as production runs it (`manage.py create_recurring_bills`, a Cloud Run job)
 * against the API's database: make e2e exports DATABASE_URL and the API's settings to this process.
 */
function runRecurringJob(today: string): string {
  return execFileSync(PYTHON, [join(ROOT, "backend", "manage.py"), "create_recurring_bills", "--today", today], {
    env: process.env,
    encoding: "utf8",
  });
}

test.skip(!process.env.DATABASE_URL || !existsSync(PYTHON), "needs make e2e (DATABASE_URL and the backend's .venv)");

test("a monthly recurring bill: set it up, the job makes the bill on its day, stop and resume", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Ayu", uniqueEmail("ayu"));
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "Kos Melati", currency: "IDR" });
  await api.call("POST", `/api/groups/${group.id}/members`, { name: "Budi" });

  await page.goto(`/groups/${group.id}?tab=recurring`);
  await expect(page.getByText("Belum ada tagihan berulang.")).toBeVisible();
  await page.getByRole("link", { name: "+ Tagihan berulang baru" }).click();
  await expect(page.getByRole("heading", { name: "Tagihan berulang baru" })).toBeVisible();
  await page.getByLabel("Judul", { exact: true }).fill("Sewa kos");
  await page.getByLabel("Tanggal tagihan pertama").fill("2026-01-31");
  await expect(page.getByLabel("Ulangi")).toHaveValue("monthly");
  await expect(page.getByLabel("Mata uang tagihan")).toHaveCount(0); // always the group's
  await page.getByLabel("Total tagihan").fill("2.400.000");
  await page.screenshot({ path: join(SHOTS, "33-recurring-new-1280.png"), fullPage: true, animations: "disabled" });
  await page.getByRole("button", { name: "Simpan tagihan berulang" }).click();

  const list = page.getByTestId("recurring-list");
  await expect(list.getByTestId("recurring-item")).toHaveCount(1);
  await expect(list).toContainText("Sewa kos");
  await expect(list).toContainText("Setiap bulan");
  await expect(list.getByTestId("recurring-next")).toContainText("31 Jan 2026");
  await expect(list).toContainText("2.400.000");

  // The daily job on 28 February: the January and February bills (the 31st falls on the 28th).
  const out = runRecurringJob("2026-02-28");
  expect(out).toContain("2 created, 0 failed");
  expect(runRecurringJob("2026-02-28")).toContain("0 created, 0 failed"); // idempotent

  await page.reload();
  await expect(list.getByTestId("recurring-next")).toContainText("31 Mar 2026");
  await expectNoSeriousA11yViolations(page, "recurring tab");
  await page.screenshot({ path: join(SHOTS, "25-group-recurring-1280.png"), fullPage: true, animations: "disabled" });
  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(SHOTS, "25-group-recurring-360.png"), fullPage: true, animations: "disabled" });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole("link", { name: "Tagihan", exact: true }).click();
  const bills = await api.call<{ items: { title: string; date: string; total: string }[] }>("GET", `/api/groups/${group.id}/bills`);
  expect(bills.items.map((b) => [b.title, b.date, b.total])).toEqual([
    ["Sewa kos", "2026-02-28", "2400000"],
    ["Sewa kos", "2026-01-31", "2400000"],
  ]);
  await expect(page.getByText("Sewa kos").first()).toBeVisible();

  // Stop, then resume; edit the amount.
  await page.goto(`/groups/${group.id}?tab=recurring`);
  await list.getByRole("button", { name: "Hentikan" }).click();
  await expect(list).toContainText("Dihentikan");
  expect(runRecurringJob("2026-03-31")).toContain("0 created");
  await list.getByRole("button", { name: "Lanjutkan" }).click();
  await expect(list.getByTestId("recurring-next")).toBeVisible();
  await list.getByRole("link", { name: "Ubah" }).click();
  await expect(page.getByRole("heading", { name: "Ubah tagihan berulang" })).toBeVisible();
  await expect(page.getByLabel("Total tagihan")).toHaveValue("2.400.000");
  await page.getByLabel("Total tagihan").fill("2.500.000");
  await page.getByRole("button", { name: "Simpan tagihan berulang" }).click();
  await expect(list).toContainText("2.500.000");
});

test("spending: month bars stacked by category and a per-member list, filtered by member", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Ayu", uniqueEmail("ayu"));
  const group = await api.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Liburan", currency: "IDR" });
  const budi = await api.call<{ id: number }>("POST", `/api/groups/${group.id}/members`, { name: "Budi" });
  const me = group.my_member_id;
  const today = new Date();
  const month = (back: number, day: number) => {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, day));
    return d.toISOString().slice(0, 10);
  };
  const bill = (title: string, date: string, category: string, total: string, payer: number) =>
    api.call("POST", `/api/groups/${group.id}/bills`, {
      title,
      date,
      category,
      payers: [{ member_id: payer, amount: total }],
      split: { mode: "equal", members: [{ member_id: me }, { member_id: budi.id }] },
      total,
    });
  await bill("Sate", month(2, 5), "food", "300000", me);
  await bill("Hotel", month(1, 10), "lodging", "1200000", budi.id);
  await bill("Taksi", month(1, 12), "transport", "150000", me);
  await bill("Kopi", month(0, 1), "food", "80000", budi.id);

  await page.goto(`/groups/${group.id}?tab=spending`);
  const chart = page.getByTestId("spending-chart");
  await expect(chart).toBeVisible();
  await expect(chart.getByTestId("spending-bar")).toHaveCount(6); // the last six months, this one included
  await expect(chart.locator("rect")).toHaveCount(4); // Sate; Hotel + Taksi stacked; Kopi
  const members = page.getByTestId("spending-members");
  await expect(members.getByRole("listitem")).toHaveCount(2);
  await expect(members).toContainText("865.000"); // each one's share, whoever paid
  await expectNoSeriousA11yViolations(page, "spending tab");
  await page.screenshot({ path: join(SHOTS, "26-group-spending-1280.png"), fullPage: true, animations: "disabled" });

  await page.getByLabel("Anggota", { exact: true }).selectOption(String(budi.id));
  await expect(page.getByRole("heading", { name: /Per bulan/ })).toContainText("865.000");

  await page.setViewportSize({ width: 360, height: 800 });
  await page.screenshot({ path: join(SHOTS, "26-group-spending-360.png"), fullPage: true, animations: "disabled" });
});
