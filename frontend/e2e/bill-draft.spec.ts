import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations } from "./helpers";

test("a bill being typed survives a reload and a closed tab, can be discarded, and Back after save skips the form", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Draf");
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "Draf trip", currency: "IDR" });
  await api.call("POST", `/api/groups/${group.id}/members`, { name: "Budi" });
  const formUrl = `/groups/${group.id}/bills/new`;

  await page.goto(`/groups/${group.id}`);
  await page.goto(formUrl);
  await page.getByLabel("Judul", { exact: true }).fill("Sate Pak Kumis");
  const item = page.getByTestId("item").first();
  await item.getByLabel("Nama item").fill("Sate ayam");
  await item.getByLabel("Harga satuan").fill("45.000");
  await expect(page.getByText("Draf tersimpan di perangkat ini.")).toBeVisible();

  // Reload: everything typed is back, and it says so.
  await page.reload();
  await expect(page.getByLabel("Judul", { exact: true })).toHaveValue("Sate Pak Kumis");
  await expect(page.getByTestId("item").first().getByLabel("Harga satuan")).toHaveValue("45.000");
  await expect(page.getByText(/Draf dari .* dipulihkan\./)).toBeVisible();
  await page.screenshot({ path: "../docs/screenshots/bill-draft-restored.png", fullPage: true });
  await expectNoSeriousA11yViolations(page, "restored draft");

  // A link away asks first; staying keeps the form.
  page.once("dialog", (d) => {
    expect(d.message()).toContain("Drafnya tetap tersimpan");
    void d.dismiss();
  });
  await page.getByRole("link", { name: "Draf trip" }).click();
  await expect(page).toHaveURL(new RegExp(`${formUrl}$`));

  // A closed tab: a new one in the same browser finds the draft.
  await page.close();
  const tab = await context.newPage();
  await tab.goto(formUrl);
  await expect(tab.getByLabel("Judul", { exact: true })).toHaveValue("Sate Pak Kumis");

  // Discard: an empty form, and nothing comes back on reload.
  await tab.getByRole("button", { name: "Buang draf" }).click();
  await expect(tab.getByLabel("Judul", { exact: true })).toHaveValue("");
  await tab.reload();
  await expect(tab.getByLabel("Judul", { exact: true })).toHaveValue("");

  // Save: Back goes to the group, not to an empty new-bill form; no draft left.
  await tab.getByLabel("Judul", { exact: true }).fill("Es teh");
  const row = tab.getByTestId("item").first();
  await row.getByLabel("Nama item").fill("Es teh");
  await row.getByLabel("Harga satuan").fill("5.000");
  await row.getByText("Draf").click();
  await tab.getByRole("button", { name: "Simpan tagihan" }).click();
  await expect(tab.getByRole("heading", { name: "Es teh" })).toBeVisible();
  expect(await tab.evaluate((gid) => localStorage.getItem(`paytungan:bill-draft:${gid}`), group.id)).toBeNull();
  await tab.goBack();
  await expect(tab).not.toHaveURL(new RegExp(`${formUrl}$`));
});
