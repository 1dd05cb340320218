import type { Kysely, Transaction } from "kysely";
import type { AttendanceMode, CheckIn, CheckInMethod, Database, RegistrationStatus } from "../../db/schema";
import { inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { REGISTRATION_STATUS_LABELS } from "~/registration/labels";

/**
 * Recording that someone is present, for a meeting day or one agenda item. Only confirmed
 * participants are checked in. The database holds one standing check-in per person and day (or
 * item), so two desks scanning the same badge at once record it once: the second learns it was
 * already done, and by whom. Someone who checked themselves in online and then walks in is
 * checked in in person: the online record is undone, as present in person counts first.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** What is attended: a day of the meeting (`YYYY-MM-DD` in its zone) or one agenda item. */
export type AttendanceTarget = { day: string } | { agendaItemId: number };

export type CheckInOutcome =
  | { ok: true; created: boolean; checkIn: CheckIn }
  | { ok: false; reason: "not-confirmed"; status: RegistrationStatus; message: string }
  | { ok: false; reason: "unknown"; message: string };

export async function checkIn(
  db: Kysely<Database>,
  input: { meetingId: number; registrationId: number; target: AttendanceTarget; mode: AttendanceMode; method: CheckInMethod; by: number | null; at?: Date },
): Promise<CheckInOutcome> {
  return db.transaction().execute(async (trx) => {
    // Shared lock: the registration cannot be cancelled between this check and the insert.
    const registration = await trx
      .selectFrom("registrations")
      .select(["id", "status", "first_name", "last_name"])
      .where("id", "=", input.registrationId)
      .where("meeting_id", "=", input.meetingId)
      .forShare()
      .executeTakeFirst();
    if (!registration) return { ok: false, reason: "unknown", message: "No such registration for this meeting." };
    if (registration.status !== "confirmed") {
      const status = REGISTRATION_STATUS_LABELS[registration.status].toLowerCase();
      return {
        ok: false,
        reason: "not-confirmed",
        status: registration.status,
        message: `${registration.first_name} ${registration.last_name} is not confirmed (registration ${status}): only confirmed participants are checked in.`,
      };
    }
    if ("agendaItemId" in input.target && !(await isMeetingItem(trx, input.meetingId, input.target.agendaItemId))) {
      return { ok: false, reason: "unknown", message: "No such agenda item in this meeting." };
    }
    const target = "day" in input.target ? { day: input.target.day, agenda_item_id: null } : { day: null, agenda_item_id: input.target.agendaItemId };
    // Another desk may check the person in, or undo, between our insert and our look: try again then.
    for (let attempt = 0; ; attempt++) {
      const inserted = await trx
        .insertInto("check_ins")
        .values({
          meeting_id: input.meetingId,
          registration_id: registration.id,
          ...target,
          mode: input.mode,
          method: input.method,
          recorded_by: input.by,
          recorded_at: input.at ?? new Date(),
        })
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) {
        await recordAuditEvent(trx, {
          actor: input.by,
          meetingId: input.meetingId,
          action: "check_in.recorded",
          subject: { type: "registration", id: registration.id },
          summary: `Checked in ${registration.first_name} ${registration.last_name} for ${targetName(input.target)}, ${input.mode.replace("_", " ")} (${input.method.replace("_", " ")})`,
          before: { checked_in: false },
          after: { checked_in: true, mode: input.mode },
        });
        return { ok: true, created: true, checkIn: inserted };
      }
      const standing = await standingCheckIn(trx, registration.id, input.target);
      if (standing && !(standing.mode === "online" && input.mode === "in_person")) return { ok: true, created: false, checkIn: standing };
      if (attempt === 2) throw new Error(`Check-in of registration ${registration.id} kept changing under us`);
      if (standing) await trx.updateTable("check_ins").set({ undone_at: new Date(), undone_by: input.by }).where("id", "=", standing.id).execute();
    }
  });
}

function targetName(target: AttendanceTarget): string {
  return "day" in target ? target.day : `agenda item ${target.agendaItemId}`;
}

async function isMeetingItem(db: Executor, meetingId: number, itemId: number): Promise<boolean> {
  const item = await db
    .selectFrom("agenda_items")
    .select("id")
    .where("id", "=", itemId)
    .where("meeting_id", "=", meetingId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return item !== undefined;
}

/** The person's check-in for the day or item that stands (not undone), if any. */
export function standingCheckIn(db: Executor, registrationId: number, target: AttendanceTarget): Promise<CheckIn | undefined> {
  let query = db.selectFrom("check_ins").selectAll().where("registration_id", "=", registrationId).where("undone_at", "is", null);
  query = "day" in target ? query.where("day", "=", target.day) : query.where("agenda_item_id", "=", target.agendaItemId);
  return query.executeTakeFirst();
}

/** Undoes the person's standing check-in for the day or item (kept, marked undone). False when there was none. */
export async function undoCheckIn(
  db: Executor,
  input: { meetingId: number; registrationId: number; target: AttendanceTarget; by: number | null },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    let query = trx
      .updateTable("check_ins")
      .set({ undone_at: new Date(), undone_by: input.by })
      .where("meeting_id", "=", input.meetingId)
      .where("registration_id", "=", input.registrationId)
      .where("undone_at", "is", null);
    query = "day" in input.target ? query.where("day", "=", input.target.day) : query.where("agenda_item_id", "=", input.target.agendaItemId);
    const undone = await query.returning("mode").executeTakeFirst();
    if (!undone) return false;
    const person = await trx.selectFrom("registrations").select(["first_name", "last_name"]).where("id", "=", input.registrationId).executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      actor: input.by,
      meetingId: input.meetingId,
      action: "check_in.undone",
      subject: { type: "registration", id: input.registrationId },
      summary: `Undid the check-in of ${person.first_name} ${person.last_name} for ${targetName(input.target)}`,
      before: { checked_in: true, mode: undone.mode },
      after: { checked_in: false },
    });
    return true;
  });
}
