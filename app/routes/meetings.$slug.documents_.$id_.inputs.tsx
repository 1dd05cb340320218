import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import {
  type InputIntent,
  commentStanding,
  documentInputs,
  inputIntentSchema,
  inputSchema,
  refusalOf,
  saveInput,
} from "~/documents/inputs.server";
import { displaySymbol, documentLabel } from "~/documents/labels";
import { documentReader, mayRead } from "~/documents/access.server";
import { FileInput } from "~/documents/document-form";
import { readUploadForm } from "~/documents/uploads.server";
import { fieldErrors, recordId } from "~/lib/form";
import { formatInstant, isoInstant } from "~/lib/time";
import { MeetingHeader } from "~/meetings/meeting-header";
import { publicMeetingData, requirePublicMeeting } from "~/meetings/meeting-page.server";
import { InputList } from "~/documents/input-list";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextArea, TextField } from "~/ui/fields";

const paramsSchema = z.object({ id: recordId });

/** Who asks (signed in), which public meeting and which of its live documents; 404 otherwise. */
async function context(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const db = database();
  const meeting = await requirePublicMeeting(db, params.slug);
  const id = paramsSchema.safeParse(params);
  const standing = id.success ? await commentStanding(db, meeting.id, id.data.id, user) : undefined;
  // Someone neither invited nor entitled to read the document does not learn it exists.
  const visible = standing && (standing.invitee || mayRead(await documentReader(db, user, meeting.id), standing.document.access_level));
  if (!standing || !visible) throw new Response("There is no such document for this meeting.", { status: 404 });
  return { db, user, meeting, standing };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, meeting, standing } = await context(request, params);
  const { document, period, invitee } = standing;
  const zone = meeting.timezone;
  const inputs = invitee ? await documentInputs(db, document.id, zone) : [];
  const own = inputs.filter((input) => input.registrationId === invitee?.id);
  const others = period?.inputs_visible ? inputs.filter((input) => input.registrationId !== invitee?.id) : [];
  return json({
    meeting: publicMeetingData(meeting),
    document: { id: document.id, name: documentLabel(displaySymbol(document.symbol, document.revision), document.title), url: `/meetings/${meeting.slug}/documents/${document.id}` },
    period: period ? { closes: formatInstant(period.closes_at, zone), closesIso: isoInstant(period.closes_at), message: invitee ? period.message : null } : null,
    open: standing.open,
    refusal: refusalOf(standing, zone),
    own,
    others,
    filesBase: `/meetings/${meeting.slug}/documents/${document.id}/inputs`,
  });
}

type ActionData = { kind: "refused"; message: string } | { kind: "invalid"; errors: Record<string, string>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, meeting, standing } = await context(request, params);
  const refusal = refusalOf(standing, meeting.timezone);
  if (refusal) return json<ActionData>({ kind: "refused", message: refusal }, { status: 403 });
  const upload = await readUploadForm(request, { fileFields: ["file"], maxFiles: 1 });
  if (!upload.ok) return json<ActionData>({ kind: "invalid", errors: { [upload.field]: upload.message }, values: upload.values }, { status: upload.status });
  const { values } = upload;
  const file = upload.files[0];
  // A refused input records nothing; bytes it stored are swept once unused for a day (unreferenced-content.server.ts).
  const refuse = (data: ActionData, status: number) => json<ActionData>(data, { status });
  const intent = inputIntentSchema.safeParse(values);
  if (!intent.success) return refuse({ kind: "refused", message: "This form cannot be read: reload the page and try again." }, 400);
  let chosen: InputIntent;
  if (intent.data.intent === "withdraw") chosen = intent.data;
  else {
    const text = inputSchema.safeParse(values);
    if (!text.success) return refuse({ kind: "invalid", errors: fieldErrors(text.error), values }, 400);
    chosen = { ...intent.data, text: text.data };
  }
  const attached = file && chosen.intent !== "withdraw" ? { key: file.key, name: file.fileName, mediaType: file.mediaType, size: file.size } : null;
  const saved = await saveInput(db, { meeting, documentId: standing.document.id, user, intent: chosen, file: attached });
  if (!saved.ok) return refuse({ kind: "refused", message: saved.message }, saved.status);
  return redirect(`/meetings/${meeting.slug}/documents/${standing.document.id}/inputs?done=${intent.data.intent}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Inputs on ${data.document.name}` : "Inputs" }];

const DONE: Record<string, string> = { submit: "Thank you: your input was received.", update: "Your input was changed.", withdraw: "Your input was withdrawn." };

export default function DocumentInputs() {
  const { meeting, document, period, open, refusal, own, others, filesBase } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const editing = own.find((input) => String(input.id) === searchParams.get("edit"));
  const done = DONE[searchParams.get("done") ?? ""];
  const errors = result?.kind === "invalid" ? result.errors : {};
  const values: Record<string, string | undefined> =
    result?.kind === "invalid" ? result.values : editing ? { body: editing.body, section: editing.section ?? "", page: editing.page ? String(editing.page) : "" } : {};
  return (
    <>
      <MeetingHeader meeting={meeting} section="Inputs on a draft" />
      <h2>{document.name}</h2>
      <p>
        <a href={document.url}>Read the document</a>
        {period && (
          <>
            {" · "}
            {open ? "Inputs are welcome until" : "Comments closed"} <time dateTime={period.closesIso}>{period.closes}</time>
          </>
        )}
      </p>
      {period?.message && <p className="muted pre-line">{period.message}</p>}
      {done && !result && (
        <p className="notice ok" role="status">
          {done}
        </p>
      )}
      {result?.kind === "refused" && (
        <p className="notice" role="alert">
          {result.message}
        </p>
      )}
      {refusal && !result && (
        <p className="notice" role="status">
          {refusal}
        </p>
      )}

      {!refusal && (
        <section aria-labelledby="input-form-title">
          <h2 id="input-form-title">{editing ? "Change your input" : "Send an input"}</h2>
          <ErrorSummary errors={errors} />
          <Form method="post" encType="multipart/form-data" className="stacked" id="form" key={editing?.id ?? "new"}>
            {editing && <input type="hidden" name="inputId" value={editing.id} />}
            <TextArea name="body" label="Your input" required rows={10} defaultValue={values.body} error={errors.body} hint="Up to 20,000 characters." />
            <div className="row">
              <TextField name="section" label="Section (optional)" defaultValue={values.section} error={errors.section} hint="e.g. 2.3 or “Recommendations”" />
              <TextField name="page" label="Page (optional)" inputMode="numeric" defaultValue={values.page} error={errors.page} />
            </div>
            <FileInput
              name="file"
              label={editing?.file ? `Replace the attached file, ${editing.file.name} (optional)` : "A marked-up draft: PDF, Word, OpenDocument, text or image (optional)"}
              error={errors.file ?? errors.form}
            />
            <div className="actions">
              <button type="submit" name="intent" value={editing ? "update" : "submit"} className="button">
                {editing ? "Save the change" : "Send my input"}
              </button>
              {editing && (
                <Link to="?" className="button secondary">
                  Cancel
                </Link>
              )}
            </div>
          </Form>
        </section>
      )}

      {own.length > 0 && (
        <section aria-labelledby="own-title">
          <h2 id="own-title">Your inputs</h2>
          <InputList
            inputs={own}
            filesBase={filesBase}
            actions={(input) =>
              open && (
                <Form method="post" encType="multipart/form-data" className="row-actions">
                  <Link to={`?edit=${input.id}#input-form-title`} className="button small secondary" aria-label={`Change your input received ${input.receivedAt}`}>
                    Change
                  </Link>
                  <input type="hidden" name="inputId" value={input.id} />
                  <button type="submit" name="intent" value="withdraw" className="button small secondary" aria-label={`Withdraw your input received ${input.receivedAt}`}>
                    Withdraw
                  </button>
                </Form>
              )
            }
          />
        </section>
      )}
      {others.length > 0 && (
        <section aria-labelledby="others-title">
          <h2 id="others-title">Other participants' inputs</h2>
          <InputList inputs={others} filesBase={filesBase} />
        </section>
      )}
      <p>
        <Link to={`/meetings/${meeting.slug}/documents`}>Back to the documents</Link>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
