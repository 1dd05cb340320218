import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { issueFeedToken } from "../../app/calendar/personal-feed.server";
import { countQueries } from "../../db/connection.server";
import type { Meeting } from "../../db/schema";
import { addAgendaItem } from "../support/agenda";
import { addDocument, samplePdf } from "../support/documents";
import { addRegistration } from "../support/inputs";
import { addMeeting } from "../support/registration";
import { signedIn, startApp } from "./app";

/**
 * No N+1: the SQL statements behind the agenda, the meeting page and the calendar feeds are as many
 * for a 40-item agenda as for a 2-item one. Both meetings have the same shape (sessions with
 * sub-items, two rooms, two people and a paper on every item), only more of it.
 */

// A rate-limited request (the personal feed's poll) also sweeps ended windows, one request in 200
// at random: a statement that is not the route's, which made the feed's count flaky.
process.env.RATE_LIMITS = "off";
const { db, request } = await startApp();
const pdf = await samplePdf("Paper for an agenda item");

/** A hybrid meeting whose agenda has `sessions` sessions, each with `parts` sub-items. */
async function meetingWithAgenda(sessions: number, parts: number): Promise<Meeting> {
  const meeting = await addMeeting(db, { mode: "hybrid", online_url: "https://meet.example.org/join/query-count" });
  const person = (n: number) => [
    { name: `Ms Chair ${n}`, role: "chair" as const, affiliation: "Ministry of ICT" },
    { name: `Mr Speaker ${n}`, role: "speaker" as const, affiliation: null },
  ];
  const items: number[] = [];
  for (let s = 0; s < sessions; s++) {
    const hour = String(8 + Math.floor(s / 2)).padStart(2, "0");
    const minutes = s % 2 === 0 ? ["00", "30"] : ["30", "59"];
    const session = await addAgendaItem(db, meeting, {
      title: `Session ${s + 1}`,
      date: meeting.starts_on,
      start: `${hour}:${minutes[0]}`,
      end: `${hour}:${minutes[1]}`,
      room: s % 2 === 0 ? "Plenary Hall" : "Room 103",
      people: person(s),
    });
    items.push(session);
    for (let p = 0; p < parts; p++) {
      items.push(
        await addAgendaItem(db, meeting, {
          title: `Session ${s + 1}, part ${p + 1}`,
          date: meeting.starts_on,
          start: `${hour}:${minutes[0]}`,
          end: `${hour}:${minutes[1]}`,
          parentId: session,
          people: person(100 + p),
        }),
      );
    }
  }
  for (const [n, item] of items.entries()) {
    const paper = await addDocument(db, meeting.id, { title: `Paper ${n + 1}`, files: [{ language: "en", content: pdf }] });
    await db.insertInto("document_agenda_items").values({ document_id: paper.id, agenda_item_id: item }).execute();
  }
  return meeting;
}

/** A participant confirmed for the meeting, signed in, with one item starred and a personal feed. */
async function participant(meeting: Meeting, email: string) {
  await addRegistration(db, meeting, { first: "Dechen", last: "Wangmo", email });
  const { userId, cookie } = await signedIn(db, email, "participant");
  const item = await db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meeting.id).orderBy("id").executeTakeFirstOrThrow();
  await db.insertInto("agenda_stars").values({ user_id: userId, item_id: item.id }).execute();
  return { cookie, token: await issueFeedToken(db, userId) };
}

/** The statements one request runs in the app, its body included; it must answer 200. */
async function queriesFor(url: string, cookie?: string): Promise<number> {
  const { result, queries } = await countQueries(() => request(url, { cookie }));
  assert.equal(result.status, 200, `${url}: ${result.status}`);
  return queries;
}

describe("queries per request do not grow with the agenda (no N+1)", async () => {
  const small = await meetingWithAgenda(1, 1);
  const large = await meetingWithAgenda(10, 3);
  const items = async (meeting: Meeting) =>
    (await db.selectFrom("agenda_items").select((eb) => eb.fn.countAll<number>().as("n")).where("meeting_id", "=", meeting.id).executeTakeFirstOrThrow()).n;
  assert.equal(Number(await items(small)), 2);
  assert.equal(Number(await items(large)), 40);
  const smallPerson = await participant(small, "dechen.small@example.bt");
  const largePerson = await participant(large, "dechen.large@example.bt");

  /** Both meetings' counts for the page, printed; equal, and at most `limit`. */
  async function assertFlat(t: { diagnostic: (message: string) => void }, path: (meeting: Meeting) => string, limit: number, cookies?: [string, string]) {
    const few = await queriesFor(path(small), cookies?.[0]);
    const many = await queriesFor(path(large), cookies?.[1]);
    t.diagnostic(`${path(large).replace(large.slug, ":slug")}: ${few} statements with 2 items, ${many} with 40`);
    assert.equal(many, few, "as many statements for 40 items as for 2");
    assert.ok(many <= limit, `${many} statements: at most ${limit}`);
  }

  it("the agenda page, in the meeting's zone and another", async (t) => {
    await assertFlat(t, (m) => `/meetings/${m.slug}/agenda`, 7);
    await assertFlat(t, (m) => `/meetings/${m.slug}/agenda?tz=America/Los_Angeles`, 7);
  });

  it("the agenda page of a signed-in participant, with stars", async (t) => {
    await assertFlat(t, (m) => `/meetings/${m.slug}/agenda`, 10, [smallPerson.cookie, largePerson.cookie]);
  });

  it("the meeting page", async (t) => {
    await assertFlat(t, (m) => `/meetings/${m.slug}`, 3);
  });

  it("the meeting's calendar feed and the participant's personal feed (a cached feed may take fewer)", async (t) => {
    for (const [name, few, many] of [
      ["meeting feed", `/meetings/${small.slug}/calendar.ics`, `/meetings/${large.slug}/calendar.ics`],
      ["personal feed", `/feeds/${smallPerson.token}/calendar.ics`, `/feeds/${largePerson.token}/calendar.ics`],
    ] as const) {
      const fewQueries = await queriesFor(few);
      const manyQueries = await queriesFor(many);
      t.diagnostic(`${name}: ${fewQueries} statements with 2 items, ${manyQueries} with 40`);
      assert.ok(manyQueries <= fewQueries, `${name}: no more statements for 40 items than for 2`);
      assert.ok(manyQueries <= 5, `${name}: ${manyQueries} statements, at most 5`);
    }
  });
});

describe("an anonymous download of a public paper", () => {
  it("takes one statement to answer 304, and one more to count a whole download", async (t) => {
    const meeting = await addMeeting(db);
    const paper = await addDocument(db, meeting.id, { title: "Public paper", files: [{ language: "en", content: pdf }] });
    const url = `/meetings/${meeting.slug}/documents/${paper.id}?lang=en`;
    const whole = await countQueries(() => request(url));
    assert.equal(whole.result.status, 200);
    const etag = whole.result.headers.get("ETag");
    assert.ok(etag);
    const unchanged = await countQueries(() => request(url, { headers: { "If-None-Match": etag } }));
    assert.equal(unchanged.result.status, 304);
    t.diagnostic(`download: ${whole.queries} statements, its 304: ${unchanged.queries}`);
    assert.equal(unchanged.queries, 1, "the paper, its files and its meeting in one statement");
    assert.equal(whole.queries, 2, "and the download counted");
  });
});
