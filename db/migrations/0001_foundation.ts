import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().check(sql`email = lower(email) and email like '%_@_%'`))
    .addColumn("name", "text")
    .addColumn("role", "text", (c) =>
      c.notNull().defaultTo("participant").check(sql`role in ('participant', 'organiser')`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_sign_in_at", "timestamptz")
    .addUniqueConstraint("users_email_key", ["email"])
    .execute();

  await db.schema
    .createTable("login_tokens")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("token_hash", "bytea", (c) => c.notNull().unique())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("redirect_to", "text")
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id_hash", "bytea", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("programmes")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn("summary", "text")
    .addColumn("parent_id", "integer", (c) => c.references("programmes.id").onDelete("restrict"))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("programmes_not_own_parent", sql`parent_id is distinct from id`)
    .execute();
  await db.schema.createIndex("programmes_parent_id_idx").on("programmes").column("parent_id").execute();

  await db.schema
    .createTable("meetings")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique().check(sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 300`))
    .addColumn("summary", "text")
    .addColumn("description", "text")
    .addColumn("organising_body", "text", (c) => c.notNull())
    .addColumn("partners", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('expert_group_meeting', 'workshop', 'ministerial_conference', 'webinar')`),
    )
    .addColumn("mode", "text", (c) => c.notNull().check(sql`mode in ('in_person', 'online', 'hybrid')`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`status in ('draft', 'published', 'cancelled')`),
    )
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("starts_on", "date", (c) => c.notNull())
    .addColumn("ends_on", "date", (c) => c.notNull())
    .addColumn("starts_at", "timestamptz", (c) => c.notNull())
    .addColumn("ends_at", "timestamptz", (c) => c.notNull())
    .addColumn("programme_id", "integer", (c) => c.references("programmes.id").onDelete("set null"))
    .addColumn("venue_name", "text")
    .addColumn("venue_address", "text")
    .addColumn("venue_city", "text")
    .addColumn("venue_country", "text", (c) => c.check(sql`venue_country ~ '^[A-Z]{2}$'`))
    .addColumn("online_url", "text")
    .addColumn("contact_email", "text")
    .addColumn("registration_policy", "text", (c) =>
      c.notNull().defaultTo("open").check(sql`registration_policy in ('open', 'moderated', 'invitation')`),
    )
    .addColumn("registration_opens_local", "timestamp")
    .addColumn("registration_opens_at", "timestamptz")
    .addColumn("registration_closes_local", "timestamp")
    .addColumn("registration_closes_at", "timestamptz")
    .addColumn("capacity", "integer", (c) => c.check(sql`capacity > 0`))
    .addColumn("published_at", "timestamptz")
    .addColumn("cancelled_at", "timestamptz")
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("meetings_days_in_order", sql`ends_on >= starts_on and ends_at > starts_at`)
    .addCheckConstraint(
      "meetings_registration_window_in_order",
      sql`registration_closes_at is null or registration_opens_at is null or registration_closes_at > registration_opens_at`,
    )
    .addCheckConstraint(
      "meetings_registration_wall_time_beside_instant",
      sql`(registration_opens_local is null) = (registration_opens_at is null)
        and (registration_closes_local is null) = (registration_closes_at is null)`,
    )
    .execute();
  await db.schema.createIndex("meetings_status_ends_at_idx").on("meetings").columns(["status", "ends_at"]).execute();
  await db.schema.createIndex("meetings_programme_id_idx").on("meetings").column("programme_id").execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("template", "text", (c) => c.notNull())
    .addColumn("headers", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_error", "text")
    .addColumn("provider_message_id", "text")
    .addColumn("sent_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending'`.execute(db);

  await db.schema
    .createTable("app_metadata")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["app_metadata", "outbox", "meetings", "programmes", "sessions", "login_tokens", "users"]) {
    await db.schema.dropTable(table).execute();
  }
}
