import { expect, test, type Page } from "@playwright/test";

import { Api, expectNoSeriousA11yViolations, uniqueEmail } from "./helpers";

test.use({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });

async function expectNoHorizontalScroll(page: Page, label: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${label} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

test("a 360 px phone: every main screen fits, and a bill can be added", async ({ page, context }) => {
  const api = Api.for(context);
  await api.register("Ayu", uniqueEmail("ayu"));
  const group = await api.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: "Pantai", currency: "IDR" });
  await api.call("POST", `/api/groups/${group.id}/members`, { name: "Budi" });
  await api.call("POST", `/api/groups/${group.id}/members`, { name: "Citra Kirana Wulandari" });

  await page.goto("/");
  await expect(page.getByText("Pantai")).toBeVisible();
  await expectNoHorizontalScroll(page, "home");
  await page.getByText("Pantai").click();
  await expect(page.getByRole("heading", { name: "Pantai" })).toBeVisible();
  await expectNoHorizontalScroll(page, "group");
  await page.getByRole("link", { name: "+ Tagihan baru" }).click();
  await expect(page.getByRole("heading", { name: "Tagihan baru" })).toBeVisible();
  await expectNoHorizontalScroll(page, "new bill");

  await page.getByLabel("Judul", { exact: true }).fill("Kelapa muda");
  const item = page.getByTestId("item").first();
  await item.getByLabel("Nama item").fill("Kelapa");
  await item.getByLabel("Jml").fill("3");
  await item.getByLabel("Harga satuan").fill("25.000");
  await item.getByText("Budi").tap();
  await item.getByText("Citra Kirana Wulandari").tap();
  await item.getByText("Ayu").tap();
  await expect(page.getByTestId("preview")).toContainText("Rp75.000");
  await expectNoHorizontalScroll(page, "new bill, filled");
  await expectNoSeriousA11yViolations(page, "new bill at 360 px");
  await page.getByRole("button", { name: "Simpan tagihan" }).tap();
  await expect(page.getByRole("heading", { name: "Kelapa muda" })).toBeVisible();
  await expect(page.getByTestId("shares")).toContainText("Rp25.000");
  await expectNoHorizontalScroll(page, "bill detail");

  for (const tab of ["balances", "members", "activity", "settings"]) {
    await page.goto(`/groups/${group.id}?tab=${tab}`);
    await page.waitForLoadState("networkidle");
    await expectNoHorizontalScroll(page, `group ${tab}`);
  }
  await page.goto("/profile");
  await expectNoHorizontalScroll(page, "profile");
  await expectNoSeriousA11yViolations(page, "profile at 360 px");
});
