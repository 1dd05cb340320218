import { type Kysely, sql } from "kysely";

/**
 * Documents: a meeting's papers (type, official symbol, distribution, access level), each with one
 * or more files by language and version. A new version of a language supersedes the old file,
 * which stays for the document's history. A formal revision (`/Rev.N`) is a version that bumps the
 * document's `revision`; a corrigendum (`/Corr.N`) is a document of its own that `corrects` another.
 * File content lives in the document store under its SHA-256; only metadata is here.
 *
 * Around them: downloads counted, each signed-in person's last visit to a meeting's documents (for
 * "new" badges), circulations (documents emailed to an audience) with one-click opt-outs, and
 * comment periods on drafts with the inputs participants send.
 */
const DOCUMENT_TYPES = sql`('provisional_agenda', 'concept_note', 'information_note', 'working_paper', 'background_paper', 'presentation', 'report', 'list_of_participants', 'other')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("documents")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ${DOCUMENT_TYPES}`))
    .addColumn("title", "text", (c) => c.notNull().check(sql`length(title) between 1 and 300`))
    .addColumn("symbol", "text", (c) => c.check(sql`length(symbol) between 1 and 120`))
    .addColumn("description", "text", (c) => c.check(sql`length(description) <= 5000`))
    .addColumn("distribution", "text", (c) => c.notNull().defaultTo("general").check(sql`distribution in ('general', 'limited', 'restricted')`))
    .addColumn("access_level", "text", (c) =>
      c.notNull().defaultTo("public").check(sql`access_level in ('public', 'registered', 'confirmed', 'organisers')`),
    )
    .addColumn("corrects_id", "integer", (c) => c.references("documents.id").onDelete("cascade"))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0).check(sql`revision >= 0`))
    .addColumn("deleted_at", "timestamptz")
    .addColumn("deleted_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("updated_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // Limited papers go to participants at least, restricted ones to confirmed participants at least.
    .addCheckConstraint(
      "documents_distribution_access_check",
      sql`distribution = 'general'
        or (distribution = 'limited' and access_level in ('registered', 'confirmed', 'organisers'))
        or (distribution = 'restricted' and access_level in ('confirmed', 'organisers'))`,
    )
    .execute();
  // Deleted documents keep their symbol, so restoring one never collides.
  await sql`create unique index documents_meeting_symbol_key on documents (meeting_id, lower(symbol)) where symbol is not null`.execute(db);
  await db.schema.createIndex("documents_meeting_idx").on("documents").column("meeting_id").execute();
  await db.schema.createIndex("documents_corrects_idx").on("documents").column("corrects_id").execute();

  await db.schema
    .createTable("document_files")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("document_id", "integer", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("language", "text", (c) => c.notNull().check(sql`language ~ '^[a-z]{2,3}$'`))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0).check(sql`revision >= 0`))
    .addColumn("content_key", "text", (c) => c.notNull().check(sql`content_key ~ '^[0-9a-f]{64}$'`))
    .addColumn("size", "integer", (c) => c.notNull().check(sql`size > 0`))
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull().check(sql`length(file_name) between 1 and 255`))
    .addColumn("uploaded_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("superseded_at", "timestamptz")
    .addUniqueConstraint("document_files_version_key", ["document_id", "language", "version"])
    .execute();
  await sql`create unique index document_files_current_key on document_files (document_id, language) where superseded_at is null`.execute(db);

  await db.schema
    .createTable("document_agenda_items")
    .addColumn("document_id", "integer", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("agenda_item_id", "integer", (c) => c.notNull().references("agenda_items.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("document_agenda_items_pkey", ["document_id", "agenda_item_id"])
    .execute();
  await db.schema.createIndex("document_agenda_items_item_idx").on("document_agenda_items").column("agenda_item_id").execute();

  await db.schema
    .createTable("document_downloads")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("document_id", "integer", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("file_id", "integer", (c) => c.notNull().references("document_files.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("document_downloads_document_idx").on("document_downloads").column("document_id").execute();

  await db.schema
    .createTable("document_visits")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("visited_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("document_visits_pkey", ["user_id", "meeting_id"])
    .execute();

  await db.schema
    .createTable("circulations")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("message", "text", (c) => c.check(sql`length(message) <= 5000`))
    .addColumn("audience", "jsonb", (c) => c.notNull())
    .addColumn("recipient_count", "integer", (c) => c.notNull())
    .addColumn("sent_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("circulations_meeting_idx").on("circulations").column("meeting_id").execute();

  await db.schema
    .createTable("circulation_documents")
    .addColumn("circulation_id", "integer", (c) => c.notNull().references("circulations.id").onDelete("cascade"))
    .addColumn("document_id", "integer", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("circulation_documents_pkey", ["circulation_id", "document_id"])
    .execute();

  await db.schema
    .createTable("circulation_recipients")
    .addColumn("circulation_id", "integer", (c) => c.notNull().references("circulations.id").onDelete("cascade"))
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("outbox_id", "bigint", (c) => c.notNull().references("outbox.id"))
    /** The one-click unsubscribe link's secret, hashed. */
    .addColumn("unsubscribe_token_hash", "bytea", (c) => c.notNull().unique())
    .addPrimaryKeyConstraint("circulation_recipients_pkey", ["circulation_id", "registration_id"])
    .execute();

  await db.schema
    .createTable("circulation_opt_outs")
    .addColumn("meeting_id", "integer", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("circulation_opt_outs_pkey", ["meeting_id", "email"])
    .execute();

  await db.schema
    .createTable("comment_periods")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("document_id", "integer", (c) => c.notNull().unique().references("documents.id").onDelete("cascade"))
    .addColumn("closes_local", "timestamp", (c) => c.notNull())
    .addColumn("closes_at", "timestamptz", (c) => c.notNull())
    .addColumn("audience", "jsonb", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.check(sql`length(message) <= 5000`))
    .addColumn("inputs_visible", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("created_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("comment_period_invitees")
    .addColumn("period_id", "integer", (c) => c.notNull().references("comment_periods.id").onDelete("cascade"))
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("reminded_at", "timestamptz")
    .addPrimaryKeyConstraint("comment_period_invitees_pkey", ["period_id", "registration_id"])
    .execute();

  await db.schema
    .createTable("document_inputs")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("document_id", "integer", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("period_id", "integer", (c) => c.notNull().references("comment_periods.id").onDelete("cascade"))
    .addColumn("registration_id", "integer", (c) => c.notNull().references("registrations.id").onDelete("cascade"))
    .addColumn("body", "text", (c) => c.notNull().check(sql`length(body) between 1 and 20000`))
    .addColumn("section", "text", (c) => c.check(sql`length(section) <= 200`))
    .addColumn("page", "integer", (c) => c.check(sql`page between 1 and 10000`))
    .addColumn("file_key", "text", (c) => c.check(sql`file_key ~ '^[0-9a-f]{64}$'`))
    .addColumn("file_name", "text", (c) => c.check(sql`length(file_name) between 1 and 255`))
    .addColumn("file_media_type", "text")
    .addColumn("file_size", "integer", (c) => c.check(sql`file_size > 0`))
    .addColumn("addressed_at", "timestamptz")
    .addColumn("addressed_by", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("document_inputs_file_check", sql`(file_key is null) = (file_name is null) and (file_key is null) = (file_size is null)`)
    .execute();
  await db.schema.createIndex("document_inputs_document_idx").on("document_inputs").column("document_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "document_inputs",
    "comment_period_invitees",
    "comment_periods",
    "circulation_opt_outs",
    "circulation_recipients",
    "circulation_documents",
    "circulations",
    "document_visits",
    "document_downloads",
    "document_agenda_items",
    "document_files",
    "documents",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
