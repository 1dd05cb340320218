import { type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors } from "./support";

/** Demo meetings (db/demo-data.ts); their days are counted from the day the demo was loaded (UTC). */
const EGM = {
  slug: "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction",
  title: "Expert Group Meeting on e-Resilience and Disaster Risk Reduction",
};
const WORKSHOP = "Regional Workshop on Rural Connectivity and Community Networks";
const WEBINAR = { slug: "webinar-digital-government-services-for-all", title: "Webinar: Digital Government Services for All" };
const CONFERENCE = "Ministerial Conference on Digital Cooperation in Asia and the Pacific";
const CANCELLED = {
  slug: "wsis-forum-side-event-digital-inclusion-in-asia-and-the-pacific",
  title: "WSIS Forum side event: Digital Inclusion in Asia and the Pacific",
};
const PAST = ["Asia-Pacific Information Superhighway Steering Committee, Eighth Session", "Regional Training on Broadband Mapping"];
const DRAFT = "asia-pacific-digital-ministers-roundtable";

/** The demo's day `days` after today, as YYYY-MM-DD (the demo counts in UTC). */
function demoDay(days: number): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

function meetingList(page: Page, name = "Upcoming meetings") {
  return page.getByRole("list", { name });
}

/** A meeting's card in the list, found by its title link. */
function card(page: Page, title: string, list = "Upcoming meetings") {
  return meetingList(page, list)
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: title, exact: true }) });
}

/** The joining links of the demo meetings are all on this host: it must never reach a public page. */
async function expectNoJoiningLink(page: Page) {
  expect(await page.content()).not.toContain("meet.example.org");
}

test.describe("browsing meetings", () => {
  failOnScriptErrors();

  test("the home page lists upcoming meetings with their kind, dates in a named zone and place", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Upcoming meetings" })).toBeVisible();

    for (const title of [WEBINAR.title, EGM.title, WORKSHOP, CONFERENCE]) {
      await expect(card(page, title)).toBeVisible();
    }
    // Past meetings and drafts are not among the upcoming ones.
    for (const title of PAST) await expect(meetingList(page).getByRole("link", { name: title })).toHaveCount(0);
    await expect(meetingList(page).getByRole("link", { name: "Asia-Pacific Digital Ministers' Roundtable" })).toHaveCount(0);

    const egm = card(page, EGM.title);
    await expect(egm).toContainText("Expert group meeting");
    await expect(egm).toContainText(/\d{1,2}.* \d{4}, Bangkok time/);
    await expect(egm.locator("time")).toHaveAttribute("datetime", demoDay(14));
    await expect(egm).toContainText("Bangkok, Thailand and online");

    const webinar = card(page, WEBINAR.title);
    await expect(webinar).toContainText("Webinar");
    await expect(webinar).toContainText("Tokyo time");
    await expect(webinar).toContainText(/Where\s*Online/);

    const workshop = card(page, WORKSHOP);
    await expect(workshop).toContainText("Workshop");
    await expect(workshop).toContainText("Kolkata time");
    await expect(workshop).toContainText("New Delhi, India");

    // Soonest first: the webinar (in a week) comes before the expert group meeting (in two weeks).
    const titles = await meetingList(page).getByRole("heading", { level: 3 }).allTextContents();
    expect(titles.indexOf(WEBINAR.title)).toBeGreaterThanOrEqual(0);
    expect(titles.indexOf(WEBINAR.title)).toBeLessThan(titles.indexOf(EGM.title));

    await expectNoJoiningLink(page);
  });

  test("filtering by kind lists only that kind and says so in the address", async ({ page }) => {
    await page.goto("/");
    await page.getByLabel("Kind").selectOption({ label: "Webinar" });
    await page.getByRole("button", { name: "Apply" }).click();

    await expect(page).toHaveURL(/[?&]kind=webinar(&|$)/);
    await expect(card(page, WEBINAR.title)).toBeVisible();
    await expect(page.getByLabel("Kind")).toHaveValue("webinar");
    const cards = meetingList(page).getByRole("listitem");
    const count = await cards.count();
    expect(count).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < count; i++) await expect(cards.nth(i).locator(".tag")).toHaveText("Webinar");
    await expect(meetingList(page).getByRole("link", { name: EGM.title })).toHaveCount(0);
    await expect(meetingList(page).getByRole("link", { name: WORKSHOP })).toHaveCount(0);
  });

  test("searching for a city finds the meeting held there", async ({ page }) => {
    await page.goto("/meetings");
    await page.getByRole("searchbox", { name: "Search" }).fill("New Delhi");
    await page.getByRole("button", { name: "Apply" }).click();

    await expect(page).toHaveURL(/[?&]q=New(\+|%20)Delhi/);
    await expect(page.getByText("1 upcoming meeting", { exact: true })).toBeVisible();
    await expect(card(page, WORKSHOP)).toBeVisible();
    await expect(meetingList(page).getByRole("listitem")).toHaveCount(1);
  });

  test("past meetings are listed on their own, latest first", async ({ page }) => {
    await page.goto("/meetings");
    await page.getByLabel("Show").selectOption({ label: "Past meetings" });
    await page.getByRole("button", { name: "Apply" }).click();

    await expect(page).toHaveURL(/[?&]past=1/);
    await expect(page.getByRole("heading", { level: 1, name: "Past meetings" })).toBeVisible();
    const list = meetingList(page, "Past meetings");
    await expect(list.getByRole("link", { name: "Webinar: Cybersecurity for Public Sector Organisations" })).toBeVisible();
    for (const title of PAST) await expect(list.getByRole("link", { name: title })).toBeVisible();
    await expect(list.getByRole("link", { name: EGM.title })).toHaveCount(0);
    const titles = await list.getByRole("heading", { level: 3 }).allTextContents();
    // The training (a month ago) ended after the steering committee (two months ago).
    expect(titles.indexOf(PAST[1]!)).toBeLessThan(titles.indexOf(PAST[0]!));
  });

  test("a meeting's page shows its title, dates, venue, organiser and links", async ({ page }) => {
    await page.goto("/");
    await card(page, EGM.title).getByRole("link", { name: EGM.title }).click();

    await expect(page).toHaveURL(`/meetings/${EGM.slug}`);
    await expect(page).toHaveTitle(EGM.title);
    await expect(page.getByRole("heading", { level: 1, name: EGM.title })).toBeVisible();
    const header = page.getByRole("article").locator("header").first();
    await expect(header).toContainText("Expert group meeting");
    await expect(header).toContainText(/Bangkok time \(GMT\+7\)/);
    await expect(header.locator("time")).toHaveAttribute("datetime", demoDay(14));

    const facts = page.getByRole("complementary", { name: "Key facts" });
    await expect(facts).toContainText(/Format\s*Hybrid/);
    await expect(facts).toContainText("United Nations Conference Centre, Meeting Room G");
    await expect(facts).toContainText("Rajadamnern Nok Avenue");
    await expect(facts).toContainText("Thailand");
    await expect(facts).toContainText(/Organised by\s*ESCAP/);
    await expect(facts).toContainText("Asia-Pacific Telecommunity");
    await expect(facts).toContainText("The joining link is sent to confirmed participants.");
    await expect(facts.getByRole("link", { name: "APIS Working Group 2: e-Resilience" })).toBeVisible();

    const links = page.getByRole("navigation", { name: "This meeting" });
    await expect(links.getByRole("link", { name: "Register", exact: true })).toHaveAttribute("href", `/meetings/${EGM.slug}/register`);
    await expect(links.getByRole("link", { name: "Agenda" })).toHaveAttribute("href", `/meetings/${EGM.slug}/agenda`);
    await expect(links.getByRole("link", { name: "Documents" })).toHaveAttribute("href", `/meetings/${EGM.slug}/documents`);
    await page.getByText("Add to your calendar (with its agenda)").click();
    const calendar = page.getByRole("link", { name: /Download \.ics/ });
    await expect(calendar).toHaveAttribute("href", new RegExp(`/meetings/${EGM.slug}/calendar\\.ics$`));
    await expect(page.getByRole("link", { name: "Subscribe (stays up to date)" })).toHaveAttribute("href", new RegExp(`^webcal://.*/meetings/${EGM.slug}/calendar\\.ics$`));
    const google = new URL((await page.getByRole("link", { name: "Google Calendar" }).getAttribute("href"))!);
    expect(google.searchParams.get("text")).toBe(EGM.title);
    expect(google.searchParams.get("dates")).toMatch(/^\d{8}\/\d{8}$/);
    const ics = await page.request.get((await calendar.getAttribute("href"))!);
    expect(ics.status()).toBe(200);
    expect(ics.headers()["content-type"]).toContain("text/calendar");
    const icsText = await ics.text();
    expect(icsText).toContain("BEGIN:VCALENDAR");
    expect(icsText).not.toContain("meet.example.org");

    await expectNoJoiningLink(page);
  });

  test("a meeting's agenda opens from its page, in the meeting's zone, and leads back", async ({ page }) => {
    await page.goto(`/meetings/${EGM.slug}`);
    await page.getByRole("navigation", { name: "This meeting" }).getByRole("link", { name: "Agenda" }).click();
    await expect(page).toHaveURL(`/meetings/${EGM.slug}/agenda`);
    await expect(page.getByRole("heading", { level: 1, name: `Agenda: ${EGM.title}` })).toBeVisible();
    await expect(page.getByText("All times Bangkok time (GMT+7)")).toBeVisible();

    // Opened directly (from a calendar or an email), it is a page, not an error.
    const response = await page.goto(`/meetings/${EGM.slug}/agenda`);
    expect(response?.status()).toBe(200);
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: EGM.title }).click();
    await expect(page.getByRole("heading", { level: 1, name: EGM.title })).toBeVisible();
  });

  test("an online meeting's page says Online and never shows the joining link", async ({ page }) => {
    const response = await page.goto(`/meetings/${WEBINAR.slug}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: WEBINAR.title })).toBeVisible();
    const facts = page.getByRole("complementary", { name: "Key facts" });
    await expect(facts).toContainText(/Format\s*Online/);
    await expect(facts).not.toContainText("Venue");
    await expect(facts).toContainText(/Organised by\s*APT/);
    await expect(page.getByRole("article").locator("header").first()).toContainText("Online");
    await expectNoJoiningLink(page);

    for (const path of ["agenda", "documents", "register"]) {
      const sub = await page.goto(`/meetings/${WEBINAR.slug}/${path}`);
      expect(sub?.status()).toBe(200);
      await expectNoJoiningLink(page);
    }
  });

  test("a cancelled meeting stays listed, marked cancelled, without a Register link", async ({ page }) => {
    await page.goto("/");
    const cancelled = card(page, CANCELLED.title);
    await expect(cancelled).toBeVisible();
    await expect(cancelled.getByText("Cancelled").first()).toBeVisible();

    await cancelled.getByRole("link", { name: CANCELLED.title }).click();
    await expect(page).toHaveURL(`/meetings/${CANCELLED.slug}`);
    await expect(page.getByRole("status")).toHaveText("This meeting has been cancelled.");
    await expect(page.getByRole("complementary", { name: "Key facts" })).toContainText(/Registration\s*Cancelled/);
    await expect(page.getByRole("link", { name: "Register", exact: true })).toHaveCount(0);
  });

  test("a draft meeting's address shows the not-found page", async ({ page }) => {
    const response = await page.goto(`/meetings/${DRAFT}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page.getByText("The address may be mistyped, or the meeting may not be public.")).toBeVisible();
    await expect(page.getByRole("main")).not.toContainText("Ministers' Roundtable");

    const agenda = await page.goto(`/meetings/${DRAFT}/agenda`);
    expect(agenda?.status()).toBe(404);
    await page.getByRole("link", { name: "See all meetings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Upcoming meetings" })).toBeVisible();
  });

  test("a programme's page lists the meetings of its sub-programmes too", async ({ page }) => {
    await page.goto("/programmes");
    await page.getByRole("link", { name: "Asia-Pacific Information Superhighway", exact: true }).click();

    await expect(page).toHaveURL("/programmes/asia-pacific-information-superhighway");
    await expect(page.getByRole("heading", { level: 1, name: "Asia-Pacific Information Superhighway" })).toBeVisible();
    await expect(page.getByRole("link", { name: "APIS Working Group 2: e-Resilience" })).toBeVisible();
    const list = meetingList(page);
    // Working Group 2's meeting, Working Group 1's consultation, and the programme's own (cancelled) side event.
    await expect(list.getByRole("link", { name: EGM.title })).toBeVisible();
    await expect(list.getByRole("link", { name: "Pacific Consultation on Submarine Cable Resilience" })).toBeVisible();
    await expect(list.getByRole("link", { name: CANCELLED.title })).toBeVisible();
    // Other programmes' meetings are not.
    await expect(list.getByRole("link", { name: WORKSHOP })).toHaveCount(0);
    await expect(list.getByRole("link", { name: WEBINAR.title })).toHaveCount(0);
    await expectNoJoiningLink(page);
  });
});
