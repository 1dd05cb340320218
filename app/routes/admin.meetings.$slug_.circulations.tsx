import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import {
  circulableDocuments,
  circulate,
  circulationLog,
  optOutCount,
  previewCirculation,
} from "~/documents/circulation.server";
import { AudienceFields, GroupError } from "~/documents/audience-fields";
import { audienceInput, audienceSchema, describeDocumentAudience } from "~/documents/document-audience";
import { choosablePeople } from "~/documents/document-audience.server";
import { adminDocumentList } from "~/documents/document-admin.server";
import { ACCESS_LEVEL_LABELS, documentLabel, languageName } from "~/documents/labels";
import { fieldErrors, formValues, plainForm } from "~/lib/form";
import { renderMarkdown } from "~/lib/markdown.server";
import { zoneLabel } from "~/lib/time";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextArea } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { SendPreview } from "~/ui/send-preview";

const MESSAGE_MAX = 2_000;
const id = z.string().regex(/^[1-9]\d{0,8}$/, "Choose documents from the list").transform(Number);

const circulationSchema = z.object({
  documents: z.array(id, { error: "Choose documents from the list" }).min(1, "Choose at least one document").max(100, "At most 100 documents at once"),
  message: z
    .string()
    .trim()
    .max(MESSAGE_MAX, `At most ${MESSAGE_MAX.toLocaleString("en")} characters`)
    .refine((text) => !text.includes("\u0000"), "The message contains a character that cannot be sent (NUL)")
    .transform((text) => text || null),
  expectedCount: z.string().regex(/^\d{1,9}$/).transform(Number).optional(),
});

/** What the form had, to show it again: the text fields and the repeated choices. */
type Typed = { audience: string; category: string; message: string; documents: string[]; registrations: string[] };

function typed(formData: FormData): Typed {
  const { audience = "", category = "", message = "" } = formValues(formData);
  const all = (name: string) => formData.getAll(name).filter((value): value is string => typeof value === "string");
  return { audience, category, message, documents: all("documents"), registrations: all("registrations") };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const [documents, all, people, log, optedOut] = await Promise.all([
    circulableDocuments(db, meeting.id),
    adminDocumentList(db, meeting.id, { deleted: false }),
    choosablePeople(db, meeting.id),
    circulationLog(db, meeting),
    optOutCount(db, meeting.id),
  ]);
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone), published: meeting.status === "published" },
    documents: documents.map(({ document, symbol, files }) => ({
      id: document.id,
      symbol,
      title: document.title,
      access: ACCESS_LEVEL_LABELS[document.access_level],
      languages: files.map((file) => languageName(file.language)).join(", "),
    })),
    downloads: all.map(({ document, symbol, downloads }) => ({
      id: document.id,
      label: documentLabel(symbol, document.title),
      access: ACCESS_LEVEL_LABELS[document.access_level],
      ...downloads,
    })),
    people,
    log,
    optedOut,
  });
}

type Preview = {
  count: number;
  audience: string;
  recipients: { name: string; email: string; status: string }[];
  optedOut: number;
  warnings: string[];
  documents: string[];
  messageHtml: string;
  notice: string | null;
};

type ActionData = { kind: "refused"; errors: Record<string, string>; values: Typed } | { kind: "preview"; values: Typed; preview: Preview };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const formData = await plainForm(request);
  const values = typed(formData);
  const intent = formData.get("intent");
  if (intent !== "preview" && intent !== "send") throw new Response("Unknown action.", { status: 400 });
  const form = circulationSchema.safeParse({ documents: values.documents, message: values.message, expectedCount: formData.get("expectedCount") ?? undefined });
  const audience = audienceSchema.safeParse(audienceInput(formData));
  if (!form.success || !audience.success) {
    const errors = { ...(form.success ? {} : fieldErrors(form.error)), ...(audience.success ? {} : fieldErrors(audience.error)) };
    return json<ActionData>({ kind: "refused", errors, values }, { status: 400 });
  }

  const input = { meeting, documentIds: form.data.documents, audience: audience.data };
  const checked = await previewCirculation(db, input);
  if (!checked.ok) return json<ActionData>({ kind: "refused", errors: checked.errors, values }, { status: 400 });
  const preview = (notice: string | null) =>
    json<ActionData>({
      kind: "preview",
      values,
      preview: {
        count: checked.recipients.length,
        audience: describeDocumentAudience(audience.data),
        recipients: checked.recipients.map(({ name, email, status }) => ({ name, email, status: REGISTRATION_STATUS_LABELS[status] })),
        optedOut: checked.optedOut,
        warnings: checked.warnings,
        documents: checked.documents.map(({ document, symbol }) => documentLabel(symbol, document.title)),
        messageHtml: renderMarkdown(form.data.message),
        notice,
      },
    });
  if (intent === "preview") return preview(null);
  // The audience may have changed since the preview (new registrations, decisions, opt-outs): show it again.
  if (form.data.expectedCount !== checked.recipients.length) {
    return preview(`The audience has changed since the preview: it is now ${checked.recipients.length}. Check, then send.`);
  }
  const sent = await circulate(db, { ...input, message: form.data.message, sentBy: user.id });
  if (!sent.ok) return json<ActionData>({ kind: "refused", errors: sent.errors, values }, { status: 409 });
  return redirect(`/admin/meetings/${meeting.slug}/circulations?sent=${sent.circulationId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Circulate documents: ${data.meeting.title}` : "Circulate documents" }];

function Hidden({ values }: { values: Typed }) {
  return (
    <>
      {values.documents.map((value) => (
        <input key={`d${value}`} type="hidden" name="documents" value={value} />
      ))}
      {values.registrations.map((value) => (
        <input key={`r${value}`} type="hidden" name="registrations" value={value} />
      ))}
      <input type="hidden" name="audience" value={values.audience} />
      {values.category && <input type="hidden" name="category" value={values.category} />}
      <input type="hidden" name="message" value={values.message} />
    </>
  );
}

function PreviewCard({ values, preview }: { values: Typed; preview: Preview }) {
  const people = preview.count === 1 ? "person" : "people";
  return (
    <SendPreview
      className="card circulation-preview"
      notice={preview.notice}
      count={preview.count}
      noun={["person", "people"]}
      hidden={<Hidden values={values} />}
      nobody="Nobody in this audience can receive the documents. Change the audience below."
    >
      <dl className="facts">
        <dt>To</dt>
        <dd>
          <strong>
            {preview.count} {people}
          </strong>{" "}
          ({preview.audience}), one email each
          {preview.optedOut > 0 && (
            <div className="muted small">
              {preview.optedOut} more {preview.optedOut === 1 ? "has" : "have"} opted out of this meeting's documents and will not receive them.
            </div>
          )}
        </dd>
        <dt>Documents</dt>
        <dd>
          <ul>
            {preview.documents.map((document) => (
              <li key={document}>{document}</li>
            ))}
          </ul>
        </dd>
      </dl>
      {preview.warnings.length > 0 && (
        <div className="notice" role="alert">
          <p>
            <strong>Some recipients cannot open some documents.</strong> They still get the link, which asks them to sign in; you may send anyway.
          </p>
          <ul>
            {preview.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      {preview.messageHtml && <div className="mail-frame" dangerouslySetInnerHTML={{ __html: preview.messageHtml }} />}
      {preview.count > 0 && (
        <details>
          <summary>Who receives it ({preview.count})</summary>
          <ul className="circulation-recipients">
            {preview.recipients.map((recipient) => (
              <li key={recipient.email}>
                {recipient.name} &lt;{recipient.email}&gt; · {recipient.status}
              </li>
            ))}
          </ul>
        </details>
      )}
    </SendPreview>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function CirculateForm({ data, values, errors }: { data: LoaderData; values: Typed; errors: Record<string, string> }) {
  return (
    <Form method="post" className="stacked" id="form" noValidate>
      <fieldset id="documents" aria-describedby={errors.documents ? "documents-error" : undefined}>
        <legend>Documents</legend>
        <p className="hint">Documents for organisers only are not listed: to circulate one, change who may read it first.</p>
        <GroupError name="documents" error={errors.documents} />
        {data.documents.length === 0 ? (
          <p className="muted">This meeting has no documents with a file yet.</p>
        ) : (
          <ul className="choice-list">
            {data.documents.map((document) => (
              <li key={document.id}>
                <label>
                  <input type="checkbox" name="documents" value={document.id} defaultChecked={values.documents.includes(String(document.id))} />
                  {document.symbol && <span className="symbol">{document.symbol}</span>} {document.title}{" "}
                  <span className="muted small">
                    · {document.languages} · {document.access}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <AudienceFields
        legend="Audience"
        hint="People who declined or cancelled never receive circulations: they left the meeting. Addresses that opted out of this meeting's documents are left out."
        people={data.people}
        values={values}
        errors={errors}
      />
      <TextArea
        name="message"
        label="Message (optional)"
        rows={6}
        defaultValue={values.message}
        error={errors.message}
        hint={`Up to ${MESSAGE_MAX.toLocaleString("en")} characters. Markdown: **bold**, *italic*, lists with -, links as [text](https://…). Each email starts “Dear <first name>,”, then your message, then the documents with a link per language.`}
      />
      <button type="submit" name="intent" value="preview" className="button">
        Preview recipients
      </button>
    </Form>
  );
}

function CirculationLog({ data }: { data: LoaderData }) {
  if (data.log.length === 0) return <p className="muted">No documents have been circulated for this meeting yet.</p>;
  return (
    <div className="table-scroll">
      <table className="data">
        <caption className="muted">Times in {data.meeting.zone}, the meeting's zone.</caption>
        <thead>
          <tr>
            <th scope="col">Sent</th>
            <th scope="col">By</th>
            <th scope="col">Documents</th>
            <th scope="col">Message</th>
            <th scope="col">Audience</th>
            <th scope="col">Recipients</th>
          </tr>
        </thead>
        <tbody>
          {data.log.map((circulation) => (
            <tr key={circulation.id}>
              <td>
                <time dateTime={circulation.sentAtIso}>{circulation.sentAt}</time>
              </td>
              <td>{circulation.sentBy}</td>
              <td>
                <ul className="plain">
                  {circulation.documents.map((document) => (
                    <li key={document.id}>{documentLabel(document.symbol, document.title)}</li>
                  ))}
                </ul>
              </td>
              <td className="circulation-message">{circulation.message ?? <span className="muted">none</span>}</td>
              <td>{circulation.audience}</td>
              <td>
                {circulation.recipients}
                <div className="muted small">{circulation.delivered} delivered</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Downloads({ data }: { data: LoaderData }) {
  if (data.downloads.length === 0) return <p className="muted">No documents yet.</p>;
  return (
    <div className="table-scroll">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Access</th>
            <th scope="col">Downloads</th>
            <th scope="col">People</th>
          </tr>
        </thead>
        <tbody>
          {data.downloads.map((document) => (
            <tr key={document.id}>
              <td>{document.label}</td>
              <td>{document.access}</td>
              <td>{document.total}</td>
              <td>{document.people}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Circulations() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const sent = data.log.find((circulation) => String(circulation.id) === searchParams.get("sent"));
  const values: Typed = result?.values ?? { audience: "confirmed", category: "", message: "", documents: [], registrations: [] };
  const errors = result?.kind === "refused" ? result.errors : {};
  return (
    <>
      <MeetingAdminNav meeting={data.meeting} />
      <h1>Circulate documents</h1>
      {!data.meeting.published && (
        <p className="notice" role="status">
          Documents can be circulated once the meeting is published (and not cancelled): recipients could not open the pages of a draft.
        </p>
      )}
      {sent && !result && (
        <p className="notice ok" role="status">
          The documents are on their way to {sent.recipients} {sent.recipients === 1 ? "person" : "people"}.
        </p>
      )}
      {result?.kind === "preview" && <PreviewCard values={result.values} preview={result.preview} />}

      <h2>{result?.kind === "preview" ? "Change the circulation" : "Choose documents and an audience"}</h2>
      <ErrorSummary errors={errors} />
      <CirculateForm key={JSON.stringify(values)} data={data} values={values} errors={errors} />

      <h2>Circulated</h2>
      <CirculationLog data={data} />
      <p>
        {data.optedOut === 0
          ? "Nobody has opted out of this meeting's documents."
          : `${data.optedOut} ${data.optedOut === 1 ? "address has" : "addresses have"} opted out of this meeting's documents.`}
      </p>

      <h2>Downloads</h2>
      <p className="muted">Every download of each current document: in all, and by distinct signed-in people.</p>
      <Downloads data={data} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
