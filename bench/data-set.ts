/**
 * The bench's data set at a chosen scale: `scale` × (1,000 meetings over ten years, 100,000
 * registrations, 30,000 agenda items, 10,000 documents), generated inside PostgreSQL with
 * `insert … select … from generate_series(…)` in one transaction, so that scale 10 takes a minute
 * or two rather than an afternoon.
 *
 * What the schema would otherwise do row by row is done once per table, and checked:
 * - the registrations' trigger that keeps each meeting's counts (and the foreign keys' triggers) is
 *   skipped with `session_replication_role = replica` (the bench's embedded server is ours, we are
 *   superuser); the counts are then set by one aggregate update and compared with the rows
 *   (`countsMatch`) — every foreign key is right by construction; each registration is given its
 *   meeting's end, which a trigger sets otherwise;
 * - a capacity is set only where it holds the confirmed count (the meetings' check);
 * - agenda items keep the wall-clock time in the meeting's zone beside the instant PostgreSQL
 *   derives from it (`local at time zone zone`), as the app does;
 * - documents' files point at the few small real files the demo data put in the document store.
 *
 * The mix: most meetings past, about one in ten upcoming; mostly published, a few drafts and
 * cancelled; all kinds and modes; zones from Fiji to New York; most in a programme. Registrations
 * are skewed (most meetings tens of people, one in a hundred over a thousand), mostly confirmed,
 * and people recur: 200 regulars register for every meeting, so some addresses have dozens of
 * registrations, and one person in ten has an account. One topic in forty is about tsunamis:
 * `SEARCH_WORD` matches a few dozen meetings at scale 1.
 */
import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { issueFeedToken } from "../app/calendar/personal-feed.server";
import type { Database } from "../db/schema";

export const SEARCH_WORD = "tsunami";
const SLUG_PREFIX = "bench-g";

export interface DataSetSummary {
  scale: number;
  seconds: number;
  /** Seconds per step: meetings, registrations, agenda, documents, analyze. */
  steps: Record<string, number>;
  /** Rows in the database after generation (demo data and fixtures included). */
  rows: Record<string, number>;
  countsMatch: boolean;
}

const ZONES = ["Asia/Bangkok", "Europe/Zurich", "Pacific/Fiji", "America/New_York", "Asia/Tokyo", "Africa/Nairobi", "Asia/Almaty", "Australia/Sydney"];
const CITIES = ["Bangkok", "Geneva", "Suva", "New York", "Tokyo", "Nairobi", "Almaty", "Sydney"];
const COUNTRIES = ["TH", "CH", "FJ", "US", "JP", "KE", "KZ", "AU"];
const TOPICS = [
  "rural connectivity and community networks",
  "e-resilience and disaster risk reduction",
  "the Asia-Pacific Information Superhighway",
  "digital government services",
  "cross-border fibre infrastructure",
  "spectrum management for mobile broadband",
  "data governance and statistics",
  "women in the digital economy",
  "cybersecurity capacity building",
  "satellite connectivity for small islands",
  "smart cities and urban data",
  "financing broadband infrastructure",
  "digital skills for youth",
  "artificial intelligence for public services",
  "e-commerce and trade facilitation",
  "climate data and early warning",
  "internet exchange points",
  "submarine cable resilience",
  "digital identity and inclusion",
  "open data for sustainable development",
  "ICT for agriculture",
  "telemedicine in remote areas",
  "universal service funds",
  "energy-efficient data centres",
  "digital payments and financial inclusion",
  "the measurement of the information society",
  "mobile networks in emergencies",
  "connectivity for landlocked countries",
  "regional cooperation on digital trade",
  `${SEARCH_WORD} early warning and coastal resilience`,
  "broadband mapping",
  "the digital divide in the Pacific",
  "e-learning in schools",
  "postal services in the digital age",
  "cloud computing policy",
  "internet governance",
  "digital public infrastructure",
  "space applications for development",
  "green ICT",
  "last-mile connectivity",
];
const KIND_TITLES = ["Expert Group Meeting on", "Regional Workshop on", "Ministerial Conference on", "Webinar on"];
const FIRST_NAMES = ["Dechen", "Arjun", "Thi Hong", "Siosaia", "Aigerim", "Kenji", "Maria", "Ahmed", "Priya", "Batbayar", "Nour", "Lucía", "Tevita", "Somchai", "Mei", "Ravi", "Farida", "Olga", "Jin-woo", "Ana"];
const LAST_NAMES = ["Wangmo", "Mehta", "Nguyen", "Tonga", "Seitkali", "Sato", "Santos", "Rahman", "Sharma", "Erdene", "Haddad", "García", "Fifita", "Srisuk", "Chen", "Kumar", "Karimova", "Ivanova", "Park", "Silva"];
const DOMAINS = ["example.org", "ministry.example.gov", "itu.example.int", "university.example.edu", "ngo.example.net", "telecom.example.com"];

/** A SQL text array literal of these strings. */
function textArray(values: string[]): string {
  return `array[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ")}]::text[]`;
}

function atLeastOne(target: number): number {
  return Math.max(1, Math.round(target));
}

/**
 * Generates the data set into the database at `url` (migrated, the demo data loaded: programmes
 * and the document store's files come from it) and runs ANALYZE.
 */
export async function generateDataSet(url: string, scale: number, log: (line: string) => void = () => {}): Promise<DataSetSummary> {
  const meetings = atLeastOne(scale * 1_000);
  const registrations = atLeastOne(scale * 100_000);
  const items = atLeastOne(scale * 30_000);
  const documents = atLeastOne(scale * 10_000);
  const people = Math.max(1_000, atLeastOne(scale * 30_000));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const steps: Record<string, number> = {};
  const started = performance.now();
  let stepStarted = started;
  const step = (name: string) => {
    const now = performance.now();
    steps[name] = Math.round((now - stepStarted) / 100) / 10;
    log(`  ${name}: ${steps[name]} s`);
    stepStarted = now;
  };
  try {
    await client.query("begin");
    await client.query("set local session_replication_role = replica");
    await client.query("set local synchronous_commit = off");
    await client.query("set local work_mem = '64MB'");
    await client.query("select setseed(0.42)");
    await client.query(`
      create function pg_temp.bench_email(person int) returns text language sql immutable as $$
        select 'person' || person || '@' || (${textArray(DOMAINS)})[1 + person % ${DOMAINS.length}]
      $$`);

    // Meetings: from nine years ago to a year ahead, one to four days each, in their zone.
    await client.query(
      `
      insert into meetings (slug, title, summary, organising_body, kind, mode, status, timezone, starts_on, ends_on,
        starts_at, ends_at, programme_id, venue_name, venue_city, venue_country, online_url, registration_policy,
        published_at, cancelled_at, created_at, updated_at)
      select '${SLUG_PREFIX}-' || i, title, 'A bench meeting: ' || topic || '.', 'ESCAP', kind, mode, status, zone,
        starts_on, ends_on, starts_on::timestamp at time zone zone, (ends_on + 1)::timestamp at time zone zone,
        case when i % 10 < 7 then programmes[1 + i % cardinality(programmes)] end,
        case when mode <> 'online' then 'Conference Centre' end, case when mode <> 'online' then city end,
        case when mode <> 'online' then country end, case when mode <> 'in_person' then 'https://example.org/webinar/' || i end,
        (array['open', 'open', 'open', 'moderated', 'invitation'])[1 + i % 5],
        case when status <> 'draft' then starts_on - 60 end, case when status = 'cancelled' then starts_on - 7 end,
        starts_on - 90, starts_on - 60
      from (
        select i, zone, city, country, topic, kind, mode, status, starts_on, starts_on + (i * 13 % 4) as ends_on,
          kind_title || ' ' || topic || ' (' || city || ')' as title, programmes
        from (
          select i,
            (${textArray(ZONES)})[1 + i % ${ZONES.length}] as zone,
            (${textArray(CITIES)})[1 + i % ${CITIES.length}] as city,
            (${textArray(COUNTRIES)})[1 + i % ${COUNTRIES.length}] as country,
            (${textArray(TOPICS)})[1 + (i * 17) % ${TOPICS.length}] as topic,
            (array['expert_group_meeting', 'workshop', 'ministerial_conference', 'webinar'])[1 + (i * 7) % 4] as kind,
            (${textArray(KIND_TITLES)})[1 + (i * 7) % 4] as kind_title,
            (array['in_person', 'online', 'hybrid'])[1 + (i * 11) % 3] as mode,
            case when i % 33 = 0 then 'draft' when i % 29 = 0 then 'cancelled' else 'published' end as status,
            ($2::date - 3285 + ((i - 1)::bigint * 3650 / $1)::int + i * 7 % 5) as starts_on,
            (select array_agg(id order by id) from programmes) as programmes
          from generate_series(1, $1) i
        ) g
      ) m`,
      [meetings, new Date().toISOString().slice(0, 10)],
    );
    await client.query(`create temp table bench_meetings on commit drop as
      select id, substr(slug, ${SLUG_PREFIX.length + 2})::int as i, status, mode, timezone, starts_on, ends_on, starts_at, ends_at
      from meetings where slug like '${SLUG_PREFIX}-%'`);
    step("meetings");

    // Registrations: skewed sizes scaled to the target; the first five places of every meeting go
    // to 200 regulars, the others to people picked without repeats within the meeting. Each carries
    // its meeting's end, as the trigger (off here) would set it.
    await client.query(
      `create temp table bench_sizes on commit drop as
      with raw as (
        select id, mode, starts_at, ends_at,
          case when status = 'draft' then 0
               when i % 100 = 50 then 1000 + random() * 1000
               when i % 20 = 7 then 200 + random() * 400
               else 10 + 180 * random() ^ 2 end as weight
        from bench_meetings)
      select id, mode, starts_at, ends_at, round(weight * $1 / sum(weight) over ())::int as size from raw`,
      [registrations],
    );
    await client.query(`insert into users (email, name, created_at) select pg_temp.bench_email(person), 'Person ' || person, now() - interval '5 years'
      from generate_series(0, $1 - 1, 10) person`, [people]);
    await client.query(
      `
      insert into registrations (meeting_id, user_id, email, salutation, first_name, last_name, organisation, job_title, country,
        gender, category, attendance_mode, status, manage_token_hash, consent_at, created_at, updated_at, meeting_ends_at)
      select s.id, u.id, p.email, (array['Ms', 'Mr', 'Dr'])[1 + p.person % 3],
        (${textArray(FIRST_NAMES)})[1 + p.person % ${FIRST_NAMES.length}],
        (${textArray(LAST_NAMES)})[1 + (p.person / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}],
        'Ministry ' || p.person % 97, 'Officer',
        (array['TH', 'VN', 'IN', 'JP', 'FJ', 'BD', 'PH', 'ID', 'MN', 'KZ', 'CH', 'US'])[1 + p.person % 12],
        (array['female', 'male', 'female', 'male', 'other', 'undisclosed'])[1 + p.person % 6],
        (array['government', 'government', 'government', 'international_organization', 'expert', 'civil_society', 'private_sector', 'academia', 'media', 'secretariat'])[1 + p.person % 10],
        case s.mode when 'hybrid' then (array['in_person', 'online'])[1 + k % 2] when 'online' then 'online' else 'in_person' end,
        case when k <= 5 then 'confirmed' else (array['confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed',
          'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'confirmed', 'pending', 'waitlisted', 'declined', 'cancelled'])[1 + (k * 7 + s.id) % 20] end,
        uuid_send(gen_random_uuid()), s.starts_at - interval '40 days' + k * interval '1 minute',
        s.starts_at - interval '40 days' + k * interval '1 minute', s.starts_at - interval '40 days' + k * interval '1 minute', s.ends_at
      from bench_sizes s
      cross join lateral generate_series(1, s.size) k
      cross join lateral (
        select person, pg_temp.bench_email(person) as email
        from (select case when k <= 5 then (s.id * 7 + k) % 200 else 200 + ((s.id::bigint * 7919 + k::bigint * 104729) % ($1 - 200))::int end as person) chosen
      ) p
      left join users u on u.email = p.email
      on conflict do nothing`,
      [people],
    );
    // The trigger's work, once: each meeting's counts from its rows; then capacities that hold them.
    await client.query(`
      update meetings m set confirmed_count = c.confirmed, waitlisted_count = c.waitlisted, pending_count = c.pending
      from (select meeting_id, count(*) filter (where status = 'confirmed') as confirmed, count(*) filter (where status = 'waitlisted') as waitlisted,
              count(*) filter (where status = 'pending') as pending
            from registrations where meeting_id in (select id from bench_meetings) group by meeting_id) c
      where m.id = c.meeting_id`);
    await client.query(`update meetings set capacity = confirmed_count + 20
      where id in (select id from bench_meetings where i % 10 = 3) and status = 'published'`);
    step("registrations");

    // Agenda: seven meetings in ten have one, sized by their days, in one to three rooms, from 08:30 local.
    await client.query(
      `create temp table bench_agendas on commit drop as
      with raw as (
        select id, starts_on, ends_on - starts_on + 1 as days, timezone, (ends_on - starts_on + 1) * (0.5 + random()) as weight
        from bench_meetings where status <> 'draft' and i % 10 < 7),
      sized as (select *, greatest(1, round(weight * $1 / sum(weight) over ()))::int as items from raw),
      roomed as (select *, least(3, 1 + items / 25) as rooms from sized)
      select *, ceil(items::numeric / (days * rooms))::int as slots from roomed`,
      [items],
    );
    await client.query(`insert into meeting_rooms (meeting_id, name, position)
      select id, (array['Plenary Hall', 'Room 2', 'Room 3'])[r], r - 1 from bench_agendas, generate_series(1, rooms) r`);
    await client.query(`
      insert into agenda_items (meeting_id, title, kind, description, room_id, starts_local, ends_local, starts_at, ends_at, created_at, updated_at)
      select a.id, 'Session ' || (j + 1) || ': ' || (${textArray(TOPICS)})[1 + (a.id + j) % ${TOPICS.length}], kind,
        'Presentations and discussion; outcome to the rapporteur.', room.id,
        starts_local, starts_local + minutes, starts_local at time zone a.timezone, (starts_local + minutes) at time zone a.timezone,
        a.starts_on - 20, a.starts_on - 10
      from bench_agendas a
      cross join lateral generate_series(0, a.items - 1) j
      cross join lateral (select make_interval(mins => greatest(5, least(90, 540 / a.slots))) as minutes) d
      cross join lateral (
        select (a.starts_on + (j / a.rooms) / a.slots)::timestamp + interval '08:30' + ((j / a.rooms) % a.slots) * minutes as starts_local,
          case when j = 0 then 'opening' when j = a.items - 1 then 'closing' when (j / a.rooms) % a.slots = 3 then 'break'
               else (array['session', 'panel', 'keynote', 'session', 'side_event'])[1 + j % 5] end as kind
      ) t
      join meeting_rooms room on room.meeting_id = a.id and room.position = j % a.rooms`);
    await client.query(`
      insert into agenda_item_people (item_id, position, name, role, affiliation)
      select i.id, p - 1, (${textArray(FIRST_NAMES)})[1 + (i.id + p) % ${FIRST_NAMES.length}] || ' ' || (${textArray(LAST_NAMES)})[1 + (i.id * p) % ${LAST_NAMES.length}],
        (array['chair', 'speaker', 'panellist', 'moderator', 'rapporteur'])[p], 'Ministry ' || (i.id % 97)
      from agenda_items i cross join generate_series(1, 1 + i.id % 3) p
      where i.meeting_id in (select id from bench_agendas) and i.kind <> 'break'`);
    await client.query(`update meetings m set agenda_updated_at = least(now(), m.starts_at - interval '3 days')
      where id in (select id from bench_agendas)`);
    step("agenda");

    // Documents: about ten a meeting, mostly public; a file in English, and French for one in three.
    await client.query(
      `create temp table bench_documents on commit drop as
      with raw as (select id, i, starts_on, random() as weight from bench_meetings where status <> 'draft')
      select *, round(weight * $1 / sum(weight) over ())::int as documents from raw`,
      [documents],
    );
    await client.query(`
      insert into documents (meeting_id, type, title, symbol, distribution, access_level, created_at, updated_at)
      select d.id, (array['provisional_agenda', 'concept_note', 'information_note', 'working_paper', 'background_paper', 'presentation', 'report', 'list_of_participants', 'other'])[1 + k % 9],
        'Bench paper ' || k || ' on ' || (${textArray(TOPICS)})[1 + (d.id + k) % ${TOPICS.length}],
        'BENCH/' || d.i || '/' || k,
        case when k % 10 = 7 then 'limited' when k % 10 = 9 then 'restricted' else 'general' end,
        case when k % 10 = 7 then 'registered' when k % 10 = 9 then 'confirmed' when k % 25 = 0 then 'organisers' else 'public' end,
        d.starts_on - 30, d.starts_on - 20
      from bench_documents d cross join generate_series(1, d.documents) k`);
    const files = await client.query(`
      with content as (select array_agg(content_key order by content_key) as keys, array_agg(size order by content_key) as sizes,
                              array_agg(media_type order by content_key) as types
                       from (select distinct on (content_key) content_key, size, media_type from document_files) f)
      insert into document_files (document_id, language, version, content_key, size, media_type, file_name, created_at)
      select doc.id, language, 1, keys[n], sizes[n], types[n], 'bench-' || doc.id || '-' || language || '.pdf', doc.created_at
      from documents doc
      cross join content
      cross join lateral (select 1 + doc.id % cardinality(keys) as n) pick
      cross join lateral unnest(case when doc.id % 3 = 0 then array['en', 'fr'] else array['en'] end) language
      where doc.meeting_id in (select id from bench_documents) and cardinality(keys) > 0`);
    if (documents > 0 && files.rowCount === 0) throw new Error("the document store has no demo files to point generated documents at");
    step("documents");
    await client.query("commit");
    await client.query("analyze");
    step("analyze");

    const rows: Record<string, number> = {};
    for (const table of ["meetings", "registrations", "users", "agenda_items", "agenda_item_people", "meeting_rooms", "documents", "document_files"]) {
      rows[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
    }
    return { scale, seconds: Math.round((performance.now() - started) / 100) / 10, steps, rows, countsMatch: await countsMatchRows(client) };
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** Every meeting's counts agree with its registrations (what the trigger keeps). */
async function countsMatchRows(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query(`
    select count(*) as wrong from meetings m
    left join (select meeting_id, count(*) filter (where status = 'confirmed') as confirmed, count(*) filter (where status = 'waitlisted') as waitlisted,
                      count(*) filter (where status = 'pending') as pending
               from registrations group by meeting_id) c on c.meeting_id = m.id
    where (m.confirmed_count, m.waitlisted_count, m.pending_count) is distinct from (coalesce(c.confirmed, 0), coalesce(c.waitlisted, 0), coalesce(c.pending, 0))`);
  return Number(rows[0].wrong) === 0;
}

/**
 * The subject of `/feeds/:token/calendar.ics`: a person with an account, confirmed for `meetings`
 * generated meetings with agendas (those nearest today) and for `earlier` ones that ended more
 * than thirteen months ago (a delegate of many years), and a feed token.
 */
export async function createFeedPerson(db: Kysely<Database>, meetings = 20, earlier = 100): Promise<{ token: string; meetings: number; earlier: number }> {
  const email = "bench-feed-person@example.org";
  const user = await db.insertInto("users").values({ email, name: "Bench Feed Person" }).returning("id").executeTakeFirstOrThrow();
  const { rows: current } = await sql<{ id: number }>`
    select id from meetings
    where slug like ${`${SLUG_PREFIX}-%`} and status = 'published' and capacity is null and agenda_updated_at is not null
    order by abs(extract(epoch from starts_at - now())) limit ${meetings}`.execute(db);
  // Years of meetings before the feeds' window (the last twelve months), which the feed leaves out.
  const { rows: past } = await sql<{ id: number }>`
    select id from meetings
    where slug like ${`${SLUG_PREFIX}-%`} and status = 'published' and capacity is null and agenda_updated_at is not null
      and ends_at < now() - interval '13 months' and id <> all(${current.map((row) => row.id)})
    order by starts_at desc limit ${earlier}`.execute(db);
  const rows = [...current, ...past];
  await db
    .insertInto("registrations")
    .values(
      rows.map(({ id }) => ({
        meeting_id: id,
        user_id: user.id,
        email,
        first_name: "Feed",
        last_name: "Person",
        organisation: "Ministry of ICT",
        country: "TH",
        gender: "female" as const,
        category: "government" as const,
        attendance_mode: "in_person" as const,
        status: "confirmed" as const,
        manage_token_hash: randomBytes(32),
        consent_at: new Date(),
      })),
    )
    .execute();
  return { token: await issueFeedToken(db, user.id), meetings: current.length, earlier: past.length };
}

/** A typical meeting to measure its page and API on: upcoming, published, tens of people confirmed, with an agenda. */
export async function typicalMeetingSlug(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom("meetings")
    .select("slug")
    .where("slug", "like", `${SLUG_PREFIX}-%`)
    .where("status", "=", "published")
    .where("confirmed_count", ">=", 20)
    .where("agenda_updated_at", "is not", null)
    .orderBy("starts_at", "desc")
    .executeTakeFirst();
  if (!row) throw new Error("the data set has no published meeting with registrations and an agenda");
  return row.slug;
}
