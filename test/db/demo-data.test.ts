import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { demoDataLoaded, loadDemoData } from "../../db/demo-data";
import type { Database } from "../../db/schema";
import { registrationState } from "../../app/meetings/registration-state";
import { type AgendaEntry, listAgendaItems } from "../../app/agenda/agenda.server";
import { freshDatabase } from "../support/database";
import { pdfText } from "../support/registration-extras";
import { documentStore } from "../../app/documents/document-store.server";
import { detectFileType } from "../../app/documents/file-types.server";
import { Readable } from "node:stream";

async function counts(db: Kysely<Database>) {
  const [programmes, meetings, metadata] = await Promise.all([
    db.selectFrom("programmes").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom("meetings").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
    db.selectFrom("app_metadata").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { programmes: Number(programmes.n), meetings: Number(meetings.n), metadata: Number(metadata.n) };
}

describe("demo data", async () => {
  const { db } = await freshDatabase();
  const now = new Date();

  it("loads once", async () => {
    assert.equal(await demoDataLoaded(db), false);
    assert.equal(await loadDemoData(db, now), true);
    assert.equal(await demoDataLoaded(db), true);
    const first = await counts(db);
    assert.ok(first.programmes >= 3 && first.meetings >= 8, JSON.stringify(first));
    assert.equal(await loadDemoData(db, now), false);
    assert.equal(await loadDemoData(db, new Date(now.getTime() + 86_400_000)), false, "not even on another day");
    assert.deepEqual(await counts(db), first);
  });

  it("shows every kind of meeting, in several zones, in every state", async () => {
    const meetings = await db.selectFrom("meetings").selectAll().execute();
    assert.deepEqual(
      [...new Set(meetings.map((m) => m.kind))].sort(),
      ["expert_group_meeting", "ministerial_conference", "webinar", "workshop"],
    );
    assert.ok(new Set(meetings.map((m) => m.timezone)).size >= 3);
    assert.ok(meetings.some((m) => m.status === "cancelled" && m.cancelled_at !== null));
    assert.ok(meetings.some((m) => m.status === "draft" && m.published_at === null));
    const past = meetings.filter((m) => m.status === "published" && m.ends_at <= now);
    assert.ok(past.length >= 2, `${past.length} past meetings`);
    assert.ok(meetings.some((m) => m.status === "published" && m.ends_at > now), "upcoming ones too");
    for (const meeting of meetings) {
      assert.ok(meeting.ends_on >= meeting.starts_on, meeting.slug);
      assert.ok(meeting.starts_at < meeting.ends_at, meeting.slug);
      assert.match(meeting.slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it("has a programme with sub-programmes", async () => {
    const programmes = await db.selectFrom("programmes").selectAll().execute();
    const childCount = (id: number) => programmes.filter((p) => p.parent_id === id).length;
    assert.ok(programmes.some((p) => p.parent_id === null && childCount(p.id) >= 2));
  });

  it("has an open workshop for 40 in Asia/Kolkata whose registration is open now", async () => {
    const workshops = await db
      .selectFrom("meetings")
      .selectAll()
      .where("kind", "=", "workshop")
      .where("timezone", "=", "Asia/Kolkata")
      .where("registration_policy", "=", "open")
      .where("capacity", "=", 40)
      .where("status", "=", "published")
      .execute();
    assert.equal(workshops.length, 1);
    const workshop = workshops[0]!;
    const state = registrationState(workshop, { confirmed: 0, waitlisted: 0, pending: 0 }, new Date());
    assert.equal(state.isOpen, true, JSON.stringify(state));
    assert.match(workshop.registration_opens_local ?? "", /T09:00$/, "opens at 09:00 in Kolkata");
    assert.equal(workshop.registration_opens_at?.getUTCHours(), 3);
    assert.equal(workshop.registration_opens_at?.getUTCMinutes(), 30);
  });

  it("gives the past meetings attendance: confirmed people checked in, online sessions read from a report with unmatched guests, figures shown", async () => {
    const past = await db.selectFrom("meetings").selectAll().where("status", "=", "published").where("ends_at", "<=", now).execute();
    assert.equal(past.length, 3);
    for (const meeting of past) {
      assert.equal(meeting.shows_participation, true, meeting.slug);
      const checkIns = await db
        .selectFrom("check_ins")
        .innerJoin("registrations", "registrations.id", "check_ins.registration_id")
        .select(["registrations.status", "registrations.meeting_id", "check_ins.day"])
        .where("check_ins.meeting_id", "=", meeting.id)
        .execute();
      const sessions = await db.selectFrom("online_sessions").selectAll().where("meeting_id", "=", meeting.id).execute();
      assert.ok(checkIns.length + sessions.length > 20, `${meeting.slug}: ${checkIns.length} check-ins, ${sessions.length} online sessions`);
      for (const checkIn of checkIns) {
        assert.equal(checkIn.status, "confirmed");
        assert.equal(checkIn.meeting_id, meeting.id);
        assert.ok(checkIn.day! >= meeting.starts_on && checkIn.day! <= meeting.ends_on, `${checkIn.day} is a day of ${meeting.slug}`);
      }
      if (meeting.mode !== "in_person") assert.equal(sessions.filter((s) => s.registration_id === null).length, 3, `${meeting.slug}: three unmatched guests`);
    }
  });
});

const overlaps = (a: AgendaEntry, b: AgendaEntry) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;
const minutes = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;

describe("demo agendas", async () => {
  const { db } = await freshDatabase();
  const now = new Date();
  await loadDemoData(db, now);
  const meetings = await db.selectFrom("meetings").selectAll().execute();
  const agendas = new Map(await Promise.all(meetings.map(async (m) => [m.slug, await listAgendaItems(db, m.id)] as const)));
  const bySlug = (slug: string) => ({ meeting: meetings.find((m) => m.slug === slug)!, items: agendas.get(slug)! });
  const daysOf = (items: AgendaEntry[]) => [...new Set(items.map((item) => item.startsLocal.slice(0, 10)))].sort();

  it("gives every meeting an agenda on its own days, each instant reading back as the wall time typed in the meeting's zone", () => {
    for (const meeting of meetings) {
      const items = agendas.get(meeting.slug)!;
      assert.ok(items.length > 0, `${meeting.slug} has an agenda`);
      assert.equal(meeting.agenda_updated_at?.getTime(), now.getTime(), meeting.slug);
      for (const item of items) {
        const label = `${meeting.slug}: ${item.title}`;
        assert.ok(item.startsLocal.slice(0, 10) >= meeting.starts_on && item.endsLocal.slice(0, 10) <= meeting.ends_on, label);
        assert.ok(item.startsAt >= meeting.starts_at && item.endsAt <= meeting.ends_at, label);
        assert.ok(item.endsAt > item.startsAt, label);
        const inZone = (at: Date) => DateTime.fromJSDate(at, { zone: meeting.timezone }).toFormat("yyyy-MM-dd'T'HH:mm");
        assert.equal(inZone(item.startsAt), item.startsLocal, label);
        assert.equal(inZone(item.endsAt), item.endsLocal, label);
      }
    }
  });

  it("names people with roles and affiliations, and nests talks within a panel's times", () => {
    const all = [...agendas.values()].flat();
    const roles = new Set(all.flatMap((item) => item.people.map((p) => p.role)));
    assert.deepEqual([...roles].sort(), ["chair", "moderator", "panellist", "rapporteur", "speaker"]);
    assert.ok(all.flatMap((item) => item.people).every((p) => p.name && p.affiliation));
    const parts = all.filter((item) => item.parentId !== null);
    assert.ok(parts.length >= 4, `${parts.length} sub-items`);
    for (const part of parts) {
      const parent = all.find((item) => item.id === part.parentId)!;
      assert.equal(parent.parentId, null, "one level deep");
      assert.ok(part.startsAt >= parent.startsAt && part.endsAt <= parent.endsAt, part.title);
    }
    assert.ok(parts.some((part) => all.find((item) => item.id === part.parentId)!.kind === "panel"));
  });

  it("runs the ministerial conference three days: senior officials, then ministers, with side events in two rooms beside the plenary", () => {
    const { meeting, items } = bySlug("ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific");
    const days = daysOf(items);
    assert.deepEqual(days, [meeting.starts_on, days[1], meeting.ends_on]);
    assert.equal(days.length, 3);
    const onDay = (i: number) => items.filter((item) => item.startsLocal.startsWith(days[i]!));
    assert.ok(onDay(0).some((item) => /senior officials' segment/i.test(`${item.title} ${item.description}`)));
    assert.ok(onDay(2).some((item) => /ministerial segment/i.test(`${item.title} ${item.description}`)));
    const plenary = items.filter((item) => item.roomName === "Plenary Hall" && item.parentId === null);
    const sideEvents = items.filter((item) => item.kind === "side_event");
    assert.ok(new Set(sideEvents.map((item) => item.roomName)).size >= 2, "side events in two rooms");
    const [a, b] = sideEvents.filter((s) => sideEvents.some((t) => t.roomId !== s.roomId && overlaps(s, t)));
    assert.ok(a && b && a.roomId !== b.roomId, "two side events at the same time in different rooms");
    assert.ok(plenary.some((p) => overlaps(p, a)) && plenary.some((p) => overlaps(p, b)), "while the plenary sits");
  });

  it("runs the expert group meeting two days, the workshop with coffee and lunch every day, and the webinar 90 minutes online", () => {
    const egm = bySlug("expert-group-meeting-on-e-resilience-and-disaster-risk-reduction");
    assert.deepEqual(daysOf(egm.items), [egm.meeting.starts_on, egm.meeting.ends_on]);

    const workshop = bySlug("regional-workshop-on-rural-connectivity-and-community-networks");
    const workshopDays = daysOf(workshop.items);
    assert.equal(workshopDays.length, 3);
    for (const day of workshopDays) {
      const kinds = workshop.items.filter((item) => item.startsLocal.startsWith(day)).map((item) => item.kind);
      assert.ok(kinds.includes("break") && kinds.includes("lunch"), day);
    }

    const { items } = bySlug("webinar-digital-government-services-for-all");
    const first = items[0]!;
    const last = items.reduce((a, b) => (b.endsAt > a.endsAt ? b : a));
    assert.equal(minutes(first.startsAt, last.endsAt), 90);
    assert.ok(items.every((item) => item.roomId === null), "online: no rooms");
    const people = items.flatMap((item) => item.people);
    assert.ok(people.some((p) => p.role === "moderator"));
    assert.ok(new Set(people.filter((p) => p.role === "panellist").map((p) => p.name)).size >= 3);
  });
});

describe("demo data loaded twice at the same moment", async () => {
  const { db } = await freshDatabase();
  it("is loaded by exactly one of the two", async () => {
    const results = await Promise.all([loadDemoData(db), loadDemoData(db)]);
    assert.deepEqual(results.sort(), [false, true]);
    const slugs = await db.selectFrom("meetings").select("slug").execute();
    assert.equal(new Set(slugs.map((s) => s.slug)).size, slugs.length);
  });
});

describe("demo documents", async () => {
  const { db } = await freshDatabase();
  await loadDemoData(db);
  const egm = await db.selectFrom("meetings").selectAll().where("slug", "=", "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction").executeTakeFirstOrThrow();
  const documents = await db.selectFrom("documents").selectAll().where("meeting_id", "=", egm.id).execute();
  const files = await db.selectFrom("document_files").selectAll().where("document_id", "in", documents.map((d) => d.id)).execute();
  const byType = (type: string) => documents.find((d) => d.type === type)!;
  const filesOf = (id: number) => files.filter((f) => f.document_id === id);

  it("gives the expert group meeting a provisional agenda in English and French, a concept note, a working paper and a registrants-only information note", () => {
    assert.deepEqual(filesOf(byType("provisional_agenda").id).map((f) => f.language).sort(), ["en", "fr"]);
    assert.ok(byType("concept_note"));
    const note = byType("information_note");
    assert.equal(note.access_level, "registered");
    assert.equal(note.distribution, "limited");
    assert.match(byType("working_paper").symbol ?? "", /^ESCAP\/APIS\/EGM\/\d{4}\/WP\.1$/);
  });

  it("keeps the working paper's first version as superseded beside the current second one", () => {
    const versions = filesOf(byType("working_paper").id).sort((a, b) => a.version - b.version);
    assert.deepEqual(versions.map((f) => [f.version, f.superseded_at !== null]), [[1, true], [2, false]]);
  });

  it("stores real PDFs whose text names the paper", async () => {
    const agenda = filesOf(byType("provisional_agenda").id).find((f) => f.language === "fr")!;
    const { stream } = await documentStore().open(agenda.content_key);
    const content = Buffer.concat(await stream.toArray());
    assert.equal(content.length, agenda.size);
    assert.equal((await detectFileType(() => Readable.from([content]))).mime, "application/pdf");
    assert.match(await pdfText(content), /Adoption de l.ordre du jour/);
  });
});
