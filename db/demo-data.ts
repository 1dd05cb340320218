import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { demoInstant, insertDemoAgendas } from "./demo-agenda";
import { insertDemoAttendance } from "./demo-attendance";
import { insertDemoDocuments } from "./demo-documents";
import type { Database, MeetingKind, MeetingMode, MeetingStatus, NewMeeting, RegistrationPolicy } from "./schema";

/**
 * Demo data modelled on public information about the meetings such bodies hold. Dates are relative
 * to the day it is loaded, so the demo never goes stale. Loaded once: a marker row records it.
 * Every meeting gets an agenda (demo-agenda.ts).
 */

const MARKER = "demo_data_loaded_at";

interface DemoProgramme {
  slug: string;
  title: string;
  summary: string;
  parent?: string;
  position?: number;
}

const PROGRAMMES: DemoProgramme[] = [
  {
    slug: "asia-pacific-information-superhighway",
    title: "Asia-Pacific Information Superhighway",
    summary: "A regional initiative for seamless, affordable and resilient broadband connectivity across Asia and the Pacific.",
    position: 1,
  },
  {
    slug: "apis-working-group-1-connectivity-for-all",
    title: "APIS Working Group 1: Connectivity for All",
    summary: "Infrastructure, cross-border fibre, submarine cables and internet exchange points.",
    parent: "asia-pacific-information-superhighway",
    position: 1,
  },
  {
    slug: "apis-working-group-2-e-resilience",
    title: "APIS Working Group 2: e-Resilience",
    summary: "Keeping networks running through disasters, and using them for early warning and response.",
    parent: "asia-pacific-information-superhighway",
    position: 2,
  },
  {
    slug: "ict-pilot-projects-for-rural-areas",
    title: "ICT Pilot Projects for Rural Areas",
    summary: "Community networks, rural broadband and digital skills pilots with member States.",
    position: 2,
  },
  {
    slug: "digital-cooperation-and-government",
    title: "Digital Cooperation and Government",
    summary: "Digital government services, data governance and regional digital cooperation.",
    position: 3,
  },
];

interface DemoMeeting {
  slug: string;
  title: string;
  summary: string;
  description: string;
  kind: MeetingKind;
  mode: MeetingMode;
  status: MeetingStatus;
  timezone: string;
  /** First and last day, in days from the load date. */
  days: [number, number];
  programme: string;
  organisingBody: string;
  partners?: string[];
  venue?: { name: string; address: string; city: string; country: string };
  onlineUrl?: string;
  policy: RegistrationPolicy;
  /** Registration opens and closes, in days from the load date, at 09:00 and 17:00 in the meeting's zone. */
  registration?: [number, number];
  capacity?: number;
}

const UNCC = {
  name: "United Nations Conference Centre",
  address: "Rajadamnern Nok Avenue",
  city: "Bangkok",
  country: "TH",
};

const MEETINGS: DemoMeeting[] = [
  {
    slug: "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction",
    title: "Expert Group Meeting on e-Resilience and Disaster Risk Reduction",
    summary: "Experts review a draft regional framework for resilient digital infrastructure and its use in early warning.",
    description: `The meeting brings together about forty experts from governments, regulators, operators and research institutions.

## Objectives
- Review the draft *Regional Framework for e-Resilience*.
- Share national experience of keeping networks up through cyclones, floods and earthquakes.
- Agree on recommendations for the Working Group's next session.

Participation is by nomination; experts may join in person in Bangkok or online.`,
    kind: "expert_group_meeting",
    mode: "hybrid",
    status: "published",
    timezone: "Asia/Bangkok",
    days: [14, 15],
    programme: "apis-working-group-2-e-resilience",
    organisingBody: "ESCAP",
    partners: ["Asia-Pacific Telecommunity", "ITU Regional Office for Asia and the Pacific"],
    venue: { ...UNCC, name: "United Nations Conference Centre, Meeting Room G" },
    onlineUrl: "https://meet.example.org/j/e-resilience-egm",
    policy: "moderated",
    registration: [-7, 10],
    capacity: 40,
  },
  {
    slug: "regional-workshop-on-rural-connectivity-and-community-networks",
    title: "Regional Workshop on Rural Connectivity and Community Networks",
    summary: "A three-day hands-on workshop for policymakers and practitioners on connecting rural and remote communities.",
    description: `Three days of sessions and field work on **community networks**, spectrum for rural broadband and sustainable business models.

Participants from South and South-West Asia share pilot results and plan national follow-up.

Places are limited to 40; registration is confirmed at once while places remain.`,
    kind: "workshop",
    mode: "in_person",
    status: "published",
    timezone: "Asia/Kolkata",
    days: [21, 23],
    programme: "ict-pilot-projects-for-rural-areas",
    organisingBody: "ESCAP",
    partners: ["Department of Telecommunications, Government of India"],
    venue: { name: "India Habitat Centre", address: "Lodhi Road", city: "New Delhi", country: "IN" },
    policy: "open",
    registration: [-14, 18],
    capacity: 40,
  },
  {
    slug: "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific",
    title: "Ministerial Conference on Digital Cooperation in Asia and the Pacific",
    summary: "Ministers responsible for ICT and digital development consider a regional action plan for digital cooperation.",
    description: `The Conference has a **senior officials' segment** followed by a **ministerial segment**, with side events.

Delegations are nominated by member States and associate members through their focal points. Registration is by invitation.`,
    kind: "ministerial_conference",
    mode: "in_person",
    status: "published",
    timezone: "Asia/Seoul",
    days: [35, 37],
    programme: "digital-cooperation-and-government",
    organisingBody: "ESCAP",
    partners: ["Ministry of Science and ICT, Republic of Korea"],
    venue: { name: "Songdo Convensia", address: "123 Central-ro, Yeonsu-gu", city: "Incheon", country: "KR" },
    policy: "invitation",
    registration: [-20, 28],
  },
  {
    slug: "webinar-digital-government-services-for-all",
    title: "Webinar: Digital Government Services for All",
    summary: "How governments in the region design inclusive online public services: three country cases and a discussion.",
    description: `A 90-minute webinar with a moderator and three panellists, followed by questions from participants.

Open to all; the joining link is sent with your confirmation.`,
    kind: "webinar",
    mode: "online",
    status: "published",
    timezone: "Asia/Tokyo",
    days: [7, 7],
    programme: "digital-cooperation-and-government",
    organisingBody: "APT",
    partners: ["ESCAP"],
    onlineUrl: "https://meet.example.org/j/digital-government-webinar",
    policy: "open",
    registration: [-10, 7],
  },
  {
    slug: "pacific-consultation-on-submarine-cable-resilience",
    title: "Pacific Consultation on Submarine Cable Resilience",
    summary: "Pacific island States, operators and partners discuss redundancy and repair of submarine cables.",
    description: `Many Pacific islands depend on a single submarine cable. This consultation reviews recent outages and options for redundancy, repair ships and satellite back-up.`,
    kind: "workshop",
    mode: "hybrid",
    status: "published",
    timezone: "Pacific/Fiji",
    days: [49, 50],
    programme: "apis-working-group-1-connectivity-for-all",
    organisingBody: "ESCAP",
    partners: ["Pacific Islands Telecommunications Association"],
    venue: { name: "Grand Pacific Hotel", address: "Victoria Parade", city: "Suva", country: "FJ" },
    onlineUrl: "https://meet.example.org/j/pacific-cables",
    policy: "open",
    registration: [-3, 45],
    capacity: 60,
  },
  {
    slug: "wsis-forum-side-event-digital-inclusion-in-asia-and-the-pacific",
    title: "WSIS Forum side event: Digital Inclusion in Asia and the Pacific",
    summary: "A side event at the WSIS Forum in Geneva on regional progress towards universal connectivity.",
    description: "This side event has been cancelled. The discussion will continue at the Working Group's next session.",
    kind: "workshop",
    mode: "in_person",
    status: "cancelled",
    timezone: "Europe/Zurich",
    days: [28, 28],
    programme: "asia-pacific-information-superhighway",
    organisingBody: "ESCAP",
    venue: { name: "International Telecommunication Union, Popov Room", address: "Place des Nations", city: "Geneva", country: "CH" },
    policy: "open",
    registration: [-10, 25],
    capacity: 80,
  },
  {
    slug: "apis-steering-committee-eighth-session",
    title: "Asia-Pacific Information Superhighway Steering Committee, Eighth Session",
    summary: "The Steering Committee reviewed progress of the working groups and adopted its report.",
    description: "The Committee reviewed the work of the two working groups and adopted the report of its eighth session.",
    kind: "expert_group_meeting",
    mode: "hybrid",
    status: "published",
    timezone: "Asia/Bangkok",
    days: [-60, -59],
    programme: "asia-pacific-information-superhighway",
    organisingBody: "ESCAP",
    venue: UNCC,
    onlineUrl: "https://meet.example.org/j/apis-sc8",
    policy: "invitation",
    registration: [-90, -62],
  },
  {
    slug: "regional-training-on-broadband-mapping",
    title: "Regional Training on Broadband Mapping",
    summary: "Government officials learned to map broadband coverage and demand with open data and geospatial tools.",
    description: "A three-day training on building national broadband maps from operator data, surveys and satellite imagery.",
    kind: "workshop",
    mode: "in_person",
    status: "published",
    timezone: "Asia/Dhaka",
    days: [-30, -28],
    programme: "apis-working-group-1-connectivity-for-all",
    organisingBody: "ESCAP",
    partners: ["Bangladesh Telecommunication Regulatory Commission"],
    venue: { name: "Bangabandhu International Conference Center", address: "Agargaon", city: "Dhaka", country: "BD" },
    policy: "moderated",
    registration: [-60, -35],
    capacity: 35,
  },
  {
    slug: "webinar-cybersecurity-for-public-sector-organisations",
    title: "Webinar: Cybersecurity for Public Sector Organisations",
    summary: "Practical steps for ministries and agencies to protect their systems and data.",
    description: "Speakers from national computer emergency response teams shared incident lessons and low-cost protections.",
    kind: "webinar",
    mode: "online",
    status: "published",
    timezone: "Asia/Bangkok",
    days: [-14, -14],
    programme: "digital-cooperation-and-government",
    organisingBody: "ESCAP",
    onlineUrl: "https://meet.example.org/j/cyber-webinar",
    policy: "open",
    registration: [-30, -15],
  },
  {
    slug: "asia-pacific-digital-ministers-roundtable",
    title: "Asia-Pacific Digital Ministers' Roundtable",
    summary: "Draft: a roundtable being planned; not yet public.",
    description: "Being planned.",
    kind: "ministerial_conference",
    mode: "hybrid",
    status: "draft",
    timezone: "Asia/Bangkok",
    days: [90, 90],
    programme: "digital-cooperation-and-government",
    organisingBody: "ESCAP",
    venue: UNCC,
    policy: "invitation",
  },
];

function wallTime(today: DateTime, days: number, time: string, zone: string) {
  const local = `${today.plus({ days }).toISODate()}T${time}`;
  return { local, at: demoInstant(local, zone) };
}

function meetingRow(meeting: DemoMeeting, today: DateTime, programmeId: number | undefined): NewMeeting {
  const zone = meeting.timezone;
  const startsOn = today.plus({ days: meeting.days[0] }).toISODate() ?? "";
  const endsOn = today.plus({ days: meeting.days[1] }).toISODate() ?? "";
  const opens = meeting.registration ? wallTime(today, meeting.registration[0], "09:00", zone) : null;
  const closes = meeting.registration ? wallTime(today, meeting.registration[1], "17:00", zone) : null;
  return {
    slug: meeting.slug,
    title: meeting.title,
    summary: meeting.summary,
    description: meeting.description,
    organising_body: meeting.organisingBody,
    partners: meeting.partners ?? [],
    kind: meeting.kind,
    mode: meeting.mode,
    status: meeting.status,
    timezone: zone,
    starts_on: startsOn,
    ends_on: endsOn,
    starts_at: DateTime.fromISO(startsOn, { zone }).startOf("day").toJSDate(),
    ends_at: DateTime.fromISO(endsOn, { zone }).plus({ days: 1 }).startOf("day").toJSDate(),
    programme_id: programmeId ?? null,
    venue_name: meeting.venue?.name ?? null,
    venue_address: meeting.venue?.address ?? null,
    venue_city: meeting.venue?.city ?? null,
    venue_country: meeting.venue?.country ?? null,
    online_url: meeting.onlineUrl ?? null,
    contact_email: "meetings@example.org",
    registration_policy: meeting.policy,
    registration_opens_local: opens?.local ?? null,
    registration_opens_at: opens?.at ?? null,
    registration_closes_local: closes?.local ?? null,
    registration_closes_at: closes?.at ?? null,
    capacity: meeting.capacity ?? null,
    published_at: meeting.status === "draft" ? null : new Date(),
    cancelled_at: meeting.status === "cancelled" ? new Date() : null,
  };
}

export async function demoDataLoaded(db: Kysely<Database>): Promise<boolean> {
  const marker = await db.selectFrom("app_metadata").select("value").where("key", "=", MARKER).executeTakeFirst();
  return Boolean(marker);
}

/** Loads the demo programmes, meetings, agendas and registrations in one transaction, unless they were loaded before. Returns whether it loaded. */
export async function loadDemoData(db: Kysely<Database>, now: Date = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto("app_metadata")
      .values({ key: MARKER, value: now.toISOString() })
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("key")
      .executeTakeFirst();
    if (!claimed) return false;
    const today = DateTime.fromJSDate(now, { zone: "UTC" }).startOf("day");
    const programmeIds = new Map<string, number>();
    for (const programme of PROGRAMMES) {
      const row = await trx
        .insertInto("programmes")
        .values({
          slug: programme.slug,
          title: programme.title,
          summary: programme.summary,
          parent_id: programme.parent ? (programmeIds.get(programme.parent) ?? null) : null,
          position: programme.position ?? 0,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      programmeIds.set(programme.slug, row.id);
    }
    const meetings = await trx
      .insertInto("meetings")
      .values(MEETINGS.map((meeting) => meetingRow(meeting, today, programmeIds.get(meeting.programme))))
      .returning(["id", "slug", "title", "mode", "timezone", "starts_on"])
      .execute();
    await insertDemoAgendas(trx, meetings, now);
    await insertDemoDocuments(trx, meetings);
    const registrations = demoRegistrations(meetings.map((m) => ({ ...m, created: now })));
    const inserted = await trx.insertInto("registrations").values(registrations).returning(["id", "status", "created_at"]).execute();
    await trx
      .insertInto("registration_status_changes")
      .values(inserted.map((r) => ({ registration_id: r.id, from_status: null, to_status: r.status, created_at: r.created_at })))
      .execute();
    await insertDemoAttendance(trx, meetings);
    return true;
  });
}

/** People from across the region (and Geneva), for the demo meetings' registrations. */
const PEOPLE: [string, string, string, "female" | "male"][] = [
  ["Siriporn", "Chaiyaporn", "TH", "female"], ["Anan", "Wongsakul", "TH", "male"], ["Priya", "Raghavan", "IN", "female"],
  ["Arjun", "Mehta", "IN", "male"], ["Ji-won", "Park", "KR", "female"], ["Min-jun", "Lee", "KR", "male"],
  ["Yuki", "Tanaka", "JP", "female"], ["Hiroshi", "Sato", "JP", "male"], ["Mere", "Tuilagi", "FJ", "female"],
  ["Josaia", "Vakacegu", "FJ", "male"], ["Nusrat", "Jahan", "BD", "female"], ["Tanvir", "Rahman", "BD", "male"],
  ["Dewi", "Lestari", "ID", "female"], ["Budi", "Santoso", "ID", "male"], ["Maria", "Santos", "PH", "female"],
  ["Jose", "Reyes", "PH", "male"], ["Thi Lan", "Nguyen", "VN", "female"], ["Van Minh", "Tran", "VN", "male"],
  ["Nurul", "Aziz", "MY", "female"], ["Sita", "Shrestha", "NP", "female"], ["Ramesh", "Karki", "NP", "male"],
  ["Nadeesha", "Perera", "LK", "female"], ["Ayesha", "Khan", "PK", "female"], ["Bolormaa", "Batbayar", "MN", "female"],
  ["Aigerim", "Nurlanovna", "KZ", "female"], ["Dilshod", "Karimov", "UZ", "male"], ["Wei", "Zhang", "CN", "male"],
  ["Li", "Na", "CN", "female"], ["Kila", "Aopi", "PG", "male"], ["Sina", "Faleolo", "WS", "female"],
  ["Sione", "Taufa", "TO", "male"], ["Sokha", "Chea", "KH", "female"], ["Khamla", "Phommachanh", "LA", "female"],
  ["Aung", "Min Thu", "MM", "male"], ["Karma", "Wangchuk", "BT", "male"], ["Aishath", "Shifa", "MV", "female"],
  ["Farid", "Ahmadi", "AF", "male"], ["Elif", "Yilmaz", "TR", "female"], ["Olivia", "Brown", "AU", "female"],
  ["Tama", "Ngata", "NZ", "male"], ["Claire", "Dubois", "CH", "female"], ["Sergei", "Ivanov", "RU", "male"],
];

const ORGANISATIONS: Record<string, string> = {
  government: "Ministry of Information and Communications Technology",
  international_organization: "International Telecommunication Union",
  expert: "Independent expert",
  civil_society: "Internet Society, national chapter",
  private_sector: "National Broadband Company",
  academia: "Asian Institute of Technology",
  media: "Regional Broadcasting Union",
  secretariat: "ESCAP secretariat",
};

const CATEGORY_CYCLE = ["government", "government", "government", "international_organization", "expert", "civil_society", "private_sector", "academia", "government", "media"] as const;

/** How many registrations of each status the demo gives a meeting (by slug). */
const DEMO_REGISTRATIONS: Record<string, Partial<Record<"confirmed" | "pending" | "waitlisted" | "declined" | "cancelled", number>>> = {
  "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction": { confirmed: 18, pending: 9, declined: 2, cancelled: 1 },
  "regional-workshop-on-rural-connectivity-and-community-networks": { confirmed: 26, cancelled: 2 },
  "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific": { confirmed: 34, cancelled: 2 },
  "webinar-digital-government-services-for-all": { confirmed: 42, cancelled: 3 },
  "pacific-consultation-on-submarine-cable-resilience": { confirmed: 12, waitlisted: 0 },
  "apis-steering-committee-eighth-session": { confirmed: 30, cancelled: 2 },
  "regional-training-on-broadband-mapping": { confirmed: 35, waitlisted: 4, declined: 3 },
  "webinar-cybersecurity-for-public-sector-organisations": { confirmed: 40, cancelled: 5 },
};

function demoRegistrations(meetings: { id: number; slug: string; mode: MeetingMode; created: Date }[]) {
  const rows = [];
  let n = 0;
  for (const meeting of meetings) {
    const plan = DEMO_REGISTRATIONS[meeting.slug] ?? {};
    let person = meeting.id * 7;
    for (const [status, count] of Object.entries(plan)) {
      for (let i = 0; i < (count ?? 0); i++) {
        const [first, last, country, gender] = PEOPLE[person % PEOPLE.length]!;
        const category = CATEGORY_CYCLE[n % CATEGORY_CYCLE.length]!;
        const email = `${first}.${last}.${person}`.toLowerCase().replace(/[^a-z0-9.]/g, "") + "@example.org";
        rows.push({
          meeting_id: meeting.id,
          email,
          salutation: gender === "female" ? "Ms" : "Mr",
          first_name: first,
          last_name: last,
          organisation: ORGANISATIONS[category]!,
          job_title: category === "government" ? "Director, Digital Infrastructure" : "Programme officer",
          country,
          gender: n % 17 === 0 ? ("undisclosed" as const) : gender,
          category,
          attendance_mode: meeting.mode === "online" ? ("online" as const) : meeting.mode === "hybrid" && n % 3 === 0 ? ("online" as const) : ("in_person" as const),
          status: status as "confirmed",
          manage_token_hash: createHash("sha256").update(randomBytes(32)).digest(),
          consent_at: meeting.created,
          created_at: new Date(meeting.created.getTime() - (1000 - n) * 60_000),
        });
        person++;
        n++;
      }
    }
  }
  return rows;
}
