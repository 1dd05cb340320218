import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { samplePdf } from "../support/documents";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

const fixture = (name: string) => readFileSync(path.join("test/fixtures/attendance", name));

/** The organisers' online attendance page, through the built app: access, uploads and their refusals, linking and adding people. */
describe("the online attendance page", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const participant = await signedIn(db, "participant@example.org", "participant");
  const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", mode: "hybrid" });
  const ana = await addRegistration(db, meeting, { first: "Ana", last: "Lima", email: "ana.lima@example.org" });
  await addRegistration(db, meeting, { first: "Minh", last: "Bui Van", email: "minh.bui@example.org" });
  const chen = await addRegistration(db, meeting, { first: "Wei", last: "Chen", email: "chen.wei@example.org" });
  const pending = await addRegistration(db, meeting, { first: "Pat", last: "Pending", email: "pat.pending@example.org", status: "pending" });
  const page = `/admin/meetings/${meeting.slug}/attendance/online`;

  const readable = async (answer: ReturnType<typeof request>) => {
    const response = await answer;
    return { ...response, body: response.body.replaceAll("<!-- -->", "").replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#x27;", "'") };
  };
  /** The import form as the page sends it: the choices, then the file. */
  function upload(content: Buffer | string, name: string, fields: Record<string, string> = {}): FormData {
    const body = new FormData();
    for (const [key, value] of Object.entries({ platform: "auto", zone: meeting.timezone, dateOrder: "auto", ...fields })) body.append(key, value);
    body.append("report", new File([typeof content === "string" ? content : new Uint8Array(content)], name));
    return body;
  }
  const post = (body: FormData | URLSearchParams, cookie: string | null = organiser.cookie) => readable(request(page, { method: "POST", body, cookie }));
  const get = (url = page) => readable(request(url, { cookie: organiser.cookie }));
  const sessions = () => db.selectFrom("online_sessions").select(["registration_id", "email"]).where("meeting_id", "=", meeting.id).execute();

  it("is for organisers only", async () => {
    const anonymous = await request(page);
    assert.equal(anonymous.status, 302);
    assert.equal(anonymous.headers.get("Location"), `/login?redirectTo=${encodeURIComponent(page)}`);
    assert.equal((await request(page, { cookie: participant.cookie })).status, 403);
    assert.equal((await post(upload(fixture("zoom-plain.csv"), "zoom.csv"), participant.cookie)).status, 403);
    assert.equal((await post(upload(fixture("zoom-plain.csv"), "zoom.csv"), null)).status, 302);
    assert.equal((await request("/admin/meetings/no-such-meeting/attendance/online", { cookie: organiser.cookie })).status, 404);
    assert.equal((await sessions()).length, 0);
    const empty = await get();
    assert.equal(empty.status, 200);
    assertBody(empty.body, "No one matched yet");
    assertBody(empty.body, `<option value="Asia/Bangkok" selected="">`, "the meeting's zone is the default");
  });

  it("imports a Teams report sent as multipart, says what it read, and shows people with their minutes and the stranger", async () => {
    const response = await post(upload(fixture("teams-attendance.csv"), "Attendance report 6-1-26.csv"));
    assert.equal(response.status, 200);
    assertBody(response.body, "Read 6 rows from a Microsoft Teams report: 4 people, 6 new sessions; 1 not matched.");
    const page1 = await get();
    assertBody(page1.body, /Ana Lima<\/a>.*?data-minutes="239">3 h 59 min/s);
    assertBody(page1.body, "Attendance report 6-1-26.csv");
    assertBody(page1.body, "Not matched (1)");
    assertBody(page1.body, /Tuhoe, Kiri<\/strong> <span class="muted">\(kiri@partner\.example\.net\)/);
    assertBody(page1.body, "1 Jun 2026");
    assertBody(page1.body, "Bangkok time");

    const again = await post(upload(fixture("teams-attendance.csv"), "copy.csv"));
    assert.equal(again.status, 200);
    assertBody(again.body, /already imported on .+ Bangkok time: nothing changed\./);
    assert.equal((await sessions()).length, 6);
  });

  it("refuses a bad file with 400 naming the line, and keeps what was chosen", async () => {
    const bad = "Name,Email,Date,Join time,Leave time,Attendance duration\nAna Lima,ana.lima@example.org,06/01/2026,9:00 AM,10:00 AM,60 mins\nChen Wei,chen.wei@example.org,31/31/2026,9:00,10:00,60 mins\n";
    const response = await post(upload(bad, "webex.csv", { platform: "webex", zone: "Europe/Berlin", dateOrder: "day-first" }));
    assert.equal(response.status, 400);
    assertBody(response.body, "Line 3: the join time “9:00” is not a date and time.");
    assertBody(response.body, `<option value="Europe/Berlin" selected="">`);
    assertBody(response.body, `<option value="webex" selected="">`);
    assertBody(response.body, `<option value="day-first" selected="">`);

    const pdf = await post(upload(await samplePdf("Attendance"), "report.pdf"));
    assert.equal(pdf.status, 400);
    assertBody(pdf.body, "This is a PDF");
    const registrations = await post(upload("First name,Last name,Email,Organisation\nAna,Lima,ana@example.org,MIC\n", "registrations.csv"));
    assert.equal(registrations.status, 400);
    assertBody(registrations.body, "This is not a webinar attendance report");
    const empty = await post(upload("", "empty.csv"));
    assert.equal(empty.status, 400);
    const wrongPlatform = await post(upload(fixture("zoom-plain.csv"), "zoom.csv", { platform: "webex" }));
    assert.equal(wrongPlatform.status, 400);
    assertBody(wrongPlatform.body, "This looks like a Zoom report, not Webex");
    const badZone = await post(upload(fixture("zoom-plain.csv"), "zoom.csv", { zone: "Mars/Olympus" }));
    assert.equal(badZone.status, 400);
    assertBody(badZone.body, "Choose the time zone of the report's times from the list");
    const noFile = new FormData();
    noFile.append("platform", "auto");
    assert.equal((await post(noFile)).status, 400);
    const huge = await post(upload(Buffer.alloc(6 * 1024 * 1024, 0x41), "huge.csv"));
    assert.equal(huge.status, 413);
    assertBody(huge.body, "larger than 5 MB");
    const unclosed = await post(upload('Name,Email,Join time,Leave time\nAna Lima,ana.lima@example.org,2026-06-01 09:00,2026-06-01 10:00\n"Chen Wei,chen.wei@example.org,2026-06-01 09:00,2026-06-01 10:00\n', "quote.csv", { platform: "webex" }));
    assert.equal(unclosed.status, 400);
    assertBody(unclosed.body, "Line 3: a quotation mark opens a value that is never closed.");
    const tooLong = await post(upload(fixture("zoom-plain.csv"), "zoom.csv", { zone: "x".repeat(2000) }));
    assert.equal(tooLong.status, 400);
    assertBody(tooLong.body, "A field of the form is too long.");
    // The request has no Content-Length: the number of parts, and of files, is what bounds it.
    const manyParts = upload(fixture("zoom-plain.csv"), "zoom.csv");
    for (let i = 0; i < 10; i++) manyParts.append(`extra${i}`, "x");
    const many = await post(manyParts);
    assert.equal(many.status, 400);
    assertBody(many.body, "The form has too many fields.");
    const twoFiles = upload(fixture("zoom-plain.csv"), "zoom.csv");
    twoFiles.append("report", new File([new Uint8Array(fixture("zoom-plain.csv"))], "again.csv"));
    const two = await post(twoFiles);
    assert.equal(two.status, 400);
    assertBody(two.body, "Send one report, in the field “report”.");
    for (const [type, body] of [["application/json", "{}"], ["text/plain", "intent=link"], ["multipart/form-data", "no boundary"]]) {
      const odd = await request(page, { method: "POST", body, headers: { "Content-Type": type! }, cookie: organiser.cookie });
      assert.equal(odd.status, 400, type);
    }
    assert.equal((await sessions()).length, 6, "nothing was added by the refused uploads");
  });

  it("links an unmatched address to a registration, refusing another meeting's", async () => {
    const other = await addMeeting(db);
    const stranger = await addRegistration(db, other, { first: "Not", last: "Here" });
    const refused = await post(new URLSearchParams({ intent: "link", identity: "email:kiri@partner.example.net", registration: String(stranger.id) }));
    assert.equal(refused.status, 400);
    assertBody(refused.body, "Choose one of this meeting's confirmed registrations.");
    assert.equal((await post(new URLSearchParams({ intent: "link", identity: "email:kiri@partner.example.net", registration: "1e3" }))).status, 400);
    const withNul = await post(new URLSearchParams({ intent: "link", identity: "name:a\u0000b", registration: String(chen.id) }));
    assert.equal(withNul.status, 400);
    assertBody(withNul.body, "Not a name or address from the reports");
    const unconfirmed = await post(new URLSearchParams({ intent: "link", identity: "email:kiri@partner.example.net", registration: String(pending.id) }));
    assert.equal(unconfirmed.status, 400);
    assertBody(unconfirmed.body, "Choose one of this meeting's confirmed registrations.");
    // Only confirmed registrations are offered: only they count as attending.
    const listed = (await get()).body;
    assertBody(listed, "Only confirmed registrations are listed");
    assertBody(listed, `<option value="${chen.id}">`);
    assert.ok(!listed.includes(`<option value="${pending.id}">`), "a pending registration is not offered");

    const linked = await post(new URLSearchParams({ intent: "link", identity: "email:kiri@partner.example.net", registration: String(chen.id) }));
    assert.equal(linked.status, 302);
    assert.equal(linked.headers.get("Location"), `${page}?saved=linked`);
    assert.equal((await sessions()).filter((s) => s.email === "kiri@partner.example.net" && s.registration_id === chen.id).length, 1);
    // Kiri's 09:10–09:40 falls within Chen's 09:00–10:00: two sessions, still 60 minutes.
    assertBody((await get()).body, /Wei Chen<\/a>.*?<td class="number">2<\/td><td class="number" data-minutes="60">/s);
  });

  it("adds a name from a report as a participant and links it", async () => {
    const legacy = await post(upload(fixture("teams-legacy.csv"), "legacy.csv"));
    assert.equal(legacy.status, 200);
    assertBody(legacy.body, "Read 6 rows from a Microsoft Teams report: 4 people, 6 new sessions; 4 not matched.");
    const form = await get(`${page}?add=${encodeURIComponent("name:kiri tuhoe")}`);
    assertBody(form.body, "Add “Kiri Tuhoe” as a participant");
    assertBody(form.body, /name="firstName"[^>]*value="Kiri"|value="Kiri"[^>]*name="firstName"/);

    const fields = {
      intent: "add",
      identity: "name:kiri tuhoe",
      firstName: "Kiri",
      lastName: "Tuhoe",
      email: "",
      organisation: "Pacific Islands Forum Secretariat",
      country: "FJ",
      category: "international_organization",
      gender: "female",
      attendanceMode: "online",
      consent: "yes",
    };
    const withNul = await post(new URLSearchParams({ ...fields, identity: "name:kiri\u0000tuhoe", email: "kiri.tuhoe@forumsec.example.org" }));
    assert.equal(withNul.status, 400);
    assertBody(withNul.body, "Not a name or address from the reports");
    const nulInName = await post(new URLSearchParams({ ...fields, lastName: "Tu\u0000hoe", email: "kiri.tuhoe@forumsec.example.org" }));
    assert.equal(nulInName.status, 400);
    assertBody(nulInName.body, "Contains a character that cannot be stored (NUL)");
    const missing = await post(new URLSearchParams(fields));
    assert.equal(missing.status, 400);
    assertBody(missing.body, "An email address");
    assertBody(missing.body, `value="Pacific Islands Forum Secretariat"`);
    const added = await post(new URLSearchParams({ ...fields, email: "Kiri.Tuhoe@forumsec.example.org" }));
    assert.equal(added.status, 302);
    assert.equal(added.headers.get("Location"), `${page}?saved=added`);
    const kiri = await db.selectFrom("registrations").select(["id", "status"]).where("meeting_id", "=", meeting.id).where("email", "=", "kiri.tuhoe@forumsec.example.org").executeTakeFirstOrThrow();
    assert.equal(kiri.status, "confirmed");
    const linked = await db.selectFrom("online_identities").select("registration_id").where("meeting_id", "=", meeting.id).where("identity", "=", "name:kiri tuhoe").executeTakeFirstOrThrow();
    assert.equal(linked.registration_id, kiri.id);
    assertBody((await get()).body, /Kiri Tuhoe<\/a>.*?data-minutes="60"/s);

    // And Ana by name, through the link form.
    assert.equal((await post(new URLSearchParams({ intent: "link", identity: "name:ana lima", registration: String(ana.id) }))).status, 302);
  });

  it("deletes an import with its sessions, only through its own meeting", async () => {
    const imports = await db.selectFrom("attendance_imports").select(["id", "file_name"]).where("meeting_id", "=", meeting.id).execute();
    const legacy = imports.find((entry) => entry.file_name === "legacy.csv")!;
    const other = await addMeeting(db);
    assert.equal(
      (await readable(request(`/admin/meetings/${other.slug}/attendance/online`, { method: "POST", body: new URLSearchParams({ intent: "delete-import", import: String(legacy.id) }), cookie: organiser.cookie })))
        .status,
      404,
    );
    // Deleting asks first, at an address of its own, so it needs no script.
    const listing = await get();
    assert.ok(!listing.body.includes(`value="delete-import"`), "the list has no one-tap delete");
    assertBody(listing.body, new RegExp(`href="[^"]*\\?delete=${legacy.id}#confirm-delete"`));
    const question = await get(`${page}?delete=${legacy.id}`);
    assertBody(question.body, /<form method="post"[^>]*id="confirm-delete"[^>]*>.*?Delete the import of “legacy\.csv”.*?value="delete-import"/s);
    assertBody(question.body, `<input type="hidden" name="import" value="${legacy.id}"/>`);
    assert.ok(!(await get(`${page}?delete=999999`)).body.includes(`value="delete-import"`), "no question for an unknown import");
    const deleted = await post(new URLSearchParams({ intent: "delete-import", import: String(legacy.id) }));
    assert.equal(deleted.status, 302);
    assert.equal((await sessions()).length, 6);
    assert.equal((await post(new URLSearchParams({ intent: "explode" }))).status, 400);
  });
});
