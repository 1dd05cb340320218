import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addMeeting } from "../support/registration";
import { assertBody, meetingFields, signedIn, startApp } from "./app";

/** The organisers' agenda builder, through the built app: who may use it, its refusals, and each action. */
describe("the organisers' agenda", async () => {
  const { db, request } = await startApp();
  const organiser = await signedIn(db, "organiser@example.org", "administrator");
  const participant = await signedIn(db, "participant@example.org", "participant");
  await db.updateTable("users").set({ name: "Amina Rahman" }).where("id", "=", organiser.userId).execute();
  // Two days in Geneva (no zone of its own: Europe/Zurich) across the end of summer time, 31 October 2027.
  const meeting = await addMeeting(db, {
    timezone: "Europe/Zurich",
    starts_on: "2027-10-30",
    ends_on: "2027-10-31",
    venue_city: "Geneva",
    venue_country: "CH",
    status: "draft",
  });
  const page = `/admin/meetings/${meeting.slug}/agenda`;
  const post = (url: string, fields: Record<string, string>, cookie: string | null = organiser.cookie) =>
    request(url, { method: "POST", body: new URLSearchParams(fields), cookie });
  const postIndex = (fields: Record<string, string>, cookie?: string | null) => post(`${page}?index`, fields, cookie);
  const items = () => db.selectFrom("agenda_items").selectAll().where("meeting_id", "=", meeting.id).where("deleted_at", "is", null).orderBy("id").execute();
  const itemNamed = async (title: string) => (await items()).find((item) => item.title === title)!;
  const roomNamed = async (name: string) =>
    (await db.selectFrom("meeting_rooms").select("id").where("meeting_id", "=", meeting.id).where("name", "=", name).executeTakeFirstOrThrow()).id;

  it("sends anonymous visitors to sign in, refuses participants, and knows no unknown meeting or item", async () => {
    const anonymous = await request(page);
    assert.equal(anonymous.status, 302);
    assert.equal(anonymous.headers.get("Location"), `/login?redirectTo=${encodeURIComponent(page)}`);
    assert.equal((await postIndex({ intent: "add-room", name: "Sneaky" }, null)).status, 302);
    assert.equal((await request(page, { cookie: participant.cookie })).status, 403);
    assert.equal((await postIndex({ intent: "add-room", name: "Sneaky" }, participant.cookie)).status, 403);
    assert.equal((await request("/admin/meetings/no-such-meeting/agenda", { cookie: organiser.cookie })).status, 404);
    for (const id of ["999999", "abc", "-1"]) assert.equal((await request(`${page}/${id}`, { cookie: organiser.cookie })).status, 404, id);
    assert.equal((await postIndex({ intent: "delete", item: "999999" })).status, 404);
    assert.equal((await postIndex({ intent: "duplicate", item: "999999" })).status, 404);
    assert.equal((await postIndex({ intent: "move", item: "999999", date: "2027-10-30", start: "09:00" })).status, 404);
    assert.equal((await postIndex({ intent: "delete-room", room: "999999" })).status, 404);
    assert.equal((await postIndex({ intent: "explode" })).status, 400);
    assert.equal((await db.selectFrom("meeting_rooms").select("id").where("name", "=", "Sneaky").execute()).length, 0);
  });

  it("names the zone on the form and offers the meeting's days", async () => {
    const { status, body } = await request(page, { cookie: organiser.cookie });
    assert.equal(status, 200);
    assertBody(body, "Times in Zurich time (Europe/Zurich, GMT+2, then GMT+1)");
    assertBody(body, /<option value="2027-10-30">Sat 30 Oct 2027<\/option><option value="2027-10-31">Sun 31 Oct 2027<\/option>/);
    for (const name of ["title", "kind", "date", "start", "end", "description", "people[0].name", "people[0].role", "people[2].affiliation"]) {
      assertBody(body, `name="${name}"`, name);
    }
  });

  it("adds, renames and deletes rooms; a name taken in another case is refused with the name kept", async () => {
    for (const name of ["Plenary Hall", "Room B", "Room C"]) assert.equal((await postIndex({ intent: "add-room", name })).status, 302, name);
    const taken = await postIndex({ intent: "add-room", name: "plenary hall" });
    assert.equal(taken.status, 400);
    assertBody(taken.body, 'This meeting already has a room called &quot;plenary hall&quot;');
    assertBody(taken.body, /id="new-room"[^>]*value="plenary hall"/);
    const empty = await postIndex({ intent: "add-room", name: "  " });
    assert.equal(empty.status, 400);
    assertBody(empty.body, "Give the room a name");

    const roomC = await roomNamed("Room C");
    const renamed = await postIndex({ intent: "rename-room", room: String(roomC), name: "Side Room" });
    assert.equal(renamed.status, 302);
    assert.equal(renamed.headers.get("Location"), `${page}?saved=room-renamed`);
    const clash = await postIndex({ intent: "rename-room", room: String(roomC), name: "ROOM B" });
    assert.equal(clash.status, 400);
    assertBody(clash.body, /id="room-\d+-name"[^>]*value="ROOM B"/);
    assert.equal((await postIndex({ intent: "delete-room", room: String(roomC) })).status, 302);
    const { body } = await request(page, { cookie: organiser.cookie });
    assertBody(body, /<option value="\d+">Plenary Hall<\/option><option value="\d+">Room B<\/option><\/select>/);
    assert.ok(!body.includes("Side Room"));
  });

  it("refuses bad input with 400, each field's message next to it, and what was typed", async () => {
    const before = (await items()).length;
    const response = await postIndex({
      intent: "add",
      title: "",
      kind: "banquet",
      date: "2027-11-02",
      start: "9.30",
      end: "08:00",
      description: "Kept **description**",
      "people[0].name": "",
      "people[0].role": "speaker",
      "people[0].affiliation": "UNCTAD",
    });
    assert.equal(response.status, 400);
    for (const message of ["Give the item a title", "Choose what kind of item this is", "Start: a time as HH:mm, e.g. 09:30", "Give the person&#x27;s name"]) {
      assertBody(response.body, message);
    }
    assertBody(response.body, /aria-invalid="true"/);
    assertBody(response.body, /id="people\[0\]\.name-error"/);
    assertBody(response.body, /<input[^>]*name="start"[^>]*value="9.30"/);
    assertBody(response.body, /<input[^>]*name="people\[0\]\.affiliation"[^>]*value="UNCTAD"/);
    assertBody(response.body, /<textarea[^>]*name="description"[^>]*>Kept \*\*description\*\*<\/textarea>/);

    const outside = await postIndex({ intent: "add", title: "Excursion", kind: "other", date: "2027-11-02", start: "09:00", end: "08:00" });
    assert.equal(outside.status, 400);
    assertBody(outside.body, "Choose a day of the meeting");
    const backwards = await postIndex({ intent: "add", title: "Backwards", kind: "other", date: "2027-10-30", start: "11:00", end: "10:00" });
    assertBody(backwards.body, "The end must be after the start");
    assert.equal((await items()).length, before, "nothing saved");
  });

  it("refuses a time the clocks skip, with the message at the field", async () => {
    const spring = await addMeeting(db, { timezone: "Europe/Zurich", starts_on: "2027-03-28", ends_on: "2027-03-28", status: "draft" });
    const response = await post(`/admin/meetings/${spring.slug}/agenda?index`, { intent: "add", title: "Early call", kind: "session", date: "2027-03-28", start: "02:30", end: "04:00" });
    assert.equal(response.status, 400);
    assertBody(response.body, /id="start-error">2027-03-28 02:30 does not exist in Europe\/Zurich: the clocks skip it when summer time starts/);
    assertBody(response.body, /<input[^>]*name="title"[^>]*value="Early call"/);
  });

  it("asks which of a time the clocks show twice, keeps what was typed, and saves the one chosen", async () => {
    const fields = { intent: "add", title: "Night watch", kind: "other", date: "2027-10-31", start: "02:30", end: "04:00" };
    const asked = await postIndex(fields);
    assert.equal(asked.status, 400);
    assertBody(asked.body, "2027-10-31 02:30 happens twice in Europe/Zurich (the clocks go back). Choose which one.");
    assertBody(asked.body, /<legend>Which start time\?<\/legend>/);
    assertBody(asked.body, /<input[^>]*name="startSide"[^>]*value="earlier"/);
    assertBody(asked.body, /GMT\+2, first/);
    assertBody(asked.body, /GMT\+1, second/);
    assertBody(asked.body, /<input[^>]*name="title"[^>]*value="Night watch"/);

    const saved = await postIndex({ ...fields, startSide: "later" });
    assert.equal(saved.status, 302);
    const item = await itemNamed("Night watch");
    assert.equal(item.starts_at.toISOString(), "2027-10-31T01:30:00.000Z");
    assert.equal(item.starts_local, "2027-10-31T02:30");
  });

  it("adds rows for more people without script, keeping what was typed", async () => {
    const response = await postIndex({ intent: "add-more-people", title: "Ministerial panel", "people[0].name": "H.E. Ms Ana Lopez", "people[0].role": "chair" });
    assert.equal(response.status, 200);
    assertBody(response.body, 'name="people[5].name"');
    assert.ok(!response.body.includes('name="people[6].name"'));
    assertBody(response.body, /<input[^>]*name="people\[0\]\.name"[^>]*value="H.E. Ms Ana Lopez"/);
    assertBody(response.body, /<input[^>]*name="title"[^>]*value="Ministerial panel"/);
  });

  it("adds items with people, rooms and parts; warns of a clash in one room; says who changed the agenda last", async () => {
    const hall = String(await roomNamed("Plenary Hall"));
    const roomB = String(await roomNamed("Room B"));
    const added = await postIndex({
      intent: "add",
      title: "Opening of the meeting",
      kind: "opening",
      date: "2027-10-30",
      start: "09:00",
      end: "10:30",
      room: hall,
      description: "Welcome by the **Executive Secretary**.",
      "people[0].name": "Dr Maria Santos",
      "people[0].role": "chair",
      "people[0].affiliation": "ITU",
      "people[1].name": "",
      "people[1].role": "speaker",
      "people[2].name": "Hon. Tevita Fifita",
      "people[2].role": "speaker",
      "people[2].affiliation": "Government of Tonga",
    });
    assert.equal(added.status, 302);
    const opening = await itemNamed("Opening of the meeting");
    assert.equal(added.headers.get("Location"), `${page}?saved=added#item-${opening.id}`);
    assert.equal(opening.starts_at.toISOString(), "2027-10-30T07:00:00.000Z");
    assert.equal(opening.created_by, organiser.userId);
    const people = await db.selectFrom("agenda_item_people").select(["name", "role", "affiliation"]).where("item_id", "=", opening.id).orderBy("position").execute();
    assert.deepEqual(people, [
      { name: "Dr Maria Santos", role: "chair", affiliation: "ITU" },
      { name: "Hon. Tevita Fifita", role: "speaker", affiliation: "Government of Tonga" },
    ]);

    const part = await postIndex({ intent: "add", title: "Keynote", kind: "keynote", date: "2027-10-30", start: "09:30", end: "10:00", room: hall, parent: String(opening.id) });
    assert.equal(part.status, 302);
    assert.equal((await itemNamed("Keynote")).parent_id, opening.id);
    const parallel = await postIndex({ intent: "add", title: "Side event on data", kind: "side_event", date: "2027-10-30", start: "09:00", end: "10:30", room: roomB });
    assert.equal(parallel.status, 302);
    const outsideParent = await postIndex({ intent: "add", title: "Late talk", kind: "session", date: "2027-10-30", start: "10:00", end: "11:00", parent: String(opening.id) });
    assert.equal(outsideParent.status, 400);
    assertBody(outsideParent.body, "must fit within its times");

    const { body: calm } = await request(page, { cookie: organiser.cookie });
    assert.ok(!calm.includes("overlap in the same room"), "parallel rooms and parts do not clash");
    const clash = await postIndex({ intent: "add", title: "Press briefing", kind: "other", date: "2027-10-30", start: "10:00", end: "11:00", room: hall });
    assert.equal(clash.status, 302, "a clash is saved: it is a warning, not an error");
    const { body } = await request(page, { cookie: organiser.cookie });
    assertBody(body, /Two items overlap in the same room/);
    assertBody(body, /Plenary Hall(?:<!-- -->)?: <a href="#item-\d+">Opening of the meeting<\/a> and <a href="#item-\d+">Press briefing<\/a>/);
    assertBody(body, /Last updated \w{3} \d+ \w{3} 20\d\d, \d\d:\d\d Zurich time by Amina Rahman/);
    assertBody(body, /Saturday 30 October 2027(?:<!-- -->)? <span[^>]*>times in (?:<!-- -->)?Zurich time \(Europe\/Zurich, GMT\+2\)/);
    assertBody(body, /Sunday 31 October 2027(?:<!-- -->)? <span[^>]*>times in (?:<!-- -->)?Zurich time \(Europe\/Zurich, GMT\+1\)/);
    assertBody(body, /<time datetime="2027-10-30T07:00:00Z">09:00<\/time>–<time datetime="2027-10-30T08:30:00Z">10:30<\/time>/i);
    assertBody(body, "Hon. Tevita Fifita");
  });

  it("edits an item on its own page, with the form filled in and refusals kept", async () => {
    const opening = await itemNamed("Opening of the meeting");
    const url = `${page}/${opening.id}`;
    const form = await request(url, { cookie: organiser.cookie });
    assert.equal(form.status, 200);
    assertBody(form.body, "Times in Zurich time (Europe/Zurich, GMT+2, then GMT+1)");
    assertBody(form.body, /<input[^>]*name="title"[^>]*value="Opening of the meeting"/);
    assertBody(form.body, /<input[^>]*name="start"[^>]*value="09:00"/);
    assertBody(form.body, /<input[^>]*name="people\[1\]\.affiliation"[^>]*value="Government of Tonga"/);
    assert.ok(!/<option value="\d+">Opening of the meeting/.test(form.body), "not a part of itself");

    const fields = { intent: "save", title: "Opening session", kind: "opening", date: "2027-10-30", start: "09:00", end: "09:45", room: String(opening.room_id) };
    const refused = await post(url, fields);
    assert.equal(refused.status, 400, "its keynote runs to 10:00");
    assertBody(refused.body, /Its part &quot;Keynote&quot;/);
    assertBody(refused.body, /<input[^>]*name="title"[^>]*value="Opening session"/);
    assert.equal((await post(url, { intent: "nonsense" })).status, 400);

    const saved = await post(url, { ...fields, end: "10:30", "people[0].name": "Dr Maria Santos", "people[0].role": "moderator" });
    assert.equal(saved.status, 302);
    assert.equal(saved.headers.get("Location"), `${page}?saved=saved#item-${opening.id}`);
    const row = await itemNamed("Opening session");
    assert.equal(row.sequence, 1);
    assert.equal(row.updated_by, organiser.userId);
    const people = await db.selectFrom("agenda_item_people").select(["name", "role"]).where("item_id", "=", opening.id).execute();
    assert.deepEqual(people, [{ name: "Dr Maria Santos", role: "moderator" }]);
  });

  it("duplicates, moves (keeping the length) and deletes after a confirmation step", async () => {
    const side = await itemNamed("Side event on data");
    const duplicated = await postIndex({ intent: "duplicate", item: String(side.id) });
    assert.equal(duplicated.status, 302);
    const copy = await itemNamed("Side event on data (copy)");
    assert.equal(copy.starts_at.toISOString(), side.starts_at.toISOString());

    const hall = await roomNamed("Plenary Hall");
    const moved = await postIndex({ intent: "move", item: String(copy.id), date: "2027-10-31", start: "14:00", room: String(hall) });
    assert.equal(moved.status, 302);
    const after = await itemNamed("Side event on data (copy)");
    assert.equal(after.starts_local, "2027-10-31T14:00");
    assert.equal(after.ends_local, "2027-10-31T15:30");
    assert.equal(after.starts_at.toISOString(), "2027-10-31T13:00:00.000Z", "winter time by then");
    assert.equal(after.room_id, hall);

    const refused = await postIndex({ intent: "move", item: String(copy.id), date: "2027-10-31", start: "23:30", room: String(hall) });
    assert.equal(refused.status, 400);
    assertBody(refused.body, /&quot;Side event on data \(copy\)&quot; would end after midnight/);
    assertBody(refused.body, /<input[^>]*name="start"[^>]*value="23:30"/);
    const badTime = await postIndex({ intent: "move", item: String(copy.id), date: "2027-10-31", start: "late" });
    assert.equal(badTime.status, 400);
    assertBody(badTime.body, "A start as HH:mm, e.g. 09:30");

    // The delete button sits behind a question that needs no script.
    const { body } = await request(page, { cookie: organiser.cookie });
    assertBody(body, /<details class="builder-action"><summary>Delete<\/summary>[\s\S]*?Yes, delete “(?:<!-- -->)?Side event on data \(copy\)/);
    const deleted = await postIndex({ intent: "delete", item: String(copy.id) });
    assert.equal(deleted.status, 302);
    assert.equal(deleted.headers.get("Location"), `${page}?saved=deleted`);
    const row = await db.selectFrom("agenda_items").select(["deleted_at"]).where("id", "=", copy.id).executeTakeFirstOrThrow();
    assert.ok(row.deleted_at, "kept as deleted, for the calendar feeds");
    assert.ok(!(await request(page, { cookie: organiser.cookie })).body.includes("Side event on data (copy)"));
  });

  it("asks what the agenda keeps when the meeting's zone changes, and does it", async () => {
    const edit = `/admin/meetings/${meeting.slug}`;
    const fields = meetingFields({
      title: meeting.title,
      timezone: "Asia/Bangkok",
      startsOn: "2027-10-30",
      endsOn: "2027-10-31",
      venueCity: "Geneva",
      venueCountry: "CH",
      programme: "",
      capacity: "",
    });
    const form = await request(edit, { cookie: organiser.cookie });
    assert.ok(!form.body.includes('name="agendaKeeps"'), "not asked before the zone changes");

    const asked = await request(edit, { method: "POST", body: fields, cookie: organiser.cookie });
    assert.equal(asked.status, 400);
    assertBody(asked.body, /<input[^>]*name="agendaKeeps"[^>]*value="wall_times"/);
    assertBody(asked.body, /<input[^>]*name="agendaKeeps"[^>]*value="instants"/);
    assertBody(asked.body, /<input[^>]*name="timezone"[^>]*value="Asia\/Bangkok"/);
    assert.equal((await db.selectFrom("meetings").select("timezone").where("id", "=", meeting.id).executeTakeFirstOrThrow()).timezone, "Europe/Zurich");

    // "Night watch" at 02:30 exists once in Bangkok: keeping clock times works.
    fields.set("agendaKeeps", "wall_times");
    const saved = await request(edit, { method: "POST", body: fields, cookie: organiser.cookie });
    assert.equal(saved.status, 302);
    const opening = await itemNamed("Opening session");
    assert.equal(opening.starts_local, "2027-10-30T09:00");
    assert.equal(opening.starts_at.toISOString(), "2027-10-30T02:00:00.000Z");

    // Back to Zurich keeping clock times: 02:30 on 31 October happens twice there, so it is refused and nothing changes.
    fields.set("timezone", "Europe/Zurich");
    const refused = await request(edit, { method: "POST", body: fields, cookie: organiser.cookie });
    assert.equal(refused.status, 400);
    assertBody(refused.body, /&quot;Night watch&quot; \(2027-10-31 02:30\)/);
    assertBody(refused.body, /<input(?=[^>]*name="agendaKeeps")(?=[^>]*value="wall_times")(?=[^>]*checked="")[^>]*>/);
    assert.equal((await db.selectFrom("meetings").select("timezone").where("id", "=", meeting.id).executeTakeFirstOrThrow()).timezone, "Asia/Bangkok");

    // Keeping the instants instead: 09:00 Bangkok is 04:00 in Zurich.
    fields.set("agendaKeeps", "instants");
    assert.equal((await request(edit, { method: "POST", body: fields, cookie: organiser.cookie })).status, 302);
    const kept = await itemNamed("Opening session");
    assert.equal(kept.starts_local, "2027-10-30T04:00");
    assert.equal(kept.starts_at.toISOString(), "2027-10-30T02:00:00.000Z");
  });
});
