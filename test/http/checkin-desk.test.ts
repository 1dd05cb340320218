import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRequestHandler } from "@remix-run/node";
import { badgeCode } from "../../app/attendance/check-in-reference.server";
import { redactUrl } from "../../app/lib/redact";
import { formatDay, todayIn } from "../../app/lib/time";
import { addAgendaItem } from "../support/agenda";
import { addRegistration } from "../support/inputs";
import { readPdf } from "../support/pdf-qr";
import { addMeeting, outboxCount } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

/** The check-in desk and the badges, through the built app. */
describe("the check-in desk", async () => {
  const { db, request, build } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const participant = await signedIn(db, "participant@example.org", "participant");
  const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", mode: "in_person" });
  const other = await addMeeting(db);
  const day = meeting.starts_on;
  const desk = `/admin/meetings/${meeting.slug}/checkin`;
  const atDay = `${desk}?day=${day}`;
  const hong = await addRegistration(db, meeting, { first: "Nguyễn Thị", last: "Hồng", organisation: "Ministry of Information and Communications", country: "VN" });
  const ravi = await addRegistration(db, meeting, { first: "Ravi", last: "Kumar", organisation: "Department of Telecommunications", country: "IN", category: "expert" });
  const pending = await addRegistration(db, meeting, { first: "Pita", last: "Sharples", organisation: "Pacific Cable Trust", country: "NZ", status: "pending" });
  const cancelled = await addRegistration(db, meeting, { first: "Carla", last: "Cancelled", country: "PH", status: "cancelled" });
  const stranger = await addRegistration(db, other, { first: "Other", last: "Meeting" });

  const readable = async (answer: ReturnType<typeof request>) => {
    const response = await answer;
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  };
  const get = (url: string, cookie: string | null = organiser.cookie) => readable(request(url, { cookie }));
  const post = (url: string, fields: Record<string, string>, cookie: string | null = organiser.cookie) =>
    readable(request(url, { method: "POST", body: new URLSearchParams(fields), cookie }));
  const standing = (registrationId: number) =>
    db.selectFrom("check_ins").selectAll().where("registration_id", "=", registrationId).where("undone_at", "is", null).execute();
  const codeOf = async (registrationId: number) =>
    badgeCode(meeting.slug, await db.selectFrom("registrations").selectAll().where("id", "=", registrationId).executeTakeFirstOrThrow());
  const pdf = async (url: string) => {
    const response = await request(url, { cookie: organiser.cookie });
    assert.equal(response.status, 200, response.body.slice(0, 200));
    assert.equal(response.headers.get("Content-Type"), "application/pdf");
    const raw = await (await fetchBytes(url)).arrayBuffer();
    return { response, pages: await readPdf(new Uint8Array(raw)) };
  };
  /** The same request for its bytes (`request` reads bodies as text). */
  const fetchBytes = (url: string) =>
    createRequestHandler(build, "production")(new Request(new URL(url, "http://localhost:3000"), { headers: { Cookie: organiser.cookie } }));

  it("sends anonymous visitors to sign in, refuses participants, and knows no unknown meeting", async () => {
    const anonymous = await get(desk, null);
    assert.equal(anonymous.status, 302);
    assert.equal(anonymous.headers.get("Location"), `/login?redirectTo=${encodeURIComponent(desk)}`);
    assert.equal((await get(desk, participant.cookie)).status, 403);
    assert.equal((await post(atDay, { intent: "check-in", registration: String(hong.id) }, participant.cookie)).status, 403);
    assert.equal((await post(atDay, { intent: "check-in", registration: String(hong.id) }, null)).status, 302);
    assert.equal((await get("/admin/meetings/no-such-meeting/checkin")).status, 404);
    const badges = `/admin/meetings/${meeting.slug}/badges.pdf`;
    assert.equal((await get(badges, null)).status, 302);
    assert.equal((await get(badges, participant.cookie)).status, 403);
    assert.equal((await standing(hong.id)).length, 0);
  });

  it("refuses a day outside the meeting and an unknown agenda item", async () => {
    assert.equal((await get(`${desk}?day=2001-01-01`)).status, 400);
    assert.equal((await get(`${desk}?day=tomorrow`)).status, 400);
    assert.equal((await get(`${desk}?item=abc`)).status, 400);
    assert.equal((await get(`${desk}?item=99999`)).status, 404);
    assert.equal((await post(`${desk}?day=2001-01-01`, { intent: "check-in", registration: String(hong.id) })).status, 400);
    assert.equal((await standing(hong.id)).length, 0);
  });

  it("finds people by name, organisation or country, with their status and whether they are in", async () => {
    const page = await get(`${atDay}&q=${encodeURIComponent("hồng")}`);
    assert.equal(page.status, 200);
    assertBody(page.body, "Nguyễn Thị Hồng");
    assertBody(page.body, "Ministry of Information and Communications · Viet Nam");
    assertBody(page.body, "Not checked in");
    assert.ok(!page.body.includes("Ravi Kumar"));
    assertBody((await get(`${atDay}&q=telecommunications`)).body, "Ravi Kumar");
    assertBody((await get(`${atDay}&q=india`)).body, "Ravi Kumar");
    const byCode = await get(`${atDay}&q=NZ`);
    assertBody(byCode.body, "Pita Sharples");
    assertBody(byCode.body, "Pending");
    assertBody((await get(`${atDay}&q=nobody-like-this`)).body, "No registration matches");
    assert.equal((await get(`${atDay}&q=${"x".repeat(201)}`)).status, 400);
    const nul = await get(`${atDay}&q=%00abc`);
    assert.equal(nul.status, 400, "a NUL character (which PostgreSQL refuses) is refused, not a server error");
    assertBody(nul.body, "Contains a character that cannot be stored (NUL)");
  });

  it("refuses a form that is not a form, and a NUL in a badge code, without a server error", async () => {
    const asJson = await request(atDay, {
      method: "POST",
      body: JSON.stringify({ intent: "check-in", registration: hong.id }),
      headers: { "Content-Type": "application/json" },
      cookie: organiser.cookie,
    });
    assert.equal(asJson.status, 400);
    assert.equal((await post(atDay, { intent: "scan", code: "1.abc\u0000" })).status, 400);
    assert.equal((await standing(hong.id)).length, 0);
  });

  it("says plainly when the desk checks in for a day other than today in the meeting's zone", async () => {
    const other = await get(atDay);
    assertBody(other.body, `You are checking people in for <strong>${formatDay(day)}</strong>, not today (${formatDay(todayIn(meeting.timezone))}, Bangkok time)`);
    const today = todayIn("Asia/Bangkok");
    const running = await addMeeting(db, { timezone: "Asia/Bangkok", starts_on: today, ends_on: today });
    const page = await get(`/admin/meetings/${running.slug}/checkin`);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes("You are checking people in for"), "no notice on the day itself");
    const item = await addAgendaItem(db, meeting, { title: "Opening", date: day, start: "09:00", end: "09:30" });
    assertBody((await get(`${desk}?item=${item}`)).body, `You are checking people in for <strong>${formatDay(day)}</strong>, not today`);
  });

  it("checks a person in with one tap, counts it, and undoes it", async () => {
    const before = await get(atDay);
    assertBody(before.body, /<strong>0<\/strong> of 2/);
    const checked = await post(`${atDay}&q=Kumar`, { intent: "check-in", registration: String(ravi.id) });
    assert.equal(checked.status, 200);
    assertBody(checked.body, "Checked in: Ravi Kumar");
    assertBody(checked.body, /<strong>1<\/strong> of 2/);
    const [row] = await standing(ravi.id);
    assert.equal(row!.method, "desk");
    assert.equal(row!.recorded_by, organiser.userId);
    assert.equal(row!.day, day);
    assert.equal(row!.mode, "in_person");

    const again = await post(atDay, { intent: "check-in", registration: String(ravi.id) });
    assertBody(again.body, "Already checked in: Ravi Kumar");
    assert.equal((await standing(ravi.id)).length, 1);
    assertBody((await get(atDay)).body, /Latest check-ins[\s\S]*Ravi Kumar/);

    const undone = await post(atDay, { intent: "undo", registration: String(ravi.id) });
    assertBody(undone.body, "Check-in undone: Ravi Kumar");
    assert.equal((await standing(ravi.id)).length, 0);
    assertBody(undone.body, /<strong>0<\/strong> of 2/);

    assert.equal((await post(atDay, { intent: "check-in", registration: String(stranger.id) })).status, 404);
    for (const registration of ["1e3", "-1", "abc", "3000000000"]) assert.equal((await post(atDay, { intent: "check-in", registration })).status, 400, registration);
    assert.equal((await post(atDay, { intent: "explode", registration: String(ravi.id) })).status, 400);
  });

  it("checks in for one agenda item, named with its time and zone, apart from the day", async () => {
    const item = await addAgendaItem(db, meeting, { title: "Session 2: Spectrum for rural broadband", date: day, start: "14:00", end: "15:30" });
    const url = `${desk}?item=${item}`;
    const page = await get(url);
    assert.equal(page.status, 200);
    assertBody(page.body, /14:00–15:30 Bangkok time: Session 2: Spectrum for rural broadband/);
    const checked = await post(url, { intent: "check-in", registration: String(hong.id) });
    assertBody(checked.body, "Checked in: Nguyễn Thị Hồng");
    const rows = await standing(hong.id);
    assert.deepEqual(rows.map((row) => [row.agenda_item_id, row.day]), [[item, null]]);
    assertBody((await get(atDay)).body, /<strong>0<\/strong> of 2/, "the day's count is apart");
    assert.equal((await post(url, { intent: "undo", registration: String(hong.id) })).status, 200);
    assert.equal((await standing(hong.id)).length, 0);
  });

  it("refuses someone not confirmed with the reason, and confirms and checks in a pending person", async () => {
    const refused = await post(atDay, { intent: "check-in", registration: String(pending.id) });
    assertBody(refused.body, "Not checked in: Pita Sharples");
    assertBody(refused.body, "Pita Sharples is not confirmed (registration pending): only confirmed participants are checked in.");
    assertBody(refused.body, "Confirm and check in");
    assert.equal((await standing(pending.id)).length, 0);

    assert.ok(!refused.body.includes('value="check-in"'), "no Check in button that would only be refused again");

    const gone = await post(atDay, { intent: "check-in", registration: String(cancelled.id) });
    assertBody(gone.body, "is not confirmed (registration cancelled)");
    assertBody(gone.body, "Confirm and check in");
    assert.ok(!gone.body.includes('value="check-in"'));

    const emails = await outboxCount(db, pending.email);
    const confirmed = await post(atDay, { intent: "confirm-and-check-in", registration: String(pending.id) });
    assert.equal(confirmed.status, 200);
    assertBody(confirmed.body, "Confirmed and checked in: Pita Sharples");
    const row = await db.selectFrom("registrations").select("status").where("id", "=", pending.id).executeTakeFirstOrThrow();
    assert.equal(row.status, "confirmed");
    assert.equal((await standing(pending.id)).length, 1);
    assert.equal(await outboxCount(db, pending.email), emails + 1, "the person is told of the confirmation");
  });

  it("confirms and checks in a cancelled or declined registration, the organiser's call, within capacity", async () => {
    const elsewhere = await addMeeting(db, { timezone: "Asia/Bangkok" });
    const url = `/admin/meetings/${elsewhere.slug}/checkin?day=${elsewhere.starts_on}`;
    for (const status of ["cancelled", "declined"] as const) {
      const person = await addRegistration(db, elsewhere, { first: "Back", last: status, status });
      const listed = await get(`${url}&q=${status}`);
      assertBody(listed.body, `Confirm and check in<span class="visually-hidden"> Back ${status}`);
      assert.ok(!listed.body.includes('value="check-in"'), "someone not confirmed has no plain Check in button");
      const answer = await post(url, { intent: "confirm-and-check-in", registration: String(person.id) });
      assert.equal(answer.status, 200);
      assertBody(answer.body, `Confirmed and checked in: Back ${status}`);
      assert.equal((await standing(person.id)).length, 1);
    }
  });

  it("refuses to confirm beyond the meeting's capacity", async () => {
    const full = await addMeeting(db, { capacity: 1 });
    await addRegistration(db, full, { first: "Only", last: "Place" });
    const waiting = await addRegistration(db, full, { first: "Wai", last: "Ting", status: "waitlisted" });
    const url = `/admin/meetings/${full.slug}/checkin?day=${full.starts_on}`;
    assertBody((await post(url, { intent: "check-in", registration: String(waiting.id) })).body, "Confirm and check in");
    const answer = await post(url, { intent: "confirm-and-check-in", registration: String(waiting.id) });
    assert.equal(answer.status, 409);
    assertBody(answer.body, "No places left (1 of 1 confirmed)");
    assert.equal((await standing(waiting.id)).length, 0);
  });

  it("checks in a scanned badge, refuses a forged or another meeting's, and shows a badge's address before checking in", async () => {
    const code = await codeOf(hong.id);
    const scanned = await post(atDay, { intent: "scan", code });
    assert.equal(scanned.status, 200);
    assertBody(scanned.body, /role="status"[^>]*>[\s\S]*Checked in: Nguyễn Thị Hồng/);
    assertBody(scanned.body, "Ministry of Information and Communications · Viet Nam");
    assert.equal((await standing(hong.id))[0]!.method, "badge");

    const forged = await post(atDay, { intent: "scan", code: code.slice(0, -1) + (code.endsWith("A") ? "B" : "A") });
    assert.equal(forged.status, 404);
    assertBody(forged.body, "Badge not recognised");
    const strangerCode = badgeCode(other.slug, await db.selectFrom("registrations").selectAll().where("id", "=", stranger.id).executeTakeFirstOrThrow());
    assert.equal((await post(atDay, { intent: "scan", code: strangerCode })).status, 404);
    const empty = await post(atDay, { intent: "scan", code: "  " });
    assert.equal(empty.status, 400);
    assertBody(empty.body, "Scan or type the badge code");

    // What a phone's camera app opens: the person and a button; a GET (a link preview) records nothing.
    const raviCode = await codeOf(ravi.id);
    const opened = await get(new URL(raviCode).pathname + new URL(raviCode).search);
    assert.equal(opened.status, 200);
    assert.equal(opened.headers.get("Cache-Control"), "no-store");
    assertBody(opened.body, "Badge: Ravi Kumar");
    assertBody(opened.body, /name="intent" value="scan"/);
    assert.equal((await standing(ravi.id)).length, 0);
    const reference = new URL(raviCode).searchParams.get("badge")!;
    // A phone not signed in is sent to sign in without the badge's secret, which the sign-in link would keep.
    const signedOut = await request(new URL(raviCode).pathname + new URL(raviCode).search);
    assert.equal(signedOut.status, 302);
    const location = signedOut.headers.get("Location") ?? "";
    assert.ok(location.startsWith("/login?redirectTo="), location);
    assert.ok(!decodeURIComponent(location).includes(reference.split(".")[1]!), location);
    assert.ok(!redactUrl(raviCode).includes(reference.split(".")[1]!), "the badge's secret never reaches the request log");
    assertBody((await post(atDay, { intent: "scan", code: reference })).body, "Checked in: Ravi Kumar");
    assertBody((await get(`${desk}?badge=${reference.slice(0, -2)}xx`)).body, "Badge not recognised");

    // A badge's address that the desk refuses is not cached, nor sent on as a referrer, either.
    for (const [url, status] of [
      [`${desk}?badge=${reference}&day=2001-01-01`, 400],
      [`${desk}?badge=${reference}&item=99999`, 404],
      [`${desk}?badge=${reference}&q=%00`, 400],
      [`${desk}?badge=%00${reference}`, 400],
    ] as const) {
      const refused = await get(url);
      assert.equal(refused.status, status, url);
      assert.equal(refused.headers.get("Cache-Control"), "no-store", url);
      assert.equal(refused.headers.get("Referrer-Policy"), "no-referrer", url);
    }
  });

  it("reissues a lost badge: the old code stops working, the new one works", async () => {
    const lost = await codeOf(ravi.id);
    const reissued = await post(atDay, { intent: "reissue", registration: String(ravi.id) });
    assertBody(reissued.body, "Badge reissued: Ravi Kumar");
    assert.equal((await post(atDay, { intent: "scan", code: lost })).status, 404);
    assertBody((await post(atDay, { intent: "scan", code: await codeOf(ravi.id) })).body, "Already checked in: Ravi Kumar");
    assert.equal((await post(atDay, { intent: "reissue", registration: String(pending.id + 100000) })).status, 404);
  });

  it("registers a walk-in, keeping what was typed when a field is wrong, and checks them in", async () => {
    const fields = {
      intent: "walk-in",
      firstName: "Aroha",
      lastName: "Ngata",
      email: "aroha.ngata@example.org",
      organisation: "Ministry of Business, Innovation and Employment",
      country: "NZ",
      gender: "female",
      category: "government",
      consent: "yes",
    };
    const refused = await post(atDay, { ...fields, email: "not-an-email", consent: "" });
    assert.equal(refused.status, 400);
    assertBody(refused.body, "An email address, e.g. name@example.org");
    assertBody(refused.body, "Ask the person to accept the privacy notice, then tick this");
    assertBody(refused.body, 'value="not-an-email"');
    assertBody(refused.body, 'value="Ministry of Business, Innovation and Employment"');
    assertBody(refused.body, /<label for="walk-in-email">Email address/);
    assertBody(refused.body, /id="walk-in-email"[^>]*aria-describedby="walk-in-email-error"/);
    assertBody(refused.body, /id="walk-in-consent"[^>]*aria-describedby="walk-in-consent-error"/);
    assertBody(refused.body, 'href="#walk-in-email"');
    assert.equal(await db.selectFrom("registrations").select("id").where("email", "=", fields.email).executeTakeFirst(), undefined);

    const registered = await post(atDay, fields);
    assert.equal(registered.status, 200);
    assertBody(registered.body, "Registered and checked in: Aroha Ngata");
    const row = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).where("email", "=", fields.email).executeTakeFirstOrThrow();
    assert.equal(row.status, "confirmed");
    const [checkIn] = await standing(row.id);
    assert.equal(checkIn!.method, "walk_in");
    assert.equal(checkIn!.recorded_by, organiser.userId);

    const existing = await post(atDay, { ...fields, email: pending.email, firstName: "Someone", lastName: "Else" });
    assertBody(existing.body, "Already registered: Pita Sharples");
    assertBody(existing.body, "(confirmed): nothing new was created");
  });

  it("prints every confirmed participant's badge, A6 one per page or four to an A4 sheet, with a QR code that reads", async () => {
    const confirmed = await db.selectFrom("registrations").selectAll().where("meeting_id", "=", meeting.id).where("status", "=", "confirmed").orderBy("last_name").execute();
    assert.equal(confirmed.length, 4, "Hồng, Kumar, Ngata, Sharples");
    const a6 = await pdf(`/admin/meetings/${meeting.slug}/badges.pdf?layout=a6`);
    assert.match(a6.response.headers.get("Content-Disposition") ?? "", /^inline; filename="badges-.+-a6\.pdf"(;|$)/);
    assert.equal(a6.pages.length, 4);
    assert.match(a6.pages[0]!.text, /Nguyễn Thị Hồng/);
    assert.match(a6.pages[0]!.text, /Viet Nam/);
    assert.match(a6.pages[0]!.text, /GOVERNMENT/);
    assert.match(a6.pages[1]!.text, /Ravi Kumar/);
    assert.match(a6.pages[1]!.text, /EXPERT/);
    for (const [i, registration] of confirmed.entries()) assert.deepEqual(a6.pages[i]!.qrCodes, [badgeCode(meeting.slug, registration)]);
    assert.ok(!a6.pages.some((page) => page.text.includes("Cancelled")));

    const a4 = await pdf(`/admin/meetings/${meeting.slug}/badges.pdf?layout=a4`);
    assert.equal(a4.pages.length, 1);
    for (const name of ["Nguyễn Thị Hồng", "Ravi Kumar", "Aroha Ngata", "Pita Sharples"]) assert.match(a4.pages[0]!.text, new RegExp(name));
    assert.deepEqual(a4.pages[0]!.qrCodes.sort(), confirmed.map((registration) => badgeCode(meeting.slug, registration)).sort());

    const one = await pdf(`/admin/meetings/${meeting.slug}/badges.pdf?layout=a6&registration=${hong.id}`);
    assert.equal(one.pages.length, 1);
    assert.match(one.pages[0]!.text, /Nguyễn Thị Hồng/);

    assert.equal((await get(`/admin/meetings/${meeting.slug}/badges.pdf?registration=${cancelled.id}`)).status, 404);
    assert.equal((await get(`/admin/meetings/${meeting.slug}/badges.pdf?registration=${stranger.id}`)).status, 404);
    assert.equal((await get(`/admin/meetings/${meeting.slug}/badges.pdf?layout=a5`)).status, 400);
    assert.equal((await get(`/admin/meetings/${meeting.slug}/badges.pdf?registration=1e3`)).status, 400);
  });
});
