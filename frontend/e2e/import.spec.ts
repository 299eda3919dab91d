import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, test } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

const HERE = dirname(fileURLToPath(import.meta.url));
// Ayu +15.000, Budi +30.000, Citra -45.000 (the file's Total balance row).
const EXPORT = join(HERE, "fixtures", "splitwise-export.csv");
const SHOTS = process.env.SCREENSHOT_DIR ?? join(HERE, "..", "..", "docs", "screenshots");

test("import a Splitwise export: upload, preview, map people, confirm, balances as in the file", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Ayu", uniqueEmail("ayu"));
  const group = await api.call<{ id: number }>("POST", "/api/groups", { name: "Liburan", currency: "IDR" });
  const budi = await api.call<{ id: number }>("POST", `/api/groups/${group.id}/members`, { name: "Budi" });

  await page.goto(`/groups/${group.id}/import`);
  await page.getByLabel("Format").selectOption("splitwise");
  await page.locator("#import-file").setInputFiles(EXPORT);
  await page.getByRole("button", { name: "Pratinjau" }).click();

  const people = page.getByTestId("import-people");
  await expect(people.getByRole("row")).toHaveCount(4);
  // Ayu and Budi are matched to the members with their names; Citra becomes a new guest.
  await expect(page.getByLabel("Anggota untuk Budi")).toHaveValue(String(budi.id));
  await expect(page.getByLabel("Anggota untuk Citra")).toHaveValue("new");
  await expect(page.getByTestId("import-rows").getByRole("row")).toHaveCount(4);
  await expect(page.getByTestId("import-rows")).toContainText("Budi membayar Ayu");
  await expectNoSeriousA11yViolations(page, "import preview");
  await page.screenshot({ path: join(SHOTS, "import-preview-1280.png"), fullPage: true, animations: "disabled" });

  await page.getByRole("button", { name: "Impor semuanya" }).click();
  await expect(page.getByText("2 tagihan dan 1 pembayaran ditambahkan.")).toBeVisible();

  const balances = await api.call<{ items: { member_id: number; balance: string }[] }>("GET", `/api/groups/${group.id}/balances`);
  const members = await api.call<{ items: { id: number; name: string }[] }>("GET", `/api/groups/${group.id}/members`);
  const byName = Object.fromEntries(
    balances.items.map((b) => [members.items.find((m) => m.id === b.member_id)?.name, b.balance]),
  );
  expect(byName).toEqual({ Ayu: "15000", Budi: "30000", Citra: "-45000" });

  // The same file again: the preview says so and the import button is off.
  await page.reload();
  await page.locator("#import-file").setInputFiles(EXPORT);
  await page.getByRole("button", { name: "Pratinjau" }).click();
  await expect(page.getByText("Berkas ini sudah pernah diimpor ke grup ini.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Impor semuanya" })).toBeDisabled();
});
