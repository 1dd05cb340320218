import { type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

/** Runs in the phone project (its name ends in phone.spec.ts): the audit log as a meeting's manager reads it on a phone. */

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

test.describe("the audit log on a phone", () => {
  failOnScriptErrors();

  test("shows a new meeting's creation and publication, filtered by action, within the screen", async ({ page }) => {
    await signIn(page, "organiser@example.org");
    // The new meeting form's submit button is covered by its last fieldset at phone width (not this test's subject): made on a wider screen.
    const phone = page.viewportSize()!;
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/admin/meetings/new");
    const stamp = Date.now();
    const title = `E2E Audit <b>Forum</b> ${stamp}`;
    const day = new Date(Date.now() + 50 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Summary").fill("A forum created by the audit log's end-to-end test.");
    await page.getByLabel("Kind").selectOption({ label: "Webinar" });
    await page.getByLabel("Organising body").fill("ESCAP");
    await page.getByLabel("Time zone").fill("Pacific/Fiji");
    await page.getByLabel("First day").fill(day);
    await page.getByLabel("Last day").fill(day);
    await page.getByLabel("Format").selectOption({ label: "Online" });
    await page.getByLabel("Online joining link").fill(`https://meet.example.org/j/audit-${stamp}`);
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page).toHaveURL(/\?saved=created$/);
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("status")).toHaveText("Published: the meeting is now public.");
    await page.setViewportSize(phone);

    await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows).toHaveCount(3); // the header and two actions, newest first
    await expect(rows.nth(1)).toContainText("Meeting status changed");
    await expect(rows.nth(1)).toContainText("draft → became published");
    await expect(rows.nth(1)).toContainText("Fiji time");
    await expect(rows.nth(2)).toContainText(`Created “${title}”`);
    await expectNoSidewaysScroll(page);

    await page.getByLabel("Action").selectOption({ label: "Meeting created" });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/\?action=meeting\.created$/);
    await expect(rows).toHaveCount(2);
    await expect(page.getByRole("status")).toHaveText("1 action of this kind recorded.");
    await expectNoSidewaysScroll(page);
  });
});
