import { type Page, expect, test } from "@playwright/test";

const WORKSHOP = "Regional Workshop on Rural Connectivity and Community Networks";

/** Nothing sticks out sideways: the page scrolls only up and down. */
async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
  expect(innerWidth).toBe(page.viewportSize()!.width);
}

test.describe("on a phone", () => {
  test("the meetings list is readable without scrolling sideways", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Upcoming meetings" })).toBeVisible();
    const cards = page.getByRole("list", { name: "Upcoming meetings" }).getByRole("listitem");
    await expect(cards.first()).toBeVisible();
    expect(await cards.count()).toBeGreaterThanOrEqual(4);
    await expectNoSidewaysScroll(page);

    // Cards are stacked, each as wide as the screen allows.
    const first = await cards.nth(0).boundingBox();
    const second = await cards.nth(1).boundingBox();
    expect(second!.y).toBeGreaterThan(first!.y + first!.height - 1);
    expect(first!.x).toBeGreaterThanOrEqual(0);
    expect(first!.x + first!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  });

  test("the filter form works", async ({ page }) => {
    await page.goto("/meetings");
    await page.getByLabel("Kind").selectOption({ label: "Workshop" });
    await page.getByRole("searchbox", { name: "Search" }).fill("Delhi");
    await page.getByRole("button", { name: "Apply" }).click();

    await expect(page).toHaveURL(/[?&]kind=workshop(&|$)/);
    await expect(page).toHaveURL(/[?&]q=Delhi(&|$)/);
    const cards = page.getByRole("list", { name: "Upcoming meetings" }).getByRole("listitem");
    await expect(cards).toHaveCount(1);
    await expect(cards.first().getByRole("link", { name: WORKSHOP })).toBeVisible();
    await expectNoSidewaysScroll(page);
  });

  test("a meeting's page opens and fits the screen", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: WORKSHOP }).click();
    await expect(page).toHaveURL("/meetings/regional-workshop-on-rural-connectivity-and-community-networks");
    await expect(page.getByRole("heading", { level: 1, name: WORKSHOP })).toBeVisible();
    await expect(page.getByRole("article").locator("header").first()).toContainText("Kolkata time");
    await expect(page.getByRole("complementary", { name: "Key facts" })).toContainText("India Habitat Centre");
    await expect(page.getByRole("link", { name: "Register", exact: true })).toBeVisible();
    await expectNoSidewaysScroll(page);
  });

  test("a meeting's documents fit the screen, with download links large enough to tap", async ({ page }) => {
    await page.goto("/meetings/expert-group-meeting-on-e-resilience-and-disaster-risk-reduction/documents");
    await expect(page.getByRole("heading", { level: 2, name: "Provisional agenda" })).toBeVisible();
    const french = page.getByRole("list", { name: "Download Provisional agenda" }).getByRole("link", { name: "French" });
    await expect(french).toBeVisible();
    expect((await french.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await expectNoSidewaysScroll(page);
  });

  test("the first Tab reaches the Skip to content link, which moves on to the page's content", async ({ page }) => {
    await page.goto("/");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).not.toBeInViewport();
    await page.keyboard.press("Tab");
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
    // The next Tab goes into the content, past the site's navigation.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("searchbox", { name: "Search" })).toBeFocused();
  });
});
