import { type Kysely, sql } from "kysely";

/**
 * Registrations, their history, the meeting's own questions, invitations, the follow-up for
 * in-person participants, and organisers' mailings. A meeting's counts by status are kept on the
 * meeting row by a trigger, and a check there holds confirmed places within capacity whatever
 * the code above does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("timezone", "text").execute();

  await db.schema
    .alterTable("meetings")
    .addColumn("confirmed_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("waitlisted_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("pending_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("visa_letter_template", "text")
    .execute();
  await sql`alter table meetings add constraint meetings_capacity_holds
    check (capacity is null or confirmed_count <= capacity)`.execute(db);

  await db.schema
    .createTable("invitations")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('email', 'code')`))
    .addColumn("email", "text")
    .addColumn("token_hash", "bytea", (c) => c.unique())
    .addColumn("code", "text")
    .addColumn("label", "text")
    .addColumn("max_uses", "integer", (c) => c.notNull().defaultTo(1).check(sql`max_uses between 1 and 1000`))
    .addColumn("uses", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("revoked_at", "timestamptz")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("invitations_uses_within_limit", sql`uses between 0 and max_uses`)
    .addCheckConstraint(
      "invitations_kind_fields",
      sql`(kind = 'email' and email is not null and token_hash is not null and code is null)
        or (kind = 'code' and code is not null and email is null and token_hash is null)`,
    )
    .addUniqueConstraint("invitations_meeting_email_key", ["meeting_id", "email"])
    .addUniqueConstraint("invitations_meeting_code_key", ["meeting_id", "code"])
    .execute();

  await db.schema
    .createTable("registration_questions")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("label", "text", (c) => c.notNull().check(sql`length(label) between 1 and 300`))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('short_text', 'long_text', 'single_choice', 'multiple_choice', 'yes_no')`),
    )
    .addColumn("required", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("options", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("registration_questions_meeting_idx").on("registration_questions").columns(["meeting_id", "position"]).execute();

  await db.schema
    .createTable("registrations")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("email", "text", (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn("salutation", "text")
    .addColumn("first_name", "text", (c) => c.notNull())
    .addColumn("last_name", "text", (c) => c.notNull())
    .addColumn("organisation", "text", (c) => c.notNull())
    .addColumn("job_title", "text")
    .addColumn("country", "text", (c) => c.notNull().check(sql`country ~ '^[A-Z]{2}$'`))
    .addColumn("gender", "text", (c) => c.notNull().check(sql`gender in ('female', 'male', 'other', 'undisclosed')`))
    .addColumn("category", "text", (c) =>
      c
        .notNull()
        .check(
          sql`category in ('government', 'international_organization', 'expert', 'civil_society', 'private_sector', 'academia', 'media', 'secretariat')`,
        ),
    )
    .addColumn("attendance_mode", "text", (c) => c.notNull().check(sql`attendance_mode in ('in_person', 'online')`))
    .addColumn("needs", "text")
    .addColumn("timezone", "text")
    .addColumn("answers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('pending', 'confirmed', 'waitlisted', 'declined', 'cancelled')`),
    )
    .addColumn("manage_token_hash", "bytea", (c) => c.notNull().unique())
    .addColumn("invitation_id", "integer", (c) => c.references("invitations.id").onDelete("set null"))
    .addColumn("consent_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("registrations_meeting_email_key", ["meeting_id", "email"])
    .execute();
  await db.schema.createIndex("registrations_meeting_status_idx").on("registrations").columns(["meeting_id", "status", "created_at"]).execute();
  await db.schema.createIndex("registrations_email_idx").on("registrations").column("email").execute();
  await db.schema.createIndex("registrations_user_idx").on("registrations").column("user_id").execute();

  await db.schema
    .createTable("registration_status_changes")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("changed_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("note", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("registration_status_changes_registration_idx").on("registration_status_changes").column("registration_id").execute();

  await db.schema
    .createTable("registration_follow_ups")
    .addColumn("registration_id", "integer", (c) => c.primaryKey().references("registrations.id").onDelete("cascade"))
    .addColumn("arrival_date", "date")
    .addColumn("arrival_time", "text")
    .addColumn("arrival_flight", "text")
    .addColumn("departure_date", "date")
    .addColumn("departure_time", "text")
    .addColumn("departure_flight", "text")
    .addColumn("hotel", "text")
    .addColumn("needs_visa_letter", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("passport_name", "text")
    .addColumn("passport_nationality", "text", (c) => c.check(sql`passport_nationality ~ '^[A-Z]{2}$'`))
    .addColumn("travel_funding_requested", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("travel_funding_decision", "text", (c) => c.check(sql`travel_funding_decision in ('granted', 'not_granted')`))
    .addColumn("travel_funding_decided_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("travel_funding_decided_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("mailings")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("audience", "jsonb", (c) => c.notNull())
    .addColumn("recipient_count", "integer", (c) => c.notNull())
    .addColumn("sent_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable("mailing_recipients")
    .addColumn("mailing_id", "integer", (c) => c.notNull().references("mailings.id").onDelete("cascade"))
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("outbox_id", "bigint", (c) => c.notNull().references("outbox.id"))
    .addPrimaryKeyConstraint("mailing_recipients_pkey", ["mailing_id", "registration_id"])
    .execute();

  // The meeting's counts follow its registrations in the same transaction; updating the meeting row
  // also takes its lock, so concurrent registrations for one meeting are counted one after another.
  await sql`
    create function registrations_count() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update meetings set
          confirmed_count = confirmed_count - (old.status = 'confirmed')::int,
          waitlisted_count = waitlisted_count - (old.status = 'waitlisted')::int,
          pending_count = pending_count - (old.status = 'pending')::int
        where id = old.meeting_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update meetings set
          confirmed_count = confirmed_count + (new.status = 'confirmed')::int,
          waitlisted_count = waitlisted_count + (new.status = 'waitlisted')::int,
          pending_count = pending_count + (new.status = 'pending')::int
        where id = new.meeting_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger registrations_count after insert or delete or update of status, meeting_id on registrations
    for each row execute function registrations_count()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger registrations_count on registrations`.execute(db);
  await sql`drop function registrations_count()`.execute(db);
  for (const table of [
    "mailing_recipients",
    "mailings",
    "registration_follow_ups",
    "registration_status_changes",
    "registrations",
    "registration_questions",
    "invitations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema
    .alterTable("meetings")
    .dropConstraint("meetings_capacity_holds")
    .execute();
  await db.schema
    .alterTable("meetings")
    .dropColumn("confirmed_count")
    .dropColumn("waitlisted_count")
    .dropColumn("pending_count")
    .dropColumn("visa_letter_template")
    .execute();
  await db.schema.alterTable("users").dropColumn("timezone").execute();
}
