import { type Page, expect, test } from "@playwright/test";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const MINISTERIAL = "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific";
const MINISTERIAL_TITLE = "Ministerial Conference on Digital Cooperation in Asia and the Pacific";

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

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
}

test.describe("an invitation-only meeting", () => {
  failOnScriptErrors();

  test("an organiser issues a code; a delegate registers with it, is confirmed, emailed, and sends travel details", async ({ page }) => {
    test.setTimeout(60_000);
    const stamp = `${Date.now()}-${Math.floor(Math.random() * 1000)}`;
    const label = `Republic of Korea focal point ${stamp}`;
    const email = `e2e-delegate-${stamp}@example.org`;

    // The organiser issues a code for three delegates.
    await signIn(page, ORGANISER);
    await page.goto(`/admin/meetings/${MINISTERIAL}/invitations`);
    await expect(page.getByRole("heading", { level: 1, name: `Invitations: ${MINISTERIAL_TITLE}` })).toBeVisible();
    await page.getByLabel("For whom").fill(label);
    await page.getByLabel("How many people may register with it").fill("3");
    await page.getByRole("button", { name: "Issue code" }).click();
    const issued = page.getByRole("status").filter({ hasText: `New code for ${label}` });
    await expect(issued).toBeVisible();
    const code = (await issued.locator("code").textContent()) ?? "";
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const row = page.getByRole("row").filter({ hasText: label });
    await expect(row).toContainText("0 of 3");
    await expect(row).toContainText("Active");
    await signOut(page);

    // A visitor registers with it.
    await page.goto(`/meetings/${MINISTERIAL}/register`);
    const main = page.getByRole("main");
    await expect(main).toContainText("Registration by invitation");
    await main.getByLabel("Invitation code").fill(code.toLowerCase());
    await main.getByLabel("Email address").fill(email);
    await main.getByLabel("Salutation").selectOption("H.E.");
    await main.getByLabel("First name").fill("Min-jun");
    await main.getByLabel("Last name").fill("Lee");
    await main.getByLabel("Organisation").fill("Ministry of Science and ICT");
    await main.getByLabel(/^Country/).selectOption({ label: "Republic of Korea" });
    await main.getByLabel("Participating as").selectOption({ label: "Government" });
    await main.getByLabel("Gender").selectOption({ label: "Male" });
    await main.getByLabel("I accept the privacy notice").check();
    await main.getByRole("button", { name: "Register", exact: true }).click();
    const status = page.getByRole("status");
    await expect(status).toContainText("Thank you for registering.");
    await expect(status).toContainText("Your place is confirmed");

    // The confirmation is in the development mailbox, and links the travel and visa form.
    await openEmail(page, email, `Registration confirmed: ${MINISTERIAL_TITLE}`);
    await expect(page.getByRole("main")).toContainText("Your place is confirmed.");
    await page.getByRole("main").getByRole("link", { name: "travel and visa form" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Travel, visa letter and funding" })).toBeVisible();

    const form = page.getByRole("main");
    await expect(form.getByLabel("Arrival time (Seoul time)")).toBeVisible();
    await form.getByRole("group", { name: /Do you need a visa support letter/ }).getByLabel("Yes").check();
    await form.getByRole("group", { name: /Do you request travel funding/ }).getByLabel("No").check();
    await form.getByLabel("Name as in your passport").fill("이민준");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("alert")).toContainText("Please correct this field");
    await expect(form.getByLabel("Name as in your passport")).toHaveAccessibleDescription(/in Latin letters/);
    await form.getByLabel("Name as in your passport").fill("LEE Min-jun");
    await form.getByLabel("Hotel").fill("Oakwood Premier Incheon");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status")).toContainText("your travel details are saved");
    await expect(form.getByLabel("Nationality (passport)")).toHaveValue("KR");

    // The organiser sees the code used once, and the delegate among the travel details.
    await signIn(page, ORGANISER);
    await page.goto(`/admin/meetings/${MINISTERIAL}/invitations`);
    await expect(page.getByRole("row").filter({ hasText: label })).toContainText("1 of 3");
    await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Travel and visas" }).click();
    const delegate = page.getByRole("row").filter({ hasText: "H.E. Min-jun Lee" });
    await expect(delegate).toContainText("Oakwood Premier Incheon");
    await expect(delegate).toContainText("LEE Min-jun, Republic of Korea");
    const letter = delegate.getByRole("link", { name: "Visa letter for H.E. Min-jun Lee (PDF)" });
    const response = await page.request.get((await letter.getAttribute("href")) ?? "");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
  });
});
