import type { Migration, MigrationProvider } from "kysely";
import * as m0001 from "./0001_foundation";
import * as m0002 from "./0002_registration";
import * as m0003 from "./0003_agenda";
import * as m0004 from "./0004_calendar";
import * as m0005 from "./0005_follows";
import * as m0006 from "./0006_documents";
import * as m0007 from "./0007_attendance";
import * as m0008 from "./0008_read_paths";
import * as m0009 from "./0009_roles";
import * as m0010 from "./0010_audit_log";
import * as m0011 from "./0011_rate_limits";
import * as m0012 from "./0012_outbox_failures";
import * as m0013 from "./0013_personal_data";
import * as m0015 from "./0015_page_versions";
import * as m0016 from "./0016_attendance_versions";
import * as m0017 from "./0017_console_meeting_list";
import * as m0018 from "./0018_registration_meeting_end";
import * as m0019 from "./0019_registration_search_text";
import * as m0020 from "./0020_registration_questions_page_version";

/** Every migration, in order. Listed here rather than read from disk so bundles and tests see the same set. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { "0001_foundation": m0001, "0002_registration": m0002, "0003_agenda": m0003, "0004_calendar": m0004, "0005_follows": m0005, "0006_documents": m0006, "0007_attendance": m0007, "0008_read_paths": m0008, "0009_roles": m0009, "0010_audit_log": m0010, "0011_rate_limits": m0011, "0012_outbox_failures": m0012, "0013_personal_data": m0013, "0015_page_versions": m0015, "0016_attendance_versions": m0016, "0017_console_meeting_list": m0017, "0018_registration_meeting_end": m0018, "0019_registration_search_text": m0019, "0020_registration_questions_page_version": m0020 };
  },
};
