import { type Page, devices, expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const REPORT = "/admin/meetings/apis-steering-committee-eighth-session/attendance";
const { viewport, deviceScaleFactor, isMobile, hasTouch, userAgent } = devices["Pixel 7"];

/** Nothing sticks out sideways: the page scrolls only up and down. */
async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
  // A phone widens its layout to fit a page that sticks out: the window must stay the screen's width.
  expect(innerWidth).toBe(page.viewportSize()!.width);
}

const figure = async (row: ReturnType<Page["locator"]>, column: number) => Number(await row.getByRole("cell").nth(column).innerText());

test.describe("the attendance report on a phone", () => {
  test.use({ viewport, deviceScaleFactor, isMobile, hasTouch, userAgent });
  failOnScriptErrors();

  test("a past meeting's report fits the screen, its notes and chart are readable, and a day's breakdown opens", async ({ page }) => {
    expect(viewport.width).toBe(412);
    await signIn(page, ORGANISER);
    await page.goto(REPORT);
    await expect(page.getByRole("heading", { level: 1, name: "Attendance" })).toBeVisible();
    await expectNoSidewaysScroll(page);

    // The days table's note stands above its scrolling box, inside the screen.
    const note = page.locator("#by-day-note");
    await expect(note).toContainText("An item counts everyone checked in for it or for its day");
    const box = (await note.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);

    // The desk checked people in by day: the opening counts them, as the day does.
    const table = page.getByRole("table", { name: "By day and agenda item" });
    const day = table.locator("tr.attendance-day").first();
    const opening = table.getByRole("row").filter({ hasText: "Opening; election of officers" });
    expect(await figure(opening, 2), "in person at the opening").toBe(await figure(day, 2));
    expect(await figure(opening, 1)).toBeGreaterThan(await figure(day, 3));

    // The charts' words keep a readable size.
    const label = page.locator(".chart-label").first();
    await expect(label).toBeVisible();
    const size = await label.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
    expect(size).toBeGreaterThanOrEqual(13);

    // A day's breakdown, from the table.
    const dayLink = day.getByRole("link");
    const dayName = await dayLink.innerText();
    await dayLink.click();
    await expect(page).toHaveURL(/\?day=\d{4}-\d{2}-\d{2}#who-attended$/);
    await expect(page.getByRole("heading", { level: 2, name: `Who attended: ${dayName}` })).toBeVisible();
    await expect(page.getByText("Women’s share of those who attended:")).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.getByRole("link", { name: "Who attended the whole meeting" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Who attended", exact: true })).toBeVisible();
  });
});
