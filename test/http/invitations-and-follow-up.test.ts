import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { createRequestHandler } from "@remix-run/node";
import { formatLetterDates } from "../../app/registration/visa-letter.server";
import { assertBody, signedIn, startApp } from "./app";
import { latestEmail, linkIn, pdfText, registrationForm } from "../support/registration-extras";

const MINISTERIAL = "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific";
const WORKSHOP = "regional-workshop-on-rural-connectivity-and-community-networks";
const EXPERT_MEETING = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

describe("invitations, questions and the follow-up, over HTTP", async () => {
  const { db, build, request, thanksPage } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const post = (url: string, body: URLSearchParams, cookie: string | null = organiser.cookie) => request(url, { method: "POST", body, cookie });
  const get = (url: string, cookie: string | null = organiser.cookie) => request(url, { cookie });
  const registrationsOf = async (slug: string, email: string) =>
    db
      .selectFrom("registrations")
      .innerJoin("meetings", "meetings.id", "registrations.meeting_id")
      .selectAll("registrations")
      .where("meetings.slug", "=", slug)
      .where("registrations.email", "=", email)
      .execute();

  const registerThroughForm = (slug: string, fields: Record<string, string | string[] | undefined>) =>
    post(`/meetings/${slug}/register`, registrationForm(fields), null);
  /** The manage link's token from the person's confirmation email. */
  async function manageToken(email: string): Promise<string> {
    const link = linkIn(await latestEmail(db, email, "registration-received"), /\/registrations\/[A-Za-z0-9_-]{43}$/);
    return link.split("/").pop()!;
  }

  describe("invitations", () => {
    const page = `/admin/meetings/${MINISTERIAL}/invitations`;

    it("shows the page to organisers", async () => {
      const response = await get(page);
      assert.equal(response.status, 200);
      assertBody(response.body, /Invite by email/);
      assertBody(response.body, /<textarea[^>]*name="emails"/);
      assertBody(response.body, /<input[^>]*name="label"/);
      assertBody(response.body, /<input[^>]*name="maxUses"/);
    });

    it("refuses an empty list with 400 and its message", async () => {
      const response = await post(page, new URLSearchParams({ intent: "invite", emails: " " }));
      assert.equal(response.status, 400);
      assertBody(response.body, /Give at least one email address/);
      assertBody(response.body, /aria-invalid="true"/);
    });

    it("invites by email; the link registers that person once, with that address only", async () => {
      const invited = await post(page, new URLSearchParams({ intent: "invite", emails: "Nusrat.Jahan@example.gov.bd, nonsense" }));
      assert.equal(invited.status, 200);
      assertBody(invited.body, /Invited \(<!-- -->1<!-- -->\):|Invited \(1\):/);
      assertBody(invited.body, /nusrat\.jahan@example\.gov\.bd/);
      assertBody(invited.body, /Not email addresses, not invited/);
      const email = await latestEmail(db, "nusrat.jahan@example.gov.bd", "invitation");
      assert.match(email.text, /Seoul time/);
      const link = new URL(linkIn(email, /\/register\?invitation=/));
      const form = await get(link.pathname + link.search, null);
      assert.equal(form.status, 200);
      assertBody(form.body, /You are registering with the invitation you received by email/);

      const invitation = link.searchParams.get("invitation")!;
      const wrongAddress = await registerThroughForm(MINISTERIAL, { email: "someone.else@example.org", invitation });
      assert.equal(wrongAddress.status, 400);
      assertBody(wrongAddress.body, /This invitation is for nusrat\.jahan@example\.gov\.bd: register with that address/);

      const registered = await thanksPage(await registerThroughForm(MINISTERIAL, { email: "nusrat.jahan@example.gov.bd", invitation, firstName: "Nusrat", lastName: "Jahan", country: "BD" }));
      assert.equal(registered.status, 200);
      assertBody(registered.body, /Your place is confirmed/);
      const again = await thanksPage(await registerThroughForm(MINISTERIAL, { email: "nusrat.jahan@example.gov.bd", invitation }));
      assertBody(again.body, /is already registered for this meeting/);
      assert.equal((await registrationsOf(MINISTERIAL, "nusrat.jahan@example.gov.bd")).length, 1);

      const list = await get(page);
      assertBody(list.body, /nusrat\.jahan@example\.gov\.bd/);
      assertBody(list.body, /Used up/);
      assertBody(list.body, /Nusrat Jahan/);
    });

    it("issues a code good for its number of uses, and revoked it stops at once", async () => {
      const issued = await post(page, new URLSearchParams({ intent: "code", label: "Bangladesh focal point", maxUses: "2" }));
      assert.equal(issued.status, 200);
      const code = /data-testid="new-code">([A-Z0-9-]+)</.exec(issued.body)?.[1];
      assert.ok(code, "the new code is shown");
      assert.match(code, /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
      for (const name of ["tanvir", "farid"]) {
        const response = await thanksPage(await registerThroughForm(MINISTERIAL, { email: `${name}@example.gov.bd`, invitationCode: code }));
        assert.equal(response.status, 200, name);
        assertBody(response.body, /Your place is confirmed/);
      }
      const third = await registerThroughForm(MINISTERIAL, { email: "third@example.gov.bd", invitationCode: code });
      assert.equal(third.status, 400);
      assertBody(third.body, /This invitation has already been used as many times as it allows/);

      const another = await post(page, new URLSearchParams({ intent: "code", label: "Nepal focal point", maxUses: "5" }));
      const nepal = /data-testid="new-code">([A-Z0-9-]+)</.exec(another.body)![1]!;
      const { id } = await db.selectFrom("invitations").select("id").where("code", "=", nepal).executeTakeFirstOrThrow();
      const revoked = await post(page, new URLSearchParams({ intent: "revoke", invitation: String(id) }));
      assert.equal(revoked.status, 200);
      assertBody(revoked.body, /Invitation revoked/);
      const refused = await registerThroughForm(MINISTERIAL, { email: "sita@example.gov.np", invitationCode: nepal });
      assert.equal(refused.status, 400);
      assertBody(refused.body, /This invitation is not valid/);
    });

    it("takes a code however it is typed, and says on the form itself when an emailed invitation no longer works", async () => {
      const issued = await post(page, new URLSearchParams({ intent: "code", label: "Lao PDR focal point", maxUses: "1" }));
      const code = /data-testid="new-code">([A-Z0-9-]+)</.exec(issued.body)![1]!;
      const typed = await thanksPage(await registerThroughForm(MINISTERIAL, { email: "phonsavanh@example.gov.la", invitationCode: ` ${code.replaceAll("-", "").toLowerCase()} ` }));
      assert.equal(typed.status, 200);
      assertBody(typed.body, /Your place is confirmed/);

      await post(page, new URLSearchParams({ intent: "invite", emails: "withdrawn@example.gov.la" }));
      const link = new URL(linkIn(await latestEmail(db, "withdrawn@example.gov.la", "invitation"), /\/register\?invitation=/));
      const { id } = await db.selectFrom("invitations").select("id").where("email", "=", "withdrawn@example.gov.la").executeTakeFirstOrThrow();
      assert.equal((await post(page, new URLSearchParams({ intent: "revoke", invitation: String(id) }))).status, 200);
      const refused = await registerThroughForm(MINISTERIAL, { email: "withdrawn@example.gov.la", invitation: link.searchParams.get("invitation")! });
      assert.equal(refused.status, 400);
      // Shown under the sentence about the emailed invitation (there is no code field to attach it to), where the summary's link leads.
      assertBody(
        refused.body,
        /<div class="field" id="invitation"[^>]*><p>You are registering with the invitation you received by email\.<\/p><p class="error" id="invitation-error">This invitation link no longer works/,
      );
      assertBody(refused.body, /<a href="#invitation">This invitation link no longer works/);
      assert.equal((await registrationsOf(MINISTERIAL, "withdrawn@example.gov.la")).length, 0);
    });

    it("refuses a code without its label or with an impossible number of uses, keeping what was typed", async () => {
      const response = await post(page, new URLSearchParams({ intent: "code", label: "", maxUses: "5000" }));
      assert.equal(response.status, 400);
      assertBody(response.body, /Say who the code is for/);
      assertBody(response.body, /At most 1000/);
      assertBody(response.body, /<input[^>]*name="maxUses"[^>]*value="5000"/);
    });

    it("refuses to act for a participant", async () => {
      const participant = await signedIn(db, "participant@example.org", "participant");
      const response = await post(page, new URLSearchParams({ intent: "code", label: "Sneaky", maxUses: "100" }), participant.cookie);
      assert.equal(response.status, 403);
      assert.equal(await db.selectFrom("invitations").select("id").where("label", "=", "Sneaky").executeTakeFirst(), undefined);
    });
  });

  describe("the meeting's own questions", () => {
    const page = `/admin/meetings/${WORKSHOP}/questions`;

    it("refuses a choice question without options, with each field's message and the values kept", async () => {
      const response = await post(page, new URLSearchParams({ intent: "add", label: "Which field visit?", kind: "single_choice", options: "Village network" }));
      assert.equal(response.status, 400);
      assertBody(response.body, /Give at least two options, one a line/);
      assertBody(response.body, /<input[^>]*name="label"[^>]*value="Which field visit\?"/);
      assertBody(response.body, /<textarea[^>]*name="options"[^>]*>Village network<\/textarea>/);
    });

    it("adds, reorders and deletes questions; the public form shows and enforces them in order", async () => {
      const meeting = await db.selectFrom("meetings").select("id").where("slug", "=", WORKSHOP).executeTakeFirstOrThrow();
      for (const fields of [
        { label: "Dietary note for the caterer", kind: "short_text" } as Record<string, string>,
        { label: "Which field visit?", kind: "single_choice", options: "Village network\nSolar tower site", required: "on" },
      ]) {
        const added = await post(page, new URLSearchParams({ intent: "add", ...fields }));
        assert.equal(added.status, 302);
        assert.equal(added.headers.get("Location"), `${page}?saved=added`);
      }
      const questions = await db.selectFrom("registration_questions").selectAll().where("meeting_id", "=", meeting.id).orderBy("position").execute();
      const [note, visit] = questions;
      assert.ok(note && visit);
      const moved = await post(page, new URLSearchParams({ intent: "up", question: String(visit.id) }));
      assert.equal(moved.status, 302);
      const form = await get(`/meetings/${WORKSHOP}/register`, null);
      const visitAt = form.body.indexOf("Which field visit?");
      const noteAt = form.body.indexOf("Dietary note for the caterer");
      assert.ok(visitAt > 0 && noteAt > visitAt, "the field visit is asked first now");

      const unanswered = await registerThroughForm(WORKSHOP, { email: "aigerim@example.kz" });
      assert.equal(unanswered.status, 400);
      assertBody(unanswered.body, /This question needs an answer/);
      const unknown = await registerThroughForm(WORKSHOP, { email: "aigerim@example.kz", [`question-${visit.id}`]: "Beach" });
      assert.equal(unknown.status, 400);
      assertBody(unknown.body, /Choose one of the options/);
      assert.equal((await registrationsOf(WORKSHOP, "aigerim@example.kz")).length, 0);
      const answered = await thanksPage(await registerThroughForm(WORKSHOP, { email: "aigerim@example.kz", [`question-${visit.id}`]: "Solar tower site" }));
      assert.equal(answered.status, 200);
      const [row] = await registrationsOf(WORKSHOP, "aigerim@example.kz");
      assert.deepEqual(row?.answers, { [visit.id]: "Solar tower site" });

      const renamed = await post(page, new URLSearchParams({ intent: "save", question: String(visit.id), label: "Which field visit?", kind: "single_choice", options: "Village network\nSolar farm" }));
      assert.equal(renamed.status, 400);
      assertBody(renamed.body, /Registrations chose “Solar tower site”/);

      const deleted = await post(page, new URLSearchParams({ intent: "delete", question: String(note.id) }));
      assert.equal(deleted.status, 302);
      const after = await get(`${page}?saved=deleted`);
      assertBody(after.body, /Question deleted/);
      assert.ok(!after.body.includes("Dietary note for the caterer"));
    });

    it("shows a question's form for editing", async () => {
      const { id } = await db.selectFrom("registration_questions").select("id").where("label", "=", "Which field visit?").executeTakeFirstOrThrow();
      const response = await get(`${page}?edit=${id}`);
      assert.equal(response.status, 200);
      assertBody(response.body, /Edit the question/);
      assertBody(response.body, /1 registration has.*answered this question/s);
      assertBody(response.body, /<textarea[^>]*name="options"[^>]*>Village network\nSolar tower site<\/textarea>/);
    });
  });

  describe("the follow-up", () => {
    it("is for confirmed in-person participants: others get 403, unknown links 404, and the page is not referred", async () => {
      const unknown = await get("/registrations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/follow-up", null);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.headers.get("Referrer-Policy"), "no-referrer");
      // The expert group meeting is moderated: a new registration is pending.
      const pending = await thanksPage(await registerThroughForm(EXPERT_MEETING, { email: "pending.expert@example.org", attendanceMode: "in_person" }));
      assert.equal(pending.status, 200);
      const response = await get(`/registrations/${await manageToken("pending.expert@example.org")}/follow-up`, null);
      assert.equal(response.status, 403);
      assertBody(response.body, /for participants whose place is confirmed and who attend in person/);
      assert.equal(response.headers.get("Referrer-Policy"), "no-referrer");
    });

    it("is saved, shown to organisers, exported, decided on, and gives the visa letter", async () => {
      // The workshop may ask a required question of its own (added above).
      const visit = await db.selectFrom("registration_questions").select("id").where("label", "=", "Which field visit?").executeTakeFirst();
      const registered = await thanksPage(await registerThroughForm(WORKSHOP, {
        email: "thi.lan@example.vn",
        salutation: "Ms",
        firstName: "Thi Lan",
        lastName: "Nguyễn",
        country: "VN",
        ...(visit ? { [`question-${visit.id}`]: "Village network" } : {}),
      }));
      assert.equal(registered.status, 200);
      assertBody(registered.body, /Your place is confirmed/);
      const token = await manageToken("thi.lan@example.vn");
      const confirmation = await latestEmail(db, "thi.lan@example.vn", "registration-received");
      assert.ok(confirmation.text.includes(`/registrations/${token}/follow-up`), "the confirmation links the follow-up");
      const url = `/registrations/${token}/follow-up`;

      const form = await get(url, null);
      assert.equal(form.status, 200);
      assert.equal(form.headers.get("Referrer-Policy"), "no-referrer");
      assertBody(form.body, /Arrival time \(Kolkata time\)/);
      assertBody(form.body, /<option value="VN" selected="">/);

      const meeting = await db.selectFrom("meetings").selectAll().where("slug", "=", WORKSHOP).executeTakeFirstOrThrow();
      const refused = await post(
        url,
        new URLSearchParams({ arrivalDate: meeting.starts_on, arrivalTime: "7pm", needsVisaLetter: "yes", passportName: "阮氏兰", passportNationality: "VN", travelFundingRequested: "yes" }),
        null,
      );
      assert.equal(refused.status, 400);
      assertBody(refused.body, /A time on the 24-hour clock, e\.g\. 14:30/);
      assertBody(refused.body, /in Latin letters/);
      assertBody(refused.body, /<input[^>]*name="passportName"[^>]*value="阮氏兰"/);
      assert.equal(await db.selectFrom("registration_follow_ups").selectAll().executeTakeFirst(), undefined, "nothing saved");

      const saved = await post(
        url,
        new URLSearchParams({
          arrivalDate: meeting.starts_on,
          arrivalTime: "19:05",
          arrivalFlight: "AI 302",
          departureDate: meeting.ends_on,
          departureTime: "22:10",
          hotel: "India Habitat Centre guest rooms",
          needsVisaLetter: "yes",
          passportName: "Nguyễn Thị Lan",
          passportNationality: "VN",
          travelFundingRequested: "yes",
        }),
        null,
      );
      assert.equal(saved.status, 200);
      assert.equal(saved.headers.get("Referrer-Policy"), "no-referrer");
      assertBody(saved.body, /your travel details are saved/);

      const admin = `/admin/meetings/${WORKSHOP}/follow-ups`;
      const table = await get(admin);
      assert.equal(table.status, 200);
      for (const expected of ["Thi Lan Nguyễn", "Viet Nam", `${meeting.starts_on} 19:05`, "AI 302", "India Habitat Centre guest rooms", "Not decided yet"]) assertBody(table.body, expected);
      const registration = (await registrationsOf(WORKSHOP, "thi.lan@example.vn"))[0]!;
      assertBody(table.body, `/admin/meetings/${WORKSHOP}/visa-letters/${registration.id}.pdf`);
      const filtered = await get(`${admin}?visa=no`);
      assert.ok(!filtered.body.includes("Thi Lan Nguyễn"));

      const decided = await post(admin, new URLSearchParams({ intent: "decide", registration: String(registration.id), decision: "granted" }));
      assert.equal(decided.status, 200);
      const row = await db.selectFrom("registration_follow_ups").selectAll().where("registration_id", "=", registration.id).executeTakeFirstOrThrow();
      assert.equal(row.travel_funding_decision, "granted");
      assert.equal(row.travel_funding_decided_by, organiser.userId);
      assertBody((await get(url, null)).body, /Travel funding: <strong>Granted<\/strong>/);

      const csv = await get(`/admin/meetings/${WORKSHOP}/follow-ups.csv?funding=requested`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get("Content-Type") ?? "", /^text\/csv; charset=utf-8/);
      assert.match(csv.headers.get("Content-Disposition") ?? "", /^attachment; filename=".+\.csv"$/);
      // request() decodes the body as text, which drops a byte order mark: read the bytes.
      const csvBytes = await bytesOf(`/admin/meetings/${WORKSHOP}/follow-ups.csv?funding=requested`);
      assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 with a byte order mark");
      const records = parse(Buffer.from(csvBytes), { bom: true, columns: true }) as Record<string, string>[];
      assert.equal(records.length, 1);
      assert.equal(records[0]?.Name, "Ms Thi Lan Nguyễn");
      assert.equal(records[0]?.["Passport name"], "Nguyễn Thị Lan");
      assert.equal(records[0]?.["Arrival time (Asia/Kolkata)"], "19:05");
      assert.equal(records[0]?.["Travel funding decision"], "Granted");

      const letter = await request(`/admin/meetings/${WORKSHOP}/visa-letters/${registration.id}.pdf`, { cookie: organiser.cookie });
      assert.equal(letter.status, 200);
      assert.equal(letter.headers.get("Content-Type"), "application/pdf");
      const text = await pdfText(await bytesOf(`/admin/meetings/${WORKSHOP}/visa-letters/${registration.id}.pdf`));
      const dates = formatLetterDates(meeting.starts_on, meeting.ends_on);
      assert.match(dates, /^\d+ .*\d{4}$/);
      // The fonts lack ễ and ị: the letter prints the nearest they have.
      for (const expected of ["Nguyên Thi Lan, a national of Viet Nam", `from ${dates}`, "India Habitat Centre, New Delhi, India", "Secretary of the meeting"]) {
        assert.ok(text.includes(expected), `${expected} in: ${text}`);
      }
    });

    it("has no visa letter for someone who did not ask for one", async () => {
      const other = await db
        .selectFrom("registrations")
        .innerJoin("meetings", "meetings.id", "registrations.meeting_id")
        .select("registrations.id")
        .where("meetings.slug", "=", WORKSHOP)
        .where("registrations.email", "!=", "thi.lan@example.vn")
        .executeTakeFirstOrThrow();
      for (const id of [String(other.id), "999999", "abc", "99999999999999"]) {
        const response = await get(`/admin/meetings/${WORKSHOP}/visa-letters/${id}.pdf`);
        assert.equal(response.status, 404, id);
      }
    });
  });

  /** A response's body as bytes (request() gives text). */
  async function bytesOf(url: string): Promise<Uint8Array> {
    const handler = createRequestHandler(build, "production");
    const response = await handler(new Request(new URL(url, "http://localhost:3000"), { headers: { Cookie: organiser.cookie } }));
    assert.equal(response.status, 200);
    return new Uint8Array(await response.arrayBuffer());
  }
});
