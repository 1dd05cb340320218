import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type QuestionInput,
  addQuestion,
  deleteQuestion,
  moveQuestion,
  parseQuestionForm,
  questionsWithAnswerCounts,
  updateQuestion,
} from "../../app/registration/questions.server";
import { parseRegistrationForm } from "../../app/registration/registration-form.server";
import { register, registrationQuestions } from "../../app/registration/registrations.server";
import { freshDatabase } from "../support/database";
import { meetingForRegistration, registrationForm, registrationInput } from "../support/registration-extras";

function form(fields: Record<string, string | undefined>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) data.set(name, value);
  return data;
}

function parsed(fields: Record<string, string | undefined>): QuestionInput {
  const result = parseQuestionForm(form(fields));
  if (!result.ok) assert.fail(`refused: ${JSON.stringify(result.errors)}`);
  return result.input;
}

function errorsOf(fields: Record<string, string | undefined>): Record<string, string> {
  const result = parseQuestionForm(form(fields));
  assert.equal(result.ok, false, JSON.stringify(fields));
  return result.ok ? {} : result.errors;
}

describe("the meeting's own questions", async () => {
  const { db } = await freshDatabase();

  describe("the organisers' form", () => {
    it("takes a question of each kind; options only for choices, one a line, trimmed", () => {
      assert.deepEqual(parsed({ label: " Dietary requirements ", kind: "short_text", options: "ignored\nlines" }), {
        label: "Dietary requirements",
        kind: "short_text",
        required: false,
        options: [],
      });
      assert.deepEqual(parsed({ label: "Reception?", kind: "yes_no", required: "on" }).required, true);
      assert.deepEqual(parsed({ label: "Sessions", kind: "multiple_choice", options: " Opening \r\n\nPanel 1\nPanel 2 " }).options, ["Opening", "Panel 1", "Panel 2"]);
    });

    it("refuses a missing label or kind, fewer than two options, an option twice, and keeps what was typed", () => {
      const missing = parseQuestionForm(form({ label: "", kind: "", options: "A" }));
      assert.ok(!missing.ok);
      assert.deepEqual(Object.keys(missing.errors).sort(), ["kind", "label"]);
      assert.equal(missing.values.options, "A");
      assert.equal(errorsOf({ label: "Track", kind: "single_choice", options: "Only one" }).options, "Give at least two options, one a line");
      assert.equal(errorsOf({ label: "Track", kind: "single_choice", options: "" }).options, "Give at least two options, one a line");
      assert.equal(errorsOf({ label: "Track", kind: "single_choice", options: "Policy\nTechnical\npolicy" }).options, "Each option once: “policy” is listed twice");
      assert.equal(errorsOf({ label: "x".repeat(301), kind: "yes_no" }).label, "At most 300 characters");
      assert.equal(errorsOf({ label: "Track", kind: "essay" }).kind, "Choose the kind of answer");
    });
  });

  it("are added in order, and move up and down", async () => {
    const meeting = await meetingForRegistration(db);
    const ids: number[] = [];
    for (const label of ["First", "Second", "Third"]) {
      const saved = await addQuestion(db, meeting.id, parsed({ label, kind: "short_text" }), null);
      assert.ok(saved.ok);
      ids.push(saved.id);
    }
    const labels = async () => (await registrationQuestions(db, meeting.id)).map((q) => q.label);
    assert.deepEqual(await labels(), ["First", "Second", "Third"]);
    assert.equal(await moveQuestion(db, meeting.id, ids[2]!, "up", null), "moved");
    assert.deepEqual(await labels(), ["First", "Third", "Second"]);
    assert.equal(await moveQuestion(db, meeting.id, ids[0]!, "down", null), "moved");
    assert.deepEqual(await labels(), ["Third", "First", "Second"]);
    assert.equal(await moveQuestion(db, meeting.id, ids[2]!, "up", null), "at-end", "the first cannot go up");
    assert.equal(await moveQuestion(db, meeting.id, ids[1]!, "down", null), "at-end", "the last cannot go down");
    const other = await meetingForRegistration(db);
    assert.equal(await moveQuestion(db, other.id, ids[0]!, "down", null), "unknown", "not another meeting's");
    assert.deepEqual((await registrationQuestions(db, meeting.id)).map((q) => q.position), [1, 2, 3]);
  });

  describe("once answered", async () => {
    const meeting = await meetingForRegistration(db, { registration_policy: "open" });
    const track = await addQuestion(db, meeting.id, parsed({ label: "Track", kind: "single_choice", options: "Policy\nTechnical\nRegulatory" }), null);
    const reception = await addQuestion(db, meeting.id, parsed({ label: "Reception?", kind: "yes_no" }), null);
    assert.ok(track.ok && reception.ok);
    await register(db, meeting.id, registrationInput({ email: "a@example.org", answers: { [track.id]: "Policy", [reception.id]: "yes" } }), null);
    await register(db, meeting.id, registrationInput({ email: "b@example.org", answers: { [track.id]: "Policy" } }), null);

    it("counts the answers of each question", async () => {
      const questions = await questionsWithAnswerCounts(db, meeting.id);
      assert.deepEqual(
        questions.map((q) => [q.label, q.answered]),
        [
          ["Track", 2],
          ["Reception?", 1],
        ],
      );
    });

    it("may be reworded, made required, and get options", async () => {
      const saved = await updateQuestion(db, meeting.id, track.id, parsed({ label: "Which track will you follow?", kind: "single_choice", required: "on", options: "Policy\nTechnical\nRegulatory\nCapacity building" }), null);
      assert.deepEqual(saved, { ok: true, id: track.id });
      const [question] = await registrationQuestions(db, meeting.id);
      assert.equal(question?.label, "Which track will you follow?");
      assert.equal(question?.required, true);
      assert.deepEqual(question?.options, ["Policy", "Technical", "Regulatory", "Capacity building"]);
    });

    it("may lose an option nobody chose, but not one somebody chose, nor change its kind", async () => {
      const withoutUnused = await updateQuestion(db, meeting.id, track.id, parsed({ label: "Track", kind: "single_choice", options: "Policy\nTechnical" }), null);
      assert.equal(withoutUnused.ok, true);
      const renamed = await updateQuestion(db, meeting.id, track.id, parsed({ label: "Track", kind: "single_choice", options: "Public policy\nTechnical" }), null);
      assert.deepEqual(renamed, {
        ok: false,
        errors: { options: "Registrations chose “Policy”: keep that option exactly as written. You may add options, reorder them, or remove ones nobody chose." },
      });
      const kind = await updateQuestion(db, meeting.id, reception.id, parsed({ label: "Reception?", kind: "short_text" }), null);
      assert.deepEqual(kind, { ok: false, errors: { kind: "1 registration has answered this question, so it stays “Yes / no”. Add a new question instead." } });
      assert.deepEqual((await registrationQuestions(db, meeting.id)).map((q) => q.options), [["Policy", "Technical"], []]);
    });

    it("when deleted leaves the answers in the registrations' records", async () => {
      assert.equal(await deleteQuestion(db, meeting.id, reception.id, null), true);
      assert.equal(await deleteQuestion(db, meeting.id, reception.id, null), false);
      const row = await db.selectFrom("registrations").select("answers").where("email", "=", "a@example.org").executeTakeFirstOrThrow();
      assert.equal(row.answers[String(reception.id)], "yes");
      assert.deepEqual((await registrationQuestions(db, meeting.id)).map((q) => q.id), [track.id]);
    });
  });

  it("are enforced by the registration form: required ones answered, choices among the options", async () => {
    const meeting = await meetingForRegistration(db, { registration_policy: "open" });
    const track = await addQuestion(db, meeting.id, parsed({ label: "Track", kind: "single_choice", required: "on", options: "Policy\nTechnical" }), null);
    const sessions = await addQuestion(db, meeting.id, parsed({ label: "Sessions", kind: "multiple_choice", options: "Opening\nPanel" }), null);
    assert.ok(track.ok && sessions.ok);
    const questions = await registrationQuestions(db, meeting.id);
    const submit = (fields: Record<string, string | string[] | undefined>) => {
      const data = new FormData();
      for (const [name, value] of registrationForm(fields)) data.append(name, value);
      return parseRegistrationForm(data, meeting.mode, questions);
    };
    const missing = submit({});
    assert.ok(!missing.ok && missing.errors[`question-${track.id}`] === "This question needs an answer");
    const unknown = submit({ [`question-${track.id}`]: "Gossip", [`question-${sessions.id}`]: ["Opening", "Karaoke"] });
    assert.ok(!unknown.ok);
    assert.equal(unknown.errors[`question-${track.id}`], "Choose one of the options");
    assert.equal(unknown.errors[`question-${sessions.id}`], "Choose among the options");
    const good = submit({ [`question-${track.id}`]: "Technical", [`question-${sessions.id}`]: ["Opening", "Panel"] });
    assert.ok(good.ok);
    assert.deepEqual(good.input.answers, { [track.id]: "Technical", [sessions.id]: ["Opening", "Panel"] });
  });
});
