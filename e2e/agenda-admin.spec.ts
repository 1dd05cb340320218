import { type Locator, type Page, expect, test } from "@playwright/test";
import { DateTime } from "luxon";
import { failOnScriptErrors, signIn } from "./support";

const ORGANISER = "organiser@example.org";

/** A day `days` from now in Bangkok, as a date input takes it. */
function dayFromNow(days: number): string {
  return DateTime.now().setZone("Asia/Bangkok").plus({ days }).toFormat("yyyy-MM-dd");
}

async function createMeeting(page: Page, title: string, firstDay: string, lastDay: string) {
  await page.goto("/admin/meetings/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Kind").selectOption({ label: "Workshop" });
  await page.getByLabel("Organising body").fill("ESCAP");
  await page.getByLabel("Time zone").fill("Asia/Bangkok");
  await page.getByLabel("First day").fill(firstDay);
  await page.getByLabel("Last day").fill(lastDay);
  await page.getByLabel("Format").selectOption({ label: "In person" });
  await page.getByLabel("City", { exact: true }).fill("Bangkok");
  await page.getByLabel("Country", { exact: true }).selectOption({ label: "Thailand" });
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("status")).toHaveText("Meeting created as a draft.");
}

interface NewItem {
  title: string;
  kind: string;
  day: string;
  start: string;
  end: string;
  room?: string;
  person?: { name: string; role: string; affiliation: string };
}

async function addItem(page: Page, item: NewItem) {
  const form = page.getByRole("region", { name: "Add an item" });
  await form.getByLabel("Title").fill(item.title);
  await form.getByLabel("Kind").selectOption({ label: item.kind });
  await form.getByLabel("Day").selectOption({ value: item.day });
  await form.getByLabel("Start").fill(item.start);
  await form.getByLabel("End").fill(item.end);
  if (item.room) await form.getByLabel("Room or track").selectOption({ label: item.room });
  if (item.person) {
    const row = form.getByRole("group", { name: "Person 1" });
    await row.getByLabel("Name").fill(item.person.name);
    await row.getByLabel("Role").selectOption({ label: item.person.role });
    await row.getByLabel("Affiliation").fill(item.person.affiliation);
  }
  await form.getByRole("button", { name: "Add item" }).click();
  await expect(page.getByRole("status")).toHaveText("Item added to the agenda.");
  await expect(form.getByLabel("Title"), "the form is empty again").toHaveValue("");
}

/** The agenda's entry for an item, found by its title (its heading also carries the kind). */
function entry(scope: Page | Locator, title: string): Locator {
  const page = "page" in scope ? scope.page() : scope;
  return scope.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 4, name: new RegExp(`^${title} `) }) });
}

test.describe("the organisers' agenda builder", () => {
  failOnScriptErrors();

  test("an organiser builds a two-day agenda with two rooms, sees a clash, edits, moves and deletes, then changes the meeting's zone keeping clock times", async ({ page }) => {
    const title = `E2E Workshop on Spectrum ${Date.now()}`;
    const [day1, day2] = [dayFromNow(60), dayFromNow(61)];
    const heading = (day: string) => new RegExp(`^${DateTime.fromISO(day).toFormat("cccc d LLLL yyyy")}`);
    await signIn(page, ORGANISER);
    await createMeeting(page, title, day1, day2);
    await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Agenda" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Agenda: ${title}` })).toBeVisible();
    await expect(page.getByText("Times in Bangkok time (Asia/Bangkok, GMT+7)", { exact: true })).toBeVisible();

    await test.step("two rooms", async () => {
      for (const room of ["Plenary Hall", "Room B"]) {
        await page.getByLabel("New room or track").fill(room);
        await page.getByRole("button", { name: "Add room" }).click();
        await expect(page.getByRole("status")).toHaveText("Room added.");
      }
      await expect(page.getByLabel("Room or track").getByRole("option")).toHaveText(["None (plenary or online)", "Plenary Hall", "Room B"]);
    });

    await test.step("items on both days, two of them in parallel", async () => {
      await addItem(page, {
        title: "Opening",
        kind: "Opening",
        day: day1,
        start: "09:00",
        end: "09:30",
        room: "Plenary Hall",
        person: { name: "Dr Maria Santos", role: "Chair", affiliation: "ITU" },
      });
      await addItem(page, { title: "Spectrum auctions", kind: "Session", day: day1, start: "10:00", end: "12:00", room: "Plenary Hall" });
      await addItem(page, { title: "Satellite side event", kind: "Side event", day: day1, start: "10:00", end: "12:00", room: "Room B" });
      await addItem(page, { title: "Closing", kind: "Closing", day: day2, start: "15:00", end: "16:00", room: "Plenary Hall" });
      const first = page.getByRole("region", { name: heading(day1) });
      await expect(first).toContainText("times in Bangkok time (Asia/Bangkok, GMT+7)");
      await expect(first.getByRole("heading", { level: 4 })).toHaveText(["Opening Opening", "Spectrum auctions Session", "Satellite side event Side event"]);
      await expect(entry(first, "Opening")).toContainText("Chair: Dr Maria Santos, ITU");
      await expect(entry(first, "Spectrum auctions")).toContainText("10:00–12:00 · Plenary Hall");
      await expect(entry(first, "Satellite side event")).toContainText("10:00–12:00 · Room B");
      await expect(page.getByRole("region", { name: heading(day2) }).getByRole("heading", { level: 4 })).toHaveText(["Closing Closing"]);
      await expect(page.getByRole("note", { name: "Room clashes" })).toHaveCount(0);
      await expect(page.getByText(/^Last updated .* Bangkok time by organiser@example\.org$/)).toBeVisible();
    });

    await test.step("a clash in one room is a warning, and an edit clears it", async () => {
      await addItem(page, { title: "Press briefing", kind: "Other", day: day1, start: "11:30", end: "12:15", room: "Plenary Hall" });
      const warning = page.getByRole("note", { name: "Room clashes" });
      await expect(warning).toContainText("Two items overlap in the same room");
      await expect(warning).toContainText("Plenary Hall: Spectrum auctions and Press briefing");

      await page.getByRole("link", { name: "Edit “Press briefing”" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Edit “Press briefing”" })).toBeVisible();
      await expect(page.getByText("Times in Bangkok time (Asia/Bangkok, GMT+7)", { exact: true })).toBeVisible();
      await expect(page.getByLabel("Start")).toHaveValue("11:30");
      await page.getByLabel("Start").fill("12:00");
      await page.getByLabel("End").fill("12:30");
      await page.getByRole("button", { name: "Save item" }).click();
      await expect(page.getByRole("status")).toHaveText("Item saved.");
      await expect(page.getByRole("note", { name: "Room clashes" })).toHaveCount(0);
      await expect(entry(page, "Press briefing")).toContainText("12:00–12:30 · Plenary Hall");
    });

    await test.step("move the side event to the second day, keeping its length", async () => {
      const side = entry(page, "Satellite side event");
      await side.getByText("Move", { exact: true }).click();
      await side.getByLabel("Day").selectOption({ value: day2 });
      await side.getByLabel("New start (HH:mm)").fill("13:30");
      await side.getByRole("button", { name: "Move “Satellite side event”" }).click();
      await expect(page.getByRole("status")).toHaveText("Item moved.");
      const second = page.getByRole("region", { name: heading(day2) });
      await expect(entry(second, "Satellite side event")).toContainText("13:30–15:30 · Room B");
    });

    await test.step("delete after confirming", async () => {
      const press = entry(page, "Press briefing");
      await press.getByText("Delete", { exact: true }).click();
      await press.getByRole("button", { name: "Yes, delete “Press briefing”" }).click();
      await expect(page.getByRole("status")).toHaveText("Item deleted.");
      await expect(entry(page, "Press briefing")).toHaveCount(0);
    });

    await test.step("a new zone for the meeting asks what the items keep", async () => {
      await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Meeting", exact: true }).click();
      await page.getByLabel("Time zone").fill("Asia/Tokyo");
      await page.getByRole("button", { name: "Save changes" }).click();
      const question = page.getByRole("group", { name: "The time zone changes: what should the agenda's items keep?" });
      await expect(question).toBeVisible();
      await expect(page.getByLabel("Time zone")).toHaveValue("Asia/Tokyo");
      await question.getByLabel(/Their clock times/).check();
      await page.getByRole("button", { name: "Save changes" }).click();
      await expect(page.getByRole("status")).toHaveText("Changes saved.");
      await page.getByRole("navigation", { name: "Meeting console" }).getByRole("link", { name: "Agenda" }).click();
      await expect(page.getByText("Times in Tokyo time (Asia/Tokyo, GMT+9)", { exact: true })).toBeVisible();
      await expect(entry(page, "Opening")).toContainText("09:00–09:30 · Plenary Hall");
    });
  });
});
