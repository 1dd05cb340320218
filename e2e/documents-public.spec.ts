import { readFile } from "node:fs/promises";
import { type Download, type Locator, type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors, fillRegistration, signIn } from "./support";

/**
 * A participant browses the demo expert group meeting's papers (db/demo-documents.ts): the
 * provisional agenda in English and French and the working paper are public, the information note
 * is for registrants only.
 */
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const DOCUMENTS = `/meetings/${EGM}/documents`;

function documentEntry(page: Page, title: string): Locator {
  return page.getByRole("article", { name: title, exact: true });
}

/** Clicks what starts a download and reads the file's first bytes. */
async function downloadOf(page: Page, click: () => Promise<void>): Promise<{ download: Download; head: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = await download.path();
  const bytes = await readFile(path);
  return { download, head: bytes.subarray(0, 4).toString("latin1") };
}

test.describe("a meeting's documents", () => {
  failOnScriptErrors();

  test("a visitor reads the public papers, registers, signs in and gets the registrants' note and the zip", async ({ page }) => {
    await page.goto(DOCUMENTS);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Documents");
    await expect(page.getByRole("heading", { level: 2, name: "Provisional agenda" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "Information notes for participants" })).toBeVisible();

    const agenda = documentEntry(page, "Provisional agenda");
    await expect(agenda).toContainText(/ESCAP\/APIS\/EGM\/\d{4}\/1\b/);
    await expect(agenda).toContainText("Distribution: General");
    await expect(agenda).toContainText("Bangkok time");
    await expect(agenda.getByRole("link", { name: "English" })).toBeVisible();
    const french = await downloadOf(page, () => agenda.getByRole("link", { name: "French" }).click());
    expect(french.download.suggestedFilename()).toMatch(/\.pdf$/);
    expect(french.head).toBe("%PDF");

    // The registrants' note is listed, locked, with a way to sign in.
    const note = documentEntry(page, "Information note for participants");
    await expect(note).toContainText("Available to registered participants");
    await expect(note.getByRole("link", { name: "English" })).toHaveCount(0);
    await expect(note.getByRole("link", { name: "Sign in" })).toBeVisible();

    // Registering (moderated: pending) gives access to papers for registered participants.
    const email = `e2e-documents-${Date.now()}@example.org`;
    await page.goto(`/meetings/${EGM}/register`);
    await fillRegistration(page, email, { attendance: "Online" });
    await page.getByRole("main").getByRole("button", { name: "Register", exact: true }).click();
    await expect(page.getByRole("status")).toContainText("Thank you for registering.");
    await signIn(page, email);

    await page.goto(DOCUMENTS);
    const unlocked = documentEntry(page, "Information note for participants");
    await expect(unlocked).not.toContainText("Available to registered participants");
    const info = await downloadOf(page, () => unlocked.getByRole("link", { name: "English" }).click());
    expect(info.head).toBe("%PDF");

    // Download all, in French: a zip.
    await page.getByLabel("Language").selectOption({ label: "French" });
    const zip = await downloadOf(page, () => page.getByRole("button", { name: "Download all (zip)" }).click());
    expect(zip.download.suggestedFilename()).toBe(`${EGM}-documents-fr.zip`);
    expect(zip.head).toBe("PK\u0003\u0004");
  });
});
