import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { type Kysely, sql } from "kysely";
import { loadDemoData } from "../../db/demo-data";
import type { Database, Meeting, NewMeeting, RegistrationStatus } from "../../db/schema";
import { registrationsCsv, registrationsXlsx } from "../../app/registration/exports.server";
import { audienceCount, pastMailings, sendMailing } from "../../app/registration/mailings.server";
import { participantsList } from "../../app/registration/participants-list.server";
import {
  decide,
  registrationFile,
  registrationSummary,
  registrationsPage,
} from "../../app/registration/registration-console.server";
import { filtersToRecord, parseRegistrationFilters, type RegistrationFilters } from "../../app/registration/registration-filters";
import { freshDatabase } from "../support/database";

const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

function filters(query: string): RegistrationFilters {
  const parsed = parseRegistrationFilters(new URLSearchParams(query));
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.message);
  return parsed.filters;
}

async function meetingBySlug(db: Kysely<Database>, slug: string): Promise<Meeting> {
  return db.selectFrom("meetings").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
}

async function statusOf(db: Kysely<Database>, id: number): Promise<RegistrationStatus> {
  return (await db.selectFrom("registrations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
}

async function idsWith(db: Kysely<Database>, meetingId: number, status: RegistrationStatus): Promise<number[]> {
  const rows = await db
    .selectFrom("registrations")
    .select("id")
    .where("meeting_id", "=", meetingId)
    .where("status", "=", status)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => r.id);
}

async function count(db: Kysely<Database>, table: "outbox" | "mailings" | "mailing_recipients" | "registration_status_changes"): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function organiser(db: Kysely<Database>, email = "organiser@example.org"): Promise<number> {
  const row = await db
    .insertInto("users")
    .values({ email, role: "administrator" })
    .onConflict((oc) => oc.column("email").doUpdateSet({ role: "administrator" }))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A meeting of its own for a test, copied from a demo meeting with another slug and no registrations. */
async function copyOfMeeting(db: Kysely<Database>, from: Meeting, overrides: Partial<NewMeeting> = {}): Promise<Meeting> {
  const { id: _id, confirmed_count: _c, waitlisted_count: _w, pending_count: _p, created_at: _ca, updated_at: _ua, ...rest } = from;
  return db
    .insertInto("meetings")
    .values({ ...rest, slug: `${from.slug}-copy-${randomBytes(3).toString("hex")}`, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

let people = 0;
async function addRegistration(
  db: Kysely<Database>,
  meetingId: number,
  values: Partial<{ first_name: string; last_name: string; country: string; gender: "female" | "male" | "other" | "undisclosed"; category: "government" | "expert"; status: RegistrationStatus; answers: string; organisation: string; attendance_mode: "in_person" | "online"; job_title: string | null; salutation: string | null }> = {},
) {
  people++;
  return db
    .insertInto("registrations")
    .values({
      meeting_id: meetingId,
      email: `person${people}-${randomBytes(3).toString("hex")}@example.org`,
      salutation: "Ms",
      first_name: "Test",
      last_name: `Person ${people}`,
      organisation: "Ministry of ICT",
      job_title: "Director",
      country: "TH",
      gender: "female",
      category: "government",
      attendance_mode: "in_person",
      status: "confirmed",
      manage_token_hash: randomBytes(32),
      consent_at: new Date(),
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

describe("the organisers' registrations console", async () => {
  const { db } = await freshDatabase();
  await loadDemoData(db);
  const egm = await meetingBySlug(db, EGM);
  const organiserId = await organiser(db);

  describe("filters", () => {
    it("are read from the query string, blanks ignored and countries upper-cased", () => {
      assert.deepEqual(filtersToRecord(filters("status=pending&category=&country=th&q=%20ministry%20")), { status: "pending", country: "TH", q: "ministry" });
    });

    it("refuse unknown values with a message that names the value", () => {
      for (const [query, pattern] of [
        ["status=maybe", /Unknown status "maybe"/],
        ["category=royalty", /Unknown category "royalty"/],
        ["gender=x", /Unknown gender "x"/],
        ["attendanceMode=teleport", /Unknown attendanceMode "teleport"/],
        ["country=Thailand", /two-letter ISO code/],
        [`q=${"a".repeat(201)}`, /at most 200/],
      ] as const) {
        const parsed = parseRegistrationFilters(new URLSearchParams(query));
        assert.equal(parsed.ok, false, query);
        assert.match(parsed.ok ? "" : parsed.message, pattern);
      }
    });

    it("select exactly the matching registrations, and count the filtered set by status", async () => {
      const cases = [
        ["status=pending", (r: { status: string }) => r.status === "pending"],
        ["status=active", (r: { status: string }) => ["pending", "confirmed", "waitlisted"].includes(r.status)],
        ["category=government", (r: { category: string }) => r.category === "government"],
        ["country=TH", (r: { country: string }) => r.country === "TH"],
        ["gender=female", (r: { gender: string }) => r.gender === "female"],
        ["attendanceMode=online", (r: { attendance_mode: string }) => r.attendance_mode === "online"],
        ["status=confirmed&gender=female&attendanceMode=in_person", (r: { status: string; gender: string; attendance_mode: string }) =>
          r.status === "confirmed" && r.gender === "female" && r.attendance_mode === "in_person"],
      ] as const;
      const all = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", egm.id).execute();
      for (const [query, keep] of cases) {
        const expected = all.filter(keep as (r: (typeof all)[number]) => boolean);
        const page = await registrationsPage(db, egm, filters(query), 1, 1_000);
        assert.equal(page.total, expected.length, query);
        assert.deepEqual(page.rows.map((r) => r.id).sort(), expected.map((r) => r.id).sort(), query);
        assert.equal(page.meetingTotal, all.length);
        for (const status of ["pending", "confirmed", "waitlisted", "declined", "cancelled"] as const) {
          assert.equal(page.byStatus[status], expected.filter((r) => r.status === status).length, `${query}: ${status}`);
        }
      }
    });

    it("search names (either order), emails and organisations, case-insensitively, with % and _ taken literally", async () => {
      const someone = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", egm.id).orderBy("id").executeTakeFirstOrThrow();
      for (const q of [someone.first_name.toUpperCase(), `${someone.first_name} ${someone.last_name}`, `${someone.last_name} ${someone.first_name}`, someone.email]) {
        const page = await registrationsPage(db, egm, filters(`q=${encodeURIComponent(q)}`), 1, 1_000);
        assert.ok(page.rows.some((r) => r.id === someone.id), q);
      }
      const byOrganisation = await registrationsPage(db, egm, filters("q=telecommunication%20union"), 1, 1_000);
      assert.ok(byOrganisation.total > 0);
      assert.ok(byOrganisation.rows.every((r) => r.organisation === "International Telecommunication Union"));
      assert.equal((await registrationsPage(db, egm, filters("q=%25"), 1, 1_000)).total, 0);
      assert.equal((await registrationsPage(db, egm, filters("q=_"), 1, 1_000)).total, 0);
    });

    it("search a registration's names and organisation as they are now, not as they were", async () => {
      const someone = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", egm.id).orderBy("id", "desc").executeTakeFirstOrThrow();
      const found = async (q: string) => (await registrationsPage(db, egm, filters(`q=${encodeURIComponent(q)}`), 1, 1_000)).rows.some((r) => r.id === someone.id);
      const formerName = `${someone.first_name} ${someone.last_name}`;
      assert.ok(await found(formerName));
      await db.updateTable("registrations").set({ last_name: "Ørsted-Quayle", organisation: "Bureau Zyxwvut" }).where("id", "=", someone.id).execute();
      try {
        assert.ok(await found("ØRSTED-QUAYLE"), "the new family name, in any case");
        assert.ok(await found(`Ørsted-Quayle ${someone.first_name}`));
        assert.ok(await found("bureau zyxwvut"));
        assert.equal(await found(formerName), false, "the former name is no longer found");
      } finally {
        await db.updateTable("registrations").set({ last_name: someone.last_name, organisation: someone.organisation }).where("id", "=", someone.id).execute();
      }
    });

    it("page through the set", async () => {
      const all = await registrationsPage(db, egm, {}, 1, 1_000);
      const first = await registrationsPage(db, egm, {}, 1, 7);
      const second = await registrationsPage(db, egm, {}, 2, 7);
      assert.equal(first.pageCount, Math.ceil(all.total / 7));
      assert.deepEqual([...first.rows, ...second.rows].map((r) => r.id), all.rows.slice(0, 14).map((r) => r.id));
    });
  });

  describe("decisions", () => {
    it("confirm a pending registration through changeRegistrationStatus: history by the organiser, and an email", async () => {
      const meeting = await copyOfMeeting(db, egm, { capacity: 5 });
      const pending = await addRegistration(db, meeting.id, { status: "pending" });
      const outboxBefore = await count(db, "outbox");
      const [outcome] = await decide(db, { meetingId: meeting.id, registrationIds: [pending.id], to: "confirmed", by: organiserId });
      assert.deepEqual(outcome, { registrationId: pending.id, name: `Ms Test ${pending.last_name}`, ok: true, changed: true });
      assert.equal(await statusOf(db, pending.id), "confirmed");
      const change = await db.selectFrom("registration_status_changes").selectAll().where("registration_id", "=", pending.id).executeTakeFirstOrThrow();
      assert.deepEqual([change.from_status, change.to_status, change.changed_by], ["pending", "confirmed", organiserId]);
      assert.equal(await count(db, "outbox"), outboxBefore + 1);
    });

    it("report a refusal (no places left) and change nothing for that person, while the others go through", async () => {
      const meeting = await copyOfMeeting(db, egm, { capacity: 3 });
      await addRegistration(db, meeting.id, { status: "confirmed" });
      const pending = [];
      for (let i = 0; i < 4; i++) pending.push(await addRegistration(db, meeting.id, { status: "pending" }));
      const changesBefore = await count(db, "registration_status_changes");
      const outboxBefore = await count(db, "outbox");
      const outcomes = await decide(db, { meetingId: meeting.id, registrationIds: pending.map((p) => p.id), to: "confirmed", by: organiserId });
      assert.deepEqual(outcomes.map((o) => o.ok), [true, true, false, false]);
      for (const outcome of outcomes.filter((o) => !o.ok)) assert.match(outcome.ok ? "" : outcome.message, /No places left \(3 of 3 confirmed\)/);
      assert.deepEqual(await Promise.all(pending.map((p) => statusOf(db, p.id))), ["confirmed", "confirmed", "pending", "pending"]);
      assert.equal(await count(db, "registration_status_changes"), changesBefore + 2);
      assert.equal(await count(db, "outbox"), outboxBefore + 2);
    });

    it("do not move a confirmed place to the waiting list (the freed place would go straight back to it)", async () => {
      const meeting = await copyOfMeeting(db, egm, { capacity: 5 });
      const confirmed = await addRegistration(db, meeting.id, { status: "confirmed" });
      const changesBefore = await count(db, "registration_status_changes");
      const [outcome] = await decide(db, { meetingId: meeting.id, registrationIds: [confirmed.id], to: "waitlisted", by: organiserId });
      assert.equal(outcome?.ok, false);
      assert.match(outcome?.ok ? "" : (outcome?.message ?? ""), /Cancel or decline it instead/);
      assert.equal(await statusOf(db, confirmed.id), "confirmed");
      assert.equal(await count(db, "registration_status_changes"), changesBefore);
    });

    it("refuse another meeting's registration", async () => {
      const other = await meetingBySlug(db, "regional-training-on-broadband-mapping");
      const [theirs] = await idsWith(db, other.id, "confirmed");
      const [outcome] = await decide(db, { meetingId: egm.id, registrationIds: [theirs!], to: "cancelled", by: organiserId });
      assert.equal(outcome?.ok, false);
      assert.equal(await statusOf(db, theirs!), "confirmed");
    });
  });

  describe("one registration's file", () => {
    it("has its answers under the questions' labels, its follow-up, and its history: who, when, in the meeting's zone", async () => {
      const meeting = await copyOfMeeting(db, egm, { capacity: 1 });
      const [single, multiple, yesNo] = await db
        .insertInto("registration_questions")
        .values([
          { meeting_id: meeting.id, position: 1, label: "Which session will you chair?", kind: "single_choice", required: false, options: ["Opening", "Closing"] },
          { meeting_id: meeting.id, position: 2, label: "Topics of interest", kind: "multiple_choice", required: false, options: ["Cables", "Satellites", "Early warning"] },
          { meeting_id: meeting.id, position: 3, label: "Do you need a visa?", kind: "yes_no", required: true },
        ])
        .returning("id")
        .execute();
      const first = await addRegistration(db, meeting.id, { status: "confirmed" });
      const waiting = await addRegistration(db, meeting.id, {
        status: "waitlisted",
        answers: JSON.stringify({ [single!.id]: "Closing", [multiple!.id]: ["Cables", "Early warning"], [yesNo!.id]: "yes" }),
      });
      await db.insertInto("registration_status_changes").values({ registration_id: waiting.id, from_status: null, to_status: "waitlisted", changed_by: null }).execute();
      await db
        .insertInto("registration_follow_ups")
        .values({
          registration_id: waiting.id,
          arrival_date: "2026-12-01",
          arrival_time: "14:30",
          arrival_flight: "TG 971",
          departure_date: null,
          departure_time: null,
          departure_flight: null,
          hotel: "Royal Princess",
          needs_visa_letter: true,
          passport_name: null,
          passport_nationality: null,
          travel_funding_requested: false,
          travel_funding_decision: null,
          travel_funding_decided_by: null,
          travel_funding_decided_at: null,
        })
        .execute();
      // Cancelling the confirmed place promotes the waiting person: a change by the system.
      await decide(db, { meetingId: meeting.id, registrationIds: [first.id], to: "cancelled", by: organiserId });
      assert.equal(await statusOf(db, waiting.id), "confirmed");
      await decide(db, { meetingId: meeting.id, registrationIds: [waiting.id], to: "declined", by: organiserId });

      const file = await registrationFile(db, meeting, waiting.id);
      assert.ok(file);
      assert.deepEqual(
        file.answers.map((a) => [a.label, a.answer]),
        [
          ["Which session will you chair?", "Closing"],
          ["Topics of interest", "Cables; Early warning"],
          ["Do you need a visa?", "Yes"],
        ],
      );
      assert.equal(file.followUp?.hotel, "Royal Princess");
      assert.equal(file.followUp?.needs_visa_letter, true);
      assert.deepEqual(
        file.history.map((h) => [h.from, h.to, h.by]),
        [
          [null, "waitlisted", "participant"],
          ["waitlisted", "confirmed", "system"],
          ["confirmed", "declined", "organiser@example.org"],
        ],
      );
      for (const entry of file.history) assert.match(entry.at, /^\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} Bangkok time$/);
    });

    it("is not found for another meeting's registration or an unknown id", async () => {
      const other = await meetingBySlug(db, "regional-training-on-broadband-mapping");
      const [theirs] = await idsWith(db, other.id, "confirmed");
      assert.equal(await registrationFile(db, egm, theirs!), undefined);
      assert.equal(await registrationFile(db, egm, 2_000_000_000), undefined);
    });
  });

  describe("exports", async () => {
    const meeting = await copyOfMeeting(db, egm);
    const [choice, topics] = await db
      .insertInto("registration_questions")
      .values([
        { meeting_id: meeting.id, position: 1, label: "Preferred session", kind: "single_choice", required: true, options: ["Morning", "Afternoon"] },
        { meeting_id: meeting.id, position: 2, label: "Topics", kind: "multiple_choice", required: false, options: ["Cables", "Satellites", "Early warning"] },
      ])
      .returning("id")
      .execute();
    const thai = await addRegistration(db, meeting.id, {
      first_name: "สมชาย",
      last_name: "ใจดี",
      country: "TH",
      gender: "male",
      answers: JSON.stringify({ [choice!.id]: "Morning", [topics!.id]: ["Cables", "Early warning"] }),
    });
    const chinese = await addRegistration(db, meeting.id, { first_name: "伟", last_name: "张", country: "CN", status: "pending" });
    const russian = await addRegistration(db, meeting.id, { first_name: "Сергей", last_name: "Иванов", country: "RU", organisation: "=HYPERLINK(\"http://evil.example\")" });

    it("CSV: UTF-8 with a byte order mark, a header, one row per registration, non-Latin names intact, answers in their columns", async () => {
      const csv = await registrationsCsv(db, meeting.id, {});
      assert.equal(csv.charCodeAt(0), 0xfeff, "starts with a byte order mark");
      const bytes = Buffer.from(csv, "utf8");
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
      assert.equal(rows.length, 3);
      const header = Object.keys(rows[0]!);
      for (const column of ["ID", "Status", "First name", "Last name", "Email", "Organisation", "Country", "Category", "Gender", "Attendance mode", "Registered at (UTC)", "Preferred session", "Topics"]) {
        assert.ok(header.includes(column), column);
      }
      const byId = new Map(rows.map((r) => [Number(r.ID), r]));
      assert.equal(byId.get(thai.id)?.["First name"], "สมชาย");
      assert.equal(byId.get(thai.id)?.["Last name"], "ใจดี");
      assert.equal(byId.get(thai.id)?.Country, "Thailand");
      assert.equal(byId.get(thai.id)?.["Preferred session"], "Morning");
      assert.equal(byId.get(thai.id)?.Topics, "Cables; Early warning");
      assert.equal(byId.get(chinese.id)?.["Last name"], "张");
      assert.equal(byId.get(chinese.id)?.Status, "Pending");
      assert.equal(byId.get(chinese.id)?.Topics, "");
      assert.equal(byId.get(russian.id)?.["First name"], "Сергей");
      assert.match(byId.get(thai.id)?.["Registered at (UTC)"] ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      // A cell Excel would run as a formula is kept as text.
      assert.equal(byId.get(russian.id)?.Organisation, "'=HYPERLINK(\"http://evil.example\")");
    });

    it("CSV honours the filters", async () => {
      const rows = parse(await registrationsCsv(db, meeting.id, filters("status=pending")), { bom: true, columns: true }) as Record<string, string>[];
      assert.deepEqual(rows.map((r) => Number(r.ID)), [chinese.id]);
    });

    it("XLSX: the same columns and rows, header bold and frozen", async () => {
      const buffer = await registrationsXlsx(db, meeting, {});
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet("Registrations");
      assert.ok(sheet);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const csvHeader = Object.keys((parse(await registrationsCsv(db, meeting.id, {}), { bom: true, columns: true }) as Record<string, string>[])[0]!);
      assert.deepEqual(header, csvHeader);
      assert.equal(sheet.getRow(1).getCell(1).font?.bold, true);
      assert.equal(sheet.views[0]?.state, "frozen");
      assert.equal((sheet.views[0] as { ySplit?: number }).ySplit, 1);
      assert.equal(sheet.rowCount, 4);
      const column = (name: string) => header.indexOf(name) + 1;
      const thaiRow = [2, 3, 4].map((n) => sheet.getRow(n)).find((row) => row.getCell(column("ID")).value === thai.id);
      assert.ok(thaiRow);
      assert.equal(thaiRow.getCell(column("First name")).value, "สมชาย");
      assert.equal(thaiRow.getCell(column("Topics")).value, "Cables; Early warning");
      const filtered = new ExcelJS.Workbook();
      await filtered.xlsx.load((await registrationsXlsx(db, meeting, filters("country=RU"))) as unknown as ArrayBuffer);
      assert.equal(filtered.getWorksheet("Registrations")?.rowCount, 2);
    });
  });

  describe("the list of participants", () => {
    it("lists confirmed participants only, by country name, then category, then family name", async () => {
      const meeting = await copyOfMeeting(db, egm);
      const add = (first: string, last: string, country: string, category: "government" | "expert", status: RegistrationStatus = "confirmed") =>
        addRegistration(db, meeting.id, { first_name: first, last_name: last, country, category, status });
      await add("Wei", "Zhang", "CN", "expert");
      await add("Li", "Na", "CN", "government");
      await add("Anan", "Wongsakul", "TH", "government");
      await add("Siriporn", "Chaiyaporn", "TH", "government");
      await add("Mere", "Tuilagi", "FJ", "government");
      await add("Pending", "Person", "FJ", "government", "pending");
      await add("Gone", "Away", "AF", "expert", "cancelled");
      const list = await participantsList(db, meeting.id);
      assert.equal(list.total, 5);
      // The app's country names (the UN short names): China sorts as "China".
      assert.deepEqual(
        list.countries.map((c) => [c.countryName, c.categories.map((g) => [g.category, g.participants.map((p) => `${p.firstName} ${p.lastName}`)])]),
        [
          ["China", [["government", ["Li NA"]], ["expert", ["Wei ZHANG"]]]],
          ["Fiji", [["government", ["Mere TUILAGI"]]]],
          ["Thailand", [["government", ["Siriporn CHAIYAPORN", "Anan WONGSAKUL"]]]],
        ],
      );
    });

    it("for a demo meeting, holds every confirmed registration once", async () => {
      const list = await participantsList(db, egm.id);
      const confirmed = await idsWith(db, egm.id, "confirmed");
      const listed = list.countries.flatMap((c) => c.categories.flatMap((g) => g.participants.map((p) => p.id)));
      assert.deepEqual(listed.sort(), confirmed.sort());
      const names = list.countries.map((c) => c.countryName);
      assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "en")));
    });
  });

  describe("mailings", () => {
    it("write one outbox email per recipient, the mailing and its recipients, in one transaction", async () => {
      const audience = filters("status=confirmed&category=government");
      const expected = await db
        .selectFrom("registrations")
        .select(["id", "email"])
        .where("meeting_id", "=", egm.id)
        .where("status", "=", "confirmed")
        .where("category", "=", "government")
        .execute();
      assert.ok(expected.length > 1);
      assert.equal(await audienceCount(db, egm.id, audience), expected.length);
      const outboxBefore = await count(db, "outbox");
      const result = await sendMailing(db, {
        meeting: egm,
        subject: "Logistics note",
        body: "Please bring your **passport**.\n\n<script>alert(1)</script>\n\n- Room G\n- [Agenda](https://example.org/agenda)",
        filters: audience,
        sentBy: organiserId,
      });
      assert.ok(result.ok);
      assert.equal(result.recipients, expected.length);
      assert.equal(await count(db, "outbox"), outboxBefore + expected.length);

      const mailing = await db.selectFrom("mailings").selectAll().where("id", "=", result.mailingId).executeTakeFirstOrThrow();
      assert.equal(mailing.recipient_count, expected.length);
      assert.deepEqual(mailing.audience, { status: "confirmed", category: "government" });
      assert.equal(mailing.sent_by, organiserId);
      const recipients = await db
        .selectFrom("mailing_recipients")
        .innerJoin("outbox", "outbox.id", "mailing_recipients.outbox_id")
        .innerJoin("registrations", "registrations.id", "mailing_recipients.registration_id")
        .select(["registrations.email as registrant", "outbox.to_address", "outbox.subject", "outbox.html", "outbox.text", "outbox.template", "registrations.first_name"])
        .where("mailing_recipients.mailing_id", "=", result.mailingId)
        .execute();
      assert.equal(recipients.length, expected.length);
      assert.deepEqual(recipients.map((r) => r.to_address).sort(), expected.map((r) => r.email).sort());
      for (const r of recipients) {
        assert.equal(r.to_address, r.registrant);
        assert.equal(r.subject, "Logistics note");
        assert.equal(r.template, "registrants-message");
        assert.ok(r.html.includes(`Dear ${r.first_name},`));
        assert.ok(r.html.includes("<strong>passport</strong>"));
        assert.ok(!r.html.includes("<script>"), "no script from the markdown");
        assert.ok(r.html.includes(`/meetings/${egm.slug}`), "links to the meeting page");
        assert.ok(r.text.includes("Please bring your **passport**."));
        assert.ok(r.text.includes(`/meetings/${egm.slug}`));
      }
      const listed = await pastMailings(db, egm);
      assert.equal(listed[0]?.subject, "Logistics note");
      assert.equal(listed[0]?.recipients, expected.length);
      assert.equal(listed[0]?.sentBy, "organiser@example.org");
      assert.equal(listed[0]?.audience, "Confirmed · Government");
      assert.match(listed[0]?.sentAt ?? "", /Bangkok time$/);
    });

    it("leave nothing behind when any part fails", async () => {
      const before = await Promise.all([count(db, "outbox"), count(db, "mailings"), count(db, "mailing_recipients")]);
      await sql`create function fail_mailing_recipients() returns trigger language plpgsql as $$ begin raise exception 'simulated failure'; end $$`.execute(db);
      await sql`create trigger fail_mailing_recipients before insert on mailing_recipients for each statement execute function fail_mailing_recipients()`.execute(db);
      try {
        await assert.rejects(
          sendMailing(db, { meeting: egm, subject: "Will fail", body: "Nothing", filters: filters("status=confirmed"), sentBy: organiserId }),
          /simulated failure/,
        );
      } finally {
        await sql`drop trigger fail_mailing_recipients on mailing_recipients`.execute(db);
        await sql`drop function fail_mailing_recipients()`.execute(db);
      }
      assert.deepEqual(await Promise.all([count(db, "outbox"), count(db, "mailings"), count(db, "mailing_recipients")]), before);
    });

    it("send nothing to an empty audience", async () => {
      const before = await Promise.all([count(db, "outbox"), count(db, "mailings")]);
      const result = await sendMailing(db, { meeting: egm, subject: "Nobody", body: "Hello", filters: filters("status=waitlisted"), sentBy: organiserId });
      assert.equal(result.ok, false);
      assert.deepEqual(await Promise.all([count(db, "outbox"), count(db, "mailings")]), before);
    });
  });

  describe("the summary", () => {
    it("equals the underlying rows", async () => {
      for (const slug of [EGM, "regional-training-on-broadband-mapping", "webinar-digital-government-services-for-all"]) {
        const meeting = await meetingBySlug(db, slug);
        const rows = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).execute();
        const summary = await registrationSummary(db, meeting.id);
        const active = rows.filter((r) => ["pending", "confirmed", "waitlisted"].includes(r.status));
        const confirmed = rows.filter((r) => r.status === "confirmed");
        assert.equal(summary.total, rows.length);
        for (const { key, count: n } of summary.byStatus) assert.equal(n, rows.filter((r) => r.status === key).length, `${slug} ${key}`);
        for (const [list, field] of [
          [summary.byCategory, "category"],
          [summary.byGender, "gender"],
          [summary.byCountry, "country"],
        ] as const) {
          const keys = new Set(active.map((r) => r[field]));
          assert.deepEqual(new Set(list.map((row) => row.key)), keys, `${slug} ${field}`);
          for (const row of list) {
            assert.equal(row.registered, active.filter((r) => r[field] === row.key).length, `${slug} ${field} ${row.key}`);
            assert.equal(row.confirmed, confirmed.filter((r) => r[field] === row.key).length, `${slug} ${field} ${row.key}`);
          }
        }
        const women = confirmed.filter((r) => r.gender === "female").length;
        assert.equal(summary.confirmed, confirmed.length);
        assert.equal(summary.women, women);
        assert.equal(summary.womenShare, Math.round((women / confirmed.length) * 1000) / 10);
        // Countries in the order of their names.
        const names = summary.byCountry.map((c) => c.name);
        assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "en")));
      }
    });

    it("says there is no share of women when nobody is confirmed", async () => {
      const meeting = await copyOfMeeting(db, egm);
      await addRegistration(db, meeting.id, { status: "pending", gender: "female" });
      const summary = await registrationSummary(db, meeting.id);
      assert.equal(summary.confirmed, 0);
      assert.equal(summary.womenShare, null);
      assert.deepEqual(summary.byGender, [{ key: "female", confirmed: 0, registered: 1 }]);
    });
  });
});
