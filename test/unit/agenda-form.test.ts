import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AgendaFormContext, type AgendaFormResult, type AgendaItemInput, parseAgendaItemForm } from "../../app/agenda/agenda-form.server";

/**
 * The agenda item form across real clock changes. Expected instants are worked out by hand from
 * the zones' offsets (Zurich CET = UTC+1, CEST = UTC+2; New York EST = UTC−5, EDT = UTC−4;
 * Sydney AEST = UTC+10, AEDT = UTC+11; Bangkok UTC+7 all year), not by the code under test.
 */

function meeting(timezone: string, startsOn: string, endsOn: string = startsOn): AgendaFormContext {
  return { timezone, startsOn, endsOn, roomIds: [11, 12], parents: [] };
}

function parse(context: AgendaFormContext, fields: Record<string, string>): AgendaFormResult {
  const formData = new FormData();
  for (const [name, value] of Object.entries({ title: "Session", kind: "session", ...fields })) formData.append(name, value);
  return parseAgendaItemForm(formData, context);
}

function accepted(result: AgendaFormResult): AgendaItemInput {
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.input;
}

function refused(result: AgendaFormResult) {
  assert.ok(!result.ok, "refused");
  return result;
}

/** The UTC instants an accepted item starts and ends at. */
function instants(result: AgendaFormResult): [string, string] {
  const input = accepted(result);
  return [input.startsAt.toISOString(), input.endsAt.toISOString()];
}

const hours = (input: AgendaItemInput) => (input.endsAt.getTime() - input.startsAt.getTime()) / 3_600_000;

describe("agenda item times in Europe/Zurich when summer time starts (Sun 28 March 2027, 02:00 → 03:00)", () => {
  const zurich = meeting("Europe/Zurich", "2027-03-27", "2027-03-29");

  it("refuses every time the clocks skip, naming the zone", () => {
    for (const start of ["02:00", "02:30", "02:59"]) {
      const { errors } = refused(parse(zurich, { date: "2027-03-28", start, end: "04:00" }));
      assert.equal(errors.start, `2027-03-28 ${start} does not exist in Europe/Zurich: the clocks skip it when summer time starts. Choose another time.`);
    }
    const { errors } = refused(parse(zurich, { date: "2027-03-28", start: "01:00", end: "02:15" }));
    assert.match(errors.end ?? "", /^2027-03-28 02:15 does not exist in Europe\/Zurich/);
    assert.equal(errors.start, undefined);
  });

  it("takes the times either side, and an item across the change lasts one hour, not two", () => {
    assert.deepEqual(instants(parse(zurich, { date: "2027-03-28", start: "01:30", end: "01:45" })), ["2027-03-28T00:30:00.000Z", "2027-03-28T00:45:00.000Z"]);
    assert.deepEqual(instants(parse(zurich, { date: "2027-03-28", start: "03:00", end: "03:15" })), ["2027-03-28T01:00:00.000Z", "2027-03-28T01:15:00.000Z"]);
    const across = accepted(parse(zurich, { date: "2027-03-28", start: "01:30", end: "03:30" }));
    assert.deepEqual([across.startsAt.toISOString(), across.endsAt.toISOString()], ["2027-03-28T00:30:00.000Z", "2027-03-28T01:30:00.000Z"]);
    assert.equal(hours(across), 1);
    assert.equal(across.startsLocal, "2027-03-28T01:30");
    assert.equal(across.endsLocal, "2027-03-28T03:30");
  });

  it("puts 09:00 an hour earlier in UTC once summer time has started", () => {
    assert.equal(instants(parse(zurich, { date: "2027-03-27", start: "09:00", end: "10:00" }))[0], "2027-03-27T08:00:00.000Z");
    assert.equal(instants(parse(zurich, { date: "2027-03-29", start: "09:00", end: "10:00" }))[0], "2027-03-29T07:00:00.000Z");
  });
});

describe("agenda item times in Europe/Zurich when summer time ends (Sun 25 October 2026, 03:00 → 02:00)", () => {
  const zurich = meeting("Europe/Zurich", "2026-10-24", "2026-10-26");

  it("asks which 02:30 is meant, offering both readings, and keeps what was typed", () => {
    const typed = { title: "Night session", kind: "session", date: "2026-10-25", start: "02:30", end: "04:00" };
    const result = refused(parse(zurich, typed));
    assert.equal(result.errors.start, "2026-10-25 02:30 happens twice in Europe/Zurich (the clocks go back). Choose which one.");
    assert.deepEqual(result.overlaps, [
      { field: "start", earlier: "Sun 25 Oct 2026, 02:30 Zurich time (GMT+2, first)", later: "Sun 25 Oct 2026, 02:30 Zurich time (GMT+1, second)" },
    ]);
    assert.deepEqual(result.values, typed);
  });

  it("takes the chosen reading: the first and second 02:30 are an hour apart", () => {
    const fields = { date: "2026-10-25", start: "02:30", end: "04:00" };
    const earlier = accepted(parse(zurich, { ...fields, startSide: "earlier" }));
    const later = accepted(parse(zurich, { ...fields, startSide: "later" }));
    assert.equal(earlier.startsAt.toISOString(), "2026-10-25T00:30:00.000Z");
    assert.equal(later.startsAt.toISOString(), "2026-10-25T01:30:00.000Z");
    assert.equal(later.startsAt.getTime() - earlier.startsAt.getTime(), 3_600_000);
    assert.equal(earlier.endsAt.toISOString(), "2026-10-25T03:00:00.000Z");
    assert.equal(hours(earlier), 2.5, "01:30 to 04:00 on the clock, with an hour repeated");
  });

  it("asks about the end too, and refuses a second start after a first end", () => {
    const result = refused(parse(zurich, { date: "2026-10-25", start: "01:00", end: "02:15" }));
    assert.deepEqual(result.overlaps.map((o) => o.field), ["end"]);
    assert.equal(instants(parse(zurich, { date: "2026-10-25", start: "01:00", end: "02:15", endSide: "later" }))[1], "2026-10-25T01:15:00.000Z");
    const backwards = refused(parse(zurich, { date: "2026-10-25", start: "02:30", end: "02:45", startSide: "later", endSide: "earlier" }));
    assert.equal(backwards.errors.end, "The end must be after the start");
  });

  it("refuses a side that is neither earlier nor later", () => {
    const { errors } = refused(parse(zurich, { date: "2026-10-25", start: "02:30", end: "04:00", startSide: "first" }));
    assert.ok(errors.startSide);
  });
});

describe("agenda item times in America/New_York", () => {
  it("refuses 02:xx on Sun 14 March 2027 (02:00 → 03:00) and takes the hours either side", () => {
    const newYork = meeting("America/New_York", "2027-03-14");
    for (const start of ["02:00", "02:30", "02:59"]) {
      assert.match(refused(parse(newYork, { date: "2027-03-14", start, end: "04:00" })).errors.start ?? "", /does not exist in America\/New_York/);
    }
    const across = parse(newYork, { date: "2027-03-14", start: "01:30", end: "03:30" });
    assert.deepEqual(instants(across), ["2027-03-14T06:30:00.000Z", "2027-03-14T07:30:00.000Z"]);
  });

  it("asks which 01:xx on Sun 1 November 2026 (02:00 → 01:00), the first in EDT, the second in EST", () => {
    const newYork = meeting("America/New_York", "2026-11-01");
    const result = refused(parse(newYork, { date: "2026-11-01", start: "01:30", end: "03:00" }));
    assert.deepEqual(result.overlaps, [
      { field: "start", earlier: "Sun 1 Nov 2026, 01:30 New York time (GMT-4, first)", later: "Sun 1 Nov 2026, 01:30 New York time (GMT-5, second)" },
    ]);
    const fields = { date: "2026-11-01", start: "01:30", end: "03:00" };
    assert.deepEqual(instants(parse(newYork, { ...fields, startSide: "earlier" })), ["2026-11-01T05:30:00.000Z", "2026-11-01T08:00:00.000Z"]);
    assert.deepEqual(instants(parse(newYork, { ...fields, startSide: "later" })), ["2026-11-01T06:30:00.000Z", "2026-11-01T08:00:00.000Z"]);
  });
});

describe("agenda item times in Australia/Sydney", () => {
  it("refuses 02:xx on Sun 4 October 2026 (02:00 → 03:00) and takes the hours either side", () => {
    const sydney = meeting("Australia/Sydney", "2026-10-03", "2026-10-05");
    assert.match(refused(parse(sydney, { date: "2026-10-04", start: "02:30", end: "04:00" })).errors.start ?? "", /does not exist in Australia\/Sydney/);
    const across = accepted(parse(sydney, { date: "2026-10-04", start: "01:30", end: "03:30" }));
    assert.deepEqual([across.startsAt.toISOString(), across.endsAt.toISOString()], ["2026-10-03T15:30:00.000Z", "2026-10-03T16:30:00.000Z"]);
    assert.equal(hours(across), 1);
  });

  it("asks which 02:xx on Sun 4 April 2027 (03:00 → 02:00), the first in AEDT, the second in AEST", () => {
    const sydney = meeting("Australia/Sydney", "2027-04-03", "2027-04-05");
    const fields = { date: "2027-04-04", start: "02:30", end: "09:00" };
    assert.deepEqual(refused(parse(sydney, fields)).overlaps.map((o) => o.field), ["start"]);
    assert.deepEqual(instants(parse(sydney, { ...fields, startSide: "earlier" })), ["2027-04-03T15:30:00.000Z", "2027-04-03T23:00:00.000Z"]);
    assert.deepEqual(instants(parse(sydney, { ...fields, startSide: "later" })), ["2027-04-03T16:30:00.000Z", "2027-04-03T23:00:00.000Z"]);
  });
});

/** "HH:mm" of a minute of the day. */
const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

describe("agenda item times in Asia/Bangkok (no summer time)", () => {
  it("takes every quarter hour of the days others change their clocks as one instant, seven hours ahead of UTC", () => {
    for (const date of ["2026-10-25", "2027-03-14", "2027-03-28", "2027-04-04"]) {
      const bangkok = meeting("Asia/Bangkok", date);
      for (let minute = 0; minute < 24 * 60 - 15; minute += 15) {
        const input = accepted(parse(bangkok, { date, start: clock(minute), end: clock(minute + 15) }));
        assert.equal(input.startsAt.getTime(), Date.parse(`${date}T${clock(minute)}:00Z`) - 7 * 3_600_000, `${date} ${clock(minute)}`);
      }
    }
    assert.deepEqual(instants(parse(meeting("Asia/Bangkok", "2026-12-01"), { date: "2026-12-01", start: "02:30", end: "09:00" })), [
      "2026-11-30T19:30:00.000Z",
      "2026-12-01T02:00:00.000Z",
    ]);
  });
});

describe("agenda item form rules", () => {
  const context: AgendaFormContext = {
    timezone: "Asia/Bangkok",
    startsOn: "2026-12-01",
    endsOn: "2026-12-02",
    roomIds: [11, 12],
    parents: [{ id: 7, title: "Panel on resilience", startsLocal: "2026-12-01T10:00", endsLocal: "2026-12-01T11:30" }],
  };
  const day = { date: "2026-12-01", start: "09:00", end: "10:00" };

  it("accepts a whole item: room, description, parent, people in order", () => {
    const input = accepted(
      parse(context, {
        title: "  Talk: cell broadcast  ",
        kind: "keynote",
        description: "Early warning over **mobile** networks.",
        date: "2026-12-01",
        start: "10:15",
        end: "10:45",
        room: "12",
        parent: "7",
        "people[0].name": "Sonam Dorji",
        "people[0].role": "chair",
        "people[0].affiliation": "Ministry of ICT, Bhutan",
        "people[1].name": "Ana Lima Soares",
        "people[1].role": "speaker",
        "people[1].affiliation": "",
      }),
    );
    assert.deepEqual(input, {
      title: "Talk: cell broadcast",
      kind: "keynote",
      description: "Early warning over **mobile** networks.",
      roomId: 12,
      parentId: 7,
      startsLocal: "2026-12-01T10:15",
      endsLocal: "2026-12-01T10:45",
      startsAt: new Date("2026-12-01T03:15:00Z"),
      endsAt: new Date("2026-12-01T03:45:00Z"),
      people: [
        { name: "Sonam Dorji", role: "chair", affiliation: "Ministry of ICT, Bhutan" },
        { name: "Ana Lima Soares", role: "speaker", affiliation: null },
      ],
    });
  });

  it("refuses days outside the meeting's, naming them", () => {
    for (const date of ["2026-11-30", "2026-12-03"]) {
      assert.equal(refused(parse(context, { ...day, date })).errors.date, "Choose a day of the meeting, 2026-12-01 to 2026-12-02");
    }
    assert.ok(refused(parse(context, { ...day, date: "1 December" })).errors.date);
    assert.ok(accepted(parse(context, { ...day, date: "2026-12-02" })));
  });

  it("refuses an end before or at the start, and times that are not HH:mm", () => {
    assert.match(refused(parse(context, { ...day, end: "08:59" })).errors.end ?? "", /^The end must be after the start/);
    assert.match(refused(parse(context, { ...day, end: "09:00" })).errors.end ?? "", /^The end must be after the start/);
    assert.equal(refused(parse(context, { ...day, start: "9:00" })).errors.start, "Start: a time as HH:mm, e.g. 09:30");
    assert.equal(refused(parse(context, { ...day, end: "24:00" })).errors.end, "End: a time as HH:mm, e.g. 09:30");
  });

  it("refuses a room or parent item that is not this meeting's", () => {
    assert.equal(refused(parse(context, { ...day, room: "99" })).errors.room, "Choose a room of this meeting");
    assert.equal(refused(parse(context, { ...day, parent: "99" })).errors.parent, "Choose an item of this meeting's agenda");
    assert.ok(refused(parse(context, { ...day, room: "Plenary" })).errors.room);
    assert.equal(accepted(parse(context, { ...day, room: "" })).roomId, null, "no room: online");
  });

  it("refuses a part that does not fit within its parent's times", () => {
    const message = 'A part of "Panel on resilience" must fit within its times (2026-12-01 10:00 to 11:30)';
    assert.equal(refused(parse(context, { ...day, start: "09:45", end: "10:30", parent: "7" })).errors.parent, message);
    assert.equal(refused(parse(context, { ...day, start: "11:00", end: "11:45", parent: "7" })).errors.parent, message);
    assert.equal(refused(parse(context, { ...day, date: "2026-12-02", start: "10:15", end: "10:45", parent: "7" })).errors.parent, message);
    assert.equal(accepted(parse(context, { ...day, start: "10:00", end: "11:30", parent: "7" })).parentId, 7, "exactly its times");
  });

  it("keeps the agenda one level deep: an item with parts cannot become a part", () => {
    const withParts = { ...context, parts: [{ title: "Talk", startsLocal: "2026-12-01T10:15", endsLocal: "2026-12-01T10:45" }] };
    const fields = { ...day, start: "10:00", end: "11:30", parent: "7" };
    assert.match(refused(parse(withParts, fields)).errors.parent ?? "", /has parts of its own/);
    assert.equal(accepted(parse(withParts, { ...fields, parent: "" })).parentId, null);
  });

  it("ignores empty people rows, needs a name when an affiliation is given, and a known role", () => {
    const rows = {
      "people[0].name": "",
      "people[0].role": "speaker",
      "people[0].affiliation": "  ",
      "people[1].name": "",
      "people[1].role": "panellist",
      "people[1].affiliation": "ITU",
      "people[2].name": "Lan Anh Vu",
      "people[2].role": "keynote",
      "people[3].name": "Grace Ahmed",
      "people[3].role": "moderator",
    };
    const { errors } = refused(parse(context, { ...day, ...rows }));
    assert.deepEqual(errors, { "people[1].name": "Give the person's name", "people[2].role": "Choose the person's role" });
    const only = accepted(parse(context, { ...day, "people[0].role": "speaker", "people[1].name": "Grace Ahmed", "people[1].role": "moderator" }));
    assert.deepEqual(only.people, [{ name: "Grace Ahmed", role: "moderator", affiliation: null }]);
  });

  it("refuses an over-long title, a missing one and an unknown kind, keeping every value typed", () => {
    const typed = { ...day, title: "x".repeat(301), kind: "banquet", room: "11", "people[0].name": "Grace Ahmed", "people[0].role": "moderator" };
    const result = refused(parse(context, typed));
    assert.equal(result.errors.title, "At most 300 characters");
    assert.equal(result.errors.kind, "Choose what kind of item this is");
    assert.deepEqual(result.values, typed);
    assert.equal(refused(parse(context, { ...day, title: "   " })).errors.title, "Give the item a title");
    assert.equal(accepted(parse(context, { ...day, title: "x".repeat(300) })).title.length, 300);
  });
});
