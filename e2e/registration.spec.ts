import { type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors, fillRegistration, signIn } from "./support";

const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const WORKSHOP_TITLE = "Regional Workshop on Rural Connectivity and Community Networks";
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

/** An address no earlier run has used. */
function uniqueEmail(name: string): string {
  return `e2e-${name}-${Date.now()}-${Math.floor(Math.random() * 1000)}@example.org`;
}

async function submit(page: Page) {
  await page.getByRole("main").getByRole("button", { name: "Register", exact: true }).click();
}

/** Opens the newest email to `email` whose subject starts with `subject` in the development mailbox. */
async function openEmail(page: Page, email: string, subject: string) {
  await page.goto("/dev/mailbox");
  const row = page
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: email, exact: true }) })
    .filter({ has: page.getByRole("link", { name: subject }) })
    .first();
  await row.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
}

test.describe("registering", () => {
  failOnScriptErrors();

  test("for the open workshop: confirmed, emailed, details changed and cancelled through the manage link", async ({ page }) => {
    const email = uniqueEmail("workshop");
    await page.goto(`/meetings/${WORKSHOP}/register`);
    await expect(page.getByRole("heading", { level: 1, name: WORKSHOP_TITLE })).toBeVisible();
    await fillRegistration(page, email);
    await submit(page);
    const status = page.getByRole("status");
    await expect(status).toContainText("Thank you for registering.");
    await expect(status).toContainText("Your place is confirmed");
    await expect(status).toContainText(email);

    // The confirmation, in the development mailbox, with its private link.
    await openEmail(page, email, `Registration confirmed: ${WORKSHOP_TITLE}`);
    await expect(page.getByRole("main")).toContainText("Your place is confirmed.");
    const manageLink = page.getByRole("main").getByRole("link", { name: /\/registrations\/[A-Za-z0-9_-]{43}$/ });
    await manageLink.click();

    await expect(page.getByRole("heading", { level: 1, name: "Your registration" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(email);
    await expect(page.getByRole("main")).toContainText("Confirmed");
    const jobTitle = page.getByRole("main").getByLabel("Job title");
    await expect(jobTitle).toHaveValue("Deputy Director");
    await jobTitle.fill("Director, Rural Connectivity");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status")).toHaveText("Your changes are saved.");
    await expect(page.getByRole("main").getByLabel("Job title")).toHaveValue("Director, Rural Connectivity");

    // Cancelling asks first.
    page.once("dialog", (dialog) => {
      expect(dialog.type()).toBe("confirm");
      void dialog.accept();
    });
    await page.getByRole("button", { name: "Cancel my registration" }).click();
    await expect(page.getByRole("status")).toContainText("Your registration is cancelled.");
    await expect(page.getByRole("main")).toContainText("Cancelled");
    await expect(page.getByRole("button", { name: "Save changes" })).toHaveCount(0);

    await openEmail(page, email, `Registration cancelled: ${WORKSHOP_TITLE}`);
    await expect(page.getByRole("main")).toContainText("As you asked, your registration has been cancelled.");
  });

  test("for the moderated, hybrid expert group meeting: attendance mode asked, registration pending", async ({ page }) => {
    const email = uniqueEmail("egm");
    await page.goto(`/meetings/${EGM}/register`);
    await fillRegistration(page, email);
    // Without the attendance mode the form says what is missing, next to the field, and keeps the rest.
    await page.getByRole("main").getByLabel("I accept the privacy notice").check();
    await submit(page);
    const attendance = page.getByRole("main").getByLabel("I will attend");
    await expect(attendance).toHaveAttribute("aria-invalid", "true");
    await expect(attendance).toHaveAccessibleDescription(/Choose whether you attend in person or online/);
    await expect(page.getByRole("main").getByLabel("Email address")).toHaveValue(email);

    await attendance.selectOption({ label: "Online" });
    await page.getByRole("main").getByLabel("I accept the privacy notice").check();
    await submit(page);
    await expect(page.getByRole("status")).toContainText("Your registration is pending");
  });

  test("twice with the same email: told it is already registered", async ({ page }) => {
    const email = uniqueEmail("twice");
    await page.goto(`/meetings/${WORKSHOP}/register`);
    await fillRegistration(page, email);
    await submit(page);
    await expect(page.getByRole("status")).toContainText("Thank you for registering.");
    await expect(page).toHaveURL(new RegExp(`/meetings/${WORKSHOP}/register\\?registered=1$`));

    // A refresh shows the thanks again and posts nothing: still one email.
    await page.reload();
    await expect(page.getByRole("status")).toContainText("Thank you for registering.");
    await page.goto("/dev/mailbox");
    await expect(page.getByRole("row").filter({ has: page.getByRole("cell", { name: email, exact: true }) })).toHaveCount(1);

    await page.goBack();
    await page.getByRole("link", { name: "Register another person" }).click();
    await expect(page.getByRole("main").getByLabel("Email address")).toHaveValue("");
    await fillRegistration(page, email.toUpperCase());
    await submit(page);
    await expect(page.getByRole("status")).toContainText(`${email} is already registered for this meeting.`);
    await openEmail(page, email, `Your registration: ${WORKSHOP_TITLE}`);
    await expect(page.getByRole("main")).toContainText("Earlier links no longer work.");
  });
});

/**
 * Pages whose address carries a secret (the manage link, the travel form, the sign-in link) send
 * `Referrer-Policy: no-referrer`, so the browser posts their plain HTML forms (without the page's
 * script) with `Origin: null`; the cross-site check takes them on the browser's `Sec-Fetch-Site: same-origin`.
 */
test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the manage link's forms post from this site: details and travel saved, registration cancelled", async ({ page }) => {
    const email = uniqueEmail("no-script");
    await page.goto(`/meetings/${WORKSHOP}/register`);
    await fillRegistration(page, email);
    await submit(page);
    await expect(page.getByRole("status")).toContainText("Your place is confirmed");

    await openEmail(page, email, `Registration confirmed: ${WORKSHOP_TITLE}`);
    const href = await page.getByRole("main").getByRole("link", { name: /\/registrations\/[A-Za-z0-9_-]{43}$/ }).getAttribute("href");
    const opened = await page.goto(href!);
    expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
    await expect(page.getByRole("heading", { level: 1, name: "Your registration" })).toBeVisible();

    const main = page.getByRole("main");
    await main.getByLabel("Job title").fill("Head of Rural Networks");
    const [saving] = await Promise.all([
      page.waitForRequest((request) => request.method() === "POST"),
      main.getByRole("button", { name: "Save changes" }).click(),
    ]);
    expect(await saving.headerValue("origin")).toBe("null");
    expect(await saving.headerValue("sec-fetch-site")).toBe("same-origin");
    await expect(page.getByRole("status")).toHaveText("Your changes are saved.");
    await expect(main.getByLabel("Job title")).toHaveValue("Head of Rural Networks");

    // The travel form, reached from the manage page, posts the same way.
    await main.getByRole("link", { name: "Travel, visa letter and funding" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Travel, visa letter and funding" })).toBeVisible();
    await main.getByRole("group", { name: /Do you need a visa support letter/ }).getByLabel("No").check();
    await main.getByRole("group", { name: /Do you request travel funding/ }).getByLabel("No").check();
    await main.getByLabel("Hotel").fill("Centara Grand");
    const [travel] = await Promise.all([page.waitForRequest((request) => request.method() === "POST"), main.getByRole("button", { name: "Save" }).click()]);
    expect(await travel.headerValue("sec-fetch-site")).toBe("same-origin");
    await expect(page.getByRole("status")).toContainText("your travel details are saved");

    // Without the script nobody asks "are you sure?": the button cancels at once.
    await page.goto(href!);
    await main.getByRole("button", { name: "Cancel my registration" }).click();
    await expect(page.getByRole("status")).toContainText("Your registration is cancelled.");
    await expect(main).toContainText("Cancelled");
  });

  test("signing in with the emailed link", async ({ page }) => {
    const email = uniqueEmail("no-script-sign-in");
    const requests: Promise<[string | null, string | null]>[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/login/verify") {
        requests.push(Promise.all([request.headerValue("origin"), request.headerValue("sec-fetch-site")]));
      }
    });
    await signIn(page, email);
    expect(await Promise.all(requests)).toEqual([["null", "same-origin"]]);
  });
});
