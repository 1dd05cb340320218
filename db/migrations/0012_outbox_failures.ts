import { type Kysely, sql } from "kysely";

/**
 * An email the provider would not take, given up, is shown to the organisers of its meeting: the
 * outbox row names the meeting it is about (null for mail about no one meeting: sign-in links,
 * programme news). Rows already queued are linked through the circulations, mailings and
 * attendance reminders that recorded them; other past rows stay unlinked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("outbox")
    .addColumn("meeting_id", "integer", (c) => c.references("meetings.id").onDelete("set null"))
    .execute();
  await sql`create index outbox_failed_meeting_idx on outbox (meeting_id, id) where status = 'failed'`.execute(db);
  await sql`
    update outbox set meeting_id = c.meeting_id
    from circulation_recipients cr join circulations c on c.id = cr.circulation_id
    where cr.outbox_id = outbox.id`.execute(db);
  await sql`
    update outbox set meeting_id = m.meeting_id
    from mailing_recipients mr join mailings m on m.id = mr.mailing_id
    where mr.outbox_id = outbox.id`.execute(db);
  await sql`
    update outbox set meeting_id = r.meeting_id
    from attendance_reminders ar join registrations r on r.id = ar.registration_id
    where ar.outbox_id = outbox.id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("outbox").dropColumn("meeting_id").execute();
}
