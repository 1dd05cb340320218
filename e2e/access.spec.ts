import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test.describe("who may see the organisers' console", () => {
  test("an anonymous visitor is sent to sign in, keeping the page asked for", async ({ page }) => {
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin$/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

    const response = await page.goto("/admin/meetings/new");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fmeetings%2Fnew$/);
    await expect(page.getByLabel("Email address")).toBeVisible();
  });

  test("a participant who is signed in gets the no-access page", async ({ page }) => {
    await signIn(page, "someone@example.org");
    // Participants land on the home page, without a link to the organisers' console.
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1, name: "Upcoming meetings" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisers" })).toHaveCount(0);

    for (const [path, reason] of [
      ["/admin", "This page is for the meeting organisers."],
      ["/admin/meetings/new", "This page is for the administrators."],
      ["/admin/programmes", "This page is for the administrators."],
      ["/admin/administrators", "This page is for the administrators."],
    ] as const) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { level: 1, name: "You do not have access to this page" })).toBeVisible();
      await expect(page.getByText(reason)).toBeVisible();
      await expect(page.getByRole("button", { name: "Create draft" })).toHaveCount(0);
    }
    // Still signed in: the page refused, the session was not lost.
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });

  test("a sign-in link works once", async ({ page, browser }) => {
    const link = await signIn(page, "someone@example.org");

    // The same link opened again, in this browser…
    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1, name: "This sign-in link cannot be used" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("button", { name: "Sign in" })).toHaveCount(0);

    // …or in another one, where nobody is signed in: it signs nobody in.
    const other = await browser.newContext();
    try {
      const stranger = await other.newPage();
      await stranger.goto(link);
      await expect(stranger.getByRole("heading", { level: 1, name: "This sign-in link cannot be used" })).toBeVisible();
      await expect(stranger.getByText("It has expired or has already been used.")).toBeVisible();
      await stranger.getByRole("link", { name: "Send a new link" }).click();
      await expect(stranger).toHaveURL("/login");
      await expect(stranger.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    } finally {
      await other.close();
    }
  });
});
