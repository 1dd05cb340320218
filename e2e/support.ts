import { type Page, expect, test } from "@playwright/test";

/**
 * Signs in as a person does: asks for a link on /login, opens the newest "Your sign-in link" email
 * for that address in the development mailbox, follows its link and confirms with the button.
 * Returns the link that was used, so that a test can try it again.
 */
export async function signIn(page: Page, email: string): Promise<string> {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(email);

  await page.goto("/dev/mailbox");
  // Newest first: the first row for this address and subject is the link just asked for.
  const row = page
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: email, exact: true }) })
    .filter({ has: page.getByRole("link", { name: "Your sign-in link" }) })
    .first();
  await row.getByRole("link", { name: "Your sign-in link" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your sign-in link" })).toBeVisible();

  // The email's own button, not the header's "Sign in" link.
  const mailLink = page.getByRole("main").getByRole("link", { name: "Sign in", exact: true });
  const href = await mailLink.getAttribute("href");
  expect(href, "the email carries a sign-in link").toMatch(/\/login\/verify\?token=/);
  await mailLink.click();

  await expect(page.getByRole("main")).toContainText(`Sign in as ${email}?`);
  await page.getByRole("main").getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return href!;
}

/** Content-Security-Policy violations the current test's page reported (its `securitypolicyviolation` events). */
export const policyViolations: string[] = [];

/**
 * Fails each test of the enclosing group whose page's script throws (buttons such as the cancel
 * question rely on it) or whose page reports a Content-Security-Policy violation: a script the
 * policy refused does nothing, silently.
 */
export function failOnScriptErrors() {
  const pageErrors: string[] = [];
  test.beforeEach(async ({ page }) => {
    pageErrors.length = 0;
    policyViolations.length = 0;
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.text().startsWith("CSP violation:")) policyViolations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber} on ${location.pathname}`),
      );
    });
  });
  test.afterEach(() => {
    expect(pageErrors, "errors in the page's script").toEqual([]);
    expect(policyViolations, "Content-Security-Policy violations").toEqual([]);
  });
}

/** Fills the registration form as a person does, by the fields' labels. */
export async function fillRegistration(page: Page, email: string, options: { attendance?: "In person" | "Online" } = {}) {
  const main = page.getByRole("main");
  await main.getByLabel("Email address").fill(email);
  await main.getByLabel("Salutation").selectOption("Dr");
  await main.getByLabel("First name").fill("Priya");
  await main.getByLabel("Last name").fill("Raghavan");
  await main.getByLabel("Organisation").fill("Department of Telecommunications");
  await main.getByLabel("Job title").fill("Deputy Director");
  await main.getByLabel(/^Country/).selectOption({ label: "India" });
  await main.getByLabel("Participating as").selectOption({ label: "Government" });
  await main.getByLabel("Gender").selectOption({ label: "Female" });
  if (options.attendance) await main.getByLabel("I will attend").selectOption({ label: options.attendance });
  await main.getByLabel("I accept the privacy notice").check();
}
