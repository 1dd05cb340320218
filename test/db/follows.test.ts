import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Kysely, sql } from "kysely";
import type { Database, Meeting, OutboxMessage } from "../../db/schema";
import {
  confirmFollow,
  countFollowers,
  listFollowsOfToken,
  notifyFollowers,
  requestFollow,
  unsubscribe,
} from "../../app/calendar/follows.server";
import { meetingFormValues } from "../../app/meetings/meeting-form-options.server";
import { parseMeetingForm } from "../../app/meetings/meeting-form.server";
import { changeMeetingStatus, findMeeting, updateMeeting } from "../../app/meetings/meetings.server";
import { createProgramme, findProgramme } from "../../app/programmes/programmes.server";
import { freshDatabase } from "../support/database";
import { addMeeting } from "../support/registration";

/** Following programmes by email: double opt-in, the manage link, and one email per change per address. */

const TOKEN_IN_LINK = /\/follows\/([A-Za-z0-9_-]{43})\b/;

async function mailTo(db: Kysely<Database>, to: string): Promise<OutboxMessage[]> {
  return db.selectFrom("outbox").selectAll().where("to_address", "=", to).orderBy("id").execute();
}

/** The token in the newest email to this address. */
async function tokenFromMail(db: Kysely<Database>, to: string): Promise<string> {
  const mail = (await mailTo(db, to)).at(-1);
  const token = TOKEN_IN_LINK.exec(mail?.text ?? "")?.[1];
  assert.ok(token, `an email to ${to} with a follow link`);
  return token;
}

async function programme(db: Kysely<Database>, title: string, parent: string | null = null) {
  const created = await createProgramme(db, { title, summary: null, parent, position: 0 }, null);
  assert.ok(created.ok);
  const found = await findProgramme(db, created.slug);
  assert.ok(found);
  return found;
}

/** Asks to follow and confirms with the emailed link; returns the link's token. */
async function follow(db: Kysely<Database>, email: string, followed: { id: number; title: string } | null): Promise<string> {
  await requestFollow(db, email, followed);
  const token = await tokenFromMail(db, email.toLowerCase());
  assert.equal(await confirmFollow(db, token), true);
  return token;
}

async function notify(db: Kysely<Database>, meeting: Meeting, change: "published" | "rescheduled" | "cancelled") {
  return db.transaction().execute((trx) => notifyFollowers(trx, meeting, change));
}

describe("following by email", async () => {
  const { db } = await freshDatabase();
  const apis = await programme(db, "Asia-Pacific Information Superhighway");
  const wg1 = await programme(db, "APIS Working Group 1", apis.slug);
  const wg1Topic = await programme(db, "Community Networks", wg1.slug);
  const other = await programme(db, "Digital Government");

  it("records a pending follow and emails the link that confirms it; nothing is sent before confirmation", async () => {
    await requestFollow(db, "  Lan.Nguyen@Example.org ", wg1);
    const rows = await db.selectFrom("follows").selectAll().where("email", "=", "lan.nguyen@example.org").execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.programme_id, wg1.id);
    assert.equal(rows[0]?.confirmed_at, null);

    const [mail] = await mailTo(db, "lan.nguyen@example.org");
    assert.equal(mail?.template, "follow-confirm");
    assert.equal(mail?.subject, "Confirm: email news about APIS Working Group 1");
    const token = await tokenFromMail(db, "lan.nguyen@example.org");
    assert.match(token, /[A-Z]/, "mixed case, as the request log's redaction expects");
    assert.ok(!rows[0]?.token_hash.equals(Buffer.from(token)), "only a hash is stored");

    const meeting = await addMeeting(db, { programme_id: wg1.id });
    assert.equal(await notify(db, meeting, "published"), 0, "a pending follower gets nothing");

    assert.equal(await confirmFollow(db, token), true);
    assert.equal(await notify(db, meeting, "published"), 1);
    assert.equal(await confirmFollow(db, "A".repeat(43)), false, "an unknown link confirms nothing");
  });

  it("asked again, sends the link again (pending) or says it is followed already (confirmed), never a second row, at most one email in ten minutes", async () => {
    const email = "asked.twice@example.org";
    const tenMinutesPass = () => db.updateTable("follows").set({ emailed_at: new Date(Date.now() - 11 * 60_000) }).where("email", "=", email).execute();
    await requestFollow(db, email, other);
    await requestFollow(db, email, other);
    assert.equal((await mailTo(db, email)).length, 1, "asked again at once: no second email");
    await tenMinutesPass();
    await requestFollow(db, email, other);
    const first = await mailTo(db, email);
    assert.deepEqual(
      first.map((mail) => mail.template),
      ["follow-confirm", "follow-confirm"],
    );
    assert.equal(TOKEN_IN_LINK.exec(first[0]!.text)?.[1], TOKEN_IN_LINK.exec(first[1]!.text)?.[1], "both links work");

    await confirmFollow(db, await tokenFromMail(db, email));
    await tenMinutesPass();
    await requestFollow(db, email, other);
    const last = (await mailTo(db, email)).at(-1);
    assert.equal(last?.template, "follow-already");
    assert.equal(last?.subject, "You already follow Digital Government");

    await Promise.all([requestFollow(db, "at.once@example.org", null), requestFollow(db, "at.once@example.org", null)]);
    const count = await db.selectFrom("follows").select(db.fn.countAll<string>().as("n")).where("email", "in", [email, "at.once@example.org"]).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2, "one row per address and programme, even when asked at the same moment");
  });

  it("lists every follow of the link's address, and unsubscribes one, the link's own or all", async () => {
    const email = "many@example.org";
    const allToken = await follow(db, email, null);
    const wg1Token = await follow(db, email, wg1);
    await requestFollow(db, email, other);

    const listed = await listFollowsOfToken(db, wg1Token);
    assert.equal(listed?.email, email);
    assert.deepEqual(
      listed?.follows.map((f) => [f.programme?.title ?? "all", f.confirmed]),
      [
        ["all", true],
        ["APIS Working Group 1", true],
        ["Digital Government", false],
      ],
    );
    const pendingId = listed!.follows[2]!.id;
    assert.equal(await confirmFollow(db, wg1Token, pendingId), true, "another follow of the same address, from its page");
    assert.equal((await listFollowsOfToken(db, allToken))?.follows[2]?.confirmed, true);

    const stranger = await db.selectFrom("follows").select("id").where("email", "!=", email).executeTakeFirstOrThrow();
    assert.equal(await unsubscribe(db, wg1Token, stranger.id), null, "another address's follow is out of reach");
    assert.equal(await confirmFollow(db, wg1Token, stranger.id), false);
    assert.ok(await db.selectFrom("follows").select("id").where("id", "=", stranger.id).executeTakeFirst());
    assert.deepEqual(await unsubscribe(db, wg1Token, pendingId), { remainingToken: wg1Token });
    const remaining = await unsubscribe(db, wg1Token);
    assert.equal(remaining?.remainingToken, allToken, "the link's own is gone: the address's other follow shows what is left");
    assert.equal(await listFollowsOfToken(db, wg1Token), null, "a stopped follow's link no longer works");
    assert.deepEqual(await unsubscribe(db, allToken, "all"), { remainingToken: null });
    assert.equal(await db.selectFrom("follows").select("id").where("email", "=", email).executeTakeFirst(), undefined);
    assert.equal(await unsubscribe(db, allToken), null);
  });

  it("emails once per address: followers of the programme, of a programme above it and of all meetings", async () => {
    const both = "both@example.org";
    await follow(db, both, apis);
    const nearToken = await follow(db, both, wg1Topic);
    await follow(db, both, null);
    await follow(db, "parent@example.org", wg1);
    await follow(db, "everything@example.org", null);
    await follow(db, "elsewhere@example.org", other);
    await requestFollow(db, "pending@example.org", wg1Topic);
    const before = await db.selectFrom("outbox").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();

    const meeting = await addMeeting(db, { programme_id: wg1Topic.id, title: "Community Networks Clinic", mode: "hybrid" });
    await notify(db, meeting, "published");
    const news = await db.selectFrom("outbox").selectAll().where("id", ">", before.id).where("template", "=", "meeting-news").execute();
    const recipients = news.map((mail) => mail.to_address).sort();
    assert.ok(recipients.includes(both) && recipients.includes("parent@example.org") && recipients.includes("everything@example.org"));
    assert.ok(!recipients.includes("elsewhere@example.org") && !recipients.includes("pending@example.org"));
    assert.equal(new Set(recipients).size, recipients.length, "one email per address");

    const mail = news.find((m) => m.to_address === both)!;
    assert.equal(mail.subject, "New meeting: Community Networks Clinic");
    assert.match(mail.text, /You receive this because you follow Community Networks\./, "named after the nearest follow");
    assert.match(mail.text, /Place: United Nations Conference Centre, Bangkok, Thailand \(and online\)/);
    assert.match(mail.text, new RegExp(`Dates: .+, Bangkok time`));
    assert.match(mail.text, new RegExp(`http://localhost:3000/meetings/${meeting.slug}`));
    assert.deepEqual(mail.headers, {
      "List-Unsubscribe": `<http://localhost:3000/follows/${nearToken}/unsubscribe>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    assert.match(mail.html, new RegExp(`href="http://localhost:3000/follows/${nearToken}"`), "a link to manage follows");

    const unfiled = await addMeeting(db, { programme_id: null });
    const before2 = await db.selectFrom("outbox").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    await notify(db, unfiled, "cancelled");
    const unfiledNews = await db.selectFrom("outbox").selectAll().where("id", ">", before2.id).execute();
    assert.ok(unfiledNews.every((m) => m.subject.startsWith("Meeting cancelled:")));
    assert.ok(unfiledNews.some((m) => m.to_address === "everything@example.org"), "a meeting without a programme reaches all-meetings followers");
    assert.ok(!unfiledNews.some((m) => m.to_address === "parent@example.org"));
  });

  it("counts confirmed followers of a programme, and of all meetings", async () => {
    const counted = await programme(db, "Counted");
    await follow(db, "one@example.org", counted);
    await follow(db, "two@example.org", counted);
    await requestFollow(db, "unconfirmed@example.org", counted);
    assert.equal(await countFollowers(db, counted.id), 2);
    const all = await countFollowers(db, null);
    await follow(db, "one@example.org", null);
    assert.equal(await countFollowers(db, null), all + 1);
  });

  it("keeps the email and the change together: a transaction that fails leaves neither", async () => {
    await follow(db, "atomic@example.org", other);
    const meeting = await addMeeting(db, { programme_id: other.id, status: "draft", published_at: null });
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await notifyFollowers(trx, meeting, "published");
        throw new Error("the change failed");
      }),
    );
    assert.deepEqual((await mailTo(db, "atomic@example.org")).map((m) => m.template), ["follow-confirm"]);

    // The outbox refuses this meeting's news: its publication must not happen without it.
    await sql`create function refuse_news() returns trigger language plpgsql as $$ begin raise exception 'outbox refused'; end $$`.execute(db);
    await sql`create trigger refuse_news before insert on outbox for each row when (new.template = 'meeting-news') execute function refuse_news()`.execute(db);
    try {
      await assert.rejects(changeMeetingStatus(db, meeting, "publish", null), /outbox refused/);
    } finally {
      await sql`drop trigger refuse_news on outbox`.execute(db);
      await sql`drop function refuse_news()`.execute(db);
    }
    assert.equal((await findMeeting(db, meeting.slug))?.status, "draft");
  });

  it("publishing, cancelling a published meeting and moving its days email the followers; other changes do not", async () => {
    const email = "hooks@example.org";
    const hooks = await programme(db, "Hooks");
    await follow(db, email, hooks);
    const news = async () => (await mailTo(db, email)).filter((m) => m.template === "meeting-news").map((m) => m.subject);
    const draft = await addMeeting(db, { programme_id: hooks.id, status: "draft", published_at: null, title: "Hooked" });

    const save = async (overrides: Record<string, string>) => {
      const meeting = (await findMeeting(db, draft.slug))!;
      const form = new FormData();
      for (const [name, value] of Object.entries({ ...meetingFormValues(meeting), ...overrides })) form.set(name, value);
      const parsed = parseMeetingForm(form);
      assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
      assert.deepEqual(await updateMeeting(db, meeting, parsed.input, null), { ok: true, slug: draft.slug });
    };

    await save({ startsOn: "2031-03-01", endsOn: "2031-03-02" });
    assert.deepEqual(await news(), [], "a draft's changes are nobody's news");
    assert.equal(await changeMeetingStatus(db, (await findMeeting(db, draft.slug))!, "publish", null), true);
    assert.deepEqual(await news(), ["New meeting: Hooked"]);

    await save({ title: "Hooked", summary: "Only the summary changes" });
    assert.equal((await news()).length, 1, "a change that is not of days or zone sends nothing");
    await save({ startsOn: "2031-03-03", endsOn: "2031-03-04" });
    const moved = (await mailTo(db, email)).at(-1)!;
    assert.equal(moved.subject, "Meeting rescheduled: Hooked");
    assert.match(moved.text, /Dates: 3–4 Mar 2031, Bangkok time\nPreviously: 1–2 Mar 2031, Bangkok time/);
    await save({ timezone: "Asia/Tokyo" });
    assert.equal((await news()).at(-1), "Meeting rescheduled: Hooked", "a new time zone moves the meeting too");

    assert.equal(await changeMeetingStatus(db, (await findMeeting(db, draft.slug))!, "cancel", null), true);
    assert.equal((await news()).at(-1), "Meeting cancelled: Hooked");
    assert.equal((await news()).length, 4);

    const neverPublished = await addMeeting(db, { programme_id: hooks.id, status: "draft", published_at: null });
    assert.equal(await changeMeetingStatus(db, neverPublished, "cancel", null), true);
    assert.equal((await news()).length, 4, "cancelling a draft tells no one");
  });
});
