import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import type { Kysely } from "kysely";
import { hashSecretToken, newSecretToken } from "../../app/accounts/secret-token.server";
import {
  type FollowUpInput,
  decideTravelFunding,
  followUpsCsv,
  listFollowUps,
  openFollowUp,
  parseFollowUpFilter,
  parseFollowUpForm,
  saveFollowUp,
} from "../../app/registration/follow-up.server";
import {
  DEFAULT_VISA_LETTER_TEMPLATE,
  fillTemplate,
  findVisaLetter,
  formatLetterDates,
  renderVisaLetterPdf,
  saveVisaLetterTemplate,
  templateProblem,
} from "../../app/registration/visa-letter.server";
import { toWinAnsi } from "../../app/lib/pdf.server";
import type { Database, Meeting, RegistrationStatus } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { meetingForRegistration, pdfText } from "../support/registration-extras";

let people = 0;

/** A registration made directly, with its manage link's token. */
async function person(
  db: Kysely<Database>,
  meeting: Meeting,
  { status = "confirmed", mode = "in_person", first = "Siriporn", last = "Chaiyaporn", country = "TH" }: { status?: RegistrationStatus; mode?: "in_person" | "online"; first?: string; last?: string; country?: string } = {},
) {
  const token = newSecretToken();
  const row = await db
    .insertInto("registrations")
    .values({
      meeting_id: meeting.id,
      email: `person${++people}@example.org`,
      first_name: first,
      last_name: last,
      organisation: "Ministry of Digital Economy and Society",
      country,
      gender: "female",
      category: "government",
      attendance_mode: mode,
      status,
      manage_token_hash: hashSecretToken(token),
      consent_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

function form(fields: Record<string, string | undefined>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) data.set(name, value);
  return data;
}

const NO_VISA_NO_FUNDING = { needsVisaLetter: "no", travelFundingRequested: "no" };

describe("the follow-up of in-person participants", async () => {
  const { db } = await freshDatabase();
  const meeting = await meetingForRegistration(db, { registration_policy: "open" });
  const { starts_on: first, ends_on: last } = meeting;
  const year = first.slice(0, 4);

  function input(fields: Record<string, string | undefined>): FollowUpInput {
    const result = parseFollowUpForm(form(fields), meeting);
    if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.errors)}`);
    return result.input;
  }
  function errorsOf(fields: Record<string, string | undefined>): Record<string, string> {
    const result = parseFollowUpForm(form(fields), meeting);
    assert.equal(result.ok, false, JSON.stringify(fields));
    return result.ok ? {} : result.errors;
  }

  it("is open only to confirmed participants who come in person", async () => {
    assert.deepEqual(await openFollowUp(db, "not-a-token"), { kind: "not-found" });
    assert.deepEqual(await openFollowUp(db, newSecretToken()), { kind: "not-found" });
    for (const status of ["pending", "waitlisted", "declined", "cancelled"] as const) {
      const { token } = await person(db, meeting, { status });
      const access = await openFollowUp(db, token);
      assert.equal(access.kind, "not-eligible", status);
    }
    const online = await openFollowUp(db, (await person(db, meeting, { mode: "online" })).token);
    assert.deepEqual(online, { kind: "not-eligible", message: "The travel and visa form is for participants who attend in person. You attend online." });
    const confirmed = await person(db, meeting);
    const access = await openFollowUp(db, confirmed.token);
    assert.equal(access.kind, "ok");
    assert.ok(access.kind === "ok" && access.registration.id === confirmed.id && access.followUp === undefined);
  });

  describe("its form", () => {
    it("takes travel details, times on the 24-hour clock", () => {
      assert.deepEqual(
        input({
          arrivalDate: `${year}-11-30`,
          arrivalTime: "9:05",
          arrivalFlight: " TG 659 ",
          departureDate: last,
          departureTime: "21:40",
          departureFlight: "",
          hotel: "Novotel Bangkok",
          needsVisaLetter: "yes",
          passportName: "  José  Müller-O'Neil ",
          passportNationality: "es",
          travelFundingRequested: "yes",
        }),
        {
          arrivalDate: `${year}-11-30`,
          arrivalTime: "09:05",
          arrivalFlight: "TG 659",
          departureDate: last,
          departureTime: "21:40",
          departureFlight: null,
          hotel: "Novotel Bangkok",
          needsVisaLetter: true,
          passportName: "José Müller-O'Neil",
          passportNationality: "ES",
          travelFundingRequested: true,
        },
      );
    });

    it("keeps no passport details when no letter is needed", () => {
      const saved = input({ ...NO_VISA_NO_FUNDING, passportName: "Siriporn Chaiyaporn", passportNationality: "TH" });
      assert.equal(saved.passportName, null);
      assert.equal(saved.passportNationality, null);
      assert.equal(saved.arrivalDate, null);
    });

    it("refuses what does not make sense, each field with its message", () => {
      assert.deepEqual(errorsOf({}), {
        needsVisaLetter: "Say whether you need a visa support letter",
        travelFundingRequested: "Say whether you request travel funding",
      });
      assert.deepEqual(errorsOf({ ...NO_VISA_NO_FUNDING, arrivalTime: "25:00", departureTime: "10:00", arrivalDate: "2026-02-30" }), {
        arrivalDate: "A date, e.g. 2026-12-01",
        arrivalTime: "A time on the 24-hour clock, e.g. 14:30",
        departureDate: "Give the departure date too",
      });
      assert.deepEqual(errorsOf({ ...NO_VISA_NO_FUNDING, arrivalDate: last, arrivalTime: "12:00", departureDate: last, departureTime: "11:00" }), {
        departureDate: "Departure comes after arrival",
      });
      const early = errorsOf({ ...NO_VISA_NO_FUNDING, arrivalDate: `${Number(year) - 1}-12-01` });
      assert.match(early.arrivalDate ?? "", /give an arrival between/);
      const late = errorsOf({ ...NO_VISA_NO_FUNDING, departureDate: `${Number(year) + 1}-03-01` });
      assert.match(late.departureDate ?? "", /give a departure between/);
    });

    it("asks for the passport name in Latin letters, and the nationality, when a letter is needed", () => {
      assert.deepEqual(errorsOf({ needsVisaLetter: "yes", travelFundingRequested: "no" }), {
        passportName: "Give your name as written in your passport",
        passportNationality: "Choose the nationality of your passport",
      });
      for (const name of ["王小明", "Иван Петров", "Nguyễn 文", "Ana <b>", "Ana2"]) {
        const errors = errorsOf({ needsVisaLetter: "yes", travelFundingRequested: "no", passportName: name, passportNationality: "CN" });
        assert.match(errors.passportName ?? "", /in Latin letters: accents, spaces, hyphens and apostrophes are fine, other scripts are not/, name);
      }
      assert.equal(errorsOf({ needsVisaLetter: "yes", travelFundingRequested: "no", passportName: "Ana", passportNationality: "XX" }).passportNationality, "Choose the nationality from the list");
      for (const name of ["Nguyễn Thị Lan", "Şükrü Yılmaz", "Zoë D'Arcy-Łukasiewicz", "N'Guessan Kouamé", "Bố"]) {
        assert.equal(input({ needsVisaLetter: "yes", travelFundingRequested: "no", passportName: name, passportNationality: "VN" }).passportName, name);
      }
    });
  });

  describe("saved, and seen by organisers", async () => {
    const organiser = await db.insertInto("users").values({ email: "organiser@example.org", name: "Aiko Organiser", role: "administrator" }).returning("id").executeTakeFirstOrThrow();
    const ana = await person(db, meeting, { first: "Ana", last: "Silva", country: "TL" });
    const bao = await person(db, meeting, { first: "Bao", last: "Tran", country: "VN" });
    const cara = await person(db, meeting, { first: "=cmd", last: "Evil", country: "AU" });
    await saveFollowUp(db, ana.id, input({ needsVisaLetter: "yes", passportName: "Ana Maria da Conceição Silva", passportNationality: "TL", travelFundingRequested: "yes", arrivalDate: first, arrivalTime: "14:30", arrivalFlight: "TG 404", hotel: "Hôtel Ñandú" }));
    await saveFollowUp(db, bao.id, input({ needsVisaLetter: "no", travelFundingRequested: "yes", departureDate: last }));
    await saveFollowUp(db, cara.id, input({ needsVisaLetter: "no", travelFundingRequested: "no", hotel: "+61 hotel" }));

    it("keeps one row per registration and updates it", async () => {
      await saveFollowUp(db, ana.id, input({ needsVisaLetter: "yes", passportName: "Ana Maria da Conceição Silva", passportNationality: "TL", travelFundingRequested: "yes", arrivalDate: first, arrivalTime: "14:30", arrivalFlight: "TG 404", hotel: "Hôtel Ñandú" }));
      const rows = await db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "=", ana.id).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.arrival_time, "14:30");
      assert.equal(rows[0]?.arrival_date, first);
    });

    it("records who decided on travel funding and when; only where requested, only for this meeting", async () => {
      const before = Date.now();
      assert.deepEqual(await decideTravelFunding(db, { meetingId: meeting.id, registrationId: ana.id, decision: "granted", by: organiser.id }), { ok: true });
      const row = await db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "=", ana.id).executeTakeFirstOrThrow();
      assert.equal(row.travel_funding_decision, "granted");
      assert.equal(row.travel_funding_decided_by, organiser.id);
      assert.ok(row.travel_funding_decided_at && row.travel_funding_decided_at.getTime() >= before - 1000);
      assert.deepEqual(await decideTravelFunding(db, { meetingId: meeting.id, registrationId: cara.id, decision: "granted", by: organiser.id }), {
        ok: false,
        message: "This participant has not requested travel funding.",
      });
      const other = await meetingForRegistration(db);
      assert.equal((await decideTravelFunding(db, { meetingId: other.id, registrationId: bao.id, decision: "granted", by: organiser.id })).ok, false);
      // The person saving the form again keeps the decision; withdrawing the request clears it.
      await saveFollowUp(db, ana.id, input({ needsVisaLetter: "yes", passportName: "Ana Maria da Conceição Silva", passportNationality: "TL", travelFundingRequested: "yes", arrivalDate: first, arrivalTime: "14:30", arrivalFlight: "TG 404", hotel: "Hôtel Ñandú" }));
      assert.equal((await listFollowUps(db, meeting.id, parseFollowUpFilter(new URLSearchParams()))).find((r) => r.registrationId === ana.id)?.fundingDecision, "granted");
      const temporary = await person(db, meeting);
      await saveFollowUp(db, temporary.id, input({ needsVisaLetter: "no", travelFundingRequested: "yes" }));
      await decideTravelFunding(db, { meetingId: meeting.id, registrationId: temporary.id, decision: "not_granted", by: organiser.id });
      await saveFollowUp(db, temporary.id, input({ needsVisaLetter: "no", travelFundingRequested: "no" }));
      const withdrawn = await db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "=", temporary.id).executeTakeFirstOrThrow();
      assert.deepEqual([withdrawn.travel_funding_decision, withdrawn.travel_funding_decided_by, withdrawn.travel_funding_decided_at], [null, null, null]);
      await db.deleteFrom("registrations").where("id", "=", temporary.id).execute();
    });

    it("lists them by country then name, with filters", async () => {
      const names = async (query: string) => (await listFollowUps(db, meeting.id, parseFollowUpFilter(new URLSearchParams(query)))).map((r) => r.name.split(" ")[0]);
      assert.deepEqual(await names(""), ["=cmd", "Ana", "Bao"]);
      assert.deepEqual(await names("visa=yes"), ["Ana"]);
      assert.deepEqual(await names("visa=no"), ["=cmd", "Bao"]);
      assert.deepEqual(await names("funding=requested"), ["Ana", "Bao"]);
      assert.deepEqual(await names("funding=not_requested"), ["=cmd"]);
      assert.deepEqual(await names("decision=granted"), ["Ana"]);
      assert.deepEqual(await names("decision=undecided"), ["Bao"]);
      assert.deepEqual(await names("decision=not_granted"), []);
      assert.deepEqual(await names("visa=maybe&decision=whatever"), ["=cmd", "Ana", "Bao"], "unknown filter values are ignored");
      const [row] = await listFollowUps(db, meeting.id, parseFollowUpFilter(new URLSearchParams("visa=yes")));
      assert.equal(row?.fundingDecidedBy, "Aiko Organiser");
      assert.equal(row?.passportNationalityName, "Timor-Leste");
    });

    it("export as CSV with a byte order mark, names intact, formulas defused", async () => {
      const csv = followUpsCsv(await listFollowUps(db, meeting.id, parseFollowUpFilter(new URLSearchParams())), meeting);
      assert.ok(csv.startsWith("\uFEFF"));
      const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
      assert.equal(records.length, 3);
      const ana = records.find((r) => r.Name?.includes("Silva"));
      assert.ok(ana);
      assert.equal(ana["Hotel"], "Hôtel Ñandú");
      assert.equal(ana["Arrival date"], first);
      assert.equal(ana["Arrival time (Asia/Bangkok)"], "14:30");
      assert.equal(ana["Visa letter needed"], "yes");
      assert.equal(ana["Passport name"], "Ana Maria da Conceição Silva");
      assert.equal(ana["Passport nationality"], "Timor-Leste");
      assert.equal(ana["Travel funding decision"], "Granted");
      assert.equal(ana["Decided by"], "Aiko Organiser");
      const cara = records.find((r) => r.Name?.includes("Evil"));
      assert.equal(cara?.Name, "'=cmd Evil");
      assert.equal(cara?.Hotel, "'+61 hotel");
      assert.equal(cara?.["Travel funding decision"], "");
    });

    describe("the visa support letter", () => {
      it("exists only for a confirmed registration of this meeting whose follow-up asks for one", async () => {
        assert.ok(await findVisaLetter(db, meeting, ana.id));
        assert.equal(await findVisaLetter(db, meeting, bao.id), undefined, "no letter asked for");
        assert.equal(await findVisaLetter(db, meeting, 999_999), undefined);
        const other = await meetingForRegistration(db);
        assert.equal(await findVisaLetter(db, other, ana.id), undefined, "another meeting's");
        const cancelled = await person(db, meeting, { status: "confirmed" });
        await saveFollowUp(db, cancelled.id, input({ needsVisaLetter: "yes", passportName: "Ana", passportNationality: "TL", travelFundingRequested: "no" }));
        assert.ok(await findVisaLetter(db, meeting, cancelled.id));
        await db.updateTable("registrations").set({ status: "cancelled" }).where("id", "=", cancelled.id).execute();
        assert.equal(await findVisaLetter(db, meeting, cancelled.id), undefined, "a cancelled place");
      });

      it("fills the default letter with the person's passport name and nationality and the meeting's dates and venue", async () => {
        const letter = await findVisaLetter(db, meeting, ana.id, new Date(`${year}-10-15T03:00:00Z`));
        assert.ok(letter);
        assert.equal(letter.date, `15 October ${year}`);
        assert.match(
          letter.text,
          new RegExp(`^To whom it may concern\n\nThe secretariat of ESCAP has the honour to confirm that Ana Maria da Conceição Silva, a national of Timor-Leste, is invited to participate in ${meeting.title}, to be held at United Nations Conference Centre, Bangkok, Thailand, from 1 to 3 December ${year}\\.`),
        );
        const text = await pdfText(await renderVisaLetterPdf(letter));
        for (const expected of [
          "To whom it may concern",
          "Ana Maria da Conceição Silva",
          "a national of Timor-Leste",
          `from 1 to 3 December ${year}`,
          "United Nations Conference Centre, Bangkok, Thailand",
          `15 October ${year}`,
          "Secretary of the meeting",
        ]) {
          assert.ok(text.includes(expected), `${expected} in: ${text}`);
        }
      });

      it("follows the meeting's own template, and prints letters the fonts lack without their accent", async () => {
        assert.deepEqual(await saveVisaLetterTemplate(db, meeting.id, "Dear Sir or Madam,\n\n{{name}} ({{nationality}}) attends {{meeting}} in {{city}}, {{dates}}.", null), { ok: true });
        const changed = await db.selectFrom("meetings").selectAll().where("id", "=", meeting.id).executeTakeFirstOrThrow();
        const turkish = await person(db, changed, { first: "Şükrü", last: "Yılmaz", country: "TR" });
        await saveFollowUp(db, turkish.id, input({ needsVisaLetter: "yes", passportName: "Şükrü Yılmaz", passportNationality: "TR", travelFundingRequested: "no" }));
        const letter = await findVisaLetter(db, changed, turkish.id);
        assert.equal(letter?.text, `Dear Sir or Madam,\n\nŞükrü Yılmaz (Türkiye) attends ${meeting.title} in Bangkok, 1 to 3 December ${year}.`);
        const text = await pdfText(await renderVisaLetterPdf(letter!));
        assert.ok(text.includes("Sükrü Yilmaz (Türkiye) attends"), text);
        // Saving the default text again, or nothing, means the default letter.
        await saveVisaLetterTemplate(db, meeting.id, DEFAULT_VISA_LETTER_TEMPLATE, null);
        assert.equal((await db.selectFrom("meetings").select("visa_letter_template").where("id", "=", meeting.id).executeTakeFirstOrThrow()).visa_letter_template, null);
      });

      it("refuses a template with an unknown placeholder or without the person's name", async () => {
        assert.match(templateProblem("Dear {{nom}},") ?? "", /^Unknown placeholder \{\{nom\}\}: use \{\{name\}\}, /);
        assert.equal(templateProblem("To whom it may concern"), "The letter must name the person: keep {{name}}");
        assert.equal(templateProblem("  "), "Write the letter, or restore the default");
        assert.equal(templateProblem("{{ name }} attends {{meeting}}"), null);
        assert.deepEqual(await saveVisaLetterTemplate(db, meeting.id, "Dear {{nom}},", null), { ok: false, error: templateProblem("Dear {{nom}},") });
      });
    });
  });

  it("leaves no stray commas where the meeting lacks a value", () => {
    const values = { name: "Ana", nationality: "Timor-Leste", organisation: "", meeting: "The Meeting", dates: "1 December 2026", venue: "", city: "Bangkok", country: "Thailand", organisingBody: "ESCAP" };
    assert.equal(fillTemplate("to be held at {{venue}}, {{city}}, {{country}}, from {{dates}}.", values), "to be held at Bangkok, Thailand, from 1 December 2026.");
    assert.equal(fillTemplate("{{name}}, {{organisation}}, {{nationality}}", values), "Ana, Timor-Leste");
  });

  it("prints in the fonts' own letters", () => {
    assert.equal(toWinAnsi("José Müller — “Œuvre” Štěpán Yılmaz Łukasz Đặng Nguyễn"), "José Müller — “Œuvre” Štepán Yilmaz Lukasz Dang Nguyên");
    assert.equal(toWinAnsi("王小明"), "???");
    assert.equal(formatLetterDates("2026-11-30", "2026-12-02"), "30 November to 2 December 2026");
    assert.equal(formatLetterDates("2026-12-30", "2027-01-02"), "30 December 2026 to 2 January 2027");
    assert.equal(formatLetterDates("2026-12-01", "2026-12-01"), "1 December 2026");
  });
});
