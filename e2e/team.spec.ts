import { expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const ADMINISTRATOR = "organiser@example.org";
const MEETING = "Asia-Pacific Digital Ministers' Roundtable";

test.describe("a meeting's team", () => {
  failOnScriptErrors();

  test("an administrator adds a manager by email, who then signs in and sees only that meeting", async ({ page }) => {
    const manager = `team-manager-${Date.now()}@example.org`;
    await signIn(page, ADMINISTRATOR);
    await page.getByRole("link", { name: MEETING }).click();
    await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Team" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Team: ${MEETING}` })).toBeVisible();

    // A mistyped address is refused next to the field, as it was typed.
    const email = page.getByLabel("Email address");
    await email.fill("team-manager.example.org");
    await page.getByLabel("Role").selectOption({ label: "Manager" });
    await page.getByRole("button", { name: "Add to the team" }).click();
    await expect(page.getByRole("alert")).toContainText("Please correct this field");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveAccessibleDescription(/An email address, e\.g\. name@example\.org/);
    await expect(email).toHaveValue("team-manager.example.org");

    await email.fill(manager);
    await page.getByRole("button", { name: "Add to the team" }).click();
    await expect(page.getByRole("status")).toContainText(`${manager} is now a manager of this meeting`);
    const row = page.getByRole("row").filter({ hasText: manager });
    await expect(row.getByRole("cell", { name: "Manager", exact: true })).toBeVisible();
    await expect(row.getByRole("button", { name: `Remove ${manager}` })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

    // The new manager, signing in for the first time, lands on their console with that meeting alone.
    await signIn(page, manager);
    await expect(page).toHaveURL("/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Meetings you organise" })).toBeVisible();
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1).getByRole("link", { name: MEETING })).toBeVisible();
    // No links they cannot use.
    const main = page.getByRole("main");
    await expect(main.getByRole("link", { name: "New meeting" })).toHaveCount(0);
    await expect(main.getByRole("link", { name: "Programmes", exact: true })).toHaveCount(0);
    await expect(main.getByRole("link", { name: "Administrators" })).toHaveCount(0);

    await page.getByRole("link", { name: MEETING }).click();
    await expect(page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Team" })).toBeVisible();
    // Another meeting's console is not theirs, nor is creating meetings.
    for (const path of ["/admin/meetings/ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific", "/admin/meetings/new"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
    }
  });
});
