/**
 * The bench's special fixtures, beside the generated data set: the registration burst's meeting,
 * a meeting with a 300-item agenda (its page and feed), and a hybrid conference of 1,500 people
 * with a signed-in organiser (the attendance console).
 */
import type { Insertable, Kysely } from "kysely";
import { DateTime } from "luxon";
import { startSession } from "../app/accounts/session.server";
import type { Database, MeetingTable } from "../db/schema";

/** A published in-person meeting in Bangkok on the given days; `overrides` replace columns. */
export function benchMeeting(slug: string, title: string, startsOn: string, endsOn: string, overrides: Partial<Insertable<MeetingTable>> = {}): Insertable<MeetingTable> {
  const zone = "Asia/Bangkok";
  return {
    slug,
    title,
    summary: "Created by `npm run bench`.",
    description: null,
    organising_body: "ESCAP",
    kind: "workshop",
    mode: "in_person",
    status: "published",
    timezone: zone,
    starts_on: startsOn,
    ends_on: endsOn,
    starts_at: DateTime.fromISO(startsOn, { zone }).toJSDate(),
    ends_at: DateTime.fromISO(endsOn, { zone }).plus({ days: 1 }).toJSDate(),
    programme_id: null,
    venue_name: "United Nations Conference Centre",
    venue_address: null,
    venue_city: "Bangkok",
    venue_country: "TH",
    online_url: null,
    contact_email: null,
    registration_policy: "open",
    registration_opens_local: null,
    registration_opens_at: null,
    registration_closes_local: null,
    registration_closes_at: null,
    capacity: null,
    published_at: new Date(),
    cancelled_at: null,
    created_by: null,
    updated_by: null,
    ...overrides,
  };
}

export function dayFromNow(days: number): string {
  return DateTime.now().setZone("Asia/Bangkok").plus({ days }).toISODate() ?? "";
}

/** The burst's meeting: open registration, a capacity, published, a month from now. */
export async function createBurstMeeting(db: Kysely<Database>, capacity: number, purpose: "burst" | "warm-up" | "database-burst" = "burst"): Promise<{ id: number; slug: string }> {
  const opens = DateTime.now().setZone("Asia/Bangkok").minus({ days: 1 }).startOf("minute");
  const row = benchMeeting(`bench-registration-${purpose}-${Date.now()}`, "Bench: Regional Workshop with a Registration Burst", dayFromNow(30), dayFromNow(31), {
    registration_opens_local: opens.toFormat("yyyy-MM-dd'T'HH:mm"),
    registration_opens_at: opens.toJSDate(),
    capacity,
  });
  return db.insertInto("meetings").values(row).returning(["id", "slug"]).executeTakeFirstOrThrow();
}

export const FEED_ITEMS = 300;

/**
 * What the agenda page and a meeting's feed are measured on: a three-day meeting with 300 agenda
 * items in two rooms, each with two people.
 */
export async function createFeedData(db: Kysely<Database>): Promise<{ slug: string }> {
  const meeting = await db
    .insertInto("meetings")
    .values(benchMeeting("bench-feed-300-items", "Bench: Ministerial Conference with a 300-item agenda", dayFromNow(40), dayFromNow(42)))
    .returning(["id", "slug", "timezone", "starts_on"])
    .executeTakeFirstOrThrow();
  const rooms = await db
    .insertInto("meeting_rooms")
    .values([{ meeting_id: meeting.id, name: "Plenary Hall" }, { meeting_id: meeting.id, name: "Room 103", position: 1 }])
    .returning("id")
    .execute();
  const items = Array.from({ length: FEED_ITEMS }, (_, n) => {
    const day = DateTime.fromISO(meeting.starts_on, { zone: meeting.timezone }).plus({ days: Math.floor(n / 100) });
    const start = day.set({ hour: 8, minute: 0 }).plus({ minutes: 5 * Math.floor((n % 100) / 2) });
    const end = start.plus({ minutes: 5 });
    const wall = (at: DateTime) => at.toFormat("yyyy-MM-dd'T'HH:mm");
    return {
      meeting_id: meeting.id,
      title: `Session ${n + 1}: broadband for rural areas`,
      kind: "session" as const,
      description: "Presentations and discussion; outcome to the rapporteur.",
      room_id: rooms[n % 2]!.id,
      starts_local: wall(start),
      ends_local: wall(end),
      starts_at: start.toJSDate(),
      ends_at: end.toJSDate(),
    };
  });
  const inserted = await db.insertInto("agenda_items").values(items).returning("id").execute();
  await db
    .insertInto("agenda_item_people")
    .values(
      inserted.flatMap(({ id }) => [
        { item_id: id, position: 0, name: "Ms Dechen Wangmo", role: "chair" as const, affiliation: "Ministry of Information and Communications, Bhutan" },
        { item_id: id, position: 1, name: "Mr Arjun Mehta", role: "speaker" as const, affiliation: "ITU" },
      ]),
    )
    .execute();
  await db.updateTable("meetings").set({ agenda_updated_at: new Date() }).where("id", "=", meeting.id).execute();
  return { slug: meeting.slug };
}

export const CONFERENCE_PEOPLE = 1_500;

/**
 * What attendance is measured on: a hybrid two-day conference that ended last week, with 1,500
 * confirmed participants, a third checked in at the door each day and the others read from a
 * webinar report (about 4,000 stretches online, rejoins included), four sessions a day; and an
 * organiser signed in, whose session cookie the console's pages are requested with.
 */
export async function createAttendanceData(db: Kysely<Database>): Promise<{ slug: string; day: string; cookie: string }> {
  const days = [dayFromNow(-8), dayFromNow(-7)];
  const meeting = await db
    .insertInto("meetings")
    .values(benchMeeting("bench-hybrid-conference", "Bench: Hybrid Conference with 1,500 participants", days[0]!, days[1]!, { mode: "hybrid", online_url: "https://example.org/webinar" }))
    .returning(["id", "slug", "timezone"])
    .executeTakeFirstOrThrow();
  const wall = (day: string, time: string) => `${day}T${time}`;
  const at = (local: string) => DateTime.fromISO(local, { zone: meeting.timezone }).toJSDate();
  const sessions = days.flatMap((day) =>
    ["09:00-10:30", "11:00-12:30", "14:00-15:30", "16:00-17:30"].map((span, n) => {
      const [start, end] = span.split("-") as [string, string];
      return { meeting_id: meeting.id, title: `Day session ${n + 1}`, kind: "session" as const, starts_local: wall(day, start), ends_local: wall(day, end), starts_at: at(wall(day, start)), ends_at: at(wall(day, end)) };
    }),
  );
  await db.insertInto("agenda_items").values(sessions).execute();
  const countries = ["TH", "VN", "IN", "JP", "FJ", "BD", "PH", "ID", "MN", "KZ"];
  const people = await db
    .insertInto("registrations")
    .values(
      Array.from({ length: CONFERENCE_PEOPLE }, (_, n) => ({
        meeting_id: meeting.id,
        email: `participant-${n}@example.org`,
        first_name: n % 7 === 0 ? "Thi Hong" : `Person ${n}`,
        last_name: n % 7 === 0 ? `Nguyen ${n}` : `Wang ${n}`,
        organisation: `Ministry ${n % 40}`,
        country: countries[n % countries.length]!,
        gender: n % 2 === 0 ? ("female" as const) : ("male" as const),
        category: n % 3 === 0 ? ("expert" as const) : ("government" as const),
        attendance_mode: n % 3 === 0 ? ("in_person" as const) : ("online" as const),
        status: "confirmed" as const,
        manage_token_hash: Buffer.from(`bench-${n}`.padEnd(32, "-")),
        consent_at: new Date(),
      })),
    )
    .returning(["id", "attendance_mode"])
    .execute();
  const inPerson = people.filter((p) => p.attendance_mode === "in_person");
  await db
    .insertInto("check_ins")
    .values(days.flatMap((day) => inPerson.map((p) => ({ meeting_id: meeting.id, registration_id: p.id, day, mode: "in_person" as const, method: "badge" as const }))))
    .execute();
  const report = await db
    .insertInto("attendance_imports")
    .values({ meeting_id: meeting.id, platform: "zoom", file_name: "participants.csv", content_sha256: Buffer.alloc(32), timezone: meeting.timezone, row_count: 0, new_session_count: 0 })
    .returning("id")
    .executeTakeFirstOrThrow();
  const online = people.filter((p) => p.attendance_mode === "online");
  const stretches = days.flatMap((day) =>
    online.flatMap((p, n) => {
      const joined = at(wall(day, "08:55"));
      const left = at(wall(day, n % 4 === 0 ? "10:10" : "17:30"));
      const rejoin = n % 3 === 0 ? [{ joined_at: at(wall(day, "13:55")), left_at: at(wall(day, "15:00")) }] : [];
      return [{ joined_at: joined, left_at: left }, ...rejoin].map((stretch) => ({ ...stretch, meeting_id: meeting.id, import_id: report.id, registration_id: p.id, name: `Person ${p.id}`, email: `participant-${p.id}@example.org`, line: 2 }));
    }),
  );
  for (let i = 0; i < stretches.length; i += 1_000) await db.insertInto("online_sessions").values(stretches.slice(i, i + 1_000)).execute();
  const organiser = await db.insertInto("users").values({ email: "bench-organiser@example.org", role: "administrator" }).returning("id").executeTakeFirstOrThrow();
  const cookie = (await startSession(db, organiser.id)).split(";")[0]!;
  return { slug: meeting.slug, day: days[0]!, cookie };
}
