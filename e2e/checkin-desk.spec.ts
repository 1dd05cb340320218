import { type Page, devices, expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const DESK = `/admin/meetings/${WORKSHOP}/checkin`;

const { viewport, deviceScaleFactor, isMobile, hasTouch, userAgent } = devices["Pixel 7"];
test.use({ viewport, deviceScaleFactor, isMobile, hasTouch, userAgent });

/** "12 of 26": how many are checked in, of how many confirmed. */
async function checkedInCount(page: Page): Promise<number> {
  const text = (await page.locator(".desk-count").textContent()) ?? "";
  const match = /(\d+)\s+of\s+(\d+)/.exec(text);
  expect(match, `a count in "${text}"`).not.toBeNull();
  return Number(match![1]);
}

test.describe("the check-in desk on a phone", () => {
  failOnScriptErrors();

  test("search as you type, check someone in, see the count change, undo", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(DESK);
    await expect(page.getByRole("heading", { level: 1, name: "Check-in desk" })).toBeVisible();
    const before = await checkedInCount(page);

    // Results come as the organiser types, without pressing Search.
    await page.getByRole("searchbox", { name: "Find a participant" }).pressSequentially("Ministry", { delay: 40 });
    await expect(page).toHaveURL(/[?&]q=Ministry(&|$)/);
    const results = page.getByRole("list", { name: "Search results" }).getByRole("listitem");
    await expect(results.first()).toBeVisible();
    const first = results.first();
    const name = ((await first.getByRole("heading").textContent()) ?? "").trim();
    expect(name).not.toBe("");
    await expect(first).toContainText("Ministry of Information and Communications Technology");
    await expect(first).toContainText("Not checked in");

    // Nothing sticks out sideways on the phone.
    const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);

    await first.getByRole("button", { name: `Check in ${name}` }).tap();
    const status = page.getByRole("status").filter({ hasText: `Checked in: ${name}` });
    await expect(status).toBeVisible();
    await expect.poll(() => checkedInCount(page)).toBe(before + 1);
    await expect(results.filter({ hasText: name }).first()).toContainText("Checked in");

    await status.getByRole("button", { name: `Undo check-in of ${name}` }).tap();
    await expect(page.getByRole("status").filter({ hasText: `Check-in undone: ${name}` })).toBeVisible();
    await expect.poll(() => checkedInCount(page)).toBe(before);
  });
});

test.describe("the check-in desk's layout on a phone", () => {
  failOnScriptErrors();

  test("the search is on the first screen; another day is said plainly; choosing a day waits for Show day", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(DESK);
    // The workshop is weeks away: the desk opens on its first day and says that it is not today.
    const notice = page.getByText(/You are checking people in for .+, not today/);
    await expect(notice).toBeVisible();
    const search = page.getByRole("searchbox", { name: "Find a participant" });
    const box = await search.boundingBox();
    expect(box!.y + box!.height, "the search field shows without scrolling").toBeLessThanOrEqual(page.viewportSize()!.height);
    const scanner = await page.getByRole("heading", { name: "Scan a badge" }).boundingBox();
    expect(scanner!.y).toBeGreaterThan(box!.y);

    await page.getByText("Checking in for:").tap();
    const day = page.getByLabel("Day", { exact: true });
    const options = await day.locator("option").evaluateAll((list) => list.map((option) => ({ value: (option as HTMLOptionElement).value, label: option.textContent ?? "" })));
    const { value, label } = options[options.length - 1]!;
    const address = page.url();
    await day.selectOption(value);
    await page.waitForTimeout(300);
    expect(page.url(), "choosing alone does not navigate (WCAG 3.2.2)").toBe(address);
    await page.getByRole("button", { name: "Show day" }).tap();
    await expect(page).toHaveURL(new RegExp(`[?&]day=${value}(&|$)`));
    await expect(page.getByText(`You are checking people in for ${label}, not today`)).toBeVisible();
  });
});

test.describe("the check-in desk without a usable camera", () => {
  failOnScriptErrors();

  test("Scan badge explains the camera cannot be used and points to the badge code field", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(DESK);
    await page.getByRole("button", { name: "Scan badge" }).tap();
    await expect(page.getByRole("alert")).toContainText(/camera/i);
    await expect(page.getByRole("alert")).toContainText("badge code");
    await expect(page.getByRole("button", { name: "Scan badge" })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Badge code" })).toBeVisible();
  });
});
