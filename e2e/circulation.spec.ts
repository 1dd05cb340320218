import { expect, test } from "@playwright/test";
import { createDatabase } from "../db/connection.server";
import { addDocument, samplePdf } from "../test/support/documents";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

/**
 * A document of the demo meeting written straight to the app's database and document store (the
 * same DATA_DIR as the server's), and one of its confirmed participants to send it to.
 */
async function documentAndParticipant(title: string) {
  const db = createDatabase(process.env.E2E_DATABASE_URL ?? "", 1);
  try {
    const meeting = await db.selectFrom("meetings").select(["id", "title"]).where("slug", "=", EGM).executeTakeFirstOrThrow();
    await addDocument(db, meeting.id, { title, symbol: `ESCAP/E2E/${Date.now()}`, files: [{ language: "en", content: await samplePdf(title) }] });
    const person = await db
      .selectFrom("registrations")
      .select(["first_name", "last_name", "email"])
      .where("meeting_id", "=", meeting.id)
      .where("status", "=", "confirmed")
      .orderBy("id")
      .executeTakeFirstOrThrow();
    return { meetingTitle: meeting.title, person };
  } finally {
    await db.destroy();
  }
}

test.describe("circulating documents", () => {
  failOnScriptErrors();

  test("an organiser circulates a document to one confirmed participant, who reads the email and stops the next ones", async ({ page }) => {
    const title = `E2E information note ${Date.now()}`;
    const { meetingTitle, person } = await documentAndParticipant(title);
    await signIn(page, ORGANISER);

    await test.step("the organiser chooses the document and the person, previews, and sends", async () => {
      await page.goto(`/admin/meetings/${EGM}/circulations`);
      await expect(page.getByRole("heading", { level: 1, name: "Circulate documents" })).toBeVisible();
      await page.getByRole("checkbox", { name: title }).check();
      await page.getByRole("radio", { name: "Specific people" }).check();
      await page.getByLabel("Find a person").fill(person.email);
      await expect(page.locator(".people-list li:not([hidden])")).toHaveCount(1);
      await page.getByRole("checkbox", { name: person.email }).check();
      await page.getByLabel("Message (optional)").fill("Please read this **before** the meeting.");
      await page.getByRole("button", { name: "Preview recipients" }).click();
      await expect(page.getByRole("heading", { name: "Preview" })).toBeVisible();
      await expect(page.locator(".circulation-preview")).toContainText("1 person (1 person chosen), one email each");
      await page.getByRole("button", { name: "Send to 1 person" }).click();
      await expect(page.getByRole("status")).toHaveText("The documents are on their way to 1 person.");
      await expect(page.getByRole("table").first()).toContainText(title);
    });

    await test.step("the email lists the document with its link and one-click unsubscribe headers", async () => {
      await page.goto("/dev/mailbox");
      const subject = `Documents for ${meetingTitle}`;
      const row = page
        .getByRole("row")
        .filter({ has: page.getByRole("cell", { name: person.email, exact: true }) })
        .filter({ has: page.getByRole("link", { name: subject }) })
        .first();
      await row.getByRole("link", { name: subject }).click();
      await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
      const frame = page.locator(".mail-frame");
      await expect(frame).toContainText(title);
      await expect(frame.locator("strong", { hasText: "before" })).toBeVisible();
      await expect(frame.getByRole("link", { name: "English" })).toHaveAttribute("href", new RegExp(`/meetings/${EGM}/documents/\\d+\\?lang=en$`));
      await expect(page.getByRole("main")).toContainText("List-Unsubscribe=One-Click");
      await frame.getByRole("link", { name: "Stop receiving documents for this meeting" }).click();
    });

    await test.step("the participant stops the meeting's documents, then takes them back", async () => {
      await expect(page.getByRole("heading", { level: 1, name: "Stop receiving documents?" })).toBeVisible();
      await page.getByRole("button", { name: "Stop receiving documents" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "You will receive no more documents" })).toBeVisible();
      await page.getByRole("button", { name: "Receive them again" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "You will receive documents again" })).toBeVisible();
    });
  });
});
