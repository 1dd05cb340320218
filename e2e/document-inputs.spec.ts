import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { DateTime } from "luxon";
import pg from "pg";
import { failOnScriptErrors, signIn } from "./support";

/**
 * Inputs on a draft, in the browser: the organiser opens a document of the expert group meeting for
 * comments to one chosen expert, the expert sends an input and changes it, the organiser marks it addressed.
 */

const ORGANISER = "organiser@example.org";
const SLUG = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const tag = randomBytes(3).toString("hex");
const EXPERT = `e2e.expert.${tag}@example.org`;
let documentId = 0;

/** A draft (metadata only: the inputs pages do not read its file) and the expert's registration, written straight to the e2e database. */
test.beforeAll(async () => {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const meeting = await client.query<{ id: number }>("select id from meetings where slug = $1", [SLUG]);
    const meetingId = meeting.rows[0]!.id;
    const document = await client.query<{ id: number }>(
      "insert into documents (meeting_id, type, title, symbol) values ($1, 'working_paper', $2, $3) returning id",
      [meetingId, `Draft Regional Framework for e-Resilience ${tag}`, `ESCAP/EGM/E2E/${tag}`],
    );
    documentId = document.rows[0]!.id;
    await client.query(
      `insert into registrations (meeting_id, email, first_name, last_name, organisation, country, gender, category, attendance_mode, status, manage_token_hash, consent_at)
       values ($1, $2, 'Mai', $3, 'Viet Nam Disaster Management Authority', 'VN', 'female', 'expert', 'online', 'confirmed', $4, now())`,
      [meetingId, EXPERT, `Trần ${tag}`, randomBytes(32)],
    );
  } finally {
    await client.end();
  }
});

test.describe.serial("inputs on a draft", () => {
  failOnScriptErrors();

  test("the organiser opens the draft for comments to a chosen expert", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(`/admin/meetings/${SLUG}/documents/${documentId}/inputs`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`ESCAP/EGM/E2E/${tag}`);
    const deadline = DateTime.now().setZone("Asia/Bangkok").plus({ days: 10 }).toFormat("yyyy-MM-dd'T'17:00");
    await page.getByLabel(/^Deadline \(Bangkok time\)/).fill(deadline);
    await page.getByRole("radio", { name: "Specific people" }).check();
    await page.getByLabel("Find a person").fill(EXPERT);
    await page.getByRole("checkbox", { name: EXPERT }).check();
    await page.getByLabel("Message to the invitees (optional)").fill("Chapter 2 especially, please.");
    await page.getByRole("button", { name: "Open for comments" }).click();
    await expect(page.getByRole("status")).toContainText("1 new person was invited");
    await expect(page.getByRole("region", { name: "Period for comments" })).toContainText("Open until");
    await expect(page.getByRole("table")).toContainText(EXPERT);
  });

  test("the expert sends an input, then changes it", async ({ page }) => {
    await signIn(page, EXPERT);
    await page.goto(`/meetings/${SLUG}/documents/${documentId}/inputs`);
    await expect(page.getByText("Inputs are welcome until")).toBeVisible();
    await expect(page.getByText("Chapter 2 especially, please.")).toBeVisible();
    await page.getByRole("textbox", { name: "Your input", exact: true }).fill("Section 2 should name the early-warning standards (CAP).");
    await page.getByLabel("Section (optional)").fill("2.3");
    await page.getByLabel("Page (optional)").fill("14");
    await page.getByRole("button", { name: "Send my input" }).click();
    await expect(page.getByRole("status")).toHaveText("Thank you: your input was received.");
    const mine = page.getByRole("region", { name: "Your inputs" });
    await expect(mine).toContainText("Section 2.3, page 14");

    await mine.getByRole("link", { name: /Change your input/ }).click();
    await expect(page.getByRole("heading", { name: "Change your input" })).toBeVisible();
    await page.getByRole("textbox", { name: "Your input", exact: true }).fill("Section 2 should cite the Common Alerting Protocol (CAP).");
    await page.getByRole("button", { name: "Save the change" }).click();
    await expect(page.getByRole("status")).toHaveText("Your input was changed.");
    await expect(mine).toContainText("Common Alerting Protocol");
  });

  test("the organiser reads the input and marks it addressed", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(`/admin/meetings/${SLUG}/documents/${documentId}/inputs`);
    const inputs = page.getByRole("region", { name: /^Inputs/ });
    await expect(inputs).toContainText("Common Alerting Protocol");
    await expect(inputs).toContainText("Viet Nam");
    await inputs.getByRole("button", { name: "Mark addressed" }).click();
    await expect(inputs.getByRole("button", { name: "Mark not addressed" })).toBeVisible();
    const invitee = page.getByRole("row").filter({ hasText: EXPERT });
    await expect(invitee.getByRole("cell").nth(3)).toHaveText("1");
  });
});
