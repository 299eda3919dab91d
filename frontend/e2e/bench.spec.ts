import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

import { expect, test } from "@playwright/test";

import { SENTRY_LOAD_MARK } from "../src/lib/sentry-loader";

import { Api, uniqueEmail } from "./helpers";

// Frontend benchmarks (docs/benchmarks.md, "Frontend"): run with `make frontend-bench`.
//  - first-load JavaScript of the group page: every JS file the browser downloads to show it,
//    gzipped (what travels on the wire with compression on); the Sentry SDK, which the page
//    loads afterwards once idle (src/lib/sentry-loader.ts; make e2e runs with a DSN), apart;
//  - the group page with 1,000 bills: navigation start -> first bills on screen and the page
//    answering a click.
test.skip(!process.env.E2E_BENCH, "benchmarks run with E2E_BENCH=1 (make frontend-bench)");

const BILLS = Number(process.env.E2E_BENCH_BILLS ?? 1000);
const RUNS = 5;

test("group page: first-load JS and time to interactive with 1,000 bills", async ({ browser }) => {
  test.setTimeout(15 * 60_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const api = Api.for(ctx);
  await api.register("Bench", uniqueEmail("bench"));
  const group = await api.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Seribu tagihan", currency: "IDR" });
  const others = [];
  for (const name of ["Budi", "Citra", "Dewi", "Eko"]) others.push(await api.call<{ id: number }>("POST", `/api/groups/${group.id}/members`, { name }));
  const ids = [group.my_member_id, ...others.map((m) => m.id)];

  const started = Date.now();
  const categories = ["food", "transport", "lodging", "groceries", "entertainment", "utilities", "shopping", "other"];
  let next = 0;
  async function worker() {
    while (next < BILLS) {
      const i = next++;
      const payer = ids[i % ids.length]!;
      const total = String(10_000 + ((i * 7919) % 490_000));
      await api.call("POST", `/api/groups/${group.id}/bills`, {
        title: `Tagihan ${i + 1}`,
        date: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), // newest = last
        category: categories[i % categories.length],
        total,
        payers: [{ member_id: payer, amount: total }],
        split: { mode: "equal", members: ids.map((member_id) => ({ member_id })) },
      });
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
  console.log(`seeded ${BILLS} bills in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const url = `/groups/${group.id}`;
  const page = await ctx.newPage();
  await page.goto("/"); // warm the server (first compile of the route's server code)
  await page.goto(url);
  await expect(page.getByText(`Tagihan ${BILLS}`, { exact: true })).toBeVisible();

  // 1. First-load JS: a fresh context (empty cache), record every script response.
  const cold = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await ctx.storageState() });
  const coldPage = await cold.newPage();
  const scripts = new Map<string, number>();
  coldPage.on("response", async (res) => {
    if (res.request().resourceType() !== "script") return;
    try {
      scripts.set(res.url(), gzipSync(await res.body()).length);
    } catch {
      /* redirects have no body */
    }
  });
  await coldPage.goto(url);
  await expect(coldPage.getByText(`Tagihan ${BILLS}`, { exact: true })).toBeVisible();
  await coldPage.waitForLoadState("networkidle");
  // Scripts requested once the page was idle (the Sentry SDK's chunk, 1.5 s after the load) are
  // not first-load; wait for them to be counted apart.
  await coldPage.waitForFunction(() => ["ready", "off", "failed"].includes(window.__paytunganSentry?.state ?? "off"), null, { timeout: 20_000 });
  await coldPage.waitForTimeout(500);
  const lazy = new Set(
    await coldPage.evaluate((mark) => {
      const start = performance.getEntriesByName(mark)[0]?.startTime;
      if (start === undefined) return [];
      return (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((e) => e.startTime >= start && /\.js(\?|$)/.test(e.name))
        .map((e) => e.name);
    }, SENTRY_LOAD_MARK),
  );
  const sum = (urls: string[]) => urls.reduce((a, u) => a + scripts.get(u)!, 0) / 1024;
  const firstLoadKb = sum([...scripts.keys()].filter((u) => !lazy.has(u)));
  const sentryLazyKb = sum([...scripts.keys()].filter((u) => lazy.has(u)));
  const files = [...scripts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([u, n]) => `${(n / 1024).toFixed(1)} KB ${new URL(u).pathname}${lazy.has(u) ? " (after idle)" : ""}`);
  await cold.close();

  // 2. Time to interactive with 1,000 bills (warm cache, as a returning visitor; median of RUNS).
  const runs: { firstBills: number; interactive: number }[] = [];
  for (let r = 0; r < RUNS; r++) {
    await page.goto("about:blank");
    await page.goto(url);
    await expect(page.getByText(`Tagihan ${BILLS}`, { exact: true })).toBeVisible();
    const firstBills = await page.evaluate(() => performance.now());
    // Interactive: a click on "Filter" opens the filters (the app's handlers are attached).
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByLabel("Kategori")).toBeVisible();
    const interactive = await page.evaluate(() => performance.now());
    runs.push({ firstBills, interactive });
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const firstBillsMs = median(runs.map((r) => r.firstBills));
  const interactiveMs = median(runs.map((r) => r.interactive));

  // 3. Scrolling through all 1,000 (infinite scroll, 50 per page).
  const t0 = Date.now();
  for (let guard = 0; guard < 60; guard++) {
    if (await page.getByText("Tagihan 1", { exact: true }).isVisible()) break;
    await page.mouse.wheel(0, 20000);
    await page.waitForTimeout(50);
  }
  await expect(page.getByText("Tagihan 1", { exact: true })).toBeVisible({ timeout: 60_000 });
  const scrollAllMs = Date.now() - t0;

  const result = {
    bills: BILLS,
    firstLoadJsGzipKb: Number(firstLoadKb.toFixed(1)),
    sentryAfterIdleJsGzipKb: Number(sentryLazyKb.toFixed(1)),
    scriptFiles: files,
    groupPageFirstBillsMs: Math.round(firstBillsMs),
    groupPageInteractiveMs: Math.round(interactiveMs),
    runs,
    scrollToLastOf1000Ms: scrollAllMs,
  };
  console.log(JSON.stringify(result, null, 2));
  if (process.env.E2E_BENCH_OUT) writeFileSync(process.env.E2E_BENCH_OUT, JSON.stringify(result, null, 2));
  expect(firstLoadKb).toBeLessThan(200);
  expect(interactiveMs).toBeLessThan(1500);
  await ctx.close();
});
