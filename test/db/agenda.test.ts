import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { type AgendaFormContext, type AgendaItemInput, parseAgendaItemForm } from "../../app/agenda/agenda-form.server";
import {
  addRoom,
  agendaLastUpdated,
  createAgendaItem,
  deleteAgendaItem,
  deleteRoom,
  duplicateAgendaItem,
  findAgendaItem,
  listAgendaItems,
  listRooms,
  moveAgendaItem,
  reexpressAgendaInZone,
  rederiveFutureInstants,
  renameRoom,
  roomClashes,
  updateAgendaItem,
} from "../../app/agenda/agenda.server";
import type { Database, Meeting } from "../../db/schema";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

async function contextOf(db: Kysely<Database>, meeting: Meeting): Promise<AgendaFormContext> {
  const items = await listAgendaItems(db, meeting.id);
  return {
    timezone: meeting.timezone,
    startsOn: meeting.starts_on,
    endsOn: meeting.ends_on,
    roomIds: (await listRooms(db, meeting.id)).map((room) => room.id),
    parents: items.filter((item) => item.parentId === null),
  };
}

/** The item form as an organiser fills it in, parsed against the meeting. */
async function itemInput(db: Kysely<Database>, meeting: Meeting, fields: Record<string, string>): Promise<AgendaItemInput> {
  const result = parseAgendaItemForm(form({ kind: "session", date: meeting.starts_on, ...fields }), await contextOf(db, meeting));
  if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.errors)}`);
  return result.input;
}

async function row(db: Kysely<Database>, id: number) {
  return db.selectFrom("agenda_items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function user(db: Kysely<Database>, email: string, name: string | null): Promise<number> {
  return (await db.insertInto("users").values({ email, name, role: "administrator" }).returning("id").executeTakeFirstOrThrow()).id;
}

describe("the agenda", async () => {
  const { db } = await freshDatabase();
  const organiser = await user(db, "amina@example.org", "Amina Rahman");
  const colleague = await user(db, "kenji@example.org", null);

  it("adds rooms, unique whatever their case; renames and deletes them, their items staying without a room", async () => {
    const meeting = await addMeeting(db, { starts_on: "2027-03-10", ends_on: "2027-03-11" });
    const plenary = await addRoom(db, meeting.id, "Plenary Hall", organiser);
    assert.ok(plenary.ok);
    const again = await addRoom(db, meeting.id, "plenary HALL", organiser);
    assert.deepEqual(again, { ok: false, error: 'This meeting already has a room called "plenary HALL"' });
    const other = await addMeeting(db, { starts_on: "2027-03-10", ends_on: "2027-03-11" });
    assert.ok((await addRoom(db, other.id, "Plenary Hall", organiser)).ok, "another meeting may use the name");

    const roomB = await addRoom(db, meeting.id, "Room B", organiser);
    assert.ok(roomB.ok);
    assert.deepEqual(await renameRoom(db, meeting.id, roomB.value, "PLENARY hall", organiser), {
      ok: false,
      error: 'This meeting already has a room called "PLENARY hall"',
    });
    const item = await createAgendaItem(db, meeting.id, await itemInput(db, meeting, { title: "Side event", start: "09:00", end: "10:00", room: String(roomB.value) }), organiser);
    assert.ok((await renameRoom(db, meeting.id, roomB.value, "Conference Room 2", organiser)).ok);
    assert.equal((await row(db, item)).sequence, 1, "a renamed room changes its items' calendar entries");
    assert.deepEqual(
      (await listRooms(db, meeting.id)).map(({ name, itemCount }) => [name, itemCount]),
      [
        ["Plenary Hall", 0],
        ["Conference Room 2", 1],
      ],
    );
    assert.deepEqual(await renameRoom(db, other.id, roomB.value, "Elsewhere", organiser), { ok: false, error: "No such room" });
    assert.deepEqual(await deleteRoom(db, other.id, roomB.value, organiser), { ok: false, error: "No such room" });
    assert.ok((await deleteRoom(db, meeting.id, roomB.value, organiser)).ok);
    const kept = await row(db, item);
    assert.equal(kept.room_id, null);
    assert.equal(kept.deleted_at, null);
    assert.equal(kept.sequence, 2);
  });

  it("creates, updates, duplicates, moves and deletes items with their people and parts, bumping sequences and recording who", async () => {
    const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", starts_on: "2027-03-10", ends_on: "2027-03-11" });
    const room = await addRoom(db, meeting.id, "Plenary Hall", organiser);
    assert.ok(room.ok);
    const panel = await createAgendaItem(
      db,
      meeting.id,
      await itemInput(db, meeting, {
        title: "Panel on digital public infrastructure",
        kind: "panel",
        start: "10:00",
        end: "12:00",
        room: String(room.value),
        description: "**Ministers** compare notes.",
        "people[0].name": "Dr Maria Santos",
        "people[0].role": "moderator",
        "people[0].affiliation": "ITU",
        "people[1].name": "",
        "people[1].role": "speaker",
        "people[2].name": "Hon. Tevita Fifita",
        "people[2].role": "panellist",
      }),
      organiser,
    );
    const talk = await createAgendaItem(
      db,
      meeting.id,
      await itemInput(db, meeting, { title: "Talk: identity systems", start: "10:15", end: "10:45", parent: String(panel) }),
      organiser,
    );
    const created = await findAgendaItem(db, meeting.id, panel);
    assert.ok(created);
    assert.equal(created.startsLocal, "2027-03-10T10:00");
    assert.equal(created.startsAt.toISOString(), "2027-03-10T03:00:00.000Z");
    assert.equal(created.endsAt.toISOString(), "2027-03-10T05:00:00.000Z");
    assert.equal(created.roomName, "Plenary Hall");
    assert.equal(created.sequence, 0);
    assert.deepEqual(created.people, [
      { name: "Dr Maria Santos", role: "moderator", affiliation: "ITU" },
      { name: "Hon. Tevita Fifita", role: "panellist", affiliation: null },
    ]);
    assert.equal((await findAgendaItem(db, meeting.id, talk))?.parentId, panel);

    // An edit by a colleague: the sequence counts it, the meeting says who and when.
    const before = new Date();
    assert.ok(
      await updateAgendaItem(
        db,
        meeting.id,
        panel,
        await itemInput(db, meeting, { title: "Panel on DPI", kind: "panel", start: "10:00", end: "12:30", room: String(room.value), "people[0].name": "Dr Maria Santos", "people[0].role": "chair" }),
        colleague,
      ),
    );
    const updated = await row(db, panel);
    assert.equal(updated.sequence, 1);
    assert.equal(updated.updated_by, colleague);
    assert.equal(updated.ends_local, "2027-03-10T12:30");
    assert.deepEqual((await findAgendaItem(db, meeting.id, panel))?.people, [{ name: "Dr Maria Santos", role: "chair", affiliation: null }]);
    const last = await agendaLastUpdated(db, meeting.id);
    assert.equal(last?.by, "kenji@example.org", "a person without a name is named by their address");
    assert.ok(last && last.at >= new Date(before.getTime() - 1000));
    const other = await addMeeting(db, { starts_on: "2027-03-10", ends_on: "2027-03-11" });
    assert.equal(await updateAgendaItem(db, other.id, panel, await itemInput(db, other, { title: "x", start: "09:00", end: "10:00" }), organiser), false, "another meeting's item");

    // Duplicate: the copy has the people and the parts, at the same times.
    const copy = await duplicateAgendaItem(db, meeting.id, panel, organiser);
    assert.ok(copy);
    const items = await listAgendaItems(db, meeting.id);
    const copied = items.find((item) => item.id === copy)!;
    assert.equal(copied.title, "Panel on DPI (copy)");
    assert.equal(copied.startsAt.toISOString(), updated.starts_at.toISOString());
    assert.deepEqual(copied.people, [{ name: "Dr Maria Santos", role: "chair", affiliation: null }]);
    assert.deepEqual(
      items.filter((item) => item.parentId === copy).map((item) => [item.title, item.startsLocal]),
      [["Talk: identity systems", "2027-03-10T10:15"]],
    );
    assert.equal(await duplicateAgendaItem(db, other.id, panel, organiser), null);
    assert.equal((await agendaLastUpdated(db, meeting.id))?.by, "Amina Rahman");

    // Move the panel to the next day at 14:00: its length stays, its part moves with it.
    const moved = await moveAgendaItem(db, meeting, panel, { date: "2027-03-11", start: "14:00" }, organiser);
    assert.deepEqual(moved, { ok: true, value: undefined });
    const movedPanel = await row(db, panel);
    assert.equal(movedPanel.starts_local, "2027-03-11T14:00");
    assert.equal(movedPanel.ends_local, "2027-03-11T16:30");
    assert.equal(movedPanel.starts_at.toISOString(), "2027-03-11T07:00:00.000Z");
    assert.equal(movedPanel.room_id, room.value, "the room stays unless another is chosen");
    assert.equal(movedPanel.sequence, 2);
    const movedTalk = await row(db, talk);
    assert.equal(movedTalk.starts_local, "2027-03-11T14:15");
    assert.equal(movedTalk.sequence, 1);
    assert.ok((await moveAgendaItem(db, meeting, panel, { date: "2027-03-11", start: "14:00", roomId: null }, organiser)).ok);
    assert.equal((await row(db, panel)).room_id, null);

    // Refusals: outside the days, past midnight, another meeting's room, a part outside its item.
    assert.deepEqual(await moveAgendaItem(db, meeting, panel, { date: "2027-03-12", start: "09:00" }, organiser), {
      ok: false,
      error: "Choose a day of the meeting, 2027-03-10 to 2027-03-11",
    });
    assert.deepEqual(await moveAgendaItem(db, meeting, panel, { date: "2027-03-11", start: "22:00" }, organiser), {
      ok: false,
      error: '"Panel on DPI" would end after midnight',
    });
    const otherRoom = await addRoom(db, other.id, "Elsewhere", organiser);
    assert.ok(otherRoom.ok);
    assert.equal((await moveAgendaItem(db, meeting, panel, { date: "2027-03-11", start: "09:00", roomId: otherRoom.value }, organiser)).ok, false);
    assert.deepEqual(await moveAgendaItem(db, meeting, talk, { date: "2027-03-10", start: "10:15" }, organiser), {
      ok: false,
      error: 'A part of "Panel on DPI" must stay within its times (2027-03-11 14:00 to 16:30)',
    });
    assert.equal((await moveAgendaItem(db, meeting, 999_999, { date: "2027-03-11", start: "09:00" }, organiser)).ok, false);

    // Across the clock changes of a Geneva meeting: a skipped time is refused, a repeated one sends the organiser to the edit form.
    const geneva = await addMeeting(db, { timezone: "Europe/Zurich", starts_on: "2027-10-30", ends_on: "2027-10-31" });
    const night = await createAgendaItem(db, geneva.id, await itemInput(db, geneva, { title: "Night session", start: "01:00", end: "01:45" }), organiser);
    assert.deepEqual(await moveAgendaItem(db, geneva, night, { date: "2027-10-31", start: "02:15" }, organiser), {
      ok: false,
      error: '"Night session": 2027-10-31 02:15 happens twice in Europe/Zurich (the clocks go back). Edit the item to choose which one.',
    });
    const spring = await addMeeting(db, { timezone: "Europe/Zurich", starts_on: "2027-03-28", ends_on: "2027-03-28" });
    const dawn = await createAgendaItem(db, spring.id, await itemInput(db, spring, { title: "Dawn session", start: "01:00", end: "01:45" }), organiser);
    assert.deepEqual(await moveAgendaItem(db, spring, dawn, { date: "2027-03-28", start: "02:15" }, organiser), {
      ok: false,
      error: '"Dawn session": 2027-03-28 02:15 does not exist in Europe/Zurich: the clocks skip it when summer time starts. Choose another time.',
    });

    // Delete: the panel and its part go from the agenda, kept as deleted rows for the feeds.
    assert.equal(await deleteAgendaItem(db, other.id, panel, organiser), false);
    assert.ok(await deleteAgendaItem(db, meeting.id, panel, organiser));
    const remaining = await listAgendaItems(db, meeting.id);
    assert.deepEqual(remaining.map((item) => item.id).sort(), [copy, ...items.filter((item) => item.parentId === copy).map((item) => item.id)].sort());
    const gone = await row(db, talk);
    assert.ok(gone.deleted_at);
    assert.equal(gone.sequence, 3, "created, moved twice with its panel, deleted");
    assert.equal(await deleteAgendaItem(db, meeting.id, panel, organiser), false, "already deleted");
  });

  it("refuses an edit that would leave an item's parts outside its times", async () => {
    const meeting = await addMeeting(db, { starts_on: "2027-03-10", ends_on: "2027-03-10" });
    const panel = await createAgendaItem(db, meeting.id, await itemInput(db, meeting, { title: "Panel", start: "10:00", end: "12:00" }), organiser);
    await createAgendaItem(db, meeting.id, await itemInput(db, meeting, { title: "Talk", start: "11:30", end: "12:00", parent: String(panel) }), organiser);
    const result = parseAgendaItemForm(form({ title: "Panel", kind: "panel", date: "2027-03-10", start: "10:00", end: "11:00" }), {
      ...(await contextOf(db, meeting)),
      parts: [{ title: "Talk", startsLocal: "2027-03-10T11:30", endsLocal: "2027-03-10T12:00" }],
    });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? (result.errors.end ?? "") : "", /Its part "Talk" \(2027-03-10 11:30 to 12:00\) must stay within its times/);
  });

  it("flags items overlapping in the same room, not parallel rooms nor an item and its parts", async () => {
    const meeting = await addMeeting(db, { starts_on: "2027-03-10", ends_on: "2027-03-10" });
    const [hall, roomB] = [await addRoom(db, meeting.id, "Hall", organiser), await addRoom(db, meeting.id, "Room B", organiser)];
    assert.ok(hall.ok && roomB.ok);
    const add = async (title: string, start: string, end: string, room: number, parent?: number) =>
      createAgendaItem(db, meeting.id, await itemInput(db, meeting, { title, start, end, room: String(room), ...(parent ? { parent: String(parent) } : {}) }), organiser);
    const plenary = await add("Plenary", "09:00", "11:00", hall.value);
    await add("Keynote in the plenary", "09:30", "10:00", hall.value, plenary);
    await add("Parallel workshop", "09:00", "11:00", roomB.value);
    const clash = await add("Press briefing", "10:30", "11:30", hall.value);
    await add("Lunch", "11:30", "12:30", hall.value);
    assert.deepEqual(roomClashes(await listAgendaItems(db, meeting.id)), [
      { roomName: "Hall", first: { id: plenary, title: "Plenary" }, second: { id: clash, title: "Press briefing" } },
    ]);
  });

  it("re-expresses the agenda in a new zone, keeping clock times or instants, and refuses a clock time the new zone lacks", async () => {
    const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", starts_on: "2027-03-28", ends_on: "2027-03-28" });
    const opening = await createAgendaItem(db, meeting.id, await itemInput(db, meeting, { title: "Opening", start: "09:00", end: "10:00" }), organiser);

    // Clock times kept: 09:00 Bangkok (02:00Z) becomes 09:00 Zurich, summer time that day (07:00Z).
    const keptWall = await db.transaction().execute((trx) => reexpressAgendaInZone(trx, meeting.id, "Europe/Zurich", "wall_times", colleague));
    assert.deepEqual(keptWall, { ok: true, value: 1 });
    let item = await row(db, opening);
    assert.equal(item.starts_local, "2027-03-28T09:00");
    assert.equal(item.starts_at.toISOString(), "2027-03-28T07:00:00.000Z");
    assert.equal(item.sequence, 1);
    assert.equal((await agendaLastUpdated(db, meeting.id))?.by, "kenji@example.org");

    // Instants kept: 07:00Z reads 14:00 in Bangkok.
    assert.deepEqual(await db.transaction().execute((trx) => reexpressAgendaInZone(trx, meeting.id, "Asia/Bangkok", "instants", organiser)), { ok: true, value: 1 });
    item = await row(db, opening);
    assert.equal(item.starts_local, "2027-03-28T14:00");
    assert.equal(item.ends_local, "2027-03-28T15:00");
    assert.equal(item.starts_at.toISOString(), "2027-03-28T07:00:00.000Z");
    assert.equal(item.sequence, 2);

    // 02:30 on 28 March does not exist in Zurich (the clocks jump from 02:00 to 03:00): refused, nothing changed.
    const early = await createAgendaItem(db, meeting.id, await itemInput(db, meeting, { title: "Early call with Pacific", start: "02:30", end: "03:30" }), organiser);
    const refused = await db.transaction().execute((trx) => reexpressAgendaInZone(trx, meeting.id, "Europe/Zurich", "wall_times", organiser));
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.error : "", /"Early call with Pacific" \(2027-03-28 02:30\)/);
    assert.equal((await row(db, opening)).sequence, 2, "nothing changed");
    assert.equal((await row(db, early)).starts_at.toISOString(), "2027-03-27T19:30:00.000Z");
  });

  it("re-derives future instants from wall times after a rule change, reports them, and leaves past items alone", async () => {
    const future = await addMeeting(db, { timezone: "Europe/Zurich", starts_on: "2027-10-30", ends_on: "2027-10-31" });
    const past = await addMeeting(db, { timezone: "Europe/Zurich", starts_on: "2025-06-02", ends_on: "2025-06-02" });
    const session = await createAgendaItem(db, future.id, await itemInput(db, future, { title: "Session 1", start: "09:00", end: "10:30" }), organiser);
    const ambiguous = await createAgendaItem(
      db,
      future.id,
      await itemInput(db, future, { title: "Night shift", date: "2027-10-31", start: "02:30", end: "04:00", startSide: "later" }),
      organiser,
    );
    const old = await createAgendaItem(db, past.id, await itemInput(db, past, { title: "Old session", start: "09:00", end: "10:00" }), organiser);

    // Simulate rules that changed since the instants were stored: they are an hour off.
    const wrong = new Date("2027-10-30T08:00:00.000Z");
    await db.updateTable("agenda_items").set({ starts_at: wrong }).where("id", "=", session).execute();
    await db.updateTable("agenda_items").set({ starts_at: new Date("2025-06-02T06:00:00.000Z") }).where("id", "=", old).execute();
    const pastBefore = await row(db, old);
    const sessionBefore = await row(db, session);

    const report = await rederiveFutureInstants(db, new Date("2026-12-04T12:00:00Z"));
    const mine = report.filter((entry) => entry.meetingSlug === future.slug || entry.meetingSlug === past.slug);
    assert.deepEqual(mine, [
      {
        meetingSlug: future.slug,
        itemId: session,
        title: "Session 1",
        wallTime: "2027-10-30T09:00",
        timezone: "Europe/Zurich",
        from: wrong,
        to: new Date("2027-10-30T07:00:00.000Z"),
      },
    ]);
    const corrected = await row(db, session);
    assert.equal(corrected.starts_at.toISOString(), "2027-10-30T07:00:00.000Z");
    assert.equal(corrected.sequence, sessionBefore.sequence + 1);
    assert.equal((await row(db, ambiguous)).starts_at.toISOString(), "2027-10-31T01:30:00.000Z", "the side chosen of a repeated time is kept");
    assert.deepEqual(await row(db, old), pastBefore, "past items untouched");
    assert.deepEqual(await rederiveFutureInstants(db, new Date("2026-12-04T12:00:00Z")), [], "a second run finds nothing");
  });

  it("reports an item whose wall time the clocks now skip, leaving it as it was", async () => {
    const meeting = await addMeeting(db, { timezone: "Asia/Bangkok", starts_on: "2027-03-28", ends_on: "2027-03-28" });
    const item = await createAgendaItem(db, meeting.id, await itemInput(db, meeting, { title: "Dawn session", start: "02:30", end: "04:00" }), organiser);
    // As if the zone had been Zurich all along: its 02:30 that day is now skipped.
    await db.updateTable("meetings").set({ timezone: "Europe/Zurich" }).where("id", "=", meeting.id).execute();
    const before = await row(db, item);
    const report = (await rederiveFutureInstants(db, new Date("2026-12-04T12:00:00Z"))).filter((entry) => entry.itemId === item);
    assert.deepEqual(report, [
      {
        meetingSlug: meeting.slug,
        itemId: item,
        title: "Dawn session",
        wallTime: "2027-03-28T02:30",
        timezone: "Europe/Zurich",
        from: before.starts_at,
        to: null,
        problem: "the clocks now skip this time",
      },
    ]);
    assert.deepEqual(await row(db, item), before);
  });
});
