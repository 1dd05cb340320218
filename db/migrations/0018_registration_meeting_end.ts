import { type Kysely, sql } from "kysely";

/**
 * Each registration carries its meeting's end (meeting_ends_at), kept by the database so that no
 * writer can forget it: set on insert, and moved with the meeting when its dates change. A
 * person's private feed shows the meetings of the feeds' window (the last twelve months and
 * ahead), and its version is read on every poll: along (email, meeting_ends_at) it reads only that
 * person's registrations in the window, where it visited the meeting of every registration of
 * their whole history. The index also serves every lookup by email, so it replaces the one on email.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table registrations add column meeting_ends_at timestamptz`.execute(db);
  await sql`update registrations r set meeting_ends_at = m.ends_at from meetings m where m.id = r.meeting_id`.execute(db);
  await sql`alter table registrations alter column meeting_ends_at set not null`.execute(db);
  await sql`
    create function registration_meeting_end() returns trigger language plpgsql as $$
    begin
      select ends_at into new.meeting_ends_at from meetings where id = new.meeting_id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger registrations_meeting_end before insert or update of meeting_id, meeting_ends_at on registrations
    for each row execute function registration_meeting_end()`.execute(db);
  await sql`
    create function meeting_end_to_registrations() returns trigger language plpgsql as $$
    begin
      update registrations set meeting_ends_at = new.ends_at where meeting_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger meetings_end_to_registrations after update of ends_at on meetings
    for each row when (old.ends_at is distinct from new.ends_at) execute function meeting_end_to_registrations()`.execute(db);
  await db.schema.createIndex("registrations_email_meeting_end_idx").on("registrations").columns(["email", "meeting_ends_at"]).execute();
  await db.schema.dropIndex("registrations_email_idx").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("registrations_email_idx").on("registrations").column("email").execute();
  await db.schema.dropIndex("registrations_email_meeting_end_idx").execute();
  await sql`drop trigger meetings_end_to_registrations on meetings`.execute(db);
  await sql`drop function meeting_end_to_registrations()`.execute(db);
  await sql`drop trigger registrations_meeting_end on registrations`.execute(db);
  await sql`drop function registration_meeting_end()`.execute(db);
  await sql`alter table registrations drop column meeting_ends_at`.execute(db);
}
