import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { moveAgendaItem } from "../../app/agenda/agenda.server";
import { addAgendaItem, roomId } from "../support/agenda";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";

describe("moving an item with its parts", async () => {
  const { db } = await freshDatabase();
  const meeting = await addMeeting(db, { timezone: "Asia/Bangkok" });
  const day = meeting.starts_on;

  it("takes a panel's talks held in its room to the new room, and leaves a talk held elsewhere", async () => {
    const panel = await addAgendaItem(db, meeting, { title: "Panel", date: day, start: "10:00", end: "11:30", room: "Plenary Hall", kind: "panel" });
    const inRoom = await addAgendaItem(db, meeting, { title: "Talk in the hall", date: day, start: "10:00", end: "10:30", room: "Plenary Hall", parentId: panel });
    const remote = await addAgendaItem(db, meeting, { title: "Talk from the studio", date: day, start: "10:30", end: "11:00", room: "Studio", parentId: panel });
    const annex = await roomId(db, meeting.id, "Annex");
    const moved = await moveAgendaItem(db, meeting, panel, { date: day, start: "14:00", roomId: annex }, null);
    assert.ok(moved.ok);
    const rows = await db.selectFrom("agenda_items").select(["id", "room_id", "starts_local"]).where("id", "in", [panel, inRoom, remote]).orderBy("id").execute();
    assert.deepEqual(
      rows.map((row) => [row.room_id, row.starts_local]),
      [
        [annex, `${day}T14:00`],
        [annex, `${day}T14:00`],
        [await roomId(db, meeting.id, "Studio"), `${day}T14:30`],
      ],
    );
  });
});
