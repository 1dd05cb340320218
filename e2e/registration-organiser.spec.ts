import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const EGM_TITLE = "Expert Group Meeting on e-Resilience and Disaster Risk Reduction";

test.describe("organisers decide on registrations", () => {
  failOnScriptErrors();

  test("confirm a pending registration of the expert group meeting, then export the CSV", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.getByRole("link", { name: EGM_TITLE }).click();
    await expect(page).toHaveURL(`/admin/meetings/${EGM}`);
    await expect(page.getByText("Women among confirmed participants")).toBeVisible();
    await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Registrations", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Registrations" })).toBeVisible();

    // Only the pending ones.
    await page.getByLabel("Status").selectOption({ label: "Pending" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/status=pending/);
    // The name is read once the filtered list is shown, not the one before it.
    await expect(page.getByRole("table").getByRole("cell", { name: "Confirmed", exact: true })).toHaveCount(0);
    const firstRow = page.getByRole("table").getByRole("row").nth(1);
    await expect(firstRow.getByRole("cell", { name: "Pending", exact: true })).toBeVisible();
    const name = (await firstRow.getByRole("link").first().textContent())?.trim() ?? "";
    expect(name).not.toBe("");

    await page.getByRole("button", { name: `Confirm ${name}` }).click();
    await expect(page.getByRole("status").filter({ hasText: `${name}: confirmed, and emailed.` })).toBeVisible();
    // No longer pending: gone from this list; confirmed in the full one.
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
    await page.getByRole("link", { name: "Clear" }).click();
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
    await expect(row.getByRole("cell", { name: "Confirmed", exact: true })).toBeVisible();

    // Its history says who confirmed it.
    await row.getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const history = page.getByRole("table", { name: "History" });
    await expect(history.getByRole("row").filter({ hasText: ORGANISER }).filter({ hasText: "Confirmed" })).toBeVisible();
    await page.getByRole("link", { name: "← All registrations" }).click();

    // The export: a download, UTF-8 with a byte order mark, with that person confirmed.
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${EGM}-registrations-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    const exported = rows.find((r) => [r.Salutation, r["First name"], r["Last name"]].filter(Boolean).join(" ") === name);
    expect(exported, `${name} in the CSV`).toBeTruthy();
    expect(exported!.Status).toBe("Confirmed");
    const table = page.getByRole("status").filter({ hasText: /^\d+ registrations/ });
    await expect(table).toContainText(`${rows.length} registrations`);
  });

  test("the list of participants prints without the site's navigation", async ({ page }) => {
    await signIn(page, ORGANISER);
    await page.goto(`/admin/meetings/${EGM}/participants`);
    await expect(page.getByRole("heading", { level: 1, name: "List of participants" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2 }).first()).toBeVisible();
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("heading", { level: 1, name: "List of participants" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Meeting console" })).toBeHidden();
    await expect(page.getByRole("button", { name: "Print" })).toBeHidden();
  });
});

test.describe("organisers decide on registrations without JavaScript", () => {
  test("a bulk decision shows who would change and waits for the final yes", async ({ page, browser }) => {
    // Signed in with the page's script; the console is then used without.
    await signIn(page, ORGANISER);
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    const plain = await context.newPage();
    await plain.goto(`/admin/meetings/${EGM}/registrations?status=pending`);
    const rows = plain.getByRole("table").getByRole("row");
    const names: string[] = [];
    for (const index of [1, 2]) {
      const link = rows.nth(index).getByRole("link").first();
      names.push((await link.textContent())?.trim() ?? "");
    }
    for (const name of names) await plain.getByRole("checkbox", { name: `Select ${name}` }).check();
    await plain.getByLabel("Action").selectOption({ label: "Waitlist" });
    await plain.getByRole("button", { name: "Review…" }).click();

    await expect(plain.getByRole("heading", { name: "Put 2 registrations on the waiting list?" })).toBeVisible();
    for (const name of names) await expect(plain.getByRole("listitem").filter({ hasText: name })).toBeVisible();
    // Nothing has changed yet.
    const other = await context.newPage();
    await other.goto(`/admin/meetings/${EGM}/registrations?status=waitlisted`);
    for (const name of names) await expect(other.getByRole("link", { name, exact: true })).toHaveCount(0);
    await other.close();
    await plain.getByRole("button", { name: "Yes, put 2 registrations on the waiting list" }).click();
    await expect(plain.getByRole("status").filter({ hasText: "2 registrations put on the waiting list; each person was emailed." })).toBeVisible();

    await plain.goto(`/admin/meetings/${EGM}/registrations?status=waitlisted`);
    for (const name of names) await expect(plain.getByRole("link", { name, exact: true })).toBeVisible();
    await context.close();
  });
});
