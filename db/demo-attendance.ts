import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import type { Database } from "./schema";

/**
 * Attendance for the demo's past meetings, so their reports look real: the steering committee
 * (hybrid, two days) has people checked in at the desk and its online participants read from a
 * Zoom report; the broadband mapping training (in person, three days) has desk and badge
 * check-ins; the cybersecurity webinar has a Zoom report with rejoins, people who stayed too
 * briefly to count, and a few guests the report names but no registration matches. Who came is
 * decided by a fixed pattern, not at random, so the figures are the same at every load. The
 * past meetings show their participation figures on their public pages.
 */

const PAST_MEETINGS = {
  "apis-steering-committee-eighth-session": { absentOneIn: [10, 6] },
  "regional-training-on-broadband-mapping": { absentOneIn: [12, 8, 5] },
  "webinar-cybersecurity-for-public-sector-organisations": { absentOneIn: [7] },
} as const satisfies Record<string, { absentOneIn: readonly number[] }>;

type PastSlug = keyof typeof PAST_MEETINGS;

/** Guests a webinar report names whom no registration matches: left for the organiser to link or add. */
const UNMATCHED_GUESTS = [
  { name: "iPhone (2)", email: null },
  { name: "Dr. S. Rattanakul", email: "s.rattanakul@thaicert.example.org" },
  { name: "Pacific ICT Officers' Network", email: "pictonet@example.org" },
];

interface DemoMeeting {
  id: number;
  slug: string;
  timezone: string;
  starts_on: string;
}

export async function insertDemoAttendance(db: Kysely<Database>, meetings: DemoMeeting[]): Promise<void> {
  for (const meeting of meetings) {
    if (!(meeting.slug in PAST_MEETINGS)) continue;
    await insertMeetingAttendance(db, meeting, PAST_MEETINGS[meeting.slug as PastSlug].absentOneIn);
  }
}

async function insertMeetingAttendance(db: Kysely<Database>, meeting: DemoMeeting, absentOneIn: readonly number[]) {
  const people = await db
    .selectFrom("registrations")
    .select(["id", "email", "first_name", "last_name", "attendance_mode"])
    .where("meeting_id", "=", meeting.id)
    .where("status", "=", "confirmed")
    .orderBy("id")
    .execute();
  const items = await db
    .selectFrom("agenda_items")
    .select(["starts_at", "ends_at", "starts_local"])
    .where("meeting_id", "=", meeting.id)
    .where("kind", "not in", ["break", "lunch"])
    .orderBy("starts_at")
    .execute();
  const days = absentOneIn.map((_, d) => DateTime.fromISO(meeting.starts_on, { zone: "UTC" }).plus({ days: d }).toISODate()!);
  const span = (day: string) => {
    const ofDay = items.filter((item) => item.starts_local.startsWith(day));
    return { start: ofDay[0]!.starts_at, end: ofDay.at(-1)!.ends_at };
  };
  const present = (person: number, day: number) => (person + day * 3) % absentOneIn[day]! !== 0;

  const checkIns = days.flatMap((day, d) =>
    people
      .map((person, i) => ({ person, i }))
      .filter(({ person, i }) => person.attendance_mode === "in_person" && present(i, d))
      .map(({ person, i }) => ({
        meeting_id: meeting.id,
        registration_id: person.id,
        day,
        mode: "in_person" as const,
        method: i % 3 === 0 ? ("desk" as const) : ("badge" as const),
        recorded_at: new Date(span(day).start.getTime() - ((i * 7) % 45) * 60_000),
      })),
  );
  if (checkIns.length > 0) await db.insertInto("check_ins").values(checkIns).execute();
  await db.updateTable("meetings").set({ shows_participation: true }).where("id", "=", meeting.id).execute();

  const online = people.map((person, i) => ({ person, i })).filter(({ person }) => person.attendance_mode === "online");
  if (online.length === 0) return;
  const sessions = days.flatMap((day, d) => {
    const { start, end } = span(day);
    const rows = online
      .filter(({ i }) => present(i, d))
      .flatMap(({ person, i }) =>
        onlineStretches(start, end, i).map((stretch) => ({ ...stretch, name: `${person.first_name} ${person.last_name}`, email: person.email, registration_id: person.id })),
      );
    const guests = UNMATCHED_GUESTS.map((guest, g) => ({
      ...guest,
      registration_id: null,
      joined_at: minutesAfter(start, 5 + g * 11),
      left_at: minutesAfter(end, -20 * g),
    }));
    return [...rows, ...(d === 0 ? guests : [])];
  });
  const report = await db
    .insertInto("attendance_imports")
    .values({
      meeting_id: meeting.id,
      platform: "zoom",
      file_name: `participants_${meeting.starts_on.replaceAll("-", "")}.csv`,
      content_sha256: createHash("sha256").update(`demo report of ${meeting.slug}`).digest(),
      timezone: meeting.timezone,
      row_count: sessions.length,
      new_session_count: sessions.length,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("online_sessions")
    .values(sessions.map((session, line) => ({ ...session, meeting_id: meeting.id, import_id: report.id, line: line + 2 })))
    .execute();
}

function minutesAfter(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}

/** One online participant's stretches in a day's sessions: most stay throughout, some drop and rejoin (once on a second device), some leave early. */
function onlineStretches(start: Date, end: Date, person: number): { joined_at: Date; left_at: Date }[] {
  const joined = minutesAfter(start, -5 + (person % 9));
  const left = minutesAfter(end, -((person * 13) % 25));
  if (person % 5 === 1) return [{ joined_at: joined, left_at: minutesAfter(joined, 20 + (person % 7)) }];
  if (person % 4 === 2) {
    const drop = minutesAfter(start, 35);
    return [
      { joined_at: joined, left_at: drop },
      { joined_at: minutesAfter(drop, 6), left_at: left },
      { joined_at: minutesAfter(drop, 30), left_at: minutesAfter(drop, 50) },
    ];
  }
  return [{ joined_at: joined, left_at: left }];
}
