import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { formValues, plainForm, recordId } from "~/lib/form";
import { QUESTION_KIND_LABELS } from "~/registration/labels";
import { meetingSummary, organisersMeeting } from "~/registration/organiser-meeting.server";
import {
  addQuestion,
  deleteQuestion,
  moveQuestion,
  parseQuestionForm,
  questionFormValues,
  questionsWithAnswerCounts,
  updateQuestion,
} from "~/registration/questions.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { ErrorSummary, labelOptions, SelectField, TextArea, TextField } from "~/ui/fields";

const intentSchema = z.enum(["add", "save", "delete", "up", "down"], { error: "Unknown action" });
const idSchema = recordId;

const SAVED: Record<string, string> = {
  added: "Question added to the registration form.",
  saved: "Question saved.",
  deleted: "Question deleted. Answers already given stay in the registrations' records.",
  moved: "Order saved.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const questions = await questionsWithAnswerCounts(database(), meeting.id);
  const editId = idSchema.safeParse(new URL(request.url).searchParams.get("edit"));
  const editing = editId.success ? questions.find((q) => q.id === editId.data) : undefined;
  return json({
    meeting: meetingSummary(meeting),
    questions: questions.map(({ id, label, kind, required, options, answered }) => ({ id, label, kind, required, options, answered })),
    editing: editing ? { id: editing.id, answered: editing.answered, values: questionFormValues(editing) } : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  const back = (saved: string) => redirect(`/admin/meetings/${meeting.slug}/questions?saved=${saved}`);

  if (intent.data === "add") {
    const parsed = parseQuestionForm(formData);
    if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
    const saved = await addQuestion(db, meeting.id, parsed.input, user.id);
    if (!saved.ok) return json({ errors: saved.errors, values: formValues(formData) }, { status: 400 });
    return back("added");
  }

  const id = idSchema.safeParse(formData.get("question"));
  if (!id.success) throw new Response("Which question?", { status: 400 });
  switch (intent.data) {
    case "save": {
      const parsed = parseQuestionForm(formData);
      if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
      const saved = await updateQuestion(db, meeting.id, id.data, parsed.input, user.id);
      if (!saved.ok) return json({ errors: saved.errors, values: formValues(formData) }, { status: 400 });
      return back("saved");
    }
    case "delete":
      if (!(await deleteQuestion(db, meeting.id, id.data, user.id))) throw new Response("This question no longer exists.", { status: 404 });
      return back("deleted");
    case "up":
    case "down":
      if ((await moveQuestion(db, meeting.id, id.data, intent.data, user.id)) === "unknown") throw new Response("This question no longer exists.", { status: 404 });
      return back("moved");
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Questions: ${data.meeting.title}` : "Questions" }];

function QuestionForm({
  values,
  errors,
  editing,
  submitting,
}: {
  values: Record<string, string>;
  errors: Record<string, string>;
  editing: { id: number; answered: number } | null;
  submitting: boolean;
}) {
  return (
    <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
      <ErrorSummary errors={errors} />
      {errors.form && (
        <p className="notice cancelled" role="alert">
          {errors.form}
        </p>
      )}
      {editing && <input type="hidden" name="question" value={editing.id} />}
      {editing && editing.answered > 0 && (
        <p className="notice" role="note">
          {editing.answered === 1 ? "1 registration has" : `${editing.answered} registrations have`} answered this question. You may reword it, make it
          required or not, and add options; its kind and the options people chose stay.
        </p>
      )}
      <TextField name="label" label="Question" required defaultValue={values.label} error={errors.label} />
      <SelectField
        name="kind"
        label="Kind of answer"
        required
        placeholder="Choose…"
        options={labelOptions(QUESTION_KIND_LABELS)}
        defaultValue={values.kind}
        error={errors.kind}
      />
      <TextArea
        name="options"
        label="Options"
        rows={5}
        hint="For single and multiple choice: at least two, one a line."
        defaultValue={values.options}
        error={errors.options}
      />
      <div className="field">
        <label>
          <input type="checkbox" name="required" id="required" defaultChecked={values.required === "on"} /> An answer is required
        </label>
      </div>
      <div className="actions">
        <button type="submit" name="intent" value={editing ? "save" : "add"} className="button" disabled={submitting}>
          {editing ? "Save question" : "Add question"}
        </button>
        {editing && (
          <Link to="." className="button secondary">
            Cancel
          </Link>
        )}
      </div>
    </Form>
  );
}

export default function Questions() {
  const { meeting, questions, editing } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const [searchParams] = useSearchParams();
  const saved = SAVED[searchParams.get("saved") ?? ""];
  const errors: Record<string, string> = refused?.errors ?? {};
  const values: Record<string, string> = refused?.values ?? editing?.values ?? { required: "" };
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>
        Questions: {meeting.title}
      </h1>
      <p>{meeting.when}</p>
      <p>
        The registration form asks the standard questions (name, organisation, country…), then these, in this order.{" "}
        <Link to={`/meetings/${meeting.slug}/register`}>See the form</Link>
        {meeting.status === "draft" ? " (once the meeting is published)" : ""}.
      </p>
      {saved && !refused && (
        <p className="notice ok" role="status">
          {saved}
        </p>
      )}
      {questions.length === 0 ? (
        <p className="muted">No questions of the meeting's own yet.</p>
      ) : (
        <ol className="question-list" style={{ paddingLeft: "1.25rem" }}>
          {questions.map((question, index) => (
            <li key={question.id} id={`question-${question.id}`} className="card" style={{ marginBottom: ".75rem" }}>
              <strong>{question.label}</strong>
              <div className="muted">
                {QUESTION_KIND_LABELS[question.kind]} · {question.required ? "required" : "optional"} ·{" "}
                {question.answered === 1 ? "1 answer" : `${question.answered} answers`}
              </div>
              {question.options.length > 0 && (
                <ul>
                  {question.options.map((option) => (
                    <li key={option}>{option}</li>
                  ))}
                </ul>
              )}
              <div className="actions">
                <Link to={`?edit=${question.id}`} className="button secondary" aria-label={`Edit “${question.label}”`}>
                  Edit
                </Link>
                <Form method="post">
                  <input type="hidden" name="question" value={question.id} />
                  <button type="submit" name="intent" value="up" className="button secondary" disabled={index === 0} aria-label={`Move “${question.label}” up`}>
                    Move up
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="question" value={question.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="down"
                    className="button secondary"
                    disabled={index === questions.length - 1}
                    aria-label={`Move “${question.label}” down`}
                  >
                    Move down
                  </button>
                </Form>
                <Form
                  method="post"
                  onSubmit={(event) => {
                    const note = question.answered > 0 ? " The answers already given stay in the registrations' records." : "";
                    if (!window.confirm(`Delete the question “${question.label}”?${note}`)) event.preventDefault();
                  }}
                >
                  <input type="hidden" name="question" value={question.id} />
                  <button type="submit" name="intent" value="delete" className="button danger" aria-label={`Delete “${question.label}”`}>
                    Delete
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ol>
      )}
      <h2>{editing ? "Edit the question" : "Add a question"}</h2>
      <QuestionForm values={values} errors={errors} editing={editing} submitting={submitting} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
