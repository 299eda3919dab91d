import { expect, test, type Page } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations } from "./helpers";

/** An itemized bill typed into the new-bill form (the item shared by the one member, me). */
async function typeBill(page: Page, gid: number, title: string, me: string): Promise<void> {
  await page.goto(`/groups/${gid}/bills/new`);
  await page.getByLabel("Judul", { exact: true }).fill(title);
  const item = page.getByTestId("item").first();
  await item.getByLabel("Nama item").fill("Rendang");
  await item.getByLabel("Harga satuan").fill("30.000");
  await item.getByText(me).click();
  await expect(page.getByText("Draf tersimpan di perangkat ini.")).toBeVisible();
}

async function billTitles(api: Api, gid: number): Promise<string[]> {
  const page = await api.call<{ items: { title: string }[] }>("GET", `/api/groups/${gid}/bills?limit=100`);
  return page.items.map((b) => b.title);
}

test("saving offline says so, keeps the draft, and saves the bill once when back online", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Luring");
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "Luring trip", currency: "IDR" });
  await typeBill(page, group.id, "Nasi padang", "Luring");

  await context.setOffline(true);
  await page.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(page.getByTestId("save-waiting")).toHaveText(/Kamu sedang offline\. Tagihan belum tersimpan/);
  await expect(page.getByRole("button", { name: "Menunggu koneksi…" })).toBeDisabled();
  // What is waiting is what is on screen: the form is read-only, the draft still on the device.
  await expect(page.getByLabel("Judul", { exact: true })).toBeDisabled();
  expect(await page.evaluate((gid) => localStorage.getItem(`paytungan:bill-draft:${gid}`), group.id)).toContain("Nasi padang");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "../docs/screenshots/bill-save-offline-1280.png", animations: "disabled" });
  await expectNoSeriousA11yViolations(page, "saving offline");
  // Still offline a while later: nothing was sent, nothing was given up.
  await page.waitForTimeout(1500);
  await expect(page.getByTestId("save-waiting")).toBeVisible();

  await context.setOffline(false);
  await expect(page.getByRole("heading", { name: "Nasi padang" })).toBeVisible();
  await expect(page.getByText("Online lagi: tagihan disimpan.")).toBeVisible();
  expect(await billTitles(api, group.id)).toEqual(["Nasi padang"]);
  expect(await page.evaluate((gid) => localStorage.getItem(`paytungan:bill-draft:${gid}`), group.id)).toBeNull();
});

test("a save whose answer was lost is retried with the same Idempotency-Key: one bill, not two", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Hilang");
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "Hilang trip", currency: "IDR" });
  await typeBill(page, group.id, "Soto betawi", "Hilang");

  const keys: string[] = [];
  let releaseRetry!: () => void;
  const retryMayGo = new Promise<void>((resolve) => (releaseRetry = resolve));
  await page.route(`**/api/groups/${group.id}/bills`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    keys.push((await route.request().headerValue("Idempotency-Key")) ?? "");
    if (keys.length === 1) {
      const response = await route.fetch(); // it reached the server: the bill exists...
      expect(response.status()).toBe(201);
      await route.abort("connectionreset"); // ...but the answer never arrives
      return;
    }
    await retryMayGo;
    await route.continue();
  });

  await page.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(page.getByTestId("save-waiting")).toHaveText(/Server belum terjangkau/);
  expect(await billTitles(api, group.id)).toEqual(["Soto betawi"]); // created by the first attempt
  releaseRetry();

  await expect(page.getByRole("heading", { name: "Soto betawi" })).toBeVisible();
  expect(keys).toHaveLength(2);
  expect(keys[0]).not.toBe("");
  expect(keys[1]).toBe(keys[0]);
  expect(await billTitles(api, group.id)).toEqual(["Soto betawi"]);
});
