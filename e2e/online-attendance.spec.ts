import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const MEETING = "/admin/meetings/webinar-cybersecurity-for-public-sector-organisations";

/** The sample Zoom report with one more guest, named for the test run so every run imports new content. */
function zoomReport(guest: string): Buffer {
  const sample = readFileSync("test/fixtures/attendance/zoom-plain.csv", "utf8");
  return Buffer.from(`${sample}${guest},,06/01/2026 09:30:00 AM,06/01/2026 10:15:00 AM,45,Yes\r\n`, "utf8");
}

test.describe("an organiser's online attendance", () => {
  failOnScriptErrors();

  test("imports a webinar report, is told what was wrong with a bad one, links a guest to a registration, and deletes the import after a question", async ({ page }, testInfo) => {
    const guest = `Guest ${testInfo.project.name} ${Date.now()}`;
    const file = `zoom-${testInfo.project.name.replace(/\W+/g, "-")}-${Date.now()}.csv`;
    await signIn(page, ORGANISER);
    await page.goto(MEETING);
    await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Online attendance", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Online attendance" })).toBeVisible();

    const form = page.getByRole("region", { name: "Import a webinar report" });
    await form.getByLabel("Platform").selectOption({ label: "Zoom" });
    await form.getByLabel("Report file (CSV)").setInputFiles({
      name: "broken.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\nAna,ana@example.org,31/31/2026 9:00,31/31/2026 10:00,60,No\n"),
    });
    await form.getByRole("button", { name: "Import" }).click();
    await expect(page.locator("#report-error")).toHaveText("Line 2: the join time “31/31/2026 9:00” is not a date and time.");
    await expect(form.getByLabel("Platform")).toHaveValue("zoom");

    await form.getByLabel("Report file (CSV)").setInputFiles({ name: file, mimeType: "text/csv", buffer: zoomReport(guest) });
    await form.getByRole("button", { name: "Import" }).click();
    await expect(form.getByRole("status")).toContainText(/Read 7 rows from a Zoom report: \d+ people, \d+ new sessions; \d+ not matched\./);
    await expect(page.getByRole("table").filter({ hasText: file })).toBeVisible();

    const unmatched = page.getByRole("region", { name: /Not matched/ }).getByRole("listitem").filter({ hasText: guest });
    await expect(unmatched).toContainText("45 min online");
    const choice = unmatched.getByLabel(`Link “${guest}” to the confirmed registration of`);
    const registration = await choice.locator("option").nth(1).textContent();
    await choice.selectOption({ index: 1 });
    await unmatched.getByRole("button", { name: `Link “${guest}”` }).click();
    await expect(page.getByRole("status")).toContainText("Linked");
    await expect(page.getByRole("listitem").filter({ hasText: guest })).toHaveCount(0);
    const name = registration!.replace(/ \(.*$/, "");
    await expect(page.getByRole("region", { name: /People online/ }).getByRole("link", { name })).toBeVisible();

    // Deleting asks first; "Keep it" keeps it.
    const imports = page.getByRole("region", { name: "Imported reports" });
    await imports.getByRole("link", { name: `Delete the import of ${file}` }).click();
    const question = page.getByRole("form", { name: new RegExp(`Delete the import of “${file.replace(/[.]/g, "\\.")}”`) });
    await expect(question).toBeVisible();
    await question.getByRole("link", { name: "Keep it" }).click();
    await expect(question).toHaveCount(0);
    await expect(imports.getByRole("cell", { name: file, exact: true })).toBeVisible();
    await imports.getByRole("link", { name: `Delete the import of ${file}` }).click();
    await page.getByRole("button", { name: "Delete import" }).click();
    await expect(page.getByRole("status")).toContainText("Import deleted");
    await expect(imports.getByRole("cell", { name: file, exact: true })).toHaveCount(0);
  });

  test.describe("on a phone-sized screen", () => {
    test.use({ viewport: { width: 412, height: 915 } });

    test("the page fits the screen: wide tables scroll within themselves", async ({ page }) => {
      await signIn(page, ORGANISER);
      await page.goto(`${MEETING}/attendance/online`);
      // With a report imported (now or by an earlier run: the same file then changes nothing), the tables are there.
      await page.getByLabel("Report file (CSV)").setInputFiles("test/fixtures/attendance/zoom-with-summary.csv");
      await page.getByRole("button", { name: "Import", exact: true }).click();
      await expect(page.getByRole("status")).toContainText(/Read 6 rows|already imported/);
      await expect(page.getByRole("region", { name: "Imported reports" })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(412);
    });
  });
});
