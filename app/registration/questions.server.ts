import { type Kysely, type Transaction, sql } from "kysely";
import { z } from "zod";
import { type Database, QUESTION_KINDS, type QuestionKind, type RegistrationQuestion } from "../../db/schema";
import { type FormFailure, fieldErrors, formValues, requiredText } from "~/lib/form";
import { changedFields, inTransaction, recordAuditEvent } from "~/audit/audit-log.server";
import { QUESTION_KIND_LABELS } from "./labels";
import { registrationQuestions } from "./registrations.server";

/**
 * The meeting's own questions on its registration form (shown in order; answers are kept in each
 * registration's `answers`, by question id). A question that has answers may be reworded, made
 * required or not, and get more options; it keeps its kind and every option someone chose.
 */

type Executor = Kysely<Database> | Transaction<Database>;

export const CHOICE_KINDS: readonly QuestionKind[] = ["single_choice", "multiple_choice"];
export const MAX_OPTIONS = 50;
export const MAX_QUESTIONS = 50;

export interface QuestionInput {
  label: string;
  kind: QuestionKind;
  required: boolean;
  options: string[];
}

const questionSchema = z
  .object({
    label: requiredText(300, "Write the question, e.g. Will you attend the reception?"),
    kind: z.enum(QUESTION_KINDS, { error: "Choose the kind of answer" }),
    required: z
      .string()
      .optional()
      .transform((value) => value === "on" || value === "yes" || value === "true"),
    options: z.string().max(20_000, "Too long").optional(),
  })
  .transform((data, ctx): QuestionInput => {
    if (!CHOICE_KINDS.includes(data.kind)) return { label: data.label, kind: data.kind, required: data.required, options: [] };
    const options = (data.options ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    const issue = (message: string) => ctx.addIssue({ code: "custom", path: ["options"], message });
    const seen = new Set<string>();
    const twice = options.filter((o) => {
      const key = o.toLowerCase();
      if (seen.has(key)) return true;
      seen.add(key);
      return false;
    });
    if (options.length < 2) issue("Give at least two options, one a line");
    else if (options.length > MAX_OPTIONS) issue(`At most ${MAX_OPTIONS} options`);
    else if (twice.length > 0) issue(`Each option once: “${twice[0]}” is listed twice`);
    else if (options.some((o) => o.length > 200)) issue("Each option at most 200 characters");
    return { label: data.label, kind: data.kind, required: data.required, options };
  });

export function parseQuestionForm(formData: FormData): { ok: true; input: QuestionInput } | ({ ok: false } & FormFailure) {
  const values = formValues(formData);
  const parsed = questionSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), values };
  return { ok: true, input: parsed.data };
}

/** The form's values for a saved question. */
export function questionFormValues(question: Pick<RegistrationQuestion, "label" | "kind" | "required" | "options">): Record<string, string> {
  return { label: question.label, kind: question.kind, required: question.required ? "on" : "", options: question.options.join("\n") };
}

/** How many registrations answered the question, and how many chose each option. */
export async function answerCounts(db: Executor, meetingId: number, questionId: number): Promise<{ answered: number; byOption: Map<string, number> }> {
  const key = String(questionId);
  const rows = await db
    .selectFrom("registrations")
    .select(sql<string | string[]>`answers -> ${key}`.as("answer"))
    .where("meeting_id", "=", meetingId)
    .where(sql<boolean>`answers ? ${key}`)
    .execute();
  const byOption = new Map<string, number>();
  for (const { answer } of rows) {
    for (const value of Array.isArray(answer) ? answer : [answer]) byOption.set(value, (byOption.get(value) ?? 0) + 1);
  }
  return { answered: rows.length, byOption };
}

/** Every question of the meeting with how many registrations answered it. */
export async function questionsWithAnswerCounts(db: Executor, meetingId: number) {
  const questions = await registrationQuestions(db, meetingId);
  const counts = await db
    .selectFrom("registrations")
    .select(sql<string>`jsonb_object_keys(answers)`.as("key"))
    .where("meeting_id", "=", meetingId)
    .execute();
  const answered = new Map<string, number>();
  for (const { key } of counts) answered.set(key, (answered.get(key) ?? 0) + 1);
  return questions.map((q) => ({ ...q, answered: answered.get(String(q.id)) ?? 0 }));
}

/** The meeting's row, locked: register() takes the same lock, so no answer arrives while a question changes. */
async function lockMeeting(trx: Transaction<Database>, meetingId: number) {
  await trx.selectFrom("meetings").select("id").where("id", "=", meetingId).forUpdate().executeTakeFirstOrThrow();
}

export type QuestionSaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

export async function addQuestion(db: Kysely<Database>, meetingId: number, input: QuestionInput, by: number | null): Promise<QuestionSaveResult> {
  return db.transaction().execute(async (trx): Promise<QuestionSaveResult> => {
    await lockMeeting(trx, meetingId);
    const { n, last } = await trx
      .selectFrom("registration_questions")
      .select([sql<string>`count(*)`.as("n"), sql<number>`coalesce(max(position), 0)`.as("last")])
      .where("meeting_id", "=", meetingId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_QUESTIONS) return { ok: false, errors: { label: `A meeting has at most ${MAX_QUESTIONS} questions` } };
    const row = await trx
      .insertInto("registration_questions")
      .values({ meeting_id: meetingId, position: Number(last) + 1, label: input.label, kind: input.kind, required: input.required, options: input.options })
      .returning("id")
      .executeTakeFirstOrThrow();
    const after = { label: input.label, kind: input.kind, required: input.required, options: input.options };
    await recordAuditEvent(trx, { actor: by, meetingId, action: "question.created", subject: { type: "question", id: row.id }, summary: `Added the question “${input.label}”`, after });
    return { ok: true, id: row.id };
  });
}

function quoteList(items: string[]): string {
  return items.map((item) => `“${item}”`).join(", ");
}

/**
 * Saves a changed question. Once people have answered it, its kind stays, and an option someone
 * chose cannot be removed (nor renamed, which is the same): their answers would no longer match it.
 */
export async function updateQuestion(db: Kysely<Database>, meetingId: number, questionId: number, input: QuestionInput, by: number | null): Promise<QuestionSaveResult> {
  return db.transaction().execute(async (trx): Promise<QuestionSaveResult> => {
    await lockMeeting(trx, meetingId);
    const question = await trx
      .selectFrom("registration_questions")
      .selectAll()
      .where("id", "=", questionId)
      .where("meeting_id", "=", meetingId)
      .executeTakeFirst();
    if (!question) return { ok: false, errors: { form: "This question no longer exists." } };
    const { answered, byOption } = await answerCounts(trx, meetingId, questionId);
    if (answered > 0) {
      const people = answered === 1 ? "1 registration has" : `${answered} registrations have`;
      if (input.kind !== question.kind) {
        return {
          ok: false,
          errors: { kind: `${people} answered this question, so it stays “${QUESTION_KIND_LABELS[question.kind]}”. Add a new question instead.` },
        };
      }
      if (CHOICE_KINDS.includes(question.kind)) {
        const removed = [...byOption.keys()].filter((option) => !input.options.includes(option));
        if (removed.length > 0) {
          return {
            ok: false,
            errors: {
              options: `Registrations chose ${quoteList(removed)}: keep ${removed.length === 1 ? "that option" : "those options"} exactly as written. You may add options, reorder them, or remove ones nobody chose.`,
            },
          };
        }
      }
    }
    const columns = { label: input.label, kind: input.kind, required: input.required, options: input.options };
    await trx.updateTable("registration_questions").set(columns).where("id", "=", questionId).execute();
    const changed = changedFields(question, columns);
    if (changed.names.length > 0) {
      const summary = `Edited the question “${input.label}”: ${changed.names.join(", ")}`;
      await recordAuditEvent(trx, { actor: by, meetingId, action: "question.updated", subject: { type: "question", id: questionId }, summary, before: changed.before, after: changed.after });
    }
    return { ok: true, id: questionId };
  });
}

/** Removes a question from the form. Answers already given stay in the registrations' records, unshown. */
export async function deleteQuestion(db: Executor, meetingId: number, questionId: number, by: number | null): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx.deleteFrom("registration_questions").where("id", "=", questionId).where("meeting_id", "=", meetingId).returningAll().executeTakeFirst();
    if (!deleted) return false;
    const { label, kind, required, options } = deleted;
    await recordAuditEvent(trx, { actor: by, meetingId, action: "question.deleted", subject: { type: "question", id: questionId }, summary: `Deleted the question “${label}”`, before: { label, kind, required, options } });
    return true;
  });
}

/**
 * Moves a question one place up or down; positions are renumbered 1…n on the way. "unknown" when
 * the meeting has no such question (so the caller answers 404), "at-end" when it cannot go further.
 */
export async function moveQuestion(
  db: Kysely<Database>,
  meetingId: number,
  questionId: number,
  direction: "up" | "down",
  by: number | null,
): Promise<"moved" | "at-end" | "unknown"> {
  return db.transaction().execute(async (trx) => {
    await lockMeeting(trx, meetingId);
    const ids = (await registrationQuestions(trx, meetingId)).map((q) => q.id);
    const from = ids.indexOf(questionId);
    const to = direction === "up" ? from - 1 : from + 1;
    if (from < 0) return "unknown";
    if (to < 0 || to >= ids.length) return "at-end";
    [ids[from], ids[to]] = [ids[to]!, ids[from]!];
    for (const [index, id] of ids.entries()) {
      await trx.updateTable("registration_questions").set({ position: index + 1 }).where("id", "=", id).execute();
    }
    await recordAuditEvent(trx, { actor: by, meetingId, action: "question.moved", subject: { type: "question", id: questionId }, summary: `Moved a question ${direction}`, before: { position: from + 1 }, after: { position: to + 1 } });
    return "moved";
  });
}
