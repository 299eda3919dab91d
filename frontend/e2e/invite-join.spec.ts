import { expect, test } from "@playwright/test";

import { PASSWORD, expectNoSeriousA11yViolations, signUpUi, uniqueEmail } from "./helpers";

test("an invite link is joined by a second user in a second browser, claiming a guest", async ({ browser }) => {
  const ayuCtx = await browser.newContext();
  // A phone's share sheet, recorded (desktop Chromium has none).
  await ayuCtx.addInitScript(() => {
    Object.defineProperty(navigator, "share", {
      value: async (data: ShareData) => {
        (window as unknown as { shared: ShareData }).shared = data;
      },
    });
  });
  const ayu = await ayuCtx.newPage();
  await signUpUi(ayu, "Ayu");

  // Ayu creates a group, adds Budi as a guest and makes an invite link.
  await ayu.getByRole("button", { name: "Grup baru" }).click();
  await ayu.getByLabel("Nama grup").fill("Kos Melati");
  await ayu.getByRole("button", { name: "Buat grup" }).click();
  await expect(ayu.getByRole("heading", { name: "Kos Melati" })).toBeVisible();
  await expect(ayu.getByRole("link", { name: "Anggota" })).toHaveAttribute("aria-current", "page");
  await ayu.getByLabel("Nama tamu").fill("Budi");
  await ayu.getByRole("button", { name: "Tambah" }).first().click();
  await expect(ayu.getByTestId("members")).toContainText("Budi");
  await ayu.getByRole("button", { name: "Buat tautan undangan" }).click();
  const inviteUrl = await ayu.getByTestId("invite-url").inputValue();
  expect(inviteUrl).toMatch(/\/join\/[A-Za-z0-9_-]+$/);
  await expect(ayu.getByRole("img", { name: "Kode QR tautan undangan" })).toBeVisible();
  await ayu.getByRole("button", { name: "Bagikan" }).click();
  const shared = await ayu.evaluate(() => (window as unknown as { shared?: ShareData }).shared);
  expect(shared).toEqual({ url: inviteUrl, title: "Kos Melati", text: "Gabung ke grup Kos Melati di Paytungan" });
  await expectNoSeriousA11yViolations(ayu, "members tab with invite");

  // Budi opens the link in another browser: sign up first, then come back and claim the guest.
  const budiCtx = await browser.newContext();
  const budi = await budiCtx.newPage();
  await budi.goto(inviteUrl);
  await expect(budi.getByText("Masuk atau daftar dulu untuk bergabung.")).toBeVisible();
  // Before any account, the page names the group and who invited him.
  await expect(budi.getByTestId("invite-by")).toHaveText("Ayu mengundangmu ke");
  await expect(budi.getByText("Kos Melati")).toBeVisible();
  await expectNoSeriousA11yViolations(budi, "join page (logged out)");
  await budi.screenshot({ path: "../docs/screenshots/join-logged-out-1280.png", fullPage: true, animations: "disabled" });
  await budi.getByRole("link", { name: "Daftar" }).last().click();
  await expect(budi.getByRole("heading", { name: "Buat akun" })).toBeVisible();
  await budi.getByLabel("Nama").fill("Budi Santoso");
  await budi.getByLabel("Email").fill(uniqueEmail("budi"));
  await budi.getByLabel("Kata sandi").fill(PASSWORD);
  await budi.getByRole("button", { name: "Daftar" }).click();

  await expect(budi.getByRole("heading", { name: "Gabung ke grup" })).toBeVisible();
  await expect(budi.getByText("Kos Melati")).toBeVisible();
  await expectNoSeriousA11yViolations(budi, "join page");
  await budi.getByLabel("Budi", { exact: true }).check();
  await budi.getByRole("button", { name: "Gabung" }).click();
  await expect(budi.getByRole("heading", { name: "Kos Melati" })).toBeVisible();

  // Ayu sees Budi as a member with an account now (the guest was claimed: same member).
  await ayu.reload();
  const members = ayu.getByTestId("members");
  await expect(members).toContainText("Budi");
  await expect(members.getByText("tamu")).toHaveCount(0);

  await ayuCtx.close();
  await budiCtx.close();
});

test("an unknown invite code says the link is no longer valid", async ({ page }) => {
  await page.goto("/join/not-a-real-invite-code");
  await expect(page.getByText("Tautan undangan ini tidak berlaku lagi.")).toBeVisible();
});
