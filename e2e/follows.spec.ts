import { type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const PROGRAMME = "ICT Pilot Projects for Rural Areas";
const PROGRAMME_SLUG = "ict-pilot-projects-for-rural-areas";

/** A day `days` from now, as a date input takes it. */
function dayFromNow(days: number): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Opens the newest email to this address with this subject in the development mailbox. */
async function openEmail(page: Page, to: string, subject: string) {
  await page.goto("/dev/mailbox");
  const row = page
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: to, exact: true }) })
    .filter({ has: page.getByRole("link", { name: subject }) })
    .first();
  await row.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
}

/** Asks to follow the programme from its page and confirms with the emailed link's button. */
async function followAndConfirm(page: Page, email: string) {
  await page.goto(`/programmes/${PROGRAMME_SLUG}`);
  await page.getByText(`Follow ${PROGRAMME} by email`).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(email);

  await openEmail(page, email, `Confirm: email news about ${PROGRAMME}`);
  await page.locator(".mail-frame").getByRole("link", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What you follow" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("not confirmed yet");
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Confirmed: we will email you about these meetings.");
  await expect(page.getByRole("listitem").filter({ hasText: PROGRAMME })).toContainText("(confirmed)");
}

test.describe("following a programme by email", () => {
  failOnScriptErrors();

  test("a visitor follows a programme, confirms, hears of a meeting an organiser publishes, and unsubscribes from the email", async ({ page, browser }) => {
    const stamp = Date.now();
    const follower = `follower-${stamp}@example.org`;
    const title = `E2E Rural Broadband Clinic ${stamp}`;
    await followAndConfirm(page, follower);

    await test.step("an organiser publishes a new meeting of the programme", async () => {
      const organiser = await (await browser.newContext()).newPage();
      await signIn(organiser, ORGANISER);
      await organiser.getByRole("link", { name: "New meeting" }).click();
      await organiser.getByLabel("Title").fill(title);
      await organiser.getByLabel("Kind").selectOption({ label: "Webinar" });
      await organiser.getByLabel("Programme").selectOption({ label: PROGRAMME });
      await organiser.getByLabel("Organising body").fill("ESCAP");
      await organiser.getByLabel("Time zone").fill("Pacific/Fiji");
      await organiser.getByLabel("First day").fill(dayFromNow(50));
      await organiser.getByLabel("Last day").fill(dayFromNow(50));
      await organiser.getByLabel("Format").selectOption({ label: "Online" });
      await organiser.getByLabel("Online joining link").fill(`https://meet.example.org/j/${stamp}`);
      await organiser.getByRole("button", { name: "Create draft" }).click();
      await expect(organiser.getByRole("status")).toHaveText("Meeting created as a draft.");
      await organiser.getByRole("button", { name: "Publish" }).click();
      await expect(organiser.getByRole("status")).toHaveText("Published: the meeting is now public.");
      await organiser.context().close();
    });

    await test.step("the follower's email names the meeting, its days and zone, and can be stopped in one click", async () => {
      await openEmail(page, follower, `New meeting: ${title}`);
      const main = page.getByRole("main");
      await expect(main).toContainText("Fiji time");
      await expect(main).toContainText(/Place\s*Online/);
      await expect(main).toContainText(`You receive this because you follow ${PROGRAMME}.`);
      await expect(main).toContainText(/List-Unsubscribe\s*<http:\/\/localhost:\d+\/follows\/[A-Za-z0-9_-]{43}\/unsubscribe>/);
      await expect(main).toContainText("List-Unsubscribe=One-Click");
      await expect(page.locator(".mail-frame").getByRole("link", { name: title })).toHaveAttribute("href", /\/meetings\/e2e-rural-broadband-clinic-/);

      await page.locator(".mail-frame").getByRole("link", { name: "Unsubscribe" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Unsubscribe" })).toBeVisible();
      await expect(main).toContainText(`Stop emails to ${follower} about meetings of ${PROGRAMME}?`);
      const unsubscribeUrl = page.url();
      await page.getByRole("button", { name: "Unsubscribe" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "You are unsubscribed" })).toBeVisible();

      const again = await page.goto(unsubscribeUrl);
      expect(again?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Link not found" })).toBeVisible();
    });
  });
});

test.describe("following without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the forms and buttons work as plain HTML: follow, confirm, unsubscribe from the manage page", async ({ page }) => {
    const follower = `no-script-${Date.now()}@example.org`;
    await followAndConfirm(page, follower);
    await page.getByRole("button", { name: `Unsubscribe from ${PROGRAMME}` }).click();
    await expect(page).toHaveURL("/follows?done=unsubscribed");
    await expect(page.getByRole("status")).toHaveText("You are unsubscribed: we will not email you about these meetings any more.");
  });
});
