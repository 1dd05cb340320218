import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { migrateDown, migrateToLatest } from "../../db/migrate";
import { freshDatabase } from "../support/database";

describe("migrations", async () => {
  const { db } = await freshDatabase();

  async function tables(): Promise<string[]> {
    const result = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely%' order by 1`.execute(db);
    return result.rows.map((row) => row.tablename);
  }

  async function columns(table: string): Promise<string[]> {
    const result = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = ${table}`.execute(db);
    return result.rows.map((row) => row.column_name);
  }

  async function triggers(table: string): Promise<number> {
    const result = await sql<{ n: string }>`select count(*) as n from pg_trigger where tgrelid = ${table}::regclass and not tgisinternal`.execute(db);
    return Number(result.rows[0]?.n);
  }

  async function hasIndex(name: string): Promise<boolean> {
    const result = await sql<{ n: string }>`select count(*) as n from pg_indexes where indexname = ${name}`.execute(db);
    return Number(result.rows[0]?.n) === 1;
  }

  it("are applied to the template, and reverse and re-apply cleanly", async () => {
    const all = await tables();
    assert.deepEqual(all, [
      "agenda_item_people", "agenda_items", "agenda_stars", "app_metadata", "attendance_imports", "attendance_reminders", "attendance_versions", "audit_events", "check_ins", "circulation_documents", "circulation_opt_outs", "circulation_recipients",
      "circulations", "comment_period_invitees", "comment_periods", "document_agenda_items", "document_downloads", "document_files", "document_inputs",
      "document_visits", "documents", "follows", "invitations", "login_tokens", "mailing_recipients", "mailings", "meeting_roles", "meeting_rooms", "meetings", "online_identities", "online_sessions", "outbox", "personal_data_purges", "programmes", "rate_limit_counters", "registration_follow_ups", "registration_questions", "registration_status_changes", "registrations", "sessions", "users",
    ]);
    assert.ok(await hasIndex("meetings_title_trgm_idx"));
    assert.ok(await hasIndex("meetings_starts_at_idx"));
    assert.ok(await hasIndex("registrations_email_meeting_end_idx"));
    assert.equal(await triggers("registration_questions"), 3, "0020's triggers: insert, update, delete");
    assert.equal(await migrateDown(db), "0020_registration_questions_page_version");
    assert.equal(await triggers("registration_questions"), 0, "0020 drops its triggers");
    assert.equal(await migrateDown(db), "0019_registration_search_text");
    assert.ok(!(await columns("registrations")).includes("search_text"), "0019 drops its column");
    assert.equal(await migrateDown(db), "0018_registration_meeting_end");
    assert.ok(!(await columns("registrations")).includes("meeting_ends_at"), "0018 drops its column (and its triggers with their functions)");
    assert.ok(await hasIndex("registrations_email_idx"), "and gives back the index on email");
    assert.equal(await migrateDown(db), "0017_console_meeting_list");
    assert.ok(!(await hasIndex("meetings_starts_at_idx")), "0017 drops its index");
    assert.equal(await migrateDown(db), "0016_attendance_versions");
    assert.ok(!(await tables()).includes("attendance_versions"), "0016 drops its table (and its triggers with their function)");
    assert.equal(await migrateDown(db), "0015_page_versions");
    assert.ok(!(await columns("meetings")).includes("page_version"), "0015 drops its column (and its triggers with their functions)");
    assert.equal(await migrateDown(db), "0013_personal_data");
    assert.ok(!(await tables()).includes("personal_data_purges"), "0013 drops the table it made");
    assert.equal(await migrateDown(db), "0012_outbox_failures");
    assert.ok(!(await hasIndex("outbox_failed_meeting_idx")), "0012 drops the column and its index");
    assert.equal(await migrateDown(db), "0011_rate_limits");
    assert.ok(!(await tables()).includes("rate_limit_counters"), "0011 drops its table");
    assert.equal(await migrateDown(db), "0010_audit_log");
    assert.ok(!(await tables()).includes("audit_events"), "0010 drops the table it made");
    assert.equal(await migrateDown(db), "0009_roles");
    assert.ok(!(await tables()).includes("meeting_roles"), "0009 drops the table it made");
    assert.equal(await migrateDown(db), "0008_read_paths");
    assert.ok(!(await hasIndex("meetings_title_trgm_idx")), "0008 drops the indexes it made");
    assert.equal(await migrateDown(db), "0007_attendance");
    assert.ok(!(await tables()).some((table) => /attendance|check_in|online/.test(table)), "0007 drops every table it made");
    assert.equal(await migrateDown(db), "0006_documents");
    assert.ok(!(await tables()).some((table) => /document|circulation|comment/.test(table)), "0006 drops every table it made");
    assert.equal(await migrateDown(db), "0005_follows");
    assert.equal(await migrateDown(db), "0004_calendar");
    assert.equal(await migrateDown(db), "0003_agenda");
    assert.equal(await migrateDown(db), "0002_registration");
    assert.deepEqual(await tables(), ["app_metadata", "login_tokens", "meetings", "outbox", "programmes", "sessions", "users"]);
    assert.equal(await migrateDown(db), "0001_foundation");
    assert.deepEqual(await tables(), []);
    assert.deepEqual(await migrateToLatest(db), ["0001_foundation", "0002_registration", "0003_agenda", "0004_calendar", "0005_follows", "0006_documents", "0007_attendance", "0008_read_paths", "0009_roles", "0010_audit_log", "0011_rate_limits", "0012_outbox_failures", "0013_personal_data", "0015_page_versions", "0016_attendance_versions", "0017_console_meeting_list", "0018_registration_meeting_end", "0019_registration_search_text", "0020_registration_questions_page_version"]);
    assert.deepEqual(await tables(), all);
  });
});
