import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from "kysely";

/** The one place that describes the database's tables to Kysely. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column: read and written as `YYYY-MM-DD` (see the type parser in connection.ts). */
type Day = ColumnType<string, string, string>;
/** A `timestamp without time zone` column holding a wall-clock time: `YYYY-MM-DDTHH:mm`. */
type WallTime = ColumnType<string, string, string>;

export const MEETING_KINDS = ["expert_group_meeting", "workshop", "ministerial_conference", "webinar"] as const;
export const MEETING_MODES = ["in_person", "online", "hybrid"] as const;
export const MEETING_STATUSES = ["draft", "published", "cancelled"] as const;
export const REGISTRATION_POLICIES = ["open", "moderated", "invitation"] as const;
export const USER_ROLES = ["participant", "administrator"] as const;
/** A person's part in one meeting: managing it, or only checking people in at its desk. */
export const MEETING_ROLES = ["manager", "check_in"] as const;
export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export const REGISTRATION_STATUSES = ["pending", "confirmed", "waitlisted", "declined", "cancelled"] as const;
export const PARTICIPANT_CATEGORIES = [
  "government",
  "international_organization",
  "expert",
  "civil_society",
  "private_sector",
  "academia",
  "media",
  "secretariat",
] as const;
export const GENDERS = ["female", "male", "other", "undisclosed"] as const;
export const ATTENDANCE_MODES = ["in_person", "online"] as const;
export const QUESTION_KINDS = ["short_text", "long_text", "single_choice", "multiple_choice", "yes_no"] as const;
export const INVITATION_KINDS = ["email", "code"] as const;
export const AGENDA_ITEM_KINDS = ["opening", "session", "panel", "keynote", "break", "lunch", "side_event", "closing", "other"] as const;
export const FEED_SCOPES = ["registrations", "starred"] as const;
export const AGENDA_ROLES = ["chair", "moderator", "speaker", "panellist", "rapporteur"] as const;
export const DOCUMENT_TYPES = [
  "provisional_agenda",
  "concept_note",
  "information_note",
  "working_paper",
  "background_paper",
  "presentation",
  "report",
  "list_of_participants",
  "other",
] as const;
export const DOCUMENT_DISTRIBUTIONS = ["general", "limited", "restricted"] as const;
/** Who may read a document: anyone; anyone with a pending, waitlisted or confirmed registration; confirmed participants; organisers. */
export const ACCESS_LEVELS = ["public", "registered", "confirmed", "organisers"] as const;
/** How a check-in was made: found at the desk, a badge scanned, registered on the spot, the participant's own link. */
export const CHECK_IN_METHODS = ["desk", "badge", "walk_in", "self"] as const;
export const WEBINAR_PLATFORMS = ["zoom", "teams", "webex"] as const;
export const ATTENDANCE_REMINDER_KINDS = ["day_before", "morning"] as const;

export type MeetingKind = (typeof MEETING_KINDS)[number];
export type MeetingMode = (typeof MEETING_MODES)[number];
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
/** The meetings the public may see: drafts never. */
export const PUBLIC_MEETING_STATUSES: readonly MeetingStatus[] = ["published", "cancelled"];
export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];
export type UserRole = (typeof USER_ROLES)[number];
export type MeetingRole = (typeof MEETING_ROLES)[number];
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export type ParticipantCategory = (typeof PARTICIPANT_CATEGORIES)[number];
export type Gender = (typeof GENDERS)[number];
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number];
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export type InvitationKind = (typeof INVITATION_KINDS)[number];
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];
export type FeedScope = (typeof FEED_SCOPES)[number];
export type AgendaRole = (typeof AGENDA_ROLES)[number];
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export type DocumentDistribution = (typeof DOCUMENT_DISTRIBUTIONS)[number];
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type CheckInMethod = (typeof CHECK_IN_METHODS)[number];
export type WebinarPlatform = (typeof WEBINAR_PLATFORMS)[number];
export type AttendanceReminderKind = (typeof ATTENDANCE_REMINDER_KINDS)[number];
/** A registrant's answers to the meeting's own questions, by question id. */
export type Answers = Record<string, string | string[]>;

export interface ProgrammeTable {
  id: Generated<number>;
  slug: string;
  title: string;
  summary: string | null;
  parent_id: number | null;
  position: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MeetingTable {
  id: Generated<number>;
  slug: string;
  title: string;
  summary: string | null;
  description: string | null;
  organising_body: string;
  partners: ColumnType<string[], string[] | undefined, string[]>;
  kind: MeetingKind;
  mode: MeetingMode;
  status: ColumnType<MeetingStatus, MeetingStatus | undefined, MeetingStatus>;
  timezone: string;
  starts_on: Day;
  ends_on: Day;
  /** Start of the first day and end of the last day in the meeting's zone, for ordering and "upcoming". */
  starts_at: Timestamp;
  ends_at: Timestamp;
  programme_id: number | null;
  venue_name: string | null;
  venue_address: string | null;
  venue_city: string | null;
  venue_country: string | null;
  online_url: string | null;
  contact_email: string | null;
  registration_policy: RegistrationPolicy;
  registration_opens_local: WallTime | null;
  registration_opens_at: Timestamp | null;
  registration_closes_local: WallTime | null;
  registration_closes_at: Timestamp | null;
  capacity: number | null;
  /** Kept by a trigger on registrations; a check holds confirmed_count within capacity. */
  confirmed_count: ColumnType<number, never, never>;
  waitlisted_count: ColumnType<number, never, never>;
  pending_count: ColumnType<number, never, never>;
  visa_letter_template: ColumnType<string | null, string | null | undefined, string | null>;
  /** When and by whom the agenda last changed: the public agenda says "Last updated …". */
  agenda_updated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  agenda_updated_by: ColumnType<number | null, number | null | undefined, number | null>;
  /** iCalendar SEQUENCE: a trigger bumps it when the title, days, zone, status, mode or venue change. */
  calendar_sequence: ColumnType<number, never, never>;
  /** Kept by triggers: changes with every change the public agenda page shows (pages are cached by it). bigint, read as text. */
  page_version: ColumnType<string, never, never>;
  /** Online, someone attended an item (or day) when present for at least this share of it. */
  online_attendance_percent: ColumnType<number, number | undefined, number>;
  /** The public page shows attendance figures once the meeting is over. */
  shows_participation: ColumnType<boolean, boolean | undefined, boolean>;
  /** Online participants' reminders carry a self check-in link, and the link records attendance. */
  self_check_in: ColumnType<boolean, boolean | undefined, boolean>;
  published_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  name: string | null;
  role: ColumnType<UserRole, UserRole | undefined, UserRole>;
  timezone: ColumnType<string | null, string | null | undefined, string | null>;
  /** The private calendar feed's secret, hashed; null until the person asks for a feed. */
  feed_token_hash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /** With the server's key, derives the feed's secret, so /my can show the address again. */
  feed_salt: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  feed_scope: ColumnType<FeedScope, FeedScope | undefined, FeedScope>;
  created_at: CreatedAt;
  last_sign_in_at: Timestamp | null;
}

export interface MeetingRoleTable {
  meeting_id: number;
  user_id: number;
  role: MeetingRole;
  granted_by: number | null;
  granted_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface LoginTokenTable {
  id: Generated<number>;
  token_hash: Buffer;
  email: string;
  redirect_to: string | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionTable {
  id_hash: Buffer;
  user_id: number;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface OutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  html: string;
  text: string;
  template: string;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: Timestamp | null;
  /** Files sent with the message (a meeting's .ics), content in base64. */
  attachments: ColumnType<EmailAttachment[], string | undefined, string>;
  /** The meeting the message is about, whose organisers see it if it cannot be delivered; null for mail about no one meeting. */
  meeting_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

export interface FollowTable {
  id: Generated<number>;
  email: string;
  /** Null: all meetings. */
  programme_id: number | null;
  /** With the server's key, derives the secret in the follow's links (only its hash is stored). */
  salt: Buffer;
  token_hash: Buffer;
  confirmed_at: Timestamp | null;
  /** When it was last asked for and emailed: asking again sends at most one email every few minutes. */
  emailed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
}

export interface AppMetadataTable {
  key: string;
  value: string;
  updated_at: UpdatedAt;
}

export interface InvitationTable {
  id: Generated<number>;
  meeting_id: number;
  kind: InvitationKind;
  email: string | null;
  token_hash: Buffer | null;
  code: string | null;
  label: string | null;
  max_uses: number;
  uses: ColumnType<number, number | undefined, number>;
  revoked_at: Timestamp | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface RegistrationQuestionTable {
  id: Generated<number>;
  meeting_id: number;
  position: number;
  label: string;
  kind: QuestionKind;
  required: boolean;
  options: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
}

export interface RegistrationTable {
  id: Generated<number>;
  meeting_id: number;
  user_id: number | null;
  email: string;
  salutation: string | null;
  first_name: string;
  last_name: string;
  organisation: string;
  job_title: string | null;
  country: string;
  gender: Gender;
  category: ParticipantCategory;
  attendance_mode: AttendanceMode;
  needs: string | null;
  timezone: string | null;
  answers: ColumnType<Answers, string | undefined, string>;
  status: RegistrationStatus;
  manage_token_hash: Buffer;
  invitation_id: number | null;
  consent_at: Timestamp;
  /** With the server's key, derives the badge's check-in reference and the self check-in link; a new salt retires both. */
  checkin_salt: ColumnType<Buffer, Buffer | undefined, Buffer>;
  /** Set when the person was erased (account deleted, or the meeting's personal data purged): only what reports count is left. */
  anonymised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The meeting's ends_at, kept by the database (migration 0018): a person's registrations in the feeds' window, along one index. */
  meeting_ends_at: ColumnType<Date, never, never>;
  /** The names both ways round, email and organisation, case-folded, kept by the database (migration 0019): what the organisers' search matches. */
  search_text: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RegistrationStatusChangeTable {
  id: Generated<number>;
  registration_id: number;
  from_status: RegistrationStatus | null;
  to_status: RegistrationStatus;
  changed_by: number | null;
  note: string | null;
  created_at: CreatedAt;
}

export interface RegistrationFollowUpTable {
  registration_id: number;
  arrival_date: Day | null;
  arrival_time: string | null;
  arrival_flight: string | null;
  departure_date: Day | null;
  departure_time: string | null;
  departure_flight: string | null;
  hotel: string | null;
  needs_visa_letter: boolean;
  passport_name: string | null;
  passport_nationality: string | null;
  travel_funding_requested: boolean;
  travel_funding_decision: "granted" | "not_granted" | null;
  travel_funding_decided_by: number | null;
  travel_funding_decided_at: Timestamp | null;
  updated_at: UpdatedAt;
}

export interface MailingTable {
  id: Generated<number>;
  meeting_id: number;
  subject: string;
  body: string;
  audience: ColumnType<Record<string, string>, string, string>;
  recipient_count: number;
  sent_by: number | null;
  created_at: CreatedAt;
}

export interface MailingRecipientTable {
  mailing_id: number;
  registration_id: number;
  outbox_id: string;
}

export interface MeetingRoomTable {
  id: Generated<number>;
  meeting_id: number;
  name: string;
  position: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
}

export interface AgendaItemTable {
  id: Generated<number>;
  meeting_id: number;
  /** The item this one is part of (a talk within a panel); one level deep. */
  parent_id: number | null;
  title: string;
  kind: AgendaItemKind;
  description: string | null;
  room_id: number | null;
  /** As the organiser typed it, in the meeting's zone: the truth from which the instants derive. */
  starts_local: WallTime;
  ends_local: WallTime;
  starts_at: Timestamp;
  ends_at: Timestamp;
  /** Bumped on every change, for iCalendar's SEQUENCE. */
  sequence: ColumnType<number, number | undefined, number>;
  created_by: number | null;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Deleted items stay, so feeds can cancel them. */
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AgendaItemPersonTable {
  id: Generated<number>;
  item_id: number;
  position: number;
  name: string;
  role: AgendaRole;
  affiliation: string | null;
}

export interface AgendaStarTable {
  user_id: number;
  item_id: number;
  created_at: CreatedAt;
}

export interface DocumentTable {
  id: Generated<number>;
  meeting_id: number;
  type: DocumentType;
  title: string;
  /** The official symbol without `/Rev.N` (shown with it when `revision` > 0); a corrigendum's includes its `/Corr.N`. */
  symbol: string | null;
  description: string | null;
  distribution: ColumnType<DocumentDistribution, DocumentDistribution | undefined, DocumentDistribution>;
  /** A check holds it at `registered` or above for limited papers, `confirmed` or above for restricted ones. */
  access_level: ColumnType<AccessLevel, AccessLevel | undefined, AccessLevel>;
  /** Set on a corrigendum: the document it corrects (it stands beside it). */
  corrects_id: number | null;
  /** The formal revision: 0 for the original, N for `/Rev.N`. */
  revision: ColumnType<number, number | undefined, number>;
  deleted_at: Timestamp | null;
  deleted_by: number | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DocumentFileTable {
  id: Generated<number>;
  document_id: number;
  /** ISO 639 code: en, fr, zh, ru… */
  language: string;
  /** 1, 2, … within the document and language. */
  version: number;
  /** The document's revision this file carries. */
  revision: ColumnType<number, number | undefined, number>;
  /** SHA-256 of the content: its key in the document store. */
  content_key: string;
  size: number;
  media_type: string;
  /** The name it was uploaded with: for Content-Disposition only, never a path. */
  file_name: string;
  uploaded_by: number | null;
  created_at: CreatedAt;
  /** Set when a newer version of the same language arrives; the file stays in the history. */
  superseded_at: Timestamp | null;
}

export interface DocumentAgendaItemTable {
  document_id: number;
  agenda_item_id: number;
}

export interface DocumentDownloadTable {
  id: Generated<string>;
  document_id: number;
  file_id: number;
  user_id: number | null;
  created_at: CreatedAt;
}

export interface DocumentVisitTable {
  user_id: number;
  meeting_id: number;
  visited_at: Timestamp;
}

/** Who a circulation or comment period is for: the registration filters, or chosen registrations. */
export type DocumentAudience = Record<string, string | number[]>;

export interface CirculationTable {
  id: Generated<number>;
  meeting_id: number;
  message: string | null;
  audience: ColumnType<DocumentAudience, string, string>;
  recipient_count: number;
  sent_by: number | null;
  created_at: CreatedAt;
}

export interface CirculationDocumentTable {
  circulation_id: number;
  document_id: number;
}

export interface CirculationRecipientTable {
  circulation_id: number;
  registration_id: number;
  outbox_id: string;
  unsubscribe_token_hash: Buffer;
}

export interface CirculationOptOutTable {
  meeting_id: number;
  email: string;
  created_at: CreatedAt;
}

export interface CommentPeriodTable {
  id: Generated<number>;
  document_id: number;
  /** The deadline as typed, wall clock in the meeting's zone, beside its instant. */
  closes_local: WallTime;
  closes_at: Timestamp;
  audience: ColumnType<DocumentAudience, string, string>;
  message: string | null;
  /** Participants invited to comment may read each other's inputs. */
  inputs_visible: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CommentPeriodInviteeTable {
  period_id: number;
  registration_id: number;
  reminded_at: Timestamp | null;
}

export interface DocumentInputTable {
  id: Generated<number>;
  document_id: number;
  period_id: number;
  registration_id: number;
  body: string;
  section: string | null;
  page: number | null;
  file_key: string | null;
  file_name: string | null;
  file_media_type: string | null;
  file_size: number | null;
  addressed_at: Timestamp | null;
  addressed_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One person present for a meeting day or one agenda item (exactly one of `day`, `agenda_item_id`). */
export interface CheckInTable {
  id: Generated<number>;
  meeting_id: number;
  registration_id: number;
  day: Day | null;
  agenda_item_id: number | null;
  mode: AttendanceMode;
  method: CheckInMethod;
  recorded_by: number | null;
  recorded_at: ColumnType<Date, Date | string | undefined, Date | string>;
  undone_at: Timestamp | null;
  undone_by: number | null;
}

/** A number that changes with every committed change to a meeting's check-ins, online sessions and registrations (kept by triggers). */
export interface AttendanceVersionTable {
  meeting_id: number;
  version: ColumnType<string, never, never>;
}

export interface AttendanceImportTable {
  id: Generated<number>;
  meeting_id: number;
  platform: WebinarPlatform;
  file_name: string;
  content_sha256: Buffer;
  /** The zone the file's times were read in, when the file names none. */
  timezone: string;
  row_count: number;
  new_session_count: number;
  imported_by: number | null;
  created_at: CreatedAt;
}

/** One stretch of time someone spent in a webinar, as its platform's report gives it. */
export interface OnlineSessionTable {
  id: Generated<string>;
  meeting_id: number;
  import_id: number;
  registration_id: number | null;
  name: string;
  email: string | null;
  joined_at: Timestamp;
  left_at: Timestamp;
  line: number;
}

export interface OnlineIdentityTable {
  meeting_id: number;
  /** `email:<address>` or `name:<lower-case name>` */
  identity: string;
  registration_id: number;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface AttendanceReminderTable {
  registration_id: number;
  day: Day;
  kind: AttendanceReminderKind;
  outbox_id: string | null;
  created_at: CreatedAt;
}

/** Requests counted in one fixed window, per limit (`bucket`) and hashed key (an address, an IP, a feed token). */
export interface RateLimitCounterTable {
  bucket: string;
  key_hash: Buffer;
  window_start: Timestamp;
  ends_at: Timestamp;
  hits: Generated<number>;
}

/** A meeting's personal data purged after its retention period: by whom, and how many rows were erased. */
export interface PersonalDataPurgeTable {
  id: Generated<number>;
  meeting_id: number;
  purged_by: number | null;
  registrations: number;
  online_sessions: number;
  emails: number;
  created_at: CreatedAt;
}

/** One organiser action, as the audit log keeps it (app/audit). */
export interface AuditEventTable {
  id: GeneratedAlways<string>;
  occurred_at: CreatedAt;
  actor_user_id: number | null;
  actor_email: string;
  meeting_id: number | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  summary: string;
  /** The changed fields' values before and after, as JSON objects; null where there is no before (a creation) or after (a deletion). */
  before: ColumnType<Record<string, unknown> | null, string | null | undefined, never>;
  after: ColumnType<Record<string, unknown> | null, string | null | undefined, never>;
}

export interface Database {
  programmes: ProgrammeTable;
  meetings: MeetingTable;
  users: UserTable;
  meeting_roles: MeetingRoleTable;
  login_tokens: LoginTokenTable;
  sessions: SessionTable;
  outbox: OutboxTable;
  app_metadata: AppMetadataTable;
  invitations: InvitationTable;
  registration_questions: RegistrationQuestionTable;
  registrations: RegistrationTable;
  registration_status_changes: RegistrationStatusChangeTable;
  registration_follow_ups: RegistrationFollowUpTable;
  mailings: MailingTable;
  mailing_recipients: MailingRecipientTable;
  meeting_rooms: MeetingRoomTable;
  agenda_items: AgendaItemTable;
  agenda_item_people: AgendaItemPersonTable;
  agenda_stars: AgendaStarTable;
  follows: FollowTable;
  documents: DocumentTable;
  document_files: DocumentFileTable;
  document_agenda_items: DocumentAgendaItemTable;
  document_downloads: DocumentDownloadTable;
  document_visits: DocumentVisitTable;
  circulations: CirculationTable;
  circulation_documents: CirculationDocumentTable;
  circulation_recipients: CirculationRecipientTable;
  circulation_opt_outs: CirculationOptOutTable;
  comment_periods: CommentPeriodTable;
  comment_period_invitees: CommentPeriodInviteeTable;
  document_inputs: DocumentInputTable;
  check_ins: CheckInTable;
  attendance_versions: AttendanceVersionTable;
  attendance_imports: AttendanceImportTable;
  online_sessions: OnlineSessionTable;
  online_identities: OnlineIdentityTable;
  attendance_reminders: AttendanceReminderTable;
  rate_limit_counters: RateLimitCounterTable;
  personal_data_purges: PersonalDataPurgeTable;
  audit_events: AuditEventTable;
}

export type Meeting = Selectable<MeetingTable>;
export type NewMeeting = Insertable<MeetingTable>;
export type MeetingUpdate = Updateable<MeetingTable>;
export type Programme = Selectable<ProgrammeTable>;
export type User = Selectable<UserTable>;
export type OutboxMessage = Selectable<OutboxTable>;
export type Registration = Selectable<RegistrationTable>;
export type RegistrationQuestion = Selectable<RegistrationQuestionTable>;
export type Invitation = Selectable<InvitationTable>;
export type RegistrationFollowUp = Selectable<RegistrationFollowUpTable>;
export type AgendaItem = Selectable<AgendaItemTable>;
export type Follow = Selectable<FollowTable>;
export type Document = Selectable<DocumentTable>;
export type CheckIn = Selectable<CheckInTable>;
export type OnlineSession = Selectable<OnlineSessionTable>;
export type DocumentFile = Selectable<DocumentFileTable>;
export type CommentPeriod = Selectable<CommentPeriodTable>;
export type DocumentInput = Selectable<DocumentInputTable>;
