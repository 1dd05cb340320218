import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createRequestHandler } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import type { Database, RegistrationStatus } from "../../db/schema";
import { assertBody, assertNoStackTrace, signedIn, startApp } from "./app";

const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";
const TRAINING = "regional-training-on-broadband-mapping";

function form(fields: [string, string][] | Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}

async function registrationsOf(db: Kysely<Database>, slug: string, status?: RegistrationStatus) {
  let query = db
    .selectFrom("registrations")
    .innerJoin("meetings", "meetings.id", "registrations.meeting_id")
    .selectAll("registrations")
    .where("meetings.slug", "=", slug);
  if (status) query = query.where("registrations.status", "=", status);
  return query.orderBy("registrations.created_at").orderBy("registrations.id").execute();
}

async function statusOf(db: Kysely<Database>, id: number) {
  return (await db.selectFrom("registrations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
}

/** HTML text as the page shows it (entities of names with apostrophes decoded). */
function text(html: string): string {
  return html.replaceAll("<!-- -->", "").replace(/<[^>]+>/g, " ").replaceAll("&#x27;", "'").replaceAll("&amp;", "&").replace(/\s+/g, " ");
}

describe("the registrations console over HTTP", async () => {
  const { db, build, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const participant = await signedIn(db, "participant@example.org", "participant");
  const handler = createRequestHandler(build, "production");
  const egm = await db.selectFrom("meetings").selectAll().where("slug", "=", EGM).executeTakeFirstOrThrow();
  const base = `/admin/meetings/${EGM}`;
  const as = { cookie: organiser.cookie };
  const post = (url: string, fields: [string, string][] | Record<string, string>) => request(url, { method: "POST", body: form(fields), ...as });

  /** The raw bytes of an answer (the helper's text() would drop a byte order mark). */
  async function download(url: string) {
    const response = await handler(new Request(new URL(url, "http://localhost:3000"), { headers: { Cookie: organiser.cookie } }));
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, bytes };
  }

  describe("access", () => {
    for (const path of ["/registrations", "/registrations.csv", "/registrations.xlsx", "/participants", "/mailings"]) {
      it(`${path}: sign in first, participants refused`, async () => {
        const anonymous = await request(`${base}${path}`);
        assert.equal(anonymous.status, 302);
        assert.match(anonymous.headers.get("Location") ?? "", /^\/login\?redirectTo=/);
        const refused = await request(`${base}${path}`, { cookie: participant.cookie });
        assert.equal(refused.status, 403);
      });
    }

    it("an unknown meeting is 404", async () => {
      for (const path of ["/registrations", "/registrations.csv", "/participants", "/mailings", "/registrations/1"]) {
        assert.equal((await request(`/admin/meetings/no-such-meeting${path}`, as)).status, 404, path);
      }
    });
  });

  describe("the table", () => {
    it("lists the meeting's registrations with name, organisation, country name, category, gender, mode, status and date", async () => {
      const response = await request(`${base}/registrations`, as);
      assert.equal(response.status, 200);
      const all = await registrationsOf(db, EGM);
      assertBody(text(response.body), `${all.length} registrations`);
      const first = all[0]!;
      const page = text(response.body);
      assert.ok(page.includes(`${first.salutation} ${first.first_name} ${first.last_name}`));
      assertBody(response.body, /Thailand|Japan|India/);
      assertBody(response.body, /Government/);
      assertBody(response.body, /In person|Online/);
      assertBody(response.body, /Confirmed/);
      assertBody(response.body, /class="table-scroll"/);
      for (const label of ["Status", "Category", "Country", "Gender", "Attendance", "Search"]) assertBody(response.body, `>${label}</label>`);
    });

    it("filters by status, category, country, gender and mode, and searches, with the counts of the filtered set", async () => {
      const pending = await registrationsOf(db, EGM, "pending");
      const response = await request(`${base}/registrations?status=pending`, as);
      assert.equal(response.status, 200);
      assertBody(text(response.body), `${pending.length} registrations match the filters`);
      assertBody(text(response.body), `${pending.length} pending`);
      for (const r of pending) assert.ok(text(response.body).includes(`${r.first_name} ${r.last_name}`), r.last_name);
      const confirmedName = (await registrationsOf(db, EGM, "confirmed"))[0]!;
      // The checkbox of someone not pending is not on the page.
      assert.ok(!response.body.includes(`value="${confirmedName.id}" id="select-${confirmedName.id}"`));

      const all = await registrationsOf(db, EGM);
      const combined = all.filter((r) => r.category === "government" && r.gender === "female" && r.attendance_mode === "in_person");
      const filtered = await request(`${base}/registrations?category=government&gender=female&attendanceMode=in_person`, as);
      assertBody(text(filtered.body), `${combined.length} registrations match the filters (of ${all.length})`);

      const country = all[0]!.country;
      const byCountry = await request(`${base}/registrations?country=${country.toLowerCase()}`, as);
      assertBody(text(byCountry.body), `${all.filter((r) => r.country === country).length} registration`);

      const someone = all[3]!;
      const search = await request(`${base}/registrations?q=${encodeURIComponent(someone.email.toUpperCase())}`, as);
      assertBody(text(search.body), "1 registration matches the filters");
      assertBody(text(search.body), `${someone.first_name} ${someone.last_name}`);
    });

    it("refuses bad filter values with 400 and a message", async () => {
      for (const [query, message] of [
        ["status=maybe", 'Unknown status &quot;maybe&quot;'],
        ["category=royalty", 'Unknown category &quot;royalty&quot;'],
        ["gender=unknown", 'Unknown gender &quot;unknown&quot;'],
        ["attendanceMode=teleport", 'Unknown attendanceMode &quot;teleport&quot;'],
        ["country=Thailand", "two-letter ISO code"],
        ["page=0", "Pages start at 1"],
        ["page=abc", "The page is a number"],
      ] as const) {
        const response = await request(`${base}/registrations?${query}`, as);
        assert.equal(response.status, 400, query);
        assertBody(response.body, message, query);
      }
      const csv = await request(`${base}/registrations.csv?status=maybe`, as);
      assert.equal(csv.status, 400);
      assertBody(csv.body, 'Unknown status "maybe"');
    });

    it("pages long lists, keeping the filters in the links", async () => {
      const draft = await db.selectFrom("meetings").select(["id", "slug"]).where("status", "=", "draft").executeTakeFirstOrThrow();
      await db
        .insertInto("registrations")
        .values(
          Array.from({ length: 55 }, (_, i) => ({
            meeting_id: draft.id,
            email: `delegate${i}@example.org`,
            first_name: "Delegate",
            last_name: `Number ${String(i).padStart(2, "0")}`,
            organisation: "Ministry of Foreign Affairs",
            country: "FJ",
            gender: "female" as const,
            category: "government" as const,
            attendance_mode: "in_person" as const,
            status: "pending" as const,
            manage_token_hash: Buffer.from(`${i}`.padStart(32, "x")),
            consent_at: new Date(),
            created_at: new Date(Date.now() - (100 - i) * 60_000),
          })),
        )
        .execute();
      const first = await request(`/admin/meetings/${draft.slug}/registrations?country=FJ`, as);
      assert.equal(first.status, 200);
      assertBody(text(first.body), "55 registrations match the filters (of 55): 55 pending · showing 1–50");
      assertBody(first.body, 'href="/admin/meetings/' + draft.slug + '/registrations?country=FJ&amp;page=2"');
      assertBody(text(first.body), "Delegate Number 49");
      assert.ok(!text(first.body).includes("Delegate Number 50"));
      const second = await request(`/admin/meetings/${draft.slug}/registrations?country=FJ&page=2`, as);
      assertBody(text(second.body), "showing 51–55");
      assertBody(text(second.body), "Page 2 of 2");
      assertBody(text(second.body), "Delegate Number 54");
    });
  });

  describe("one-click decisions", () => {
    it("confirm a pending registration: status, history by the organiser, email to the person", async () => {
      const [pending] = await registrationsOf(db, EGM, "pending");
      const outbox = await db.selectFrom("outbox").select("id").where("to_address", "=", pending!.email).execute();
      const response = await post(`${base}/registrations?status=pending`, { change: `${pending!.id}:confirmed` });
      assert.equal(response.status, 200);
      assertBody(text(response.body), `${pending!.first_name} ${pending!.last_name}: confirmed, and emailed.`);
      assert.equal(await statusOf(db, pending!.id), "confirmed");
      const change = await db
        .selectFrom("registration_status_changes")
        .selectAll()
        .where("registration_id", "=", pending!.id)
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      assert.deepEqual([change.from_status, change.to_status, change.changed_by], ["pending", "confirmed", organiser.userId]);
      const after = await db.selectFrom("outbox").select(["id", "subject"]).where("to_address", "=", pending!.email).execute();
      assert.equal(after.length, outbox.length + 1);
      assert.ok(after.some((m) => m.subject.startsWith("Registration confirmed")));
    });

    it("show the refusal (no places left) as a clear error, never a 500, and change nothing", async () => {
      const [pending] = await registrationsOf(db, EGM, "pending");
      const meeting = await db.selectFrom("meetings").select("confirmed_count").where("id", "=", egm.id).executeTakeFirstOrThrow();
      await db.updateTable("meetings").set({ capacity: meeting.confirmed_count }).where("id", "=", egm.id).execute();
      try {
        const response = await post(`${base}/registrations`, { change: `${pending!.id}:confirmed` });
        assert.equal(response.status, 409);
        assertBody(response.body, /role="alert"/);
        assertBody(response.body, `No places left (${meeting.confirmed_count} of ${meeting.confirmed_count} confirmed)`);
        assert.equal(await statusOf(db, pending!.id), "pending");
      } finally {
        await db.updateTable("meetings").set({ capacity: 40 }).where("id", "=", egm.id).execute();
      }
    });

    it("refuse another meeting's registration and unknown actions", async () => {
      const [theirs] = await registrationsOf(db, TRAINING, "confirmed");
      const response = await post(`${base}/registrations`, { change: `${theirs!.id}:cancelled` });
      assert.equal(response.status, 409);
      assertBody(response.body, "No such registration for this meeting.");
      assert.equal(await statusOf(db, theirs!.id), "confirmed");
      assert.equal((await post(`${base}/registrations`, { change: `${theirs!.id}:pending` })).status, 400);
      assert.equal((await post(`${base}/registrations`, { change: "x" })).status, 400);
      assert.equal((await post(`${base}/registrations`, { intent: "explode" })).status, 400);
    });
  });

  describe("bulk decisions", () => {
    it("ask for confirmation first, then decide each through the status change (history and email)", async () => {
      const pending = (await registrationsOf(db, EGM, "pending")).slice(0, 3);
      assert.equal(pending.length, 3);
      const changesBefore = await db.selectFrom("registration_status_changes").select("id").execute();
      const review = await post(`${base}/registrations?status=pending`, [
        ["to", "declined"],
        ["scope", "selected"],
        ...pending.map((p): [string, string] => ["registration", String(p.id)]),
        ["intent", "review"],
      ]);
      assert.equal(review.status, 200);
      assertBody(review.body, "Decline 3 registrations?");
      assertBody(review.body, "Yes, decline 3 registrations");
      for (const p of pending) assertBody(text(review.body), `${p.first_name} ${p.last_name}`);
      // Nothing has happened yet.
      for (const p of pending) assert.equal(await statusOf(db, p.id), "pending");
      assert.equal((await db.selectFrom("registration_status_changes").select("id").execute()).length, changesBefore.length);
      // The confirmation form carries the reviewed ids.
      for (const p of pending) assertBody(review.body, `<input type="hidden" name="registration" value="${p.id}"/>`);

      const apply = await post(`${base}/registrations?status=pending`, [
        ["to", "declined"],
        ...pending.map((p): [string, string] => ["registration", String(p.id)]),
        ["intent", "apply"],
      ]);
      assert.equal(apply.status, 200);
      assertBody(text(apply.body), "3 registrations declined; each person was emailed.");
      for (const p of pending) assert.equal(await statusOf(db, p.id), "declined");
      const changes = await db
        .selectFrom("registration_status_changes")
        .selectAll()
        .where("registration_id", "in", pending.map((p) => p.id))
        .where("to_status", "=", "declined")
        .execute();
      assert.equal(changes.length, 3);
      assert.ok(changes.every((c) => c.changed_by === organiser.userId));
    });

    it("can apply to everything matching the filters, still after a confirmation", async () => {
      const pending = await registrationsOf(db, EGM, "pending");
      const review = await post(`${base}/registrations?status=pending`, { to: "waitlisted", scope: "matching", intent: "review" });
      assert.equal(review.status, 200);
      assertBody(review.body, `Put ${pending.length} registrations on the waiting list?`);
      for (const p of pending) assert.equal(await statusOf(db, p.id), "pending");
    });

    it("report the refusals among the successes", async () => {
      const training = await db.selectFrom("meetings").selectAll().where("slug", "=", TRAINING).executeTakeFirstOrThrow();
      const waitlisted = await registrationsOf(db, TRAINING, "waitlisted");
      await db.updateTable("meetings").set({ capacity: training.confirmed_count + 1 }).where("id", "=", training.id).execute();
      const response = await post(`/admin/meetings/${TRAINING}/registrations`, [
        ["to", "confirmed"],
        ...waitlisted.slice(0, 3).map((p): [string, string] => ["registration", String(p.id)]),
        ["intent", "apply"],
      ]);
      assert.equal(response.status, 200);
      assertBody(text(response.body), `${waitlisted[0]!.first_name} ${waitlisted[0]!.last_name}: confirmed, and emailed.`);
      assertBody(text(response.body), "2 registrations were not changed:");
      assertBody(text(response.body), "No places left");
    });

    it("need a selection and an action", async () => {
      const none = await post(`${base}/registrations`, { to: "confirmed", scope: "selected", intent: "review" });
      assert.equal(none.status, 400);
      assertBody(none.body, "Select at least one registration");
      const noAction = await post(`${base}/registrations`, { scope: "selected", registration: "1", intent: "review" });
      assert.equal(noAction.status, 400);
      assertBody(noAction.body, "Choose what to do");
    });
  });

  describe("one registration's page", () => {
    it("shows details, answers under the questions' labels, follow-up, and the history with who and when", async () => {
      const [question] = await db
        .insertInto("registration_questions")
        .values({ meeting_id: egm.id, position: 1, label: "Which working group do you follow?", kind: "multiple_choice", required: false, options: ["WG1", "WG2", "WG3"] })
        .returning("id")
        .execute();
      const [person] = await registrationsOf(db, EGM, "confirmed");
      await db
        .updateTable("registrations")
        .set({ answers: JSON.stringify({ [question!.id]: ["WG1", "WG3"] }) })
        .where("id", "=", person!.id)
        .execute();
      await db
        .insertInto("registration_follow_ups")
        .values({
          registration_id: person!.id,
          arrival_date: "2026-12-01",
          arrival_time: "14:30",
          arrival_flight: "TG 971",
          departure_date: "2026-12-04",
          departure_time: null,
          departure_flight: "TG 970",
          hotel: "Royal Princess Larn Luang",
          needs_visa_letter: true,
          passport_name: null,
          passport_nationality: "TH",
          travel_funding_requested: true,
          travel_funding_decision: null,
          travel_funding_decided_by: null,
          travel_funding_decided_at: null,
        })
        .execute();
      const cancel = await post(`${base}/registrations/${person!.id}`, { change: `${person!.id}:cancelled` });
      assert.equal(cancel.status, 200);
      assertBody(cancel.body, "Cancelled, and emailed.");

      const response = await request(`${base}/registrations/${person!.id}`, as);
      assert.equal(response.status, 200);
      const page = text(response.body);
      assertBody(page, `${person!.first_name} ${person!.last_name}`);
      assertBody(page, person!.email);
      assertBody(page, "Which working group do you follow? WG1; WG3");
      assertBody(page, "Royal Princess Larn Luang");
      assertBody(page, "2026-12-01, 14:30, TG 971");
      assertBody(page, "Requested, not decided yet");
      assertBody(page, "Times in Bangkok time, the meeting's zone.");
      assertBody(page, /New registration Confirmed participant/);
      assertBody(page, /Bangkok time Confirmed Cancelled organiser@example\.org/);
    });

    it("is 404 for another meeting's registration, an unknown id or not a number", async () => {
      const [theirs] = await registrationsOf(db, TRAINING, "confirmed");
      for (const id of [String(theirs!.id), "999999", "abc", "1.5"]) {
        const response = await request(`${base}/registrations/${id}`, as);
        assert.equal(response.status, 404, id);
        assertBody(response.body, "Page not found");
      }
    });
  });

  describe("exports", () => {
    it("CSV: an attachment in UTF-8 with a byte order mark, non-Latin names intact, one column per question, filters honoured", async () => {
      const [someone] = await registrationsOf(db, EGM, "confirmed");
      await db.updateTable("registrations").set({ first_name: "สมหญิง", last_name: "李" }).where("id", "=", someone!.id).execute();
      const { status, headers, bytes } = await download(`${base}/registrations.csv`);
      assert.equal(status, 200);
      assert.equal(headers.get("Content-Type"), "text/csv; charset=utf-8");
      assert.match(headers.get("Content-Disposition") ?? "", new RegExp(`^attachment; filename="${EGM}-registrations-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a UTF-8 byte order mark");
      const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
      const all = await registrationsOf(db, EGM);
      assert.equal(rows.length, all.length);
      const row = rows.find((r) => Number(r.ID) === someone!.id);
      assert.equal(row?.["First name"], "สมหญิง");
      assert.equal(row?.["Last name"], "李");
      assert.ok("Which working group do you follow?" in rows[0]!, "a column per question");

      const filtered = parse((await download(`${base}/registrations.csv?status=confirmed&gender=female`)).bytes, { bom: true, columns: true }) as Record<string, string>[];
      const expected = all.filter((r) => r.status === "confirmed" && r.gender === "female");
      assert.deepEqual(filtered.map((r) => Number(r.ID)).sort(), expected.map((r) => r.id).sort());
      assert.ok(filtered.every((r) => r.Status === "Confirmed" && r.Gender === "Female"));
    });

    it("XLSX: an attachment, the same rows, header bold and frozen", async () => {
      const { status, headers, bytes } = await download(`${base}/registrations.xlsx?status=confirmed`);
      assert.equal(status, 200);
      assert.equal(headers.get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      assert.match(headers.get("Content-Disposition") ?? "", /^attachment; filename=".+-registrations-\d{4}-\d{2}-\d{2}\.xlsx"$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet("Registrations")!;
      assert.equal(sheet.rowCount - 1, (await registrationsOf(db, EGM, "confirmed")).length);
      assert.equal(sheet.getRow(1).getCell(1).value, "ID");
      assert.equal(sheet.getRow(1).font?.bold ?? sheet.getRow(1).getCell(1).font?.bold, true);
      assert.equal(sheet.views[0]?.state, "frozen");
    });
  });

  describe("the list of participants", () => {
    it("lists confirmed participants by country name, then category, printable", async () => {
      const response = await request(`${base}/participants`, as);
      assert.equal(response.status, 200);
      assertBody(response.body, "List of participants");
      const confirmed = await registrationsOf(db, EGM, "confirmed");
      assertBody(text(response.body), `${confirmed.length} confirmed participants`);
      const countries = [...response.body.matchAll(/<h2 id="country-[A-Z]{2}">([^<]+)<\/h2>/g)].map((m) => m[1]!.replaceAll("&#x27;", "'"));
      assert.ok(countries.length > 1);
      assert.deepEqual(countries, [...countries].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
      for (const person of confirmed) assertBody(text(response.body), person.last_name.toUpperCase());
      const declined = await registrationsOf(db, EGM, "declined");
      for (const person of declined) assert.ok(!text(response.body).includes(`${person.first_name} ${person.last_name.toUpperCase()}`), person.last_name);
      assertBody(response.body, /<h3>Government<\/h3>/);
      assert.match(readFileSync("app/ui/styles.css", "utf8"), /@media print \{[^}]*\.site-header/);
    });
  });

  describe("emailing registrants", () => {
    it("previews the count, then sends one email each through the outbox with a record, and lists it", async () => {
      const audience = (await registrationsOf(db, EGM, "confirmed")).filter((r) => r.category === "government");
      const fields = { status: "confirmed", category: "government", subject: "Room change", body: "We meet in **Room G**." };
      const preview = await post(`${base}/mailings`, { ...fields, intent: "preview" });
      assert.equal(preview.status, 200);
      assertBody(text(preview.body), `Send to ${audience.length} registrants`);
      assertBody(preview.body, "<strong>Room G</strong>");
      const outboxBefore = (await db.selectFrom("outbox").select("id").execute()).length;
      assert.equal((await db.selectFrom("mailings").select("id").execute()).length, 0, "a preview sends nothing");

      const stale = await post(`${base}/mailings`, { ...fields, intent: "send", expectedCount: String(audience.length + 1) });
      assert.equal(stale.status, 200);
      assertBody(stale.body, "The audience has changed since the preview");
      assert.equal((await db.selectFrom("mailings").select("id").execute()).length, 0);

      const sent = await post(`${base}/mailings`, { ...fields, intent: "send", expectedCount: String(audience.length) });
      assert.equal(sent.status, 302);
      const mailing = await db.selectFrom("mailings").selectAll().executeTakeFirstOrThrow();
      assert.equal(sent.headers.get("Location"), `${base}/mailings?sent=${mailing.id}`);
      assert.equal(mailing.recipient_count, audience.length);
      assert.equal(mailing.sent_by, organiser.userId);
      const outbox = await db.selectFrom("outbox").select("to_address").where("template", "=", "registrants-message").execute();
      assert.equal((await db.selectFrom("outbox").select("id").execute()).length, outboxBefore + audience.length);
      assert.deepEqual(outbox.map((m) => m.to_address).sort(), audience.map((r) => r.email).sort());
      assert.equal((await db.selectFrom("mailing_recipients").select("outbox_id").where("mailing_id", "=", mailing.id).execute()).length, audience.length);

      const page = await request(`${base}/mailings?sent=${mailing.id}`, as);
      assert.equal(page.status, 200);
      assertBody(text(page.body), `“Room change” is on its way to ${audience.length} registrants.`);
      assertBody(text(page.body), "Room change Confirmed · Government");
      assertBody(page.body, "organiser@example.org");
    });

    it("refuses a message without subject or body, keeping what was typed", async () => {
      const response = await post(`${base}/mailings`, { status: "confirmed", subject: "", body: "Kept text", intent: "preview" });
      assert.equal(response.status, 400);
      assertBody(response.body, "Give the email a subject");
      assertBody(response.body, "Kept text");
      const badFilter = await post(`${base}/mailings`, { status: "maybe", subject: "S", body: "B", intent: "preview" });
      assert.equal(badFilter.status, 400);
      assertBody(badFilter.body, "Unknown status");
    });

    it("starts from the table's filters", async () => {
      const response = await request(`${base}/mailings?status=waitlisted&country=FJ`, as);
      assert.equal(response.status, 200);
      assertBody(response.body, /<option value="waitlisted" selected="">/);
      assertBody(response.body, /<option value="FJ" selected="">/);
      // A country nobody registered from stays chosen too.
      const elsewhere = await request(`${base}/mailings?country=CH`, as);
      assertBody(elsewhere.body, /<option value="CH" selected="">Switzerland<\/option>/);
    });
  });

  describe("the meeting's admin page", () => {
    it("sums up registrations by status, category, country and gender, with the share of women, and links the console", async () => {
      const response = await request(base, as);
      assert.equal(response.status, 200);
      const page = text(response.body);
      const all = await registrationsOf(db, EGM);
      const confirmed = all.filter((r) => r.status === "confirmed");
      const women = confirmed.filter((r) => r.gender === "female").length;
      const share = Math.round((women / confirmed.length) * 1000) / 10;
      assertBody(page, `Women among confirmed participants ${share}% (${women} of ${confirmed.length})`);
      assertBody(page, `Registrations ${all.length}`);
      for (const status of ["pending", "confirmed", "declined", "cancelled"] as const) {
        const n = all.filter((r) => r.status === status).length;
        assertBody(response.body, `href="${base}/registrations?status=${status}">${n}</a>`);
      }
      const active = all.filter((r) => ["pending", "confirmed", "waitlisted"].includes(r.status));
      const government = active.filter((r) => r.category === "government");
      assertBody(page, `Government ${government.filter((r) => r.status === "confirmed").length} ${government.length}`);
      for (const [path, label] of [
        ["registrations", "Registrations"],
        ["participants", "List of participants"],
        ["mailings", "Email registrants"],
        ["questions", "Questions"],
        ["invitations", "Invitations"],
        ["follow-ups", "Travel and visas"],
      ]) {
        assertBody(response.body, `href="${base}/${path}">${label}</a>`);
      }
    });

    it("says n/a when nobody is confirmed", async () => {
      const draft = await db.selectFrom("meetings").select("slug").where("status", "=", "draft").executeTakeFirstOrThrow();
      const response = await request(`/admin/meetings/${draft.slug}`, as);
      assert.equal(response.status, 200);
      assertBody(text(response.body), "Women among confirmed participants n/a");
      assertNoStackTrace(response.body, "draft");
    });
  });
});
