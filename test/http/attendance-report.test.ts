import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { createRequestHandler } from "@remix-run/node";
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { hashSecretToken, newSecretToken } from "../../app/accounts/secret-token.server";
import { attendanceReport } from "../../app/attendance/attendance-report.server";
import { checkIn } from "../../app/attendance/check-ins.server";
import type { Meeting } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { addOnlineSessions, addPerson, at } from "../support/attendance-report";
import { pdfText } from "../support/registration-extras";
import { addMeeting } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

/**
 * The attendance report through the built app: who may see it, its settings form, the register as
 * CSV and Excel (read back with independent parsers), certificates (read back with pdf.js), the
 * participant's own certificate, who attended a day or an item, and the figures on the public page.
 */
describe("the attendance report pages", async () => {
  const { db, build, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const participant = await signedIn(db, "participant@example.org", "participant");
  const zone = "Asia/Bangkok";
  const D1 = "2026-06-01";
  const D2 = "2026-06-02";
  let meeting: Meeting = await addMeeting(db, {
    mode: "hybrid",
    timezone: zone,
    starts_on: D1,
    ends_on: D2,
    starts_at: at({ timezone: zone }, `${D1}T00:00`),
    ends_at: at({ timezone: zone }, "2026-06-03T00:00"),
  });
  const opening = await addAgendaItem(db, meeting, { title: "Opening of the workshop", date: D1, start: "09:00", end: "10:00" });
  const lunch = await addAgendaItem(db, meeting, { title: "Lunch", kind: "lunch", date: D1, start: "12:00", end: "13:00" });
  const hong = await addPerson(db, meeting, { first: "Nguyễn Thị", last: "Hồng", country: "VN", category: "government", gender: "female" });
  const ivan = await addPerson(db, meeting, { first: "Иван", last: "Петров", country: "RU", category: "expert", gender: "male" });
  const absent = await addPerson(db, meeting, { first: "Absent", last: "Person", country: "TH", category: "academia", gender: "female" });
  assert.ok((await checkIn(db, { meetingId: meeting.id, registrationId: hong, target: { day: D1 }, mode: "in_person", method: "desk", by: null })).ok);
  await addOnlineSessions(db, meeting, [{ registrationId: ivan, name: "Ivan Petrov", from: `${D2}T14:00`, to: `${D2}T15:30` }]);

  /** A manage link for the registration (the email's is not kept). */
  async function manageLink(registrationId: number): Promise<string> {
    const token = newSecretToken();
    await db.updateTable("registrations").set({ manage_token_hash: hashSecretToken(token) }).where("id", "=", registrationId).execute();
    return `/registrations/${token}`;
  }
  const base = `/admin/meetings/${meeting.slug}/attendance`;
  const readable = async (answer: ReturnType<typeof request>) => {
    const response = await answer;
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  };
  const get = (url: string, cookie: string | null = organiser.cookie) => readable(request(url, { cookie }));
  const post = (url: string, fields: Record<string, string>, cookie: string | null = organiser.cookie) =>
    readable(request(url, { method: "POST", body: new URLSearchParams(fields), cookie }));
  const handler = createRequestHandler(build, "production");
  /** A download's bytes (`request` reads bodies as text). */
  const fetchBytes = async (url: string, cookie: string | null) => {
    const headers = new Headers();
    if (cookie) headers.set("Cookie", cookie);
    const response = await handler(new Request(new URL(url, "http://localhost:3000"), { headers, redirect: "manual" }));
    return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const standardFontDataUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;
  const pageCount = async (pdf: Uint8Array) => (await getDocument({ data: pdf.slice(), standardFontDataUrl }).promise).numPages;

  it("is for organisers: anonymous visitors sign in, participants are refused, unknown meetings are 404", async () => {
    for (const url of [base, `${base}.csv`, `${base}.xlsx`, `${base}/certificates.pdf`, `${base}/certificates/${hong}.pdf`]) {
      const anonymous = await request(url);
      assert.equal(anonymous.status, 302, url);
      assert.equal(anonymous.headers.get("Location"), `/login?redirectTo=${encodeURIComponent(url)}`);
      assert.equal((await request(url, { cookie: participant.cookie })).status, 403, url);
    }
    assert.equal((await post(base, { intent: "settings", onlineAttendancePercent: "10" }, participant.cookie)).status, 403);
    assert.equal((await post(base, { intent: "settings", onlineAttendancePercent: "10" }, null)).status, 302);
    assert.equal((await get("/admin/meetings/no-such-meeting/attendance")).status, 404);
    assert.equal((await get("/admin/meetings/no-such-meeting/attendance.csv")).status, 404);
    for (const id of [String(absent), "abc", "1e3", "3000000000", "999999"]) assert.equal((await get(`${base}/certificates/${id}.pdf`)).status, 404, id);
    const unchanged = await db.selectFrom("meetings").select("online_attendance_percent").where("id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.equal(unchanged.online_attendance_percent, 50);
  });

  it("shows each day and item, the totals and the breakdowns, naming the meeting's zone", async () => {
    const page = await get(base);
    assert.equal(page.status, 200);
    assertBody(page.body, "Bangkok time");
    assertBody(page.body, "Mon 1 Jun 2026");
    assertBody(page.body, "Opening of the workshop");
    assertBody(page.body, /09:00<\/time>–<time[^>]*>10:00<\/time> Bangkok time/);
    assertBody(page.body, "An item counts everyone checked in for it or for its day", "how an item's figures are counted, said on the page");
    assertBody(page.body, /aria-label="Attended by day \(Bangkok time\)\. Mon 1 Jun 2026: 1 of 3 attended \(1 in person, 0 online\)/);
    assertBody(page.body, /Women’s share of those who attended: <strong>50%<\/strong>/);
    assertBody(page.body, /role="img" aria-label="Attended by country[^"]*Viet Nam: 1 of 1 attended \(1 in person, 0 online\)/);
    assertBody(page.body, /<dt>Attended<\/dt><dd>2<\/dd>/);
    assertBody(page.body, `href="${base}/certificates/${hong}.pdf"`);
    assert.ok(!page.body.includes(`${base}/certificates/${absent}.pdf`), "no certificate for who did not attend");
  });

  it("breaks down who attended a day or an item, linked from the table; a bad day or item is 400, an unknown one 404", async () => {
    const page = await get(base);
    assertBody(page.body, `href="${base}?day=${D1}#who-attended"`);
    assertBody(page.body, `href="${base}?item=${opening}#who-attended"`);
    assertBody(page.body, /<h2 id="who-attended-heading">Who attended<\/h2>/);
    assertBody(page.body, /Women’s share of those who attended: <strong>50%<\/strong> <span[^>]*>\(1 of 2\)<\/span>/);

    const day1 = await get(`${base}?day=${D1}`);
    assert.equal(day1.status, 200);
    assertBody(day1.body, "Who attended: Mon 1 Jun 2026");
    assertBody(day1.body, /Women’s share of those who attended: <strong>100%<\/strong> <span[^>]*>\(1 of 1\)<\/span>/);
    assertBody(day1.body, /role="img" aria-label="Attended by country[^"]*Viet Nam: 1 of 1 attended[^"]*Russian Federation: 0 of 1 attended/);
    assertBody(day1.body, `href="${base}#who-attended"`, "back to the whole meeting");
    const day2 = await get(`${base}?day=${D2}`);
    assertBody(day2.body, /Women’s share of those who attended: <strong>0%<\/strong> <span[^>]*>\(0 of 1\)<\/span>/);
    const item = await get(`${base}?item=${opening}`);
    assert.equal(item.status, 200);
    assertBody(item.body, "Who attended: Opening of the workshop, Mon 1 Jun 2026");
    assertBody(item.body, /Viet Nam: 1 of 1 attended \(1 in person, 0 online\)/, "checked in for the day, so there for its opening");

    for (const query of ["day=abc", "day=2026-13-01", "day=2026-02-30", "item=abc", "item=1e3", "item=-1", "item=3000000000", `day=${D1}&item=${opening}`]) {
      assert.equal((await get(`${base}?${query}`)).status, 400, query);
    }
    const other = await addMeeting(db, {});
    const elsewhere = await addAgendaItem(db, other, { title: "Elsewhere", date: other.starts_on, start: "09:00", end: "10:00" });
    for (const query of ["day=2026-06-03", "day=2025-06-01", `item=${lunch}`, `item=${elsewhere}`, "item=999999"]) {
      assert.equal((await get(`${base}?${query}`)).status, 404, query);
    }
    assert.equal((await get(`${base}?day=`)).status, 200, "an empty day is the whole meeting");
    assert.equal((await get(`${base}?day=${D1}`, participant.cookie)).status, 403);
  });

  it("refuses bad settings, keeping what was typed, and saves good ones", async () => {
    for (const [typed, message] of [
      ["abc", "A whole number from 1 to 100"],
      ["0", "A whole number from 1 to 100"],
      ["101", "A whole number from 1 to 100"],
      ["", "A whole number from 1 to 100"],
    ] as const) {
      const refused = await post(base, { intent: "settings", onlineAttendancePercent: typed, showsParticipation: "yes", selfCheckIn: "yes" });
      assert.equal(refused.status, 400, typed);
      assertBody(refused.body, message);
      assertBody(refused.body, new RegExp(`name="onlineAttendancePercent"[^>]*value="${typed}"`), `what was typed (${typed}) is kept`);
      assertBody(refused.body, /name="showsParticipation"[^>]*checked/, "the tick is kept");
      assertBody(refused.body, /name="selfCheckIn"[^>]*checked/, "the self check-in tick is kept");
    }
    const odd = await post(base, { intent: "settings", onlineAttendancePercent: "60", showsParticipation: "maybe" });
    assert.equal(odd.status, 400);
    assertBody(odd.body, "Tick the box, or leave it empty");
    const oddSelf = await post(base, { intent: "settings", onlineAttendancePercent: "60", selfCheckIn: "on" });
    assert.equal(oddSelf.status, 400);
    assertBody(oddSelf.body, /id="selfCheckIn-error">Tick the box, or leave it empty/);
    assert.equal((await post(base, { intent: "explode" })).status, 400);
    const json = await request(base, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" }, cookie: organiser.cookie });
    assert.equal(json.status, 400);

    assert.equal(meeting.self_check_in, true, "self check-in is on unless turned off");
    assertBody((await get(base)).body, /name="selfCheckIn"[^>]*checked/);
    assertBody((await get(base)).body, "Online participants may check themselves in with the link in their reminder");
    const saved = await post(base, { intent: "settings", onlineAttendancePercent: " 75 ", showsParticipation: "yes" });
    assert.equal(saved.status, 302);
    assert.equal(saved.headers.get("Location"), `${base}?saved=settings`);
    meeting = await db.selectFrom("meetings").selectAll().where("id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.equal(meeting.online_attendance_percent, 75);
    assert.equal(meeting.shows_participation, true);
    assert.equal(meeting.self_check_in, false, "unticked: turned off");
    assert.ok(!/name="selfCheckIn"[^>]*checked/.test((await get(base)).body), "the form shows it off");
    const off = await post(base, { intent: "settings", onlineAttendancePercent: "50", selfCheckIn: "yes" });
    assert.equal(off.status, 302);
    meeting = await db.selectFrom("meetings").selectAll().where("id", "=", meeting.id).executeTakeFirstOrThrow();
    assert.deepEqual([meeting.online_attendance_percent, meeting.shows_participation, meeting.self_check_in], [50, false, true]);
  });

  it("exports the register as CSV and Excel, equal to the report", async () => {
    const report = await attendanceReport(db, meeting);
    const modeText = (mode: string | null | undefined) => (mode === "in_person" ? "In person" : mode === "online" ? "Online" : "—");
    const expected = report.participants.map((p) => [
      String(p.registrationId),
      p.lastName,
      p.firstName,
      modeText(p.mode),
      ...report.days.map(({ day }) => modeText(p.days[day])),
      String(p.daysAttended),
      String(p.onlineMinutes),
    ]);
    assert.deepEqual(
      expected.map((row) => row.slice(1)),
      [
        ["Hồng", "Nguyễn Thị", "In person", "In person", "—", "1", "0"],
        ["Person", "Absent", "—", "—", "—", "0", "0"],
        ["Петров", "Иван", "Online", "—", "Online", "1", "90"],
      ],
    );

    const csv = await request(`${base}.csv`, { cookie: organiser.cookie });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("Content-Disposition") ?? "", new RegExp(`attachment; filename="${meeting.slug}-attendance-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    const records = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
    const fromCsv = records.map((r) => [
      r.ID!,
      r["Last name"]!,
      r["First name"]!,
      r.Attended!,
      r["Mon 1 Jun 2026 (Bangkok time)"]!,
      r["Tue 2 Jun 2026 (Bangkok time)"]!,
      r["Days attended"]!,
      r["Minutes online"]!,
    ]);
    assert.deepEqual(fromCsv, expected);
    assert.deepEqual(
      records.map((r) => [r.Country, r.Category, r.Gender]),
      [
        ["Viet Nam", "Government", "Female"],
        ["Thailand", "Academia", "Female"],
        ["Russian Federation", "Expert (in personal capacity)", "Male"],
      ],
    );

    const xlsx = await fetchBytes(`${base}.xlsx`, organiser.cookie);
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.headers.get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes.buffer as ArrayBuffer);
    const sheet = workbook.getWorksheet("Attendance")!;
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((value) => String(value ?? ""))));
    const header = rows[0]!;
    const column = (name: string) => {
      const index = header.indexOf(name);
      assert.ok(index >= 0, `column ${name} in ${header.join(", ")}`);
      return index;
    };
    const columns = ["ID", "Last name", "First name", "Attended", "Mon 1 Jun 2026 (Bangkok time)", "Tue 2 Jun 2026 (Bangkok time)", "Days attended", "Minutes online"].map(column);
    assert.deepEqual(
      rows.slice(1).map((row) => columns.map((index) => row[index]!)),
      expected,
    );
  });

  it("shows the register 100 people a page, keeping the day or item asked for, while the CSV has everyone", async () => {
    const crowded = await addMeeting(db, { mode: "hybrid", timezone: zone, starts_on: D1, ends_on: D2, starts_at: meeting.starts_at, ends_at: meeting.ends_at });
    for (let n = 0; n < 205; n++) {
      await addPerson(db, crowded, { first: `Person ${n}`, last: `Crowd ${String(n).padStart(3, "0")}`, country: "TH", category: "government", gender: "female" });
    }
    const crowdBase = `/admin/meetings/${crowded.slug}/attendance`;
    const rows = (body: string) => body.split(`href="/admin/meetings/${crowded.slug}/registrations/`).length - 1;
    const first = await get(crowdBase);
    assert.equal(first.status, 200);
    assert.equal(rows(first.body), 100);
    assertBody(first.body, "1–100 of 205; the CSV and Excel files have everyone.");
    assertBody(first.body, "Page 1 of 3");
    assert.ok(first.body.includes(`href="${crowdBase}?page=2#register"`), "a link to the next page");
    const last = await get(`${crowdBase}?page=3`);
    assert.equal(rows(last.body), 5);
    assertBody(last.body, "201–205 of 205");
    assert.equal(rows((await get(`${crowdBase}?page=99`)).body), 5, "past the last page: the last");
    const day = await get(`${crowdBase}?day=${D1}&page=2`);
    assert.equal(rows(day.body), 100);
    assert.ok(day.body.includes(`href="${crowdBase}?day=${D1}&amp;page=3#register"`), "the next page keeps the day");
    for (const bad of ["0", "abc", "1.5"]) assert.equal((await get(`${crowdBase}?page=${bad}`)).status, 400, bad);
    const csv = await request(`${crowdBase}.csv`, { cookie: organiser.cookie });
    assert.equal((parse(csv.body, { bom: true }) as string[][]).length, 206, "a header and everyone");
  });

  it("prints certificates for those who attended, in any script, one page each", async () => {
    const all = await fetchBytes(`${base}/certificates.pdf`, organiser.cookie);
    assert.equal(all.status, 200);
    assert.equal(all.headers.get("Content-Type"), "application/pdf");
    assert.equal(all.headers.get("Content-Disposition"), `inline; filename="certificates-${meeting.slug}.pdf"; filename*=UTF-8''certificates-${meeting.slug}.pdf`);
    assert.equal(all.headers.get("Content-Length"), String(all.bytes.length));
    assert.equal(all.headers.get("Cache-Control"), "private, no-store");
    assert.equal(await pageCount(all.bytes), 2, "the two who attended");
    const text = await pdfText(all.bytes);
    assert.ok(text.includes("Nguyễn Thị Hồng"), text);
    assert.ok(text.includes("Иван Петров"), text);
    assert.ok(!text.includes("Absent Person"));
    assert.ok(text.includes("Certificate of attendance"));
    assert.ok(text.includes(meeting.title));
    assert.ok(text.includes("1 to 2 June 2026"));
    assert.ok(text.includes("Attended in person on 1 June 2026."), text);
    assert.ok(text.includes("Attended online on 2 June 2026."), text);
    const today = DateTime.now().setZone(zone).setLocale("en-GB").toFormat("d LLLL yyyy");
    assert.ok(text.includes(`Issued on ${today}`), "issued today, in the meeting's zone");

    const one = await fetchBytes(`${base}/certificates/${ivan}.pdf`, organiser.cookie);
    assert.equal(one.status, 200);
    assert.equal(await pageCount(one.bytes), 1);
    const ivanText = await pdfText(one.bytes);
    assert.ok(ivanText.includes("Иван Петров") && !ivanText.includes("Nguyễn"), ivanText);
    assert.ok(ivanText.includes("Online"), "an online participant's place is online");
  });

  it("lets a participant who attended download their certificate from the manage page, and no one else", async () => {
    const hongLink = await manageLink(hong);
    const page = await get(hongLink, null);
    assert.equal(page.status, 200);
    assertBody(page.body, /href="[^"]*\/certificate\.pdf"[^>]*>Certificate of attendance \(PDF\)/);
    const pdf = await fetchBytes(`${hongLink}/certificate.pdf`, null);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get("Referrer-Policy"), "no-referrer");
    assert.equal(pdf.headers.get("Cache-Control"), "no-store");
    assert.ok((await pdfText(pdf.bytes)).includes("Nguyễn Thị Hồng"));

    const absentLink = await manageLink(absent);
    const absentPage = await get(absentLink, null);
    assert.equal(absentPage.status, 200);
    assert.ok(!absentPage.body.includes("Certificate of attendance"), "no link for who did not attend");
    const refused = await request(`${absentLink}/certificate.pdf`);
    assert.equal(refused.status, 404);
    assert.equal(refused.headers.get("Content-Type"), "text/plain; charset=utf-8");
    assert.equal(refused.headers.get("Referrer-Policy"), "no-referrer");
    assert.equal((await request(`/registrations/${"x".repeat(43)}/certificate.pdf`)).status, 404);
    assert.equal((await request("/registrations/short/certificate.pdf")).status, 404);
  });

  it("shows aggregate figures on the public page only when chosen and after the meeting", async () => {
    const publicPage = `/meetings/${meeting.slug}`;
    assert.ok(!(await get(publicPage, null)).body.includes(">Participation<"), "not chosen");
    await db.updateTable("meetings").set({ shows_participation: true }).where("id", "=", meeting.id).execute();
    const shown = await get(publicPage, null);
    assert.equal(shown.status, 200);
    assertBody(shown.body, ">Participation<");
    assertBody(shown.body, "<dt>Participants</dt><dd>2</dd>");
    assertBody(shown.body, "<dt>In person</dt><dd>1</dd>");
    assertBody(shown.body, "<dt>Online</dt><dd>1</dd>");
    assertBody(shown.body, "<dt>Countries</dt><dd>2</dd>");
    assertBody(shown.body, "<dt>Women’s share</dt><dd>50%</dd>");
    assert.ok(!shown.body.includes("Nguyễn") && !shown.body.includes("Петров"), "nobody is named");

    const upcoming = await addMeeting(db, { shows_participation: true });
    const someone = await addPerson(db, upcoming, { first: "Early", last: "Bird", country: "TH", category: "government", gender: "female" });
    assert.ok((await checkIn(db, { meetingId: upcoming.id, registrationId: someone, target: { day: upcoming.starts_on }, mode: "in_person", method: "desk", by: null })).ok);
    const notYet = await get(`/meetings/${upcoming.slug}`, null);
    assert.equal(notYet.status, 200);
    assert.ok(!notYet.body.includes(">Participation<"), "not before the meeting is over");
  });

});
