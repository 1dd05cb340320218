import { type Page, expect, test } from "@playwright/test";
import { DateTime } from "luxon";
import { failOnScriptErrors, signIn } from "./support";

/** The demo ministerial conference (db/demo-agenda.ts): three days in Seoul (GMT+9), side events beside the plenary. */
const CONFERENCE = {
  slug: "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific",
  title: "Ministerial Conference on Digital Cooperation in Asia and the Pacific",
};
const AGENDA = `/meetings/${CONFERENCE.slug}/agenda`;
const OPENING = "Opening of the senior officials' segment";
const PANEL = "Panel: Financing meaningful connectivity";
const SIDE_EVENT = "Side event: Women in digital leadership";

/** "Monday 11 January 2027": a day heading of the agenda. */
function dayLabel(day: string, plusDays = 0): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: plusDays }).toFormat("cccc d LLLL yyyy");
}

async function firstDay(page: Page): Promise<string> {
  const response = await page.request.get(`/api/v1/meetings/${CONFERENCE.slug}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { startsOn: string }).startsOn;
}

/** The agenda's section for one day, found by its heading. */
function daySection(page: Page, label: string) {
  return page.locator("section.agenda-day").filter({ has: page.getByRole("heading", { level: 2, name: label, exact: true }) });
}

function item(page: Page, title: string) {
  return page.getByRole("article", { name: title, exact: true });
}

/**
 * React reports a hydration mismatch on the console: the server must have rendered exactly what the
 * browser does. Failed downloads (the favicon the site does not have, a build replaced by another
 * run of the suite) are the network's, not the page's.
 */
function failOnConsoleErrors() {
  const errors: string[] = [];
  test.beforeEach(({ page }) => {
    errors.length = 0;
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
    });
  });
  test.afterEach(() => {
    expect(errors, "errors on the console (a hydration mismatch?)").toEqual([]);
  });
}

test.describe("the public agenda", () => {
  failOnScriptErrors();
  failOnConsoleErrors();
  test.use({ timezoneId: "Europe/Zurich" });

  test("a visitor reads the agenda in meeting time, then in another zone with the picker: times shift and days regroup", async ({ page }) => {
    const startsOn = await firstDay(page);
    await page.goto(`/meetings/${CONFERENCE.slug}`);
    await page.getByRole("navigation", { name: "This meeting" }).getByRole("link", { name: "Agenda" }).click();
    await expect(page).toHaveURL(AGENDA);
    await expect(page.getByRole("heading", { level: 1, name: `Agenda: ${CONFERENCE.title}` })).toBeVisible();
    await expect(page.getByText("All times Seoul time (GMT+9)")).toBeVisible();
    // The browser is in Zurich: the page says at the top that these are not its times.
    await expect(page.getByText(/These times are Seoul time \(GMT\+9\); your clock \(Zurich, GMT\+\d\) differs\./)).toBeVisible();
    await expect(page.getByRole("link", { name: "Show them in your time as well" })).toHaveAttribute("href", /\?tz=Europe%2FZurich&view=both$/);
    const opening = item(page, OPENING);
    await expect(daySection(page, dayLabel(startsOn)).getByRole("article", { name: OPENING })).toBeVisible();
    await expect(opening.locator("time").first()).toHaveText("09:30");
    await expect(opening.locator("time").first()).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T00:30:00Z$/);
    await expect(opening).toContainText("Room: Plenary Hall");
    await expect(opening).toContainText("Lan Anh Vu, ESCAP");

    // New York is 14 hours behind Seoul: 09:30 on the first day is 19:30 the evening before.
    const zone = page.getByRole("combobox", { name: "Show the times in" });
    await zone.fill("America/New_York");
    await page.getByRole("button", { name: "Show times" }).click();
    await expect(page).toHaveURL(/\?tz=America%2FNew_York$/);
    await expect(page.getByText("These times are in New York time (GMT-5), not the meeting's own Seoul time (GMT+9).")).toBeVisible();
    await expect(page.getByText("All times New York time (GMT-5)")).toBeVisible();
    const evening = daySection(page, dayLabel(startsOn, -1));
    await expect(evening.getByRole("article", { name: OPENING })).toBeVisible();
    await expect(opening.locator("time").first()).toContainText("19:30");
    await expect(opening.getByText("(meeting time)")).toBeVisible();
    await expect(opening).toContainText(`${DateTime.fromISO(startsOn).toFormat("ccc d LLL yyyy")}, 09:30`);
    await expect(zone).toHaveValue("America/New_York");

    // The browser's own zone is offered once the page runs; meeting time is one link away.
    await page.getByRole("link", { name: "Use my time zone (Europe/Zurich)" }).click();
    await expect(page).toHaveURL(/\?tz=Europe%2FZurich$/);
    await expect(opening.locator("time").first()).toHaveText("01:30");
    await expect(daySection(page, dayLabel(startsOn)).getByRole("article", { name: OPENING })).toBeVisible();
    await page.getByRole("link", { name: "Back to meeting time (Asia/Seoul)" }).click();
    await expect(page).toHaveURL(AGENDA);
    await expect(page.getByText("All times Seoul time (GMT+9)")).toBeVisible();
    await expect(opening.locator("time").first()).toHaveText("09:30");
  });

  test("the both view shows meeting time beside the chosen zone", async ({ page }) => {
    await page.goto(AGENDA);
    await page.getByRole("combobox", { name: "Show the times in" }).fill("Asia/Kolkata");
    await page.getByRole("checkbox", { name: "Show meeting time beside it" }).check();
    await page.getByRole("button", { name: "Show times" }).click();
    await expect(page).toHaveURL(/\?tz=Asia%2FKolkata&view=both$/);
    const opening = item(page, OPENING);
    await expect(opening.getByText("06:00", { exact: true })).toBeVisible();
    await expect(opening.getByText("09:30", { exact: true })).toBeVisible();
    await expect(opening.getByText("(meeting time)")).toBeVisible();
  });

  test("an item's calendar menu offers its .ics, its feed, and Google Calendar and Outlook.com prefilled with the item", async ({ page }) => {
    await page.goto(AGENDA);
    await expect(page.getByText(/your clock \(Zurich/)).toBeVisible(); // hydrated
    const side = item(page, SIDE_EVENT);
    const [startsAt, endsAt] = await side.locator("time").evaluateAll((times) => times.slice(0, 2).map((time) => time.getAttribute("datetime")!));
    await side.getByText(`Add to calendar: ${SIDE_EVENT}`, { exact: true }).click();
    const download = side.getByRole("link", { name: /Download \.ics/ });
    await expect(download).toHaveAttribute("href", /\/calendar\.ics\?item=\d+$/);
    const icsPath = new URL((await download.getAttribute("href"))!).pathname + new URL((await download.getAttribute("href"))!).search;
    await expect(side.getByRole("link", { name: "Subscribe (stays up to date)" })).toHaveAttribute("href", new RegExp(`^webcal://[^/]+${icsPath.replace(/[.?]/g, "\\$&")}$`));
    const google = new URL((await side.getByRole("link", { name: "Google Calendar" }).getAttribute("href"))!);
    expect(google.searchParams.get("text")).toBe(`${SIDE_EVENT} (${CONFERENCE.title})`);
    const compact = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    expect(google.searchParams.get("dates")).toBe(`${compact(startsAt!)}/${compact(endsAt!)}`);
    expect(google.searchParams.get("details")).toMatch(new RegExp(`/meetings/${CONFERENCE.slug}/agenda#item-\\d+$`));
    const outlook = new URL((await side.getByRole("link", { name: "Outlook.com" }).getAttribute("href"))!);
    expect(outlook.searchParams.get("subject")).toBe(`${SIDE_EVENT} (${CONFERENCE.title})`);
    expect(new Date(outlook.searchParams.get("startdt")!).toISOString()).toBe(new Date(startsAt!).toISOString());
    const ics = await page.request.get(icsPath);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toContain(`SUMMARY:${SIDE_EVENT.slice(0, 20)}`);
  });

  test("parallel items sit side by side on a wide screen and stack on a phone; print leaves out the controls", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(AGENDA);
    // Measured once the page is hydrated: the note about the visitor's own clock arrives then and moves what follows.
    await expect(page.getByText(/your clock \(Zurich/)).toBeVisible();
    const panel = item(page, PANEL);
    const side = item(page, SIDE_EVENT);
    let [a, b] = [await panel.boundingBox(), await side.boundingBox()];
    expect(Math.abs(a!.y - b!.y), "same row").toBeLessThan(2);
    expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
    await expect(panel.getByRole("list", { name: `Within ${PANEL}` }).getByRole("article")).toHaveCount(4);

    await page.setViewportSize({ width: 390, height: 844 });
    [a, b] = [await panel.boundingBox(), await side.boundingBox()];
    expect(b!.y, "stacked").toBeGreaterThanOrEqual(a!.y + a!.height - 1);
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    expect(width, "no sideways scrolling").toBeLessThanOrEqual(390);

    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("button", { name: "Show times" })).toBeHidden();
    await expect(page.getByRole("link", { name: "Sign in to build your personal agenda" })).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(panel).toBeVisible();
  });

  test("a signed-in participant stars an item and finds it on /my/agenda", async ({ page }) => {
    await page.goto(AGENDA);
    const signInLink = page.getByRole("link", { name: "Sign in to build your personal agenda" });
    await expect(signInLink).toHaveAttribute("href", `/login?redirectTo=${encodeURIComponent(AGENDA)}`);

    await signIn(page, "agenda-star@example.org");
    await page.goto(AGENDA);
    await page.getByRole("button", { name: `Add to my agenda: ${SIDE_EVENT}`, exact: true }).click();
    await expect(page.getByRole("button", { name: `Remove from my agenda: ${SIDE_EVENT}`, exact: true })).toBeVisible();
    await expect(page.getByText("(1 starred item)")).toBeVisible();

    await page.getByRole("link", { name: "My agenda" }).click();
    await expect(page).toHaveURL("/my/agenda");
    await expect(page.getByRole("heading", { level: 1, name: "My agenda" })).toBeVisible();
    const starred = page.getByRole("list", { name: "Coming up" }).getByRole("listitem");
    await expect(starred).toHaveCount(1);
    await expect(starred.getByRole("link", { name: SIDE_EVENT })).toBeVisible();
    await expect(starred).toContainText("14:00–15:30 Seoul time");
    await expect(starred).toContainText(CONFERENCE.title);

    await page.getByRole("link", { name: "My registrations" }).first().click();
    await expect(page.getByRole("link", { name: "My agenda" })).toBeVisible();
  });
});
