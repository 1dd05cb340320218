import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import type { Database, Meeting } from "../../db/schema";
import { parseMeetingForm } from "../../app/meetings/meeting-form.server";
import type { StatusChange } from "../../app/meetings/status-changes";
import {
  changeMeetingStatus,
  createMeeting,
  findMeeting,
  listPublicMeetings,
} from "../../app/meetings/meetings.server";
import {
  createProgramme,
  deleteProgramme,
  findProgramme,
  programmeTree,
  updateProgramme,
} from "../../app/programmes/programmes.server";
import { freshDatabase } from "../support/database";

/** A valid form for an in-person workshop; `overrides` replace fields, `undefined` removes one. */
function meetingForm(overrides: Record<string, string | undefined> = {}): FormData {
  const fields: Record<string, string | undefined> = {
    title: "Regional Workshop on Community Networks",
    summary: "",
    organisingBody: "ESCAP",
    kind: "workshop",
    mode: "in_person",
    timezone: "Asia/Bangkok",
    startsOn: "2026-12-01",
    endsOn: "2026-12-03",
    venueName: "United Nations Conference Centre",
    venueCity: "Bangkok",
    venueCountry: "TH",
    registrationPolicy: "open",
    ...overrides,
  };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);
  return form;
}

function parsedInput(overrides: Record<string, string | undefined> = {}) {
  const result = parseMeetingForm(meetingForm(overrides));
  if (!result.ok) assert.fail(`the form was refused: ${JSON.stringify(result.errors)}`);
  return result.input;
}

async function addMeeting(
  db: Kysely<Database>,
  overrides: Record<string, string | undefined>,
  status: "draft" | "published" | "cancelled" = "published",
): Promise<Meeting> {
  const saved = await createMeeting(db, parsedInput(overrides), null);
  if (!saved.ok) assert.fail(`not saved: ${JSON.stringify(saved.errors)}`);
  if (status !== "draft") {
    const meeting = await findMeeting(db, saved.slug);
    assert.ok(meeting);
    assert.equal(await changeMeetingStatus(db, meeting, status === "published" ? "publish" : "cancel", null), true);
  }
  const meeting = await findMeeting(db, saved.slug);
  assert.ok(meeting);
  return meeting;
}

describe("parseMeetingForm", () => {
  it("accepts a complete form and splits the partners", () => {
    const input = parsedInput({ partners: "ITU, APT\nUNDP", capacity: "40", contactEmail: "Meetings@Example.org" });
    assert.deepEqual(input.partners, ["ITU", "APT", "UNDP"]);
    assert.equal(input.capacity, 40);
    assert.equal(input.contactEmail, "meetings@example.org");
    assert.equal(input.registrationOpens, null);
  });

  it("refuses a registration time the clocks skip (Europe/Zurich, 29 March 2026, 02:30)", () => {
    const result = parseMeetingForm(
      meetingForm({ timezone: "Europe/Zurich", startsOn: "2026-04-20", endsOn: "2026-04-21", registrationOpensAt: "2026-03-29T02:30" }),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.errors.registrationOpensAt ?? "", /does not exist in Europe\/Zurich/);
    assert.deepEqual(Object.keys(result.errors), ["registrationOpensAt"]);
    assert.deepEqual(result.overlaps, []);
    assert.equal(result.values.registrationOpensAt, "2026-03-29T02:30", "what was typed is kept");
  });

  it("asks which of the two 02:30s on 25 October 2026 in Zurich, and resolves either side", () => {
    const ambiguous = { timezone: "Europe/Zurich", startsOn: "2026-11-10", endsOn: "2026-11-11", registrationOpensAt: "2026-10-25T02:30" };
    const result = parseMeetingForm(meetingForm(ambiguous));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.errors.registrationOpensAt ?? "", /happens twice/);
    assert.equal(result.overlaps.length, 1);
    const [overlap] = result.overlaps;
    assert.equal(overlap?.field, "registrationOpensAt");
    assert.match(overlap?.earlier ?? "", /02:30 Zurich time \(GMT\+2, first\)/);
    assert.match(overlap?.later ?? "", /02:30 Zurich time \(GMT\+1, second\)/);

    const earlier = parsedInput({ ...ambiguous, registrationOpensAtSide: "earlier" });
    assert.deepEqual(earlier.registrationOpens, { local: "2026-10-25T02:30", at: new Date("2026-10-25T00:30:00Z") });
    const later = parsedInput({ ...ambiguous, registrationOpensAtSide: "later" });
    assert.deepEqual(later.registrationOpens, { local: "2026-10-25T02:30", at: new Date("2026-10-25T01:30:00Z") });
  });

  it("refuses registration closing before it opens", () => {
    const result = parseMeetingForm(meetingForm({ registrationOpensAt: "2026-11-20T09:00", registrationClosesAt: "2026-11-10T17:00" }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.errors.registrationClosesAt, "Registration must close after it opens");
  });

  it("requires the venue's city and country unless the meeting is online", () => {
    for (const mode of ["in_person", "hybrid"]) {
      const result = parseMeetingForm(meetingForm({ mode, venueCity: "", venueCountry: undefined, onlineUrl: "https://meet.example.org/x" }));
      assert.equal(result.ok, false, mode);
      if (result.ok) continue;
      assert.equal(result.errors.venueCity, "Where does it take place? Give the city");
      assert.equal(result.errors.venueCountry, "Choose the venue's country");
    }
    const online = parseMeetingForm(meetingForm({ mode: "online", venueName: "", venueCity: "", venueCountry: "" }));
    assert.equal(online.ok, true);
  });

  it("refuses an unknown time zone, country, email and capacity, each on its field", () => {
    const result = parseMeetingForm(
      meetingForm({ timezone: "Mars/Olympus", venueCountry: "XX", contactEmail: "not-an-address", capacity: "0" }),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors.timezone, "Not a time zone: use Area/City, e.g. Asia/Bangkok");
    assert.equal(result.errors.venueCountry, "Choose a country from the list");
    assert.equal(result.errors.contactEmail, "An email address, e.g. meetings@example.org");
    assert.equal(result.errors.capacity, "At least 1");

    for (const capacity of ["2.5", "forty"]) {
      const refused = parseMeetingForm(meetingForm({ capacity }));
      assert.equal(refused.ok, false, capacity);
      if (!refused.ok) assert.equal(refused.errors.capacity, "A whole number", capacity);
    }
  });

  it("gives every field's message at once: an invalid zone or kind does not hide the missing venue", () => {
    const result = parseMeetingForm(meetingForm({ timezone: "Mars/Olympus", kind: "seminar", venueCity: "", venueCountry: "" }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(Object.keys(result.errors).sort(), ["kind", "timezone", "venueCity", "venueCountry"]);
  });

  it("blames only the first day when it is malformed, not the last", () => {
    const result = parseMeetingForm(meetingForm({ startsOn: "next week" }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.errors, { startsOn: "First day: a day as YYYY-MM-DD" });
  });

  it("refuses a last day before the first", () => {
    const result = parseMeetingForm(meetingForm({ startsOn: "2026-12-03", endsOn: "2026-12-01" }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.errors.endsOn, "The last day cannot be before the first day");
  });

  it("stores the current name of a zone ICU reports by its legacy one", () => {
    assert.equal(parsedInput({ timezone: "Asia/Calcutta" }).timezone, "Asia/Kolkata");
    assert.equal(parsedInput({ timezone: "Asia/Kolkata" }).timezone, "Asia/Kolkata");
  });
});

describe("meetings in the database", async () => {
  const { db } = await freshDatabase();

  it("creates a draft with a readable slug, made unique with a number", async () => {
    const first = await createMeeting(db, parsedInput({ title: "Expert Group Meeting on e-Resilience" }), null);
    const second = await createMeeting(db, parsedInput({ title: "Expert Group Meeting on e-Resilience" }), null);
    const third = await createMeeting(db, parsedInput({ title: "Expert Group Meeting on e-Resilience!" }), null);
    assert.deepEqual(first, { ok: true, slug: "expert-group-meeting-on-e-resilience" });
    assert.deepEqual(second, { ok: true, slug: "expert-group-meeting-on-e-resilience-2" });
    assert.deepEqual(third, { ok: true, slug: "expert-group-meeting-on-e-resilience-3" });
    const row = await findMeeting(db, "expert-group-meeting-on-e-resilience-2");
    assert.equal(row?.status, "draft");
    assert.equal(row?.published_at, null);
  });

  it("derives the first and last instants from the days in the meeting's zone", async () => {
    const bangkok = await addMeeting(db, { title: "Bangkok days", timezone: "Asia/Bangkok", startsOn: "2026-12-01", endsOn: "2026-12-03" }, "draft");
    assert.equal(bangkok.starts_on, "2026-12-01");
    assert.equal(bangkok.ends_on, "2026-12-03");
    assert.equal(bangkok.starts_at.toISOString(), "2026-11-30T17:00:00.000Z");
    assert.equal(bangkok.ends_at.toISOString(), "2026-12-03T17:00:00.000Z");

    // Across the start of summer time: 28 March is 24 hours long, 29 March 23.
    const zurich = await addMeeting(
      db,
      { title: "Geneva days", timezone: "Europe/Zurich", startsOn: "2026-03-28", endsOn: "2026-03-29", venueCity: "Geneva", venueCountry: "CH" },
      "draft",
    );
    assert.equal(zurich.starts_at.toISOString(), "2026-03-27T23:00:00.000Z");
    assert.equal(zurich.ends_at.toISOString(), "2026-03-29T22:00:00.000Z");

    const kolkata = await addMeeting(db, { title: "Delhi day", timezone: "Asia/Calcutta", startsOn: "2026-12-01", endsOn: "2026-12-01", venueCity: "New Delhi", venueCountry: "IN" }, "draft");
    assert.equal(kolkata.timezone, "Asia/Kolkata");
    assert.equal(kolkata.starts_at.toISOString(), "2026-11-30T18:30:00.000Z");
    assert.equal(kolkata.ends_at.toISOString(), "2026-12-01T18:30:00.000Z");
  });

  it("keeps the registration window as wall time and instant, and drops the venue of an online meeting", async () => {
    const meeting = await addMeeting(
      db,
      {
        title: "Webinar on zones",
        kind: "webinar",
        mode: "online",
        onlineUrl: "https://meet.example.org/j/zones",
        venueName: "Ignored hall",
        venueCity: "Ignored",
        venueCountry: "TH",
        timezone: "Europe/Zurich",
        startsOn: "2026-11-10",
        endsOn: "2026-11-10",
        registrationOpensAt: "2026-10-25T02:30",
        registrationOpensAtSide: "later",
        registrationClosesAt: "2026-11-09T17:00",
      },
      "draft",
    );
    assert.equal(meeting.venue_name, null);
    assert.equal(meeting.venue_city, null);
    assert.equal(meeting.venue_country, null);
    assert.equal(meeting.online_url, "https://meet.example.org/j/zones");
    assert.equal(meeting.registration_opens_local, "2026-10-25T02:30");
    assert.equal(meeting.registration_opens_at?.toISOString(), "2026-10-25T01:30:00.000Z");
    assert.equal(meeting.registration_closes_local, "2026-11-09T17:00");
    assert.equal(meeting.registration_closes_at?.toISOString(), "2026-11-09T16:00:00.000Z");
  });

  it("refuses a programme that does not exist", async () => {
    const result = await createMeeting(db, parsedInput({ title: "Orphan", programme: "no-such-programme" }), null);
    assert.deepEqual(result, { ok: false, errors: { programme: "Choose a programme from the list" } });
    assert.equal(await findMeeting(db, "orphan"), undefined);
  });

  it("publishes, unpublishes and cancels, refusing changes that make no sense", async () => {
    const created = await addMeeting(db, { title: "Status walk" }, "draft");
    const current = async () => {
      const meeting = await findMeeting(db, created.slug);
      assert.ok(meeting);
      return meeting;
    };
    const change = async (to: StatusChange) => changeMeetingStatus(db, await current(), to, null);

    assert.equal(await change("unpublish"), false, "a draft cannot be unpublished");
    assert.equal((await current()).status, "draft");

    assert.equal(await change("publish"), true);
    const published = await current();
    assert.equal(published.status, "published");
    assert.ok(published.published_at instanceof Date);
    assert.equal(await change("publish"), false, "already published");

    assert.equal(await change("unpublish"), true);
    assert.equal((await current()).status, "draft");
    assert.equal(await change("publish"), true);
    assert.equal((await current()).published_at?.getTime(), published.published_at?.getTime(), "first publication date kept");

    assert.equal(await change("cancel"), true);
    const cancelled = await current();
    assert.equal(cancelled.status, "cancelled");
    assert.ok(cancelled.cancelled_at instanceof Date);
    assert.equal(await change("cancel"), false, "already cancelled");
    assert.equal(await change("unpublish"), false, "a cancelled meeting is not unpublished");

    assert.equal(await change("publish"), true, "a cancelled meeting can be reinstated");
    const reinstated = await current();
    assert.equal(reinstated.status, "published");
    assert.equal(reinstated.cancelled_at, null);
  });
});

describe("listPublicMeetings", async () => {
  const { db } = await freshDatabase();
  const now = new Date("2026-06-15T00:00:00Z");

  const initiative = await createProgramme(db, { title: "Information Superhighway", summary: null, parent: null, position: 1 }, null);
  const group = await createProgramme(db, { title: "Working Group on Connectivity", summary: null, parent: "information-superhighway", position: 1 }, null);
  const topic = await createProgramme(db, { title: "Submarine Cables", summary: null, parent: "working-group-on-connectivity", position: 1 }, null);
  const other = await createProgramme(db, { title: "Digital Government", summary: null, parent: null, position: 2 }, null);
  assert.ok(initiative.ok && group.ok && topic.ok && other.ok);
  const programmeId = async (slug: string) => {
    const programme = await findProgramme(db, slug);
    assert.ok(programme);
    return programme.id;
  };

  const ongoing = await addMeeting(db, { title: "Digital Government Forum", startsOn: "2026-06-14", endsOn: "2026-06-16", programme: "digital-government" });
  const webinar = await addMeeting(db, {
    title: "Webinar: 100% Renewable Networks",
    summary: "Cutting energy_use of networks by half",
    kind: "webinar",
    mode: "online",
    startsOn: "2026-06-20",
    endsOn: "2026-06-20",
    programme: "information-superhighway",
  });
  const workshop = await addMeeting(db, { title: "Regional Workshop on Broadband Mapping", startsOn: "2026-07-01", endsOn: "2026-07-02", programme: "working-group-on-connectivity" });
  const cancelled = await addMeeting(
    db,
    { title: "Pacific Consultation", kind: "expert_group_meeting", timezone: "Pacific/Fiji", venueCity: "Suva", venueCountry: "FJ", startsOn: "2026-08-10", endsOn: "2026-08-11", programme: "submarine-cables" },
    "cancelled",
  );
  await addMeeting(db, { title: "Draft Broadband Roundtable", startsOn: "2026-06-25", endsOn: "2026-06-25", programme: "working-group-on-connectivity" }, "draft");
  const recent = await addMeeting(db, { title: "Training on Spectrum", startsOn: "2026-05-01", endsOn: "2026-05-02", programme: "submarine-cables" });
  const older = await addMeeting(db, { title: "Steering Committee", kind: "expert_group_meeting", startsOn: "2026-03-01", endsOn: "2026-03-01" });

  const slugs = (result: { meetings: { slug: string }[] }) => result.meetings.map((m) => m.slug);

  it("shows published and cancelled upcoming meetings, soonest first, never drafts", async () => {
    const result = await listPublicMeetings(db, {}, now);
    assert.deepEqual(slugs(result), [ongoing.slug, webinar.slug, workshop.slug, cancelled.slug]);
    assert.equal(result.total, 4);
    assert.equal(result.meetings.find((m) => m.slug === cancelled.slug)?.status, "cancelled");
    assert.equal(result.meetings.find((m) => m.slug === workshop.slug)?.programme_slug, "working-group-on-connectivity");
  });

  it("shows meetings that have ended with past, latest first", async () => {
    const result = await listPublicMeetings(db, { past: true }, now);
    assert.deepEqual(slugs(result), [recent.slug, older.slug]);
    assert.equal(result.total, 2);
  });

  it("moves a meeting to the past once its last day has ended in its zone", async () => {
    // The ongoing meeting's last day (16 June, Bangkok) ends at 2026-06-16T17:00Z.
    const justBefore = await listPublicMeetings(db, {}, new Date("2026-06-16T16:59:00Z"));
    assert.equal(justBefore.meetings[0]?.slug, ongoing.slug);
    const justAfter = await listPublicMeetings(db, { past: true }, new Date("2026-06-16T17:00:00Z"));
    assert.equal(justAfter.meetings[0]?.slug, ongoing.slug);
  });

  it("filters by kind", async () => {
    assert.deepEqual(slugs(await listPublicMeetings(db, { kind: "webinar" }, now)), [webinar.slug]);
    assert.deepEqual(slugs(await listPublicMeetings(db, { kind: "expert_group_meeting", past: true }, now)), [older.slug]);
    assert.deepEqual(slugs(await listPublicMeetings(db, { kind: "ministerial_conference" }, now)), []);
  });

  it("searches title, summary and city, ignoring case", async () => {
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "BROADBAND" }, now)), [workshop.slug], "title; the draft stays hidden");
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "energy" }, now)), [webinar.slug], "summary");
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "suva" }, now)), [cancelled.slug], "city");
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "nothing like this" }, now)), []);
  });

  it("takes % and _ in the search literally", async () => {
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "100%" }, now)), [webinar.slug]);
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "energy_use" }, now)), [webinar.slug]);
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "%" }, now)), [webinar.slug], "only the title with a % sign");
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "1%0" }, now)), [], "% is not a wildcard");
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "Br_adband" }, now)), [], "_ is not a wildcard");
    assert.deepEqual(slugs(await listPublicMeetings(db, { q: "\\" }, now)), [], "a backslash is searched for, not an escape");
  });

  it("filters by programme, its sub-programmes included, two levels down", async () => {
    assert.deepEqual(slugs(await listPublicMeetings(db, { programmeId: await programmeId("information-superhighway") }, now)), [
      webinar.slug,
      workshop.slug,
      cancelled.slug,
    ]);
    assert.deepEqual(slugs(await listPublicMeetings(db, { programmeId: await programmeId("working-group-on-connectivity") }, now)), [
      workshop.slug,
      cancelled.slug,
    ]);
    assert.deepEqual(slugs(await listPublicMeetings(db, { programmeId: await programmeId("submarine-cables") }, now)), [cancelled.slug]);
    assert.deepEqual(
      slugs(await listPublicMeetings(db, { programmeId: await programmeId("information-superhighway"), past: true }, now)),
      [recent.slug],
    );
    assert.deepEqual(slugs(await listPublicMeetings(db, { programmeId: await programmeId("digital-government") }, now)), [ongoing.slug]);
  });

  it("pages through the list and gives the total", async () => {
    const first = await listPublicMeetings(db, { page: 1, pageSize: 3 }, now);
    assert.deepEqual(slugs(first), [ongoing.slug, webinar.slug, workshop.slug]);
    assert.equal(first.total, 4);
    const second = await listPublicMeetings(db, { page: 2, pageSize: 3 }, now);
    assert.deepEqual(slugs(second), [cancelled.slug]);
    assert.equal(second.total, 4);
    const filtered = await listPublicMeetings(db, { q: "o", page: 1, pageSize: 1 }, now);
    assert.equal(filtered.meetings.length, 1);
    assert.equal(filtered.total, 4, "every upcoming title has an o");
  });

  it("lists a meeting that began long ago and has not ended among the upcoming, first (the longest meeting bounds the search)", async () => {
    const exhibition = await addMeeting(db, { title: "Year-long Exhibition on Connectivity", startsOn: "2025-07-01", endsOn: "2026-12-31" });
    try {
      const upcoming = await listPublicMeetings(db, {}, now);
      assert.deepEqual(slugs(upcoming), [exhibition.slug, ongoing.slug, webinar.slug, workshop.slug, cancelled.slug]);
      assert.equal(upcoming.total, 5);
      assert.deepEqual(slugs(await listPublicMeetings(db, { q: "exhibition" }, now)), [exhibition.slug]);
      assert.deepEqual(slugs(await listPublicMeetings(db, { past: true }, now)), [recent.slug, older.slug], "not past before it ends");
      const later = await listPublicMeetings(db, { past: true }, new Date("2027-01-02T00:00:00Z"));
      assert.deepEqual(slugs(later), [cancelled.slug, workshop.slug, webinar.slug, ongoing.slug, recent.slug, older.slug, exhibition.slug], "past once it ends, by its first day");
    } finally {
      await db.deleteFrom("meetings").where("id", "=", exhibition.id).execute();
    }
  });
});

describe("programmes", async () => {
  const { db } = await freshDatabase();
  const input = (title: string, parent: string | null = null, position = 0) => ({ title, summary: null, parent, position });
  const programme = async (slug: string) => {
    const found = await findProgramme(db, slug);
    assert.ok(found, slug);
    return found;
  };

  it("gives each programme a unique slug from its title", async () => {
    assert.deepEqual(await createProgramme(db, input("Digital Cooperation"), null), { ok: true, slug: "digital-cooperation" });
    assert.deepEqual(await createProgramme(db, input("Digital cooperation"), null), { ok: true, slug: "digital-cooperation-2" });
    assert.deepEqual(await createProgramme(db, input("Digital Cooperation", "no-such-parent"), null), {
      ok: false,
      field: "parent",
      message: "No such programme",
    });
  });

  it("orders the tree parents first, siblings by position then title, with depths", async () => {
    await createProgramme(db, input("Zeta Initiative", null, 1), null);
    await createProgramme(db, input("Alpha Initiative", null, 2), null);
    await createProgramme(db, input("Working Group B", "zeta-initiative", 1), null);
    await createProgramme(db, input("Working Group A", "zeta-initiative", 1), null);
    await createProgramme(db, input("First Topic", "working-group-b", 0), null);
    await createProgramme(db, input("Early Group", "zeta-initiative", 0), null);
    await addMeeting(db, { title: "Topic meeting", programme: "first-topic" }, "draft");
    await addMeeting(db, { title: "Another topic meeting", programme: "first-topic" }, "draft");

    const tree = await programmeTree(db);
    assert.deepEqual(
      tree.map((p) => [p.slug, p.depth]),
      [
        ["digital-cooperation", 0],
        ["digital-cooperation-2", 0],
        ["zeta-initiative", 0],
        ["early-group", 1],
        ["working-group-a", 1],
        ["working-group-b", 1],
        ["first-topic", 2],
        ["alpha-initiative", 0],
      ],
    );
    assert.equal(tree.find((p) => p.slug === "first-topic")?.meetingCount, 2);
    assert.equal(tree.find((p) => p.slug === "zeta-initiative")?.meetingCount, 0, "counts its own meetings only");
  });

  it("refuses to put a programme under itself or one of its descendants", async () => {
    const zeta = await programme("zeta-initiative");
    for (const parent of ["zeta-initiative", "working-group-b", "first-topic"]) {
      const result = await updateProgramme(db, zeta, input("Zeta Initiative", parent, 1), null);
      assert.equal(result.ok, false, parent);
      if (!result.ok) assert.equal(result.field, "parent");
    }
    assert.equal((await programme("zeta-initiative")).parent_id, null, "unchanged");

    const moved = await updateProgramme(db, await programme("first-topic"), input("First Topic, renamed", "alpha-initiative", 3), null);
    assert.deepEqual(moved, { ok: true, slug: "first-topic" });
    const after = await programme("first-topic");
    assert.equal(after.parent_id, (await programme("alpha-initiative")).id);
    assert.equal(after.title, "First Topic, renamed");
    assert.equal(after.position, 3);
  });

  it("refuses to delete a programme with sub-programmes; a leaf goes, its meetings stay", async () => {
    const zeta = await programme("zeta-initiative");
    assert.deepEqual(await deleteProgramme(db, zeta, null), { ok: false, message: "Move or delete its sub-programmes first." });
    assert.ok(await findProgramme(db, "zeta-initiative"));

    const before = await findMeeting(db, "topic-meeting");
    assert.ok(before);
    assert.deepEqual(await deleteProgramme(db, await programme("first-topic"), null), { ok: true });
    assert.equal(await findProgramme(db, "first-topic"), undefined);
    const meeting = await findMeeting(db, "topic-meeting");
    assert.ok(meeting, "the meeting still exists");
    assert.equal(meeting.programme_id, null);
    assert.ok(meeting.updated_at > before.updated_at, "changed, for the feeds' versions: it left its parent programmes' feeds");
  });
});
