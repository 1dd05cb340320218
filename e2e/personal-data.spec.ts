import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const PERSON = "forget-me@example.org";

test.describe("a participant's personal data", () => {
  failOnScriptErrors();

  test("downloads their data from /my, then deletes their account with their address typed", async ({ page }) => {
    await signIn(page, PERSON);
    await page.goto("/my");
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download my data" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(await readFile((await download.path())!, "utf8")) as { account: { email: string }; sessions: unknown[] };
    expect(data.account.email).toBe(PERSON);
    expect(data.sessions.length).toBeGreaterThan(0);

    await page.getByRole("link", { name: "Delete my account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Delete my account" })).toBeVisible();
    const confirm = page.getByLabel("Type your email address to confirm");
    await confirm.fill("someone-else@example.org");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByRole("alert")).toContainText("Type your own email address");
    await expect(confirm).toHaveValue("someone-else@example.org");
    await expect(confirm).toHaveAttribute("aria-invalid", "true");

    await confirm.fill(PERSON);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your account is deleted" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/my");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fmy/);
  });
});
