import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import { instantOfWallTime } from "../app/lib/time";
import type { AgendaItemKind, AgendaRole, Database } from "./schema";

/**
 * The demo meetings' agendas, typed as an organiser would: wall-clock times on a day of the
 * meeting, in the meeting's zone. The instants are derived from them, as the agenda form does.
 */

type DemoPerson = [name: string, role: AgendaRole, affiliation: string];

interface DemoPart {
  /** "09:00-10:30", wall clock in the meeting's zone. */
  at: string;
  title: string;
  kind: AgendaItemKind;
  description?: string;
  people?: DemoPerson[];
}

interface DemoItem extends DemoPart {
  /** Day of the meeting, 0 for the first. */
  day: number;
  room?: string;
  /** Talks within a panel: same day and room, within its times. */
  parts?: DemoPart[];
}

interface DemoAgenda {
  rooms: string[];
  items: DemoItem[];
}

const ESCAP = "ESCAP";
const ITU = "ITU";
const APT = "Asia-Pacific Telecommunity";

const brk = (day: number, at: string, room?: string): DemoItem => ({ day, at, title: "Coffee break", kind: "break", room });
const lunch = (day: number, at: string, room?: string): DemoItem => ({ day, at, title: "Lunch", kind: "lunch", room });

const PLENARY = "Plenary Hall";
const SIDE_A = "Room 103";
const SIDE_B = "Room 105";

const MINISTERIAL: DemoAgenda = {
  rooms: [PLENARY, SIDE_A, SIDE_B],
  items: [
    {
      day: 0,
      at: "09:30-10:15",
      title: "Opening of the senior officials' segment",
      kind: "opening",
      room: PLENARY,
      description: "Senior officials' segment (days 1 and 2). Welcome by the host Government and the secretariat.",
      people: [
        ["Hye-jin Kang", "speaker", "Ministry of Science and ICT, Republic of Korea"],
        ["Lan Anh Vu", "speaker", ESCAP],
      ],
    },
    {
      day: 0,
      at: "10:15-10:45",
      title: "Election of officers and adoption of the agenda",
      kind: "session",
      room: PLENARY,
      people: [["Sonam Dorji", "chair", "Ministry of ICT, Bhutan"]],
    },
    brk(0, "10:45-11:15", PLENARY),
    {
      day: 0,
      at: "11:15-12:30",
      title: "Review of the draft Asia-Pacific Action Plan for Digital Cooperation, 2027–2030",
      kind: "session",
      room: PLENARY,
      description: "The secretariat introduces the draft action plan (document **ESCAP/MCDC/2027/1**); delegations comment section by section.",
      people: [
        ["Sonam Dorji", "chair", "Ministry of ICT, Bhutan"],
        ["Rahul Iyer", "speaker", ESCAP],
      ],
    },
    lunch(0, "12:30-14:00", PLENARY),
    {
      day: 0,
      at: "14:00-15:30",
      title: "Panel: Financing meaningful connectivity",
      kind: "panel",
      room: PLENARY,
      description: "How public funds, universal service funds and private investment can close the last-mile gap.",
      people: [
        ["Ana Lima Soares", "moderator", ITU],
        ["Ratu Seru Naivalu", "panellist", "Ministry of Communications, Fiji"],
        ["Farzana Chowdhury", "panellist", "Bangladesh Telecommunication Regulatory Commission"],
        ["Daniel Okoro", "panellist", "Asian Development Bank"],
      ],
      parts: [
        { at: "14:00-14:20", title: "Universal service funds that work", kind: "session", people: [["Farzana Chowdhury", "speaker", "Bangladesh Telecommunication Regulatory Commission"]] },
        { at: "14:20-14:40", title: "Connecting outer islands by satellite", kind: "session", people: [["Ratu Seru Naivalu", "speaker", "Ministry of Communications, Fiji"]] },
        { at: "14:40-15:00", title: "Blended finance for rural broadband", kind: "session", people: [["Daniel Okoro", "speaker", "Asian Development Bank"]] },
        { at: "15:00-15:30", title: "Discussion with the floor", kind: "other", people: [["Ana Lima Soares", "moderator", ITU]] },
      ],
    },
    {
      day: 0,
      at: "14:00-15:30",
      title: "Side event: Women in digital leadership",
      kind: "side_event",
      room: SIDE_A,
      description: "Organised by ITU and ESCAP. Ministers and regulators on mentoring the next generation of women leaders in ICT.",
      people: [
        ["Mai Nakamura", "moderator", ITU],
        ["Tshering Yangzom", "speaker", "GovTech Agency, Bhutan"],
      ],
    },
    brk(0, "15:30-16:00", PLENARY),
    {
      day: 0,
      at: "16:00-17:30",
      title: "Review of the draft action plan (continued)",
      kind: "session",
      room: PLENARY,
      people: [["Sonam Dorji", "chair", "Ministry of ICT, Bhutan"]],
    },
    {
      day: 1,
      at: "09:30-11:00",
      title: "Regional cooperation on artificial intelligence governance",
      kind: "session",
      room: PLENARY,
      description: "Senior officials' segment, continued. Member States present national approaches to AI governance.",
      people: [
        ["Sonam Dorji", "chair", "Ministry of ICT, Bhutan"],
        ["Arief Wibowo", "speaker", "Ministry of Communication and Digital Affairs, Indonesia"],
        ["Kenji Morita", "speaker", "Ministry of Internal Affairs and Communications, Japan"],
      ],
    },
    {
      day: 1,
      at: "09:30-11:00",
      title: "Side event: Submarine cable resilience in the Pacific",
      kind: "side_event",
      room: SIDE_A,
      description: "Organised by the Pacific Islands Telecommunications Association. Repair ships, redundancy and satellite back-up.",
      people: [
        ["Losana Tuilau", "moderator", "Pacific Islands Telecommunications Association"],
        ["Sione Vea", "panellist", "Tonga Cable Limited"],
        ["Grace Ahmed", "panellist", APT],
      ],
    },
    {
      day: 1,
      at: "09:30-11:00",
      title: "Side event: Digital public infrastructure, lessons from India",
      kind: "side_event",
      room: SIDE_B,
      description: "Organised by the Ministry of Electronics and Information Technology, India. Digital identity, payments and data exchange.",
      people: [
        ["Kavita Menon", "speaker", "Ministry of Electronics and Information Technology, India"],
        ["Rahul Iyer", "moderator", ESCAP],
      ],
    },
    brk(1, "11:00-11:30", PLENARY),
    {
      day: 1,
      at: "11:30-12:30",
      title: "Other matters",
      kind: "session",
      room: PLENARY,
      people: [["Sonam Dorji", "chair", "Ministry of ICT, Bhutan"]],
    },
    lunch(1, "12:30-14:00", PLENARY),
    {
      day: 1,
      at: "14:00-17:00",
      title: "Adoption of the report of the senior officials' segment",
      kind: "session",
      room: PLENARY,
      people: [
        ["Sonam Dorji", "chair", "Ministry of ICT, Bhutan"],
        ["Nilufar Yusupova", "rapporteur", "Ministry of Digital Technologies, Uzbekistan"],
      ],
    },
    {
      day: 2,
      at: "09:30-10:30",
      title: "Opening of the ministerial segment",
      kind: "opening",
      room: PLENARY,
      description: "Ministerial segment (day 3). Statements by the host Minister and the heads of ESCAP and ITU.",
      people: [
        ["Jae-won Choi", "speaker", "Minister of Science and ICT, Republic of Korea"],
        ["Lan Anh Vu", "speaker", ESCAP],
        ["Ana Lima Soares", "speaker", ITU],
      ],
    },
    {
      day: 2,
      at: "10:30-12:30",
      title: "Policy statements by ministers and heads of delegation",
      kind: "session",
      room: PLENARY,
      description: "Statements are limited to five minutes. The list of speakers is kept by the secretariat.",
      people: [["Jae-won Choi", "chair", "Minister of Science and ICT, Republic of Korea"]],
    },
    lunch(2, "12:30-14:00", PLENARY),
    {
      day: 2,
      at: "14:00-15:30",
      title: "Ministerial round table: Digital cooperation for sustainable development",
      kind: "panel",
      room: PLENARY,
      people: [
        ["Mai Nakamura", "moderator", ITU],
        ["Isileli Fifita", "panellist", "Minister for Meteorology, Energy, Information, Disaster Management, Environment, Climate Change and Communications, Tonga"],
        ["Dinara Abenova", "panellist", "Minister of Digital Development, Kazakhstan"],
        ["Prakash Adhikari", "panellist", "Minister of Communication and Information Technology, Nepal"],
      ],
    },
    {
      day: 2,
      at: "14:00-15:30",
      title: "Side event: Youth and digital skills",
      kind: "side_event",
      room: SIDE_A,
      people: [
        ["Anh Tuan Pham", "moderator", "Asian Institute of Technology"],
        ["Maryam Rashid", "speaker", "Ministry of Homeland Security and Technology, Maldives"],
      ],
    },
    brk(2, "15:30-16:00", PLENARY),
    {
      day: 2,
      at: "16:00-17:00",
      title: "Adoption of the Ministerial Declaration on Digital Cooperation in Asia and the Pacific",
      kind: "session",
      room: PLENARY,
      people: [
        ["Jae-won Choi", "chair", "Minister of Science and ICT, Republic of Korea"],
        ["Nilufar Yusupova", "rapporteur", "Ministry of Digital Technologies, Uzbekistan"],
      ],
    },
    { day: 2, at: "17:00-17:30", title: "Closing of the Conference", kind: "closing", room: PLENARY, people: [["Lan Anh Vu", "speaker", ESCAP]] },
  ],
};

const ROOM_G = "Meeting Room G";

const EXPERT_GROUP: DemoAgenda = {
  rooms: [ROOM_G],
  items: [
    {
      day: 0,
      at: "09:00-09:30",
      title: "Opening and objectives of the meeting",
      kind: "opening",
      room: ROOM_G,
      people: [
        ["Rahul Iyer", "speaker", ESCAP],
        ["Grace Ahmed", "speaker", APT],
      ],
    },
    {
      day: 0,
      at: "09:30-10:30",
      title: "Session 1: Networks through disasters, lessons from recent events",
      kind: "session",
      room: ROOM_G,
      description: "Cyclones in the Bay of Bengal, floods in Pakistan and the 2025 earthquake in Myanmar: what kept networks up, and what did not.",
      people: [
        ["Tshering Yangzom", "chair", "GovTech Agency, Bhutan"],
        ["Miguel Santos", "speaker", "Department of Information and Communications Technology, Philippines"],
        ["Ayesha Siddiqui", "speaker", "Pakistan Telecommunication Authority"],
      ],
    },
    brk(0, "10:30-10:45", ROOM_G),
    {
      day: 0,
      at: "10:45-12:30",
      title: "Session 2: The draft Regional Framework for e-Resilience",
      kind: "panel",
      room: ROOM_G,
      description: "The consultants present the draft framework chapter by chapter; experts comment.",
      people: [
        ["Tshering Yangzom", "chair", "GovTech Agency, Bhutan"],
        ["Kenji Morita", "panellist", "Ministry of Internal Affairs and Communications, Japan"],
        ["Sione Vea", "panellist", "Tonga Cable Limited"],
      ],
      parts: [
        { at: "10:45-11:15", title: "Chapter 1: Resilient infrastructure", kind: "session", people: [["Kenji Morita", "speaker", "Ministry of Internal Affairs and Communications, Japan"]] },
        { at: "11:15-11:45", title: "Chapter 2: Early warning and emergency communications", kind: "session", people: [["Ana Lima Soares", "speaker", ITU]] },
        { at: "11:45-12:30", title: "Comments from experts", kind: "other" },
      ],
    },
    lunch(0, "12:30-13:30", ROOM_G),
    {
      day: 0,
      at: "13:30-15:00",
      title: "Session 3: Early warning over mobile networks",
      kind: "session",
      room: ROOM_G,
      description: "Cell broadcast and location-based SMS: coverage, languages and reaching people without phones.",
      people: [
        ["Ana Lima Soares", "chair", ITU],
        ["Dewi Kusuma", "speaker", "Indonesian Agency for Meteorology, Climatology and Geophysics"],
      ],
    },
    brk(0, "15:00-15:15", ROOM_G),
    { day: 0, at: "15:15-17:00", title: "Session 4: Group discussion on priorities", kind: "session", room: ROOM_G, people: [["Rahul Iyer", "moderator", ESCAP]] },
    {
      day: 1,
      at: "09:00-10:30",
      title: "Session 5: Financing resilient digital infrastructure",
      kind: "session",
      room: ROOM_G,
      people: [
        ["Daniel Okoro", "speaker", "Asian Development Bank"],
        ["Grace Ahmed", "chair", APT],
      ],
    },
    brk(1, "10:30-10:45", ROOM_G),
    { day: 1, at: "10:45-12:30", title: "Session 6: Recommendations for the Working Group", kind: "session", room: ROOM_G, people: [["Tshering Yangzom", "chair", "GovTech Agency, Bhutan"]] },
    lunch(1, "12:30-13:30", ROOM_G),
    {
      day: 1,
      at: "13:30-15:00",
      title: "Adoption of the recommendations",
      kind: "session",
      room: ROOM_G,
      people: [
        ["Tshering Yangzom", "chair", "GovTech Agency, Bhutan"],
        ["Miguel Santos", "rapporteur", "Department of Information and Communications Technology, Philippines"],
      ],
    },
    { day: 1, at: "15:00-15:30", title: "Closing", kind: "closing", room: ROOM_G, people: [["Rahul Iyer", "speaker", ESCAP]] },
  ],
};

const HALL = "Magnolia Hall";
const BREAKOUT = "Silver Oak Room";

/** A workshop day's rhythm: coffee at 11:00 and 15:30, lunch at 13:00. */
const workshopBreaks = (day: number): DemoItem[] => [brk(day, "11:00-11:30", HALL), lunch(day, "13:00-14:00", HALL), brk(day, "15:30-16:00", HALL)];

const WORKSHOP: DemoAgenda = {
  rooms: [HALL, BREAKOUT],
  items: [
    {
      day: 0,
      at: "09:30-11:00",
      title: "Opening and introduction of participants",
      kind: "opening",
      room: HALL,
      people: [
        ["Kavita Menon", "speaker", "Department of Telecommunications, Government of India"],
        ["Rahul Iyer", "speaker", ESCAP],
      ],
    },
    {
      day: 0,
      at: "11:30-13:00",
      title: "Community networks: what they are and who runs them",
      kind: "session",
      room: HALL,
      people: [["Sita Gurung", "speaker", "Internet Society, Nepal Chapter"]],
    },
    {
      day: 0,
      at: "14:00-15:30",
      title: "Spectrum for rural broadband",
      kind: "session",
      room: HALL,
      description: "Licence-exempt bands, TV white space and shared access licences.",
      people: [["Farzana Chowdhury", "speaker", "Bangladesh Telecommunication Regulatory Commission"]],
    },
    { day: 0, at: "16:00-17:30", title: "Country presentations: South Asia", kind: "session", room: HALL, people: [["Rahul Iyer", "moderator", ESCAP]] },
    ...workshopBreaks(0),
    {
      day: 1,
      at: "09:30-11:00",
      title: "Sustainable business models for community networks",
      kind: "panel",
      room: HALL,
      people: [
        ["Sita Gurung", "moderator", "Internet Society, Nepal Chapter"],
        ["Abdul Karimi", "panellist", "Ministry of Communications and IT, Afghanistan"],
        ["Tshering Yangzom", "panellist", "GovTech Agency, Bhutan"],
      ],
    },
    { day: 1, at: "11:30-13:00", title: "Group work: planning a pilot (group A)", kind: "session", room: HALL, people: [["Sita Gurung", "moderator", "Internet Society, Nepal Chapter"]] },
    { day: 1, at: "11:30-13:00", title: "Group work: planning a pilot (group B)", kind: "session", room: BREAKOUT, people: [["Rahul Iyer", "moderator", ESCAP]] },
    { day: 1, at: "14:00-15:30", title: "Country presentations: South-West Asia", kind: "session", room: HALL },
    { day: 1, at: "16:00-17:30", title: "Groups report back", kind: "session", room: HALL, people: [["Aigul Sadykova", "rapporteur", "Ministry of Digital Development, Kyrgyzstan"]] },
    ...workshopBreaks(1),
    {
      day: 2,
      at: "08:30-13:00",
      title: "Field visit to a village community network",
      kind: "other",
      description: "Buses leave the India Habitat Centre at 08:30 for a community network in Haryana; back by 13:00.",
    },
    lunch(2, "13:00-14:00", HALL),
    { day: 2, at: "14:00-15:30", title: "National follow-up plans", kind: "session", room: HALL, people: [["Kavita Menon", "chair", "Department of Telecommunications, Government of India"]] },
    brk(2, "15:30-16:00", HALL),
    { day: 2, at: "16:00-16:30", title: "Evaluation and closing", kind: "closing", room: HALL, people: [["Rahul Iyer", "speaker", ESCAP]] },
  ],
};

const WEBINAR: DemoAgenda = {
  rooms: [],
  items: [
    { day: 0, at: "14:00-14:10", title: "Welcome", kind: "opening", people: [["Grace Ahmed", "speaker", APT]] },
    {
      day: 0,
      at: "14:10-15:05",
      title: "Panel: Designing online public services for everyone",
      kind: "panel",
      description: "Three country cases, then a conversation between the panellists.",
      people: [
        ["Mai Nakamura", "moderator", ITU],
        ["Tshering Yangzom", "panellist", "GovTech Agency, Bhutan"],
        ["Arief Wibowo", "panellist", "Ministry of Communication and Digital Affairs, Indonesia"],
        ["Mere Ravuvu", "panellist", "Digital Fiji, Ministry of Trade, Co-operatives, Small and Medium Enterprises and Communications"],
      ],
      parts: [
        { at: "14:10-14:25", title: "Bhutan: one portal for every citizen service", kind: "session", people: [["Tshering Yangzom", "speaker", "GovTech Agency, Bhutan"]] },
        { at: "14:25-14:40", title: "Indonesia: services in regional languages", kind: "session", people: [["Arief Wibowo", "speaker", "Ministry of Communication and Digital Affairs, Indonesia"]] },
        { at: "14:40-14:55", title: "Fiji: digital services on low bandwidth", kind: "session", people: [["Mere Ravuvu", "speaker", "Digital Fiji"]] },
        { at: "14:55-15:05", title: "Conversation between the panellists", kind: "other", people: [["Mai Nakamura", "moderator", ITU]] },
      ],
    },
    { day: 0, at: "15:05-15:25", title: "Questions from participants", kind: "session", people: [["Mai Nakamura", "moderator", ITU]] },
    { day: 0, at: "15:25-15:30", title: "Closing remarks", kind: "closing", people: [["Lan Anh Vu", "speaker", ESCAP]] },
  ],
};

const BALLROOM = "Ballroom";

const PACIFIC_CABLES: DemoAgenda = {
  rooms: [BALLROOM],
  items: [
    { day: 0, at: "09:00-09:30", title: "Opening", kind: "opening", room: BALLROOM, people: [["Ratu Seru Naivalu", "speaker", "Ministry of Communications, Fiji"]] },
    {
      day: 0,
      at: "09:30-12:00",
      title: "Recent cable outages and how islands coped",
      kind: "session",
      room: BALLROOM,
      people: [
        ["Losana Tuilau", "chair", "Pacific Islands Telecommunications Association"],
        ["Sione Vea", "speaker", "Tonga Cable Limited"],
      ],
    },
    lunch(0, "12:00-13:00", BALLROOM),
    { day: 0, at: "13:00-16:00", title: "Redundancy options: second cables and satellite back-up", kind: "session", room: BALLROOM, people: [["Grace Ahmed", "speaker", APT]] },
    { day: 1, at: "09:00-11:30", title: "Repair ships and regional maintenance agreements", kind: "session", room: BALLROOM, people: [["Losana Tuilau", "chair", "Pacific Islands Telecommunications Association"]] },
    { day: 1, at: "11:30-12:30", title: "Conclusions and closing", kind: "closing", room: BALLROOM, people: [["Rahul Iyer", "rapporteur", ESCAP]] },
  ],
};

const POPOV = "Popov Room";

const WSIS_SIDE_EVENT: DemoAgenda = {
  rooms: [POPOV],
  items: [
    {
      day: 0,
      at: "13:15-14:45",
      title: "Digital inclusion in Asia and the Pacific: progress towards universal connectivity",
      kind: "side_event",
      room: POPOV,
      people: [
        ["Lan Anh Vu", "moderator", ESCAP],
        ["Claire Dubois", "panellist", ITU],
        ["Kenji Morita", "panellist", "Ministry of Internal Affairs and Communications, Japan"],
      ],
    },
  ],
};

const CONFERENCE_ROOM_3 = "Conference Room 3";

const STEERING_COMMITTEE: DemoAgenda = {
  rooms: [CONFERENCE_ROOM_3],
  items: [
    { day: 0, at: "09:30-10:30", title: "Opening; election of officers; adoption of the agenda", kind: "opening", room: CONFERENCE_ROOM_3, people: [["Lan Anh Vu", "speaker", ESCAP]] },
    brk(0, "10:30-11:00", CONFERENCE_ROOM_3),
    { day: 0, at: "11:00-12:30", title: "Progress of Working Group 1: Connectivity for All", kind: "session", room: CONFERENCE_ROOM_3, people: [["Kenji Morita", "chair", "Ministry of Internal Affairs and Communications, Japan"]] },
    lunch(0, "12:30-14:00", CONFERENCE_ROOM_3),
    { day: 0, at: "14:00-17:00", title: "Progress of Working Group 2: e-Resilience", kind: "session", room: CONFERENCE_ROOM_3, people: [["Tshering Yangzom", "chair", "GovTech Agency, Bhutan"]] },
    {
      day: 1,
      at: "09:30-12:00",
      title: "Adoption of the report of the eighth session",
      kind: "session",
      room: CONFERENCE_ROOM_3,
      people: [
        ["Kenji Morita", "chair", "Ministry of Internal Affairs and Communications, Japan"],
        ["Miguel Santos", "rapporteur", "Department of Information and Communications Technology, Philippines"],
      ],
    },
    { day: 1, at: "12:00-12:30", title: "Closing", kind: "closing", room: CONFERENCE_ROOM_3 },
  ],
};

const TRAINING_LAB = "Training Lab 2";

const trainingDay = (day: number, morning: string, afternoon: string): DemoItem[] => [
  { day, at: "09:00-11:00", title: morning, kind: "session", room: TRAINING_LAB, people: [["Farzana Chowdhury", "speaker", "Bangladesh Telecommunication Regulatory Commission"]] },
  brk(day, "11:00-11:15", TRAINING_LAB),
  { day, at: "11:15-13:00", title: `${morning}: exercises`, kind: "session", room: TRAINING_LAB },
  lunch(day, "13:00-14:00", TRAINING_LAB),
  { day, at: "14:00-16:30", title: afternoon, kind: "session", room: TRAINING_LAB, people: [["Anh Tuan Pham", "speaker", "Asian Institute of Technology"]] },
];

const BROADBAND_TRAINING: DemoAgenda = {
  rooms: [TRAINING_LAB],
  items: [
    ...trainingDay(0, "Module 1: Why map broadband", "Module 2: Collecting operator coverage data"),
    ...trainingDay(1, "Module 3: Open geospatial tools", "Module 4: Measuring demand with surveys"),
    ...trainingDay(2, "Module 5: Satellite imagery for unserved areas", "Module 6: Publishing a national broadband map"),
  ],
};

const CYBER_WEBINAR: DemoAgenda = {
  rooms: [],
  items: [
    {
      day: 0,
      at: "15:00-16:30",
      title: "Cybersecurity for public sector organisations",
      kind: "panel",
      people: [
        ["Ana Lima Soares", "moderator", ITU],
        ["Somchai Rattanakul", "panellist", "ThaiCERT, Electronic Transactions Development Agency, Thailand"],
        ["Aroha Walker", "panellist", "CERT NZ"],
        ["Ayesha Siddiqui", "panellist", "Pakistan Telecommunication Authority"],
      ],
    },
  ],
};

const ROUNDTABLE: DemoAgenda = {
  rooms: [CONFERENCE_ROOM_3],
  items: [
    { day: 0, at: "10:00-12:30", title: "Roundtable of ministers", kind: "session", room: CONFERENCE_ROOM_3, people: [["Lan Anh Vu", "chair", ESCAP]] },
    lunch(0, "12:30-14:00", CONFERENCE_ROOM_3),
  ],
};

/** Each demo meeting's agenda, by slug. */
const DEMO_AGENDAS: Record<string, DemoAgenda> = {
  "ministerial-conference-on-digital-cooperation-in-asia-and-the-pacific": MINISTERIAL,
  "expert-group-meeting-on-e-resilience-and-disaster-risk-reduction": EXPERT_GROUP,
  "regional-workshop-on-rural-connectivity-and-community-networks": WORKSHOP,
  "webinar-digital-government-services-for-all": WEBINAR,
  "pacific-consultation-on-submarine-cable-resilience": PACIFIC_CABLES,
  "wsis-forum-side-event-digital-inclusion-in-asia-and-the-pacific": WSIS_SIDE_EVENT,
  "apis-steering-committee-eighth-session": STEERING_COMMITTEE,
  "regional-training-on-broadband-mapping": BROADBAND_TRAINING,
  "webinar-cybersecurity-for-public-sector-organisations": CYBER_WEBINAR,
  "asia-pacific-digital-ministers-roundtable": ROUNDTABLE,
};

/** The instant a demo wall time (`YYYY-MM-DDTHH:mm`) names in the zone; demo times exist exactly once. */
export function demoInstant(local: string, zone: string): Date {
  const answer = instantOfWallTime(local, zone);
  if (!answer.ok) throw new Error(`Demo time ${local} in ${zone}: ${answer.message}`);
  return answer.at;
}

interface AgendaMeeting {
  id: number;
  slug: string;
  timezone: string;
  starts_on: string;
}

/** The item's columns on a day of the meeting: wall times as typed, instants derived in the meeting's zone. */
function itemRow(meeting: AgendaMeeting, item: DemoPart, day: number, roomId: number | null, parentId: number | null) {
  const date = DateTime.fromISO(meeting.starts_on, { zone: "UTC" }).plus({ days: day }).toISODate();
  const [start, end] = item.at.split("-");
  const startsLocal = `${date}T${start}`;
  const endsLocal = `${date}T${end}`;
  return {
    meeting_id: meeting.id,
    parent_id: parentId,
    title: item.title,
    kind: item.kind,
    description: item.description ?? null,
    room_id: roomId,
    starts_local: startsLocal,
    ends_local: endsLocal,
    starts_at: demoInstant(startsLocal, meeting.timezone),
    ends_at: demoInstant(endsLocal, meeting.timezone),
  };
}

async function insertItem(db: Kysely<Database>, row: ReturnType<typeof itemRow>, people: DemoPerson[] = []): Promise<number> {
  const { id } = await db.insertInto("agenda_items").values(row).returning("id").executeTakeFirstOrThrow();
  if (people.length > 0) {
    await db
      .insertInto("agenda_item_people")
      .values(people.map(([name, role, affiliation], position) => ({ item_id: id, position, name, role, affiliation })))
      .execute();
  }
  return id;
}

async function insertAgenda(db: Kysely<Database>, meeting: AgendaMeeting, agenda: DemoAgenda): Promise<void> {
  const rooms = agenda.rooms.length
    ? await db
        .insertInto("meeting_rooms")
        .values(agenda.rooms.map((name, position) => ({ meeting_id: meeting.id, name, position })))
        .returning(["id", "name"])
        .execute()
    : [];
  const roomId = (name?: string) => {
    if (name === undefined) return null;
    const room = rooms.find((r) => r.name === name);
    if (!room) throw new Error(`No room "${name}" in the demo agenda of ${meeting.slug}`);
    return room.id;
  };
  for (const item of agenda.items) {
    const parentId = await insertItem(db, itemRow(meeting, item, item.day, roomId(item.room), null), item.people);
    for (const part of item.parts ?? []) {
      await insertItem(db, itemRow(meeting, part, item.day, roomId(item.room), parentId), part.people);
    }
  }
}

/** Gives each demo meeting its agenda and records the agenda as updated at `now`. */
export async function insertDemoAgendas(db: Kysely<Database>, meetings: AgendaMeeting[], now: Date): Promise<void> {
  for (const meeting of meetings) {
    const agenda = DEMO_AGENDAS[meeting.slug];
    if (!agenda) throw new Error(`No demo agenda for ${meeting.slug}`);
    await insertAgenda(db, meeting, agenda);
  }
  if (meetings.length === 0) return;
  await db
    .updateTable("meetings")
    .set({ agenda_updated_at: now })
    .where(
      "id",
      "in",
      meetings.map((meeting) => meeting.id),
    )
    .execute();
}
