import { expect, test } from "@playwright/test";
import PDFDocument from "pdfkit";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";
const MEETING = "/admin/meetings/regional-workshop-on-rural-connectivity-and-community-networks";

/** A one-page PDF saying `text`. */
function pdf(text: string): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.text(text);
  doc.end();
  return done;
}

test.describe("an organiser's documents", () => {
  failOnScriptErrors();

  test("uploads a PDF, sees it listed, uploads a new version and sees the history", async ({ page }) => {
    const symbol = `ESCAP/RW/${Date.now()}/WP.1`;
    await signIn(page, ORGANISER);
    await page.goto(MEETING);
    await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Documents", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Documents" })).toBeVisible();

    const add = page.getByRole("region", { name: "Add a document" });
    await add.getByLabel("Title").fill("Community networks: a regional review");
    await add.getByLabel("Type").selectOption({ label: "Working paper" });
    await add.getByLabel("Symbol").fill(symbol);
    await add.getByLabel("Distribution").selectOption({ label: "Limited" });
    await add.getByLabel("Who may read it").selectOption({ label: "Everyone" });
    await add.getByLabel("File in English").setInputFiles({ name: "review.pdf", mimeType: "application/pdf", buffer: await pdf("A regional review") });
    await add.getByRole("button", { name: "Add document" }).click();
    // Limited papers are for participants: the form says so, keeps what was typed, and asks for the file again.
    await expect(page.locator("#access-error")).toContainText("A limited document is not for “Everyone”");
    await expect(add.getByLabel("Title")).toHaveValue("Community networks: a regional review");
    await add.getByLabel("Who may read it").selectOption({ label: "Registered participants (pending, waiting list or confirmed)" });
    await add.getByLabel("File in English").setInputFiles({ name: "review.pdf", mimeType: "application/pdf", buffer: await pdf("A regional review") });
    await add.getByRole("button", { name: "Add document" }).click();
    await expect(page.getByRole("status")).toHaveText("Document added.");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(symbol);

    await page.getByRole("link", { name: "‹ All documents" }).click();
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Community networks: a regional review" }) });
    await expect(row).toContainText(symbol);
    await expect(row).toContainText("English (v1)");
    await row.getByRole("link", { name: "Community networks: a regional review" }).click();

    const upload = page.getByRole("region", { name: "Upload a new version or a language" });
    await upload.getByLabel("Language", { exact: true }).selectOption({ label: "English (replaces v1)" });
    await upload.getByLabel(/^File/).setInputFiles({ name: "review-v2.pdf", mimeType: "application/pdf", buffer: await pdf("A regional review, second draft") });
    await upload.getByRole("button", { name: "Upload" }).click();
    await expect(page.getByRole("status")).toHaveText("File uploaded.");

    const history = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Version" }) });
    const current = history.getByRole("row").filter({ hasText: "review-v2.pdf" });
    await expect(current).toContainText("v2");
    await expect(current).toContainText("Current");
    const superseded = history.getByRole("row").filter({ hasText: "review.pdf" }).filter({ hasNotText: "review-v2.pdf" });
    await expect(superseded).toContainText("v1");
    await expect(superseded).toContainText("Superseded");
    await expect(superseded.getByRole("link", { name: "review.pdf" })).toHaveAttribute("href", /\/meetings\/regional-workshop-on-rural-connectivity-and-community-networks\/documents\/\d+\?lang=en&version=1$/);
  });
});
