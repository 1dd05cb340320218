import { type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";

/** A day `days` from now, as a date input takes it. */
function dayFromNow(days: number): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

async function openNewMeetingForm(page: Page) {
  await page.getByRole("link", { name: "New meeting" }).click();
  await expect(page).toHaveURL("/admin/meetings/new");
  await expect(page.getByRole("heading", { level: 1, name: "New meeting" })).toBeVisible();
}

test.describe("organisers", () => {
  failOnScriptErrors();

  test("sign in with the emailed link and land on the organisers' console", async ({ page }) => {
    await signIn(page, ORGANISER);
    await expect(page).toHaveURL("/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Meetings you organise" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisers" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveAttribute("title", `Signed in as ${ORGANISER}`);
    // Drafts are listed for organisers.
    const draft = page.getByRole("row").filter({ hasText: "Asia-Pacific Digital Ministers' Roundtable" });
    await expect(draft.getByRole("cell", { name: "Draft" })).toBeVisible();
  });

  test("the new meeting form explains what is wrong next to each field and keeps what was typed", async ({ page }) => {
    await signIn(page, ORGANISER);
    await openNewMeetingForm(page);
    const title = `E2E refused meeting ${Date.now()}`;
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Time zone").fill("Mars/Base");
    await page.getByRole("button", { name: "Create draft" }).click();

    await expect(page.getByRole("alert")).toContainText("Please correct these");
    const timezone = page.getByLabel("Time zone");
    await expect(timezone).toHaveAttribute("aria-invalid", "true");
    await expect(timezone).toHaveAccessibleDescription(/Not a time zone: use Area\/City, e\.g\. Asia\/Bangkok/);
    await expect(timezone).toHaveValue("Mars/Base");
    await expect(page.getByLabel("Kind")).toHaveAccessibleDescription("Choose the kind of meeting");
    await expect(page.getByLabel("Organising body")).toHaveAccessibleDescription(/Name the organising body/);
    await expect(page.getByLabel("First day")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Format")).toHaveAccessibleDescription("Choose in person, online or hybrid");
    // What was typed correctly is kept and not marked.
    await expect(page.getByLabel("Title")).toHaveValue(title);
    await expect(page.getByLabel("Title")).not.toHaveAttribute("aria-invalid", "true");

    // The summary's links take you to the field.
    await page.getByRole("alert").getByRole("link", { name: /Not a time zone/ }).click();
    await expect(page).toHaveURL(/#timezone$/);

    // Nothing was saved.
    await page.goto("/admin");
    await expect(page.getByRole("link", { name: title })).toHaveCount(0);
  });

  test("a meeting is created as a hidden draft, published, found, then cancelled", async ({ page }) => {
    await signIn(page, ORGANISER);
    await openNewMeetingForm(page);
    const stamp = Date.now();
    const title = `E2E Online Forum on Digital Skills ${stamp}`;
    const joiningLink = `https://meet.example.org/j/e2e-${stamp}`;

    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Summary").fill("An online forum created by the end-to-end tests.");
    await page.getByLabel("Kind").selectOption({ label: "Webinar" });
    await page.getByLabel("Programme").selectOption({ label: "Digital Cooperation and Government" });
    await page.getByLabel("Organising body").fill("ESCAP");
    await page.getByLabel("Time zone").fill("Asia/Bangkok");
    await page.getByLabel("First day").fill(dayFromNow(40));
    await page.getByLabel("Last day").fill(dayFromNow(41));
    await page.getByLabel("Format").selectOption({ label: "Online" });
    await page.getByLabel("Online joining link").fill(joiningLink);
    await page.getByRole("button", { name: "Create draft" }).click();

    await expect(page).toHaveURL(/\/admin\/meetings\/[a-z0-9-]+\?saved=created$/);
    await expect(page.getByRole("status")).toHaveText("Meeting created as a draft.");
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText("Draft", { exact: true })).toBeVisible();
    const slug = new URL(page.url()).pathname.replace("/admin/meetings/", "");
    expect(slug).toBe(`e2e-online-forum-on-digital-skills-${stamp}`);

    await test.step("a draft is not public", async () => {
      const publicPage = await page.goto(`/meetings/${slug}`);
      expect(publicPage?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
      await page.goto(`/meetings?q=${encodeURIComponent(title)}`);
      await expect(page.getByText("No upcoming meetings match.")).toBeVisible();
    });

    await test.step("publish", async () => {
      await page.goto(`/admin/meetings/${slug}`);
      await page.getByRole("button", { name: "Publish" }).click();
      await expect(page.getByRole("status")).toHaveText("Published: the meeting is now public.");
      await expect(page.getByRole("link", { name: "Public page" })).toBeVisible();
    });

    await test.step("the published meeting is found by its title and its page shows", async () => {
      await page.goto("/meetings");
      await page.getByRole("searchbox", { name: "Search" }).fill(title);
      await page.getByRole("button", { name: "Apply" }).click();
      const list = page.getByRole("list", { name: "Upcoming meetings" });
      await expect(list.getByRole("listitem")).toHaveCount(1);
      const found = list.getByRole("listitem").first();
      await expect(found).toContainText("Webinar");
      await expect(found).toContainText("Bangkok time");
      await expect(found).toContainText(/Where\s*Online/);
      await found.getByRole("link", { name: title }).click();

      await expect(page).toHaveURL(`/meetings/${slug}`);
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await expect(page.getByText("An online forum created by the end-to-end tests.")).toBeVisible();
      const facts = page.getByRole("complementary", { name: "Key facts" });
      await expect(facts).toContainText(/Organised by\s*ESCAP/);
      await expect(facts.getByRole("link", { name: "Digital Cooperation and Government" })).toBeVisible();
      expect(await page.content()).not.toContain(joiningLink);
    });

    await test.step("cancel, confirming the browser's question", async () => {
      await page.goto(`/admin/meetings/${slug}`);
      let question = "";
      page.once("dialog", (dialog) => {
        question = dialog.message();
        void dialog.accept();
      });
      await page.getByRole("button", { name: "Cancel meeting" }).click();
      await expect(page.getByRole("status")).toHaveText("The meeting is cancelled. It stays visible, marked cancelled.");
      expect(question).toContain("Cancel this meeting?");
      await expect(page.getByRole("button", { name: "Cancel meeting" })).toHaveCount(0);

      await page.getByRole("link", { name: "Public page" }).click();
      await expect(page).toHaveURL(`/meetings/${slug}`);
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await expect(page.getByRole("status")).toHaveText("This meeting has been cancelled.");
      await expect(page.getByRole("link", { name: "Register", exact: true })).toHaveCount(0);
    });
  });

  test("dismissing the cancel question leaves the meeting as it was", async ({ page }) => {
    await signIn(page, ORGANISER);
    await openNewMeetingForm(page);
    const title = `E2E Workshop kept ${Date.now()}`;
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Kind").selectOption({ label: "Workshop" });
    await page.getByLabel("Organising body").fill("APT");
    await page.getByLabel("Time zone").fill("Pacific/Fiji");
    await page.getByLabel("First day").fill(dayFromNow(50));
    await page.getByLabel("Last day").fill(dayFromNow(50));
    await page.getByLabel("Format").selectOption({ label: "In person" });
    await page.getByLabel("City", { exact: true }).fill("Suva");
    await page.getByLabel("Country").selectOption({ label: "Fiji" });
    await page.getByRole("button", { name: "Create draft" }).click();
    await expect(page.getByRole("status")).toHaveText("Meeting created as a draft.");
    const adminUrl = page.url();

    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.getByRole("button", { name: "Cancel meeting" }).click();
    await expect(page.getByRole("button", { name: "Cancel meeting" })).toBeVisible();
    await page.goto(adminUrl.replace(/\?.*$/, ""));
    await expect(page.getByText("Draft", { exact: true })).toBeVisible();
  });

  test("signing out ends the session", async ({ page }) => {
    await signIn(page, ORGANISER);
    await expect(page).toHaveURL("/admin");
    await page.getByRole("button", { name: "Sign out" }).click();

    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Organisers" })).toHaveCount(0);

    await page.goto("/admin");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin$/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });
});
