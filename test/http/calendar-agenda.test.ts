import assert from "node:assert/strict";
import { describe, it } from "node:test";
import ICAL from "ical.js";
import { deleteAgendaItem, moveAgendaItem, renameRoom, updateAgendaItem } from "../../app/agenda/agenda.server";
import { instantOfWallTime } from "../../app/lib/time";
import { addAgendaItem, roomId } from "../support/agenda";
import { addMeeting } from "../support/registration";
import { startApp } from "./app";

/** A meeting's feed with its agenda, read back by an independent parser (ical.js). */

const ZONE = "Europe/Zurich";

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { calendar, events: calendar.getAllSubcomponents("vevent") };
}

function eventByUid(events: ICAL.Component[], uid: string): ICAL.Component {
  const event = events.find((e) => e.getFirstPropertyValue("uid") === uid);
  assert.ok(event, `no event ${uid}`);
  return event;
}

function instant(event: ICAL.Component, property: "dtstart" | "dtend"): string {
  const value = event.getFirstPropertyValue(property) as ICAL.Time;
  assert.equal(value.isDate, false, `${property} is a date-time`);
  assert.equal(value.zone?.tzid, "UTC", `${property} is in UTC, never floating`);
  return value.toJSDate().toISOString();
}

describe("a meeting's calendar feed with its agenda", async () => {
  const { db, request } = await startApp();
  // Spans the last Sunday of October 2026, when Zurich goes from UTC+2 to UTC+1.
  const meeting = await addMeeting(db, {
    timezone: ZONE,
    starts_on: "2026-10-24",
    ends_on: "2026-10-26",
    title: "Réunion d'experts: การประชุม · 专家组会议 · Совещание экспертов on cross-border fibre, a title long enough to be folded",
    venue_name: "Palais des Nations",
    venue_city: "Geneva",
    venue_country: "CH",
    mode: "hybrid",
    online_url: "https://meet.example.org/secret-room",
  });
  const saturday = await addAgendaItem(db, meeting, {
    title: "Opening: ยินดีต้อนรับ",
    date: "2026-10-24",
    start: "09:00",
    end: "10:30",
    kind: "opening",
    description: "Welcome, **adoption** of the [agenda](https://example.org/agenda); commas, semicolons; and a\\backslash",
    people: [
      { name: "Ms Aigerim Bekova", role: "chair", affiliation: "Ministry of Digital Development, Kazakhstan" },
      { name: "Mr Tan Wei", role: "speaker", affiliation: "ITU" },
    ],
  });
  const monday = await addAgendaItem(db, meeting, { title: "Fibre along highways", date: "2026-10-26", start: "09:00", end: "10:30" });
  const doomed = await addAgendaItem(db, meeting, { title: "Side event", date: "2026-10-26", start: "13:00", end: "14:00" });
  const slug = meeting.slug;
  const url = `/meetings/${slug}/calendar.ics`;
  const host = "localhost:3000";

  async function fetchFeed(headers: Record<string, string> = {}) {
    const response = await request(url, { headers });
    return response;
  }

  it("has the meeting and each agenda item, at the instants typed in Zurich on both sides of the change", async () => {
    const response = await fetchFeed();
    assert.equal(response.status, 200);
    const { events } = parse(response.body);
    assert.equal(events.length, 4);
    const opening = eventByUid(events, `meeting-${meeting.id}-item-${saturday}@${host}`);
    assert.equal(instant(opening, "dtstart"), "2026-10-24T07:00:00.000Z", "09:00 CEST is 07:00 UTC");
    assert.equal(instant(opening, "dtend"), "2026-10-24T08:30:00.000Z");
    const afterChange = eventByUid(events, `meeting-${meeting.id}-item-${monday}@${host}`);
    assert.equal(instant(afterChange, "dtstart"), "2026-10-26T08:00:00.000Z", "09:00 CET is 08:00 UTC");
    const rows = await db.selectFrom("agenda_items").select(["id", "starts_at", "ends_at"]).where("meeting_id", "=", meeting.id).execute();
    for (const row of rows) {
      const event = eventByUid(events, `meeting-${meeting.id}-item-${row.id}@${host}`);
      assert.equal(instant(event, "dtstart"), row.starts_at.toISOString());
      assert.equal(instant(event, "dtend"), row.ends_at.toISOString());
    }
    assert.match(String(opening.getFirstPropertyValue("summary")), /^Opening: ยินดีต้อนรับ \(Réunion d'experts: การประชุม · 专家组会议 · Совещание/);
    const description = String(opening.getFirstPropertyValue("description"));
    assert.match(description, /^Welcome, adoption of the agenda \(https:\/\/example\.org\/agenda\); commas, semicolons; and a\\backslash\n/, "plain text, not markdown");
    assert.match(description, /Chair: Ms Aigerim Bekova \(Ministry of Digital Development, Kazakhstan\)/);
    assert.match(description, new RegExp(`http://${host}/meetings/${slug}/agenda#item-${saturday}`));
    assert.equal(opening.getFirstPropertyValue("url"), `http://${host}/meetings/${slug}/agenda#item-${saturday}`);
    assert.equal(opening.getFirstPropertyValue("location"), "Palais des Nations, Geneva, Switzerland (and online)");
    assert.ok(!response.body.includes("meet.example.org"), "a public feed never carries the joining link");
    assert.ok(events.every((event) => event.getAllProperties("attendee").length === 0), "a feed is PUBLISH: no ATTENDEE");
    assert.equal(response.headers.get("Content-Encoding"), null, "served uncompressed");
  });

  it("gives the meeting's event a higher SEQUENCE when its title, days or venue change, not for other fields", async () => {
    const uid = `meeting-${meeting.id}@${host}`;
    const sequence = async () => Number(eventByUid(parse((await fetchFeed()).body).events, uid).getFirstPropertyValue("sequence"));
    const first = await sequence();
    await db.updateTable("meetings").set({ contact_email: "egm@example.org", updated_at: new Date() }).where("id", "=", meeting.id).execute();
    assert.equal(await sequence(), first, "a contact address is not in calendars");
    await db.updateTable("meetings").set({ venue_name: "Maison de la Paix", updated_at: new Date() }).where("id", "=", meeting.id).execute();
    const second = await sequence();
    assert.ok(second > first, "a new venue");
    await db.updateTable("meetings").set({ title: `${meeting.title} (revised)`, updated_at: new Date() }).where("id", "=", meeting.id).execute();
    assert.ok((await sequence()) > second, "a new title");
  });

  it("declares itself as calendar clients expect, with no floating times", async () => {
    const { body } = await fetchFeed();
    const { calendar, events } = parse(body);
    assert.equal(calendar.getFirstPropertyValue("version"), "2.0");
    assert.equal(calendar.getFirstPropertyValue("calscale"), "GREGORIAN");
    assert.equal(calendar.getFirstPropertyValue("method"), "PUBLISH");
    assert.match(String(calendar.getFirstPropertyValue("prodid")), /Meetings/);
    assert.match(String(calendar.getFirstPropertyValue("x-wr-calname")), /^Réunion d'experts/);
    assert.equal(calendar.getFirstPropertyValue("x-wr-timezone"), ZONE);
    assert.equal(String(calendar.getFirstPropertyValue("x-published-ttl")), "PT1H");
    assert.equal(String(calendar.getFirstPropertyValue("refresh-interval")), "PT1H");
    assert.equal(calendar.getAllSubcomponents("vtimezone").length, 0, "UTC everywhere: no zone definitions to go stale");
    for (const event of events) {
      for (const name of ["dtstamp", "last-modified"]) {
        const value = event.getFirstPropertyValue(name) as ICAL.Time;
        assert.equal(value?.zone?.tzid, "UTC", `${name} in UTC`);
      }
      assert.equal(typeof event.getFirstPropertyValue("sequence"), "number");
      assert.equal(event.getFirstProperty("dtstart")?.getParameter("tzid"), undefined, "never TZID=UTC");
    }
    assert.ok(body.split("\r\n").every((line) => Buffer.byteLength(line) <= 75), "lines folded at 75 octets");
    assert.ok(!/[^\r]\n/.test(body), "CRLF line endings");
    assert.ok(!/\nDTSTART:\d{8}T\d{6}\r/.test(body), "no floating DTSTART");
  });

  it("renders unchanged data byte for byte the same, and answers 304 without the body", async () => {
    const first = await fetchFeed();
    const second = await fetchFeed();
    assert.equal(first.body, second.body);
    const etag = first.headers.get("ETag");
    const lastModified = first.headers.get("Last-Modified");
    assert.ok(etag && lastModified);
    assert.equal(first.headers.get("Cache-Control"), "public, max-age=300");
    assert.equal(first.headers.get("Content-Disposition"), `inline; filename="${slug}.ics"`);
    const byTag = await fetchFeed({ "If-None-Match": etag });
    assert.equal(byTag.status, 304);
    assert.equal(byTag.body, "");
    const byDate = await fetchFeed({ "If-Modified-Since": lastModified });
    assert.equal(byDate.status, 304);
    const stale = await fetchFeed({ "If-None-Match": '"something-else"' });
    assert.equal(stale.status, 200);
    const noAccept = await request(url, { headers: { Accept: "" } });
    assert.equal(noAccept.status, 200, "Google sends no Accept header");
  });

  it("serves a feed kept in memory only while it is current: an edited item or a renamed room is a new body", async () => {
    const room = await roomId(db, meeting.id, "Salle XVII");
    const at = (local: string) => {
      const answer = instantOfWallTime(local, ZONE);
      assert.ok(answer.ok);
      return answer.at;
    };
    const edit = (title: string) =>
      updateAgendaItem(
        db,
        meeting.id,
        saturday,
        {
          title,
          kind: "opening",
          description: null,
          roomId: room,
          parentId: null,
          startsLocal: "2026-10-24T09:00",
          endsLocal: "2026-10-24T10:30",
          startsAt: at("2026-10-24T09:00"),
          endsAt: at("2026-10-24T10:30"),
          people: [],
        },
        null,
      );
    const uid = `meeting-${meeting.id}-item-${saturday}@${host}`;
    const summary = async (path: string) => String(eventByUid(parse((await request(path)).body).events, uid).getFirstPropertyValue("summary"));
    const location = async (path: string) => String(eventByUid(parse((await request(path)).body).events, uid).getFirstPropertyValue("location"));
    for (const path of [url, `${url}?item=${saturday}`]) {
      assert.ok(await edit("Opening, first version"));
      assert.match(await summary(path), /^Opening, first version \(/);
      assert.match(await summary(path), /^Opening, first version \(/, "the same version again, from memory");
      assert.ok(await edit("Opening, second version"));
      assert.match(await summary(path), /^Opening, second version \(/, path);
      assert.ok((await renameRoom(db, meeting.id, room, `Salle ${path.length}`, null)).ok);
      assert.match(await location(path), new RegExp(`^Salle ${path.length}, `), path);
    }
  });

  it("gives one item its own calendar, offered beside it on the agenda", async () => {
    const response = await request(`${url}?item=${saturday}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Disposition"), `inline; filename="${slug}-item-${saturday}.ics"`);
    const { events } = parse(response.body);
    assert.deepEqual(events.map((e) => e.getFirstPropertyValue("uid")), [`meeting-${meeting.id}-item-${saturday}@${host}`]);
    assert.equal((await request(`${url}?item=abc`)).status, 400);
    assert.equal((await request(`${url}?item=999999`)).status, 404);
    const page = await request(`/meetings/${slug}/agenda`);
    assert.ok(page.body.includes(`href="http://${host}/meetings/${slug}/calendar.ics?item=${saturday}"`), "the item's download link");
    assert.ok(page.body.includes(`href="webcal://${host}/meetings/${slug}/calendar.ics"`), "the agenda's subscribe link");
  });

  it("keeps a moved item's UID with a higher SEQUENCE, and cancels a deleted one", async () => {
    const before = parse((await fetchFeed()).body).events;
    const uid = `meeting-${meeting.id}-item-${monday}@${host}`;
    const doomedUid = `meeting-${meeting.id}-item-${doomed}@${host}`;
    const sequenceBefore = Number(eventByUid(before, uid).getFirstPropertyValue("sequence"));
    const etagBefore = (await fetchFeed()).headers.get("ETag");

    const moved = await moveAgendaItem(db, meeting, monday, { date: "2026-10-26", start: "11:00" }, null);
    assert.ok(moved.ok);
    assert.ok(await deleteAgendaItem(db, meeting.id, doomed, null));

    const response = await fetchFeed({ "If-None-Match": etagBefore ?? "" });
    assert.equal(response.status, 200, "a changed agenda is a new version");
    const after = parse(response.body).events;
    const movedEvent = eventByUid(after, uid);
    assert.equal(instant(movedEvent, "dtstart"), "2026-10-26T10:00:00.000Z");
    assert.ok(Number(movedEvent.getFirstPropertyValue("sequence")) > sequenceBefore);
    const cancelled = eventByUid(after, doomedUid);
    assert.equal(cancelled.getFirstPropertyValue("status"), "CANCELLED");
    assert.ok(Number(cancelled.getFirstPropertyValue("sequence")) > Number(eventByUid(before, doomedUid).getFirstPropertyValue("sequence")));
  });

  it("cancels every item with a higher SEQUENCE when the meeting is cancelled", async () => {
    const before = parse((await fetchFeed()).body).events;
    await db.updateTable("meetings").set({ status: "cancelled", cancelled_at: new Date(), updated_at: new Date() }).where("id", "=", meeting.id).execute();
    const after = parse((await fetchFeed()).body).events;
    for (const event of after) {
      assert.equal(event.getFirstPropertyValue("status"), "CANCELLED");
      const uid = event.getFirstPropertyValue("uid");
      const earlier = before.find((e) => e.getFirstPropertyValue("uid") === uid)!;
      assert.ok(Number(event.getFirstPropertyValue("sequence")) > Number(earlier.getFirstPropertyValue("sequence")), String(uid));
    }
  });

  it("answers the all-meetings feed 304 when nothing changed, and 200 after a change", async () => {
    const first = await request("/calendar.ics");
    assert.equal(first.status, 200);
    const etag = first.headers.get("ETag")!;
    assert.equal((await request("/calendar.ics", { headers: { "If-None-Match": etag } })).status, 304);
    assert.notEqual((await request("/calendar.ics?kind=webinar")).headers.get("ETag"), etag, "each filter is its own version");
    await db.updateTable("meetings").set({ title: "Renamed", updated_at: new Date() }).where("id", "=", meeting.id).execute();
    const changed = await request("/calendar.ics", { headers: { "If-None-Match": etag } });
    assert.equal(changed.status, 200);
    assert.equal(eventByUid(parse(changed.body).events, `meeting-${meeting.id}@${host}`).getFirstPropertyValue("summary"), "Cancelled: Renamed", "the new body, not the one kept");
  });
});
