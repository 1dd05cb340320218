import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startApp } from "./app";

const MEETING_KEYS = ["calendarUrl", "endsOn", "kind", "mode", "programme", "registration", "slug", "startsOn", "status", "timezone", "title", "url", "venue"];
const REGISTRATION_KEYS = ["capacity", "closesAt", "confirmed", "isOpen", "opensAt", "pending", "policy", "waitlisted"];
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Json = Record<string, any>;

function assertMeetingShape(meeting: Json) {
  assert.deepEqual(Object.keys(meeting).filter((key) => key !== "agenda" && key !== "documents").sort(), MEETING_KEYS, meeting.slug);
  assert.ok(["expert_group_meeting", "workshop", "ministerial_conference", "webinar"].includes(meeting.kind));
  assert.ok(["in_person", "online", "hybrid"].includes(meeting.mode));
  assert.ok(["published", "cancelled"].includes(meeting.status), `${meeting.slug} is ${meeting.status}`);
  assert.match(meeting.startsOn, DAY);
  assert.match(meeting.endsOn, DAY);
  assert.equal(meeting.url, `http://localhost:3000/meetings/${meeting.slug}`);
  assert.equal(meeting.calendarUrl, `http://localhost:3000/meetings/${meeting.slug}/calendar.ics`);
  if (meeting.programme !== null) assert.deepEqual(Object.keys(meeting.programme).sort(), ["slug", "title"]);
  if (meeting.mode === "online") assert.equal(meeting.venue, null);
  else assert.deepEqual(Object.keys(meeting.venue).sort(), ["city", "country", "name"]);
  assert.deepEqual(Object.keys(meeting.registration).sort(), REGISTRATION_KEYS);
  assert.ok(["open", "moderated", "invitation"].includes(meeting.registration.policy));
  for (const instant of [meeting.registration.opensAt, meeting.registration.closesAt]) {
    if (instant !== null) assert.match(instant, INSTANT);
  }
  assert.equal(typeof meeting.registration.isOpen, "boolean");
  for (const count of ["confirmed", "waitlisted", "pending"]) assert.equal(typeof meeting.registration[count], "number");
}

function assertNoOnlineLink(text: string) {
  assert.ok(!text.includes("meet.example.org"), "the joining link is never in the API");
  assert.doesNotMatch(text, /online_?url/i);
}

describe("the public API", async () => {
  const { db, request } = await startApp();
  const rows = await db.selectFrom("meetings").select(["slug", "status", "starts_at", "ends_at"]).execute();
  const now = new Date();

  it("lists upcoming public meetings, soonest first, in the documented shape", async () => {
    const response = await request("/api/v1/meetings");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "application/json; charset=utf-8");
    assertNoOnlineLink(response.body);
    const body = response.json() as Json;
    assert.deepEqual(Object.keys(body), ["meetings"]);
    const meetings = body.meetings as Json[];
    for (const meeting of meetings) assertMeetingShape(meeting);

    const expected = rows
      .filter((row) => row.status !== "draft" && row.ends_at > now)
      .sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime())
      .map((row) => row.slug);
    assert.deepEqual(meetings.map((m) => m.slug), expected);
    assert.ok(meetings.length >= 5);
    assert.ok(!meetings.some((m) => m.slug === "asia-pacific-digital-ministers-roundtable"), "no drafts");
    assert.ok(meetings.some((m) => m.status === "cancelled"), "a cancelled meeting stays listed, marked cancelled");
  });

  it("writes instants in UTC without milliseconds, and days in the meeting's zone", async () => {
    const meetings = (((await request("/api/v1/meetings")).json() as Json).meetings as Json[]);
    const egm = meetings.find((m) => m.slug === "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction");
    assert.ok(egm);
    assert.equal(egm.timezone, "Asia/Bangkok");
    // Registration opens at 09:00 and closes at 17:00 Bangkok time (GMT+7).
    assert.match(egm.registration.opensAt, /T02:00:00Z$/);
    assert.match(egm.registration.closesAt, /T10:00:00Z$/);
    assert.deepEqual(egm.programme, { slug: "apis-working-group-2-e-resilience", title: "APIS Working Group 2: e-Resilience" });
    assert.deepEqual(egm.venue, { name: "United Nations Conference Centre, Meeting Room G", city: "Bangkok", country: "TH" });
    assert.equal(egm.registration.policy, "moderated");
    assert.equal(egm.registration.capacity, 40);
    assert.equal(egm.registration.isOpen, true);

    const webinar = meetings.find((m) => m.kind === "webinar");
    assert.ok(webinar);
    assert.equal(webinar.venue, null);

    const row = await db.selectFrom("meetings").selectAll().where("slug", "=", egm.slug).executeTakeFirstOrThrow();
    assert.equal(egm.startsOn, row.starts_on);
    assert.equal(egm.endsOn, row.ends_on);
    assert.equal(egm.registration.opensAt, row.registration_opens_at?.toISOString().replace(".000Z", "Z"));
  });

  it("lists past meetings latest first with ?past=1, and filters by kind and programme", async () => {
    const past = ((await request("/api/v1/meetings?past=1")).json() as Json).meetings as Json[];
    const expected = rows
      .filter((row) => row.status !== "draft" && row.ends_at <= now)
      .sort((a, b) => b.starts_at.getTime() - a.starts_at.getTime())
      .map((row) => row.slug);
    assert.deepEqual(past.map((m) => m.slug), expected);
    assert.ok(past.length >= 2);

    const webinars = ((await request("/api/v1/meetings?kind=webinar")).json() as Json).meetings as Json[];
    assert.ok(webinars.length >= 1);
    assert.ok(webinars.every((m) => m.kind === "webinar"));

    const programme = ((await request("/api/v1/meetings?programme=asia-pacific-information-superhighway")).json() as Json).meetings as Json[];
    assert.deepEqual(
      programme.map((m) => m.programme.slug).sort(),
      ["apis-working-group-1-connectivity-for-all", "apis-working-group-2-e-resilience", "asia-pacific-information-superhighway"],
      "sub-programmes included",
    );
  });

  it("answers one meeting with its agenda (UTC instants, people) and its (empty) documents", async () => {
    const response = await request("/api/v1/meetings/pacific-consultation-on-submarine-cable-resilience");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "application/json; charset=utf-8");
    assertNoOnlineLink(response.body);
    const meeting = response.json() as Json;
    assertMeetingShape(meeting);
    assert.deepEqual(Object.keys(meeting).sort(), [...MEETING_KEYS, "agenda", "documents"].sort());
    assert.equal(meeting.slug, "pacific-consultation-on-submarine-cable-resilience");
    assert.equal(meeting.timezone, "Pacific/Fiji");
    assert.equal(meeting.mode, "hybrid");
    assert.ok(Array.isArray(meeting.agenda));
    for (const item of meeting.agenda as Json[]) {
      assert.deepEqual(Object.keys(item).sort(), ["endsAt", "id", "kind", "parentId", "people", "room", "startsAt", "title"]);
      assert.match(item.startsAt, INSTANT);
      assert.match(item.endsAt, INSTANT);
      assert.ok(Date.parse(item.endsAt) > Date.parse(item.startsAt), item.title);
      for (const person of item.people) assert.deepEqual(Object.keys(person).sort(), ["affiliation", "name", "role"]);
    }
    assert.deepEqual(meeting.documents, []);
  });

  it("answers 404 in JSON for a draft, an unknown meeting and an unknown endpoint", async () => {
    for (const url of ["/api/v1/meetings/asia-pacific-digital-ministers-roundtable", "/api/v1/meetings/no-such-meeting", "/api/v1/nothing-here", "/api/v2/meetings"]) {
      const response = await request(url);
      assert.equal(response.status, 404, url);
      assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/, url);
      const body = response.json() as Json;
      assert.deepEqual(Object.keys(body), ["error"], url);
      assert.equal(typeof body.error, "string");
    }
  });

  it("answers 400 in JSON for a kind that does not exist and other bad parameters", async () => {
    for (const url of ["/api/v1/meetings?kind=nonsense", "/api/v1/meetings?past=yes", "/api/v1/meetings?page=0"]) {
      const response = await request(url);
      assert.equal(response.status, 400, url);
      assert.match(response.headers.get("Content-Type") ?? "", /^application\/json/, url);
      const body = response.json() as Json;
      assert.deepEqual(Object.keys(body), ["error"], url);
      assert.ok(body.error.length > 0);
    }
    const kind = (await request("/api/v1/meetings?kind=nonsense")).json() as Json;
    assert.match(kind.error, /expert_group_meeting, workshop, ministerial_conference, webinar/);
  });
});
