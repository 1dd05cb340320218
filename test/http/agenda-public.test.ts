import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { addAgendaItem } from "../support/agenda";
import { addDocument, samplePdf } from "../support/documents";
import { addMeeting } from "../support/registration";
import { assertBody, signedIn, startApp } from "./app";

/** The public agenda, its zones, stars, /my/agenda, the meeting page's "now and next" and the API's agenda, through the built app. */

const DRAFT = "asia-pacific-digital-ministers-roundtable";
const CANCELLED = "wsis-forum-side-event-digital-inclusion-in-asia-and-the-pacific";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UTC_INSTANT_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** Text as React escapes it in HTML. */
function html(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("'", "&#x27;").replaceAll('"', "&quot;");
}

/** The HTML of one day's section of the agenda, by its date in the displayed zone. */
function daySection(body: string, date: string): string {
  const start = body.indexOf(`aria-labelledby="day-${date}"`);
  assert.ok(start >= 0, `a section for ${date}`);
  const end = body.indexOf('<section class="agenda-day"', start);
  return body.slice(start, end === -1 ? undefined : end);
}

function attribute(body: string, id: string, name: string): string | undefined {
  return new RegExp(`<[^>]*id="${id}"[^>]*\\b${name}="([^"]*)"`).exec(body)?.[1];
}

describe("the public agenda", async () => {
  const app = await startApp();
  const { db } = app;
  async function request(url: string, init?: Parameters<typeof app.request>[1]) {
    const response = await app.request(url, init);
    return { ...response, body: response.body.replaceAll("<!-- -->", "") };
  }
  const post = (url: string, fields: Record<string, string>, cookie?: string) =>
    request(url, { method: "POST", headers: FORM, body: new URLSearchParams(fields), cookie });

  // Monday 1 and Tuesday 2 March 2027 in Bangkok (GMT+7, no summer time); Zurich is GMT+1 then.
  const meeting = await addMeeting(db, {
    slug: "agenda-test-conference",
    title: "Agenda Test Conference",
    timezone: "Asia/Bangkok",
    starts_on: "2027-03-01",
    ends_on: "2027-03-02",
    starts_at: new Date("2027-02-28T17:00:00Z"),
    ends_at: new Date("2027-03-02T17:00:00Z"),
  });
  const base = `/meetings/${meeting.slug}/agenda`;
  const opening = await addAgendaItem(db, meeting, {
    title: "Opening of the conference",
    kind: "opening",
    date: "2027-03-01",
    start: "09:00",
    end: "10:30",
    room: "Plenary Hall",
    description: "Welcome by **the host**.<script>alert('x')</script>",
    people: [
      { name: "Sonam Dorji", role: "chair", affiliation: "Ministry of ICT, Bhutan" },
      { name: "Lan Anh Vu", role: "speaker", affiliation: "ESCAP" },
      { name: "Rahul Iyer", role: "speaker", affiliation: null },
    ],
  });
  await addAgendaItem(db, meeting, { title: "Plenary debate", date: "2027-03-01", start: "11:00", end: "12:30", room: "Plenary Hall" });
  const sideEvent = await addAgendaItem(db, meeting, { title: "Side event on cables", kind: "side_event", date: "2027-03-01", start: "11:30", end: "12:30", room: "Room 103" });
  const late = await addAgendaItem(db, meeting, { title: "Late-night online consultation", date: "2027-03-02", start: "01:00", end: "02:00" });
  const panel = await addAgendaItem(db, meeting, { title: "Panel on resilience", kind: "panel", date: "2027-03-02", start: "09:00", end: "10:30", room: "Plenary Hall" });
  const talk = await addAgendaItem(db, meeting, { title: "Talk on early warning", date: "2027-03-02", start: "09:00", end: "09:30", room: "Plenary Hall", parentId: panel });

  it("groups the agenda by day in the meeting's zone, names the zone, and puts every time in <time datetime>", async () => {
    const page = await request(base);
    assert.equal(page.status, 200);
    assertBody(page.body, "All times Bangkok time (GMT+7)");
    assertBody(page.body, /Last updated <time dateTime="\d{4}-\d{2}-\d{2}T[\d:.]+Z">[^<]+Bangkok time<\/time>/i);
    const monday = daySection(page.body, "2027-03-01");
    assertBody(monday, "Monday 1 March 2027");
    assertBody(monday, /<time dateTime="2027-03-01T02:00:00Z">09:00<\/time>–<time dateTime="2027-03-01T03:30:00Z">10:30<\/time>/i);
    assert.ok(!monday.includes("Late-night"), "01:00 Tuesday in Bangkok is on Tuesday");
    assertBody(daySection(page.body, "2027-03-02"), "Late-night online consultation");
    for (const tag of page.body.match(/<time[^>]*>/gi) ?? []) {
      const value = /dateTime="([^"]+)"/i.exec(tag)?.[1];
      assert.ok(value && (UTC_INSTANT_MS.test(value) || /^\d{4}-\d{2}-\d{2}$/.test(value)), `${tag} carries an instant in UTC or a date`);
    }
  });

  it("shows room, people by role with affiliation, kind, sanitised description, parallel items and parts", async () => {
    const page = await request(base);
    const item = page.body.slice(page.body.indexOf(`id="item-${opening}"`), page.body.indexOf(`id="item-${opening + 1}"`));
    assertBody(item, "Room: Plenary Hall");
    assertBody(item, /<dt>Chair<\/dt><dd>Sonam Dorji<span class="muted">, Ministry of ICT, Bhutan<\/span><\/dd>/);
    assertBody(item, /<dt>Speakers<\/dt><dd>Lan Anh Vu<span class="muted">, ESCAP<\/span><\/dd><dd>Rahul Iyer<\/dd>/);
    assertBody(item, ">Opening<");
    assertBody(item, "<strong>the host</strong>");
    assert.ok(!page.body.includes("alert('x')"), "no script from the description");
    const parallel = page.body.slice(page.body.indexOf('class="agenda-slot parallel"'));
    assert.ok(page.body.includes('class="agenda-slot parallel"'), "a parallel slot");
    const nextSlot = parallel.indexOf('class="agenda-slot', 1);
    assertBody(parallel.slice(0, nextSlot === -1 ? undefined : nextSlot), `id="item-${sideEvent}"`);
    const panelHtml = page.body.slice(page.body.indexOf(`id="item-${panel}"`));
    assertBody(panelHtml, /<ol class="agenda-parts" aria-label="Within Panel on resilience"><li><article[^>]*id="item-\d+"/);
    assertBody(panelHtml, `id="item-${talk}"`);
  });

  it("offers each item's .ics in the page and leaves the calendar providers' long addresses to the browser", async () => {
    const page = await request(base);
    const item = page.body.slice(page.body.indexOf(`id="item-${opening}"`), page.body.indexOf(`id="item-${opening + 1}"`));
    assertBody(item, "Add to calendar: Opening of the conference");
    assertBody(item, new RegExp(`href="http://[^"]+/meetings/${meeting.slug}/calendar\\.ics\\?item=${opening}" download=""`));
    assert.ok(!page.body.includes("action=TEMPLATE"), "no Google Calendar address per item");
    assert.ok(!page.body.includes("deeplink/compose"), "no Outlook.com address per item");
  });

  it("shows another zone with ?tz=, regrouping days and giving both dates where they differ", async () => {
    const page = await request(`${base}?tz=Europe/Zurich`);
    assert.equal(page.status, 200);
    assertBody(page.body, html("These times are in Zurich time (GMT+1), not the meeting's own Bangkok time (GMT+7)."));
    assertBody(page.body, "All times Zurich time (GMT+1)");
    const monday = daySection(page.body, "2027-03-01");
    assertBody(monday, "Late-night online consultation", "01:00 Tuesday in Bangkok is Monday evening in Zurich");
    const late = monday.slice(monday.indexOf("Late-night") - 900);
    assertBody(late, /<time dateTime="2027-03-01T18:00:00Z">Mon 1 Mar 2027, 19:00<\/time>/i);
    assertBody(late, /<time dateTime="2027-03-01T18:00:00Z">Tue 2 Mar 2027, 01:00<\/time>–<time dateTime="2027-03-01T19:00:00Z">02:00<\/time> <span class="agenda-zone-name">Bangkok time/i);
    assertBody(monday, /<time dateTime="2027-03-01T02:00:00Z">03:00<\/time>/i);
    assert.equal(attribute(page.body, "agenda-tz", "value"), "Europe/Zurich");
    assertBody(page.body, `href="/meetings/${meeting.slug}/agenda"`, "a link back to meeting time");
  });

  it("shows the meeting's time beside the chosen zone with ?view=both", async () => {
    const page = await request(`${base}?tz=America/New_York&view=both`);
    assertBody(page.body, html("Times in New York time (GMT-5), with the meeting's Bangkok time (GMT+7) beside them"));
    assertBody(page.body, /<time dateTime="2027-03-01T02:00:00Z">Sun 28 Feb 2027, 21:00<\/time>/i);
    assertBody(page.body, /<time dateTime="2027-03-01T02:00:00Z">Mon 1 Mar 2027, 09:00<\/time>–<time dateTime="2027-03-01T03:30:00Z">10:30<\/time> <span class="agenda-zone-name">Bangkok time<\/span> <span class="muted">\(meeting time\)/i);
    assertBody(page.body, /<input type="checkbox" name="view" checked="" value="both"\/>/);
  });

  it("normalises legacy zone names and falls back to the meeting's zone, with a notice, for anything else", async () => {
    const legacy = await request(`${base}?tz=Asia/Calcutta`);
    assert.equal(legacy.status, 200);
    assertBody(legacy.body, "All times Kolkata time (GMT+5:30)");
    assert.equal(attribute(legacy.body, "agenda-tz", "value"), "Asia/Kolkata");
    for (const tz of ["Mars/Olympus_Mons", "<script>alert(1)</script>", "GMT+7", "x".repeat(150)]) {
      const page = await request(`${base}?tz=${encodeURIComponent(tz)}`);
      assert.equal(page.status, 200, tz);
      assertBody(page.body, "All times Bangkok time (GMT+7)", tz);
      assertBody(page.body, "is not a time zone we know", tz);
      assert.ok(!page.body.includes("<script>alert(1)"), "the zone asked for is escaped");
    }
    for (const query of ["?tz=", "?view=sideways", "?tz=Europe/Zurich&tz=Asia/Tokyo", `?tz=${"y".repeat(500)}`, "?view=both"]) {
      const page = await request(`${base}${query}`);
      assert.equal(page.status, 200, query);
      assert.ok(!page.body.includes('role="alert"') || query.includes("tz=Europe"), query);
    }
  });

  it("answers 404 for a draft or unknown meeting, and shows a cancelled meeting's agenda with the notice", async () => {
    assert.equal((await request(`/meetings/${DRAFT}/agenda`)).status, 404);
    assert.equal((await request(`/meetings/no-such-meeting/agenda?tz=Europe/Zurich`)).status, 404);
    const cancelled = await db.selectFrom("meetings").selectAll().where("slug", "=", CANCELLED).executeTakeFirstOrThrow();
    await addAgendaItem(db, cancelled, { title: "Digital inclusion dialogue", date: cancelled.starts_on, start: "13:00", end: "14:30" });
    const page = await request(`/meetings/${CANCELLED}/agenda`);
    assert.equal(page.status, 200);
    assertBody(page.body, "This meeting has been cancelled.");
    assertBody(page.body, "Digital inclusion dialogue");
    assertBody(page.body, /All times Zurich time \(GMT\+[12]\)/);
  });

  it("gives the agenda in the API with UTC instants, and keeps it out of the list", async () => {
    const response = await request(`/api/v1/meetings/${meeting.slug}`);
    assert.equal(response.status, 200);
    const { agenda } = response.json() as { agenda: Record<string, unknown>[] };
    assert.equal(agenda.length, 6);
    for (const item of agenda) {
      assert.deepEqual(Object.keys(item).sort(), ["endsAt", "id", "kind", "parentId", "people", "room", "startsAt", "title"]);
      assert.match(item.startsAt as string, UTC_INSTANT);
      assert.match(item.endsAt as string, UTC_INSTANT);
    }
    const first = agenda.find((item) => item.id === opening)!;
    assert.equal(new Date(first.startsAt as string).getTime(), Date.parse("2027-03-01T09:00:00+07:00"));
    assert.equal(first.startsAt, "2027-03-01T02:00:00Z");
    assert.equal(first.room, "Plenary Hall");
    assert.equal(first.kind, "opening");
    assert.deepEqual((first.people as unknown[])[0], { name: "Sonam Dorji", role: "chair", affiliation: "Ministry of ICT, Bhutan" });
    assert.equal(agenda.find((item) => item.id === talk)!.parentId, panel);
    assert.equal(agenda.find((item) => item.id === late)!.room, null);
    const list = (await request("/api/v1/meetings")).json() as { meetings: Record<string, unknown>[] };
    assert.ok(list.meetings.length > 0);
    assert.ok(list.meetings.every((m) => !("agenda" in m)));
  });

  it("asks visitors to sign in to star items, and sends a star from them to sign-in", async () => {
    const page = await request(`${base}?tz=Europe/Zurich`);
    assertBody(page.body, `href="/login?redirectTo=${encodeURIComponent(`${base}?tz=Europe/Zurich`)}"`);
    assertBody(page.body, "Sign in to build your personal agenda");
    assert.ok(!page.body.includes("Add to my agenda"));
    const anonymous = await post(base, { intent: "star", item: String(opening) });
    assert.ok([302, 303].includes(anonymous.status));
    assert.match(anonymous.headers.get("Location") ?? "", /^\/login\?redirectTo=/);
  });

  it("lets a signed-in participant star and unstar items, without JavaScript, and refuses what cannot be starred", async () => {
    const { cookie } = await signedIn(db, "starring@example.org", "participant");
    const before = await request(base, { cookie });
    assertBody(before.body, /aria-label="Add to my agenda: Opening of the conference"[^>]*><span aria-hidden="true">☆ <\/span>Add to my agenda<\/button>/);
    const starred = await post(`${base}?tz=Europe/Zurich`, { intent: "star", item: String(opening) }, cookie);
    assert.equal(starred.status, 303);
    // Back to the agenda in the zone it was shown in, at the item starred (the address as the visitor wrote it).
    const back = new URL(starred.headers.get("Location") ?? "", "http://localhost");
    assert.deepEqual([back.pathname, back.searchParams.get("tz"), back.hash], [base, "Europe/Zurich", `#item-${opening}`]);
    assert.equal((await post(base, { intent: "star", item: String(opening) }, cookie)).status, 303, "starring twice is fine");
    const after = await request(base, { cookie });
    assertBody(after.body, /aria-label="Remove from my agenda: Opening of the conference"[^>]*><span aria-hidden="true">★ <\/span>Remove from my agenda<\/button>/);
    assertBody(after.body, /My agenda<\/a> \(1 starred item\)/);

    assert.equal((await post(base, { intent: "star", item: "999999" }, cookie)).status, 404);
    const cancelledItem = await db.selectFrom("agenda_items").innerJoin("meetings", "meetings.id", "agenda_items.meeting_id").select("agenda_items.id").where("meetings.slug", "=", CANCELLED).executeTakeFirst();
    if (cancelledItem) assert.equal((await post(base, { intent: "star", item: String(cancelledItem.id) }, cookie)).status, 404, "another meeting's item");
    assert.equal((await post(`/meetings/${DRAFT}/agenda`, { intent: "star", item: String(opening) }, cookie)).status, 404);
    assert.equal((await post(base, { intent: "shine", item: String(opening) }, cookie)).status, 400);
    assert.equal((await post(base, { intent: "star", item: "first" }, cookie)).status, 400);

    assert.equal((await post(base, { intent: "unstar", item: String(opening) }, cookie)).status, 303);
    assertBody((await request(base, { cookie })).body, /My agenda<\/a> \(0 starred items\)/);
  });

  it("lists a person's starred items at /my/agenda in the meeting's zone and their own, and links it from /my", async () => {
    const anonymous = await request("/my/agenda");
    assert.ok([302, 303].includes(anonymous.status));
    assert.equal(anonymous.headers.get("Location"), `/login?redirectTo=${encodeURIComponent("/my/agenda")}`);

    const { userId, cookie } = await signedIn(db, "my-agenda@example.org", "participant");
    assertBody((await request("/my", { cookie })).body, 'href="/my/agenda"');
    assertBody((await request("/my/agenda", { cookie })).body, "You have not starred any agenda items yet.");
    for (const item of [late, opening]) assert.equal((await post(base, { intent: "star", item: String(item) }, cookie)).status, 303);

    const page = await request("/my/agenda", { cookie });
    assert.equal(page.status, 200);
    assert.ok(page.body.indexOf("Opening of the conference") < page.body.indexOf("Late-night online consultation"), "soonest first");
    assertBody(page.body, /<time dateTime="2027-03-01T02:00:00Z">Mon 1 Mar 2027, 09:00<\/time>–<time dateTime="2027-03-01T03:30:00Z">10:30<\/time> Bangkok time/i);
    assert.ok(!page.body.includes("(your time zone)"), "no zone of their own yet");
    assertBody(page.body, `href="${base}#item-${opening}"`);

    await db.updateTable("users").set({ timezone: "Europe/Zurich" }).where("id", "=", userId).execute();
    const inTheirs = await request("/my/agenda", { cookie });
    assertBody(inTheirs.body, /<time dateTime="2027-03-01T18:00:00Z">Mon 1 Mar 2027, 19:00<\/time>–<time dateTime="2027-03-01T19:00:00Z">20:00<\/time> Zurich time <span class="muted">\(your time zone\)/i);

    assert.equal((await post("/my/agenda", { intent: "unstar", item: String(late) }, cookie)).status, 303);
    assert.equal((await post("/my/agenda", { intent: "unstar", item: "nope" }, cookie)).status, 400);
    const left = await request("/my/agenda", { cookie });
    assert.ok(!left.body.includes("Late-night online consultation"));
    assertBody(left.body, "Opening of the conference");
  });

  it("shows what is on now and next on the meeting's page while it runs", async () => {
    const zone = "Asia/Tokyo";
    const now = DateTime.now().setZone(zone);
    const running = await addMeeting(db, {
      slug: "agenda-test-running",
      timezone: zone,
      starts_on: now.minus({ days: 1 }).toISODate()!,
      ends_on: now.plus({ days: 1 }).toISODate()!,
      starts_at: now.minus({ days: 1 }).startOf("day").toJSDate(),
      ends_at: now.plus({ days: 2 }).startOf("day").toJSDate(),
    });
    const at = (minutes: number) => now.plus({ minutes }).startOf("minute");
    const item = (title: string, from: number, to: number) =>
      addAgendaItem(db, running, {
        title,
        date: at(from).toISODate()!,
        start: at(from).toFormat("HH:mm"),
        endDate: at(to).toISODate()!,
        end: at(to).toFormat("HH:mm"),
      });
    await item("Session under way", -1, 45);
    await item("Session after it", 60, 90);
    const page = await request(`/meetings/${running.slug}`);
    assert.equal(page.status, 200);
    assertBody(page.body, "Happening now");
    assertBody(page.body, /<h3>Now<\/h3><ul><li><time dateTime="[^"]+Z">\d{2}:\d{2}<\/time>–<time dateTime="[^"]+Z">[^<]+<\/time> Tokyo time: <a [^>]*href="[^"]+#item-\d+">Session under way<\/a>/i);
    assertBody(page.body, /<h3>Next<\/h3><ul><li><time dateTime="[^"]+Z">[^<]+<\/time>–<time[^>]*>[^<]+<\/time> Tokyo time: <a[^>]*>Session after it<\/a>/i);
    assertBody(page.body, `href="/meetings/${running.slug}/agenda"`);
    assert.ok(!(await request(`/meetings/${meeting.slug}`)).body.includes("Happening now"), "not before the meeting");
  });
  it("lists under each item the papers linked to it that the reader may open, a link per language", async () => {
    const paper = await addDocument(db, meeting.id, {
      title: "Draft resilience guidelines",
      symbol: "AT/2027/WP.3",
      files: [{ language: "en", content: await samplePdf("Guidelines") }, { language: "fr", content: await samplePdf("Lignes directrices") }],
    });
    const restricted = await addDocument(db, meeting.id, {
      title: "Confidential annex",
      access: "confirmed",
      distribution: "restricted",
      files: [{ language: "en", content: await samplePdf("Annex") }],
    });
    await db.insertInto("document_agenda_items").values([{ document_id: paper.id, agenda_item_id: panel }, { document_id: restricted.id, agenda_item_id: panel }]).execute();
    const panelCard = (body: string) => body.slice(body.indexOf(`id="item-${panel}"`), body.indexOf(`id="item-${talk}"`));

    const visitor = panelCard((await request(base)).body);
    assertBody(visitor, "AT/2027/WP.3 Draft resilience guidelines");
    assertBody(visitor, `href="/meetings/${meeting.slug}/documents/${paper.id}?lang=en">English</a>`);
    assertBody(visitor, `href="/meetings/${meeting.slug}/documents/${paper.id}?lang=fr">French</a>`);
    assert.ok(!visitor.includes("Confidential annex"), "a visitor is not shown a paper for confirmed participants");

    const organiser = await signedIn(db, "agenda-papers-organiser@example.org", "administrator");
    assertBody(panelCard((await request(base, { cookie: organiser.cookie })).body), "Confidential annex");
  });

});
