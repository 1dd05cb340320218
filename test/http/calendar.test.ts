import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { startApp } from "./app";

const CANCELLED = "wsis-forum-side-event-digital-inclusion-in-asia-and-the-pacific";
const EGM = "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction";

function dayAfter(day: string): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: 1 }).toISODate()!;
}

/** The feed as a calendar program reads it, with an independent parser. */
function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, "vcalendar");
  return calendar;
}

describe("calendar feeds", async () => {
  const { db, request } = await startApp();
  const meetings = await db.selectFrom("meetings").selectAll().execute();
  const bySlug = (slug: string) => meetings.find((m) => m.slug === slug)!;
  const uidOf = (slug: string) => `meeting-${bySlug(slug).id}@localhost:3000`;

  async function feed(url: string) {
    const response = await request(url);
    assert.equal(response.status, 200, url);
    assert.equal(response.headers.get("Content-Type"), "text/calendar; charset=utf-8");
    assert.match(response.headers.get("Content-Disposition") ?? "", /^inline(;|$)/);
    assert.ok(!response.body.includes("meet.example.org"), `${url}: the joining link is never in a feed`);
    const calendar = parseCalendar(response.body);
    assert.equal(calendar.getFirstPropertyValue("method"), "PUBLISH");
    assert.equal(calendar.getFirstPropertyValue("version"), "2.0");
    return { calendar, events: calendar.getAllSubcomponents("vevent"), body: response.body };
  }

  function assertEventMatches(event: ICAL.Component, slug: string) {
    const meeting = bySlug(slug);
    assert.equal(event.getFirstPropertyValue("uid"), uidOf(slug));
    const start = event.getFirstProperty("dtstart")!;
    const end = event.getFirstProperty("dtend")!;
    assert.equal(start.type, "date", `${slug}: an all-day event`);
    assert.equal(end.type, "date", `${slug}: an all-day event`);
    assert.equal(start.getFirstValue()!.toString(), meeting.starts_on, slug);
    assert.equal(end.getFirstValue()!.toString(), dayAfter(meeting.ends_on), `${slug}: DTEND is the day after the last`);
    assert.equal(event.getFirstPropertyValue("url"), `http://localhost:3000/meetings/${slug}`);
    assert.equal(event.getFirstPropertyValue("status"), meeting.status === "cancelled" ? "CANCELLED" : "CONFIRMED", slug);
  }

  it("publishes every public meeting of the past year and ahead in /calendar.ics, drafts never", async () => {
    const { events } = await feed("/calendar.ics");
    const uids = events.map((event) => event.getFirstPropertyValue("uid"));
    const expected = meetings.filter((m) => m.status !== "draft").map((m) => `meeting-${m.id}@localhost:3000`);
    assert.deepEqual([...uids].sort(), [...expected].sort());
    assert.ok(!uids.includes(uidOf("asia-pacific-digital-ministers-roundtable")));
    for (const event of events) {
      const slug = meetings.find((m) => `meeting-${m.id}@localhost:3000` === event.getFirstPropertyValue("uid"))!.slug;
      assertEventMatches(event, slug);
    }
  });

  it("offers to subscribe to the feed a list shows: a programme's, a kind's, everything", async () => {
    const programme = await request("/programmes/apis-working-group-2-e-resilience");
    assert.ok(programme.body.includes('href="webcal://localhost:3000/calendar.ics?programme=apis-working-group-2-e-resilience"'));
    const webinars = await request("/meetings?kind=webinar");
    assert.ok(webinars.body.includes('href="webcal://localhost:3000/calendar.ics?kind=webinar"'));
    const all = await request("/meetings");
    assert.ok(all.body.includes('href="webcal://localhost:3000/calendar.ics"'));
  });

  it("keeps each event's UID from one fetch to the next", async () => {
    const uids = async () => (await feed("/calendar.ics")).events.map((event) => event.getFirstPropertyValue("uid")).sort();
    assert.deepEqual(await uids(), await uids());
  });

  it("marks a cancelled meeting CANCELLED instead of dropping it", async () => {
    const { events } = await feed("/calendar.ics");
    const cancelled = events.find((event) => event.getFirstPropertyValue("uid") === uidOf(CANCELLED));
    assert.ok(cancelled, "still in the feed, so calendars remove it");
    assert.equal(cancelled.getFirstPropertyValue("status"), "CANCELLED");
    assert.match(String(cancelled.getFirstPropertyValue("summary")), /^Cancelled: /);
  });

  it("filters the feed by kind and programme", async () => {
    const webinars = (await feed("/calendar.ics?kind=webinar")).events;
    const expected = meetings.filter((m) => m.kind === "webinar" && m.status !== "draft").map((m) => `meeting-${m.id}@localhost:3000`);
    assert.deepEqual(webinars.map((event) => event.getFirstPropertyValue("uid")).sort(), expected.sort());

    const programme = (await feed("/calendar.ics?programme=apis-working-group-2-e-resilience")).events;
    assert.deepEqual(programme.map((event) => event.getFirstPropertyValue("uid")), [uidOf(EGM)]);

    assert.equal((await request("/calendar.ics?kind=nonsense")).status, 400);
    assert.equal((await request("/calendar.ics?programme=nope")).status, 404);
  });

  it("gives one meeting its own feed with the same UID", async () => {
    const { events } = await feed(`/meetings/${EGM}/calendar.ics`);
    const meetingEvents = events.filter((event) => event.getFirstPropertyValue("uid") === uidOf(EGM));
    assert.equal(meetingEvents.length, 1, "one event for the meeting, beside its agenda items");
    assertEventMatches(meetingEvents[0]!, EGM);
    assert.match(String(meetingEvents[0]!.getFirstPropertyValue("location")), /Bangkok.*\(and online\)/);
    const itemUid = new RegExp(`^meeting-${bySlug(EGM).id}-item-\\d+@localhost:3000$`);
    assert.ok(events.filter((event) => event !== meetingEvents[0]).every((event) => itemUid.test(String(event.getFirstPropertyValue("uid")))));

    const cancelled = await feed(`/meetings/${CANCELLED}/calendar.ics`);
    assert.ok(cancelled.events.every((event) => event.getFirstPropertyValue("status") === "CANCELLED"));
    assert.equal((await request("/meetings/asia-pacific-digital-ministers-roundtable/calendar.ics")).status, 404);
  });

  it("writes the meeting's days whatever the server's own time zone", async () => {
    const serverZone = process.env.TZ;
    try {
      for (const zone of ["Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
        process.env.TZ = zone;
        assert.notEqual(new Date(0).getTimezoneOffset(), 0, `the process now runs in ${zone}`);
        const { events } = await feed("/calendar.ics");
        for (const event of events) {
          const slug = meetings.find((m) => `meeting-${m.id}@localhost:3000` === event.getFirstPropertyValue("uid"))!.slug;
          assertEventMatches(event, slug);
        }
      }
    } finally {
      if (serverZone === undefined) delete process.env.TZ;
      else process.env.TZ = serverZone;
    }
  });
});
