import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import {
  addDocumentFile,
  agendaChoices,
  corrigendaOf,
  deleteDocument,
  documentAgendaItemIds,
  documentDownloads,
  fileHistoryByLanguage,
  restoreDocument,
  updateDocument,
} from "~/documents/document-admin.server";
import { AddFileForm, MetadataFields, type DocumentFormState } from "~/documents/document-form";
import { formFields, parseDocumentMetadata, parseNewFile } from "~/documents/document-form.server";
import { findMeetingDocument } from "~/documents/documents.server";
import { ACCESS_LEVEL_LABELS, displaySymbol, DISTRIBUTION_LABELS, DOCUMENT_TYPE_LABELS, formatFileSize, languageName } from "~/documents/labels";
import { readUploadForm } from "~/documents/uploads.server";
import { plainForm, recordId } from "~/lib/form";
import { formatInstant, zoneLabel } from "~/lib/time";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { maxUploadBytes } from "~/settings.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const intentSchema = z.enum(["save", "delete", "restore"]);

const SAVED: Record<string, string> = {
  created: "Document added.",
  saved: "Details saved.",
  "file-added": "File uploaded.",
  restored: "Document restored.",
};

/** The meeting and its document asked for: 404 when the meeting has no such document. */
async function documentOf(request: Request, params: LoaderFunctionArgs["params"]) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const id = recordId.safeParse(params.id);
  const document = id.success ? await findMeetingDocument(database(), meeting.id, id.data) : undefined;
  if (!document) throw new Response("This meeting has no such document.", { status: 404 });
  return { user, meeting, document };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting, document } = await documentOf(request, params);
  const db = database();
  const zone = meeting.timezone;
  const [languages, downloads, agendaItems, linked, original, corrigenda] = await Promise.all([
    fileHistoryByLanguage(db, document, meeting),
    documentDownloads(db, document.id),
    agendaChoices(db, meeting.id),
    documentAgendaItemIds(db, document.id),
    document.corrects_id ? findMeetingDocument(db, meeting.id, document.corrects_id) : undefined,
    corrigendaOf(db, document.id),
  ]);
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(zone) },
    document: {
      id: document.id,
      title: document.title,
      symbol: displaySymbol(document.symbol, document.revision),
      baseSymbol: document.symbol,
      revision: document.revision,
      type: DOCUMENT_TYPE_LABELS[document.type],
      distribution: DISTRIBUTION_LABELS[document.distribution],
      access: ACCESS_LEVEL_LABELS[document.access_level],
      isCorrigendum: document.corrects_id !== null,
      deletedAt: document.deleted_at ? formatInstant(document.deleted_at, zone) : null,
    },
    original: original ? { id: original.id, title: original.title, symbol: displaySymbol(original.symbol, original.revision) } : null,
    corrigenda: corrigenda.map((corrigendum) => ({ id: corrigendum.id, title: corrigendum.title, symbol: corrigendum.symbol, deleted: corrigendum.deleted_at !== null })),
    values: {
      title: document.title,
      type: document.type,
      symbol: document.symbol ?? "",
      description: document.description ?? "",
      distribution: document.distribution,
      access: document.access_level,
    },
    linked: linked.map(String),
    agendaItems,
    languages,
    downloads: {
      total: downloads.total,
      latest: downloads.latest.map((download) => ({
        id: download.id,
        who: download.email ?? "anonymous",
        when: formatInstant(download.created_at, zone),
        file: `${languageName(download.language)} v${download.version}`,
      })),
    },
    maxUpload: formatFileSize(maxUploadBytes()),
  });
}

type ActionData = DocumentFormState & { form: "file" | "details" };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting, document } = await documentOf(request, params);
  const db = database();
  const page = `/admin/meetings/${meeting.slug}/documents/${document.id}`;
  const notWhileDeleted = () => {
    if (document.deleted_at) throw new Response("This document is deleted: restore it first.", { status: 409 });
  };

  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    notWhileDeleted();
    const upload = await readUploadForm(request, { fileFields: ["file"], maxFiles: 1 });
    const refused = (errors: Record<string, string>, status: number) => json<ActionData>({ form: "file", errors, values: upload.values, agendaItems: [] }, { status });
    if (!upload.ok) return refused({ [upload.field]: upload.message }, upload.status);
    if (upload.values.intent !== "add-file") throw new Response("Unknown action.", { status: 400 });
    const parsed = parseNewFile(upload);
    if (!parsed.ok) return refused(parsed.errors, 400);
    const added = await addDocumentFile(db, { documentId: document.id, ...parsed.input, uploadedBy: user.id });
    if (!added.ok) return refused({ [added.field]: added.message }, 400);
    return redirect(`${page}?saved=file-added`);
  }

  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  if (intent.data === "delete") {
    await deleteDocument(db, document.id, user.id);
    return redirect(`/admin/meetings/${meeting.slug}/documents?saved=deleted`);
  }
  if (intent.data === "restore") {
    await restoreDocument(db, document.id, user.id);
    return redirect(`${page}?saved=restored`);
  }
  notWhileDeleted();
  const { values, multiValues } = formFields(formData);
  const refused = (errors: Record<string, string>) => json<ActionData>({ form: "details", errors, values, agendaItems: multiValues.agendaItems ?? [] }, { status: 400 });
  const agendaItems = await agendaChoices(db, meeting.id);
  const parsed = parseDocumentMetadata(values, multiValues, agendaItems.map((item) => Number(item.value)));
  if (!parsed.ok) return refused(parsed.errors);
  const updated = await updateDocument(db, document, parsed.input, user.id);
  if (!updated.ok) return refused({ [updated.field]: updated.message });
  return redirect(`${page}?saved=saved`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.document.title}: documents of ${data.meeting.title}` : "Document" }];

type Language = ReturnType<typeof useLoaderData<typeof loader>>["languages"][number];

function History({ languages, zone }: { languages: Language[]; zone: string }) {
  return (
    <div className="table-scroll">
      <table className="data document-history">
        <caption className="muted">Times in {zone}, the meeting's zone.</caption>
        <thead>
          <tr>
            <th scope="col">Language</th>
            <th scope="col">Version</th>
            <th scope="col">Symbol</th>
            <th scope="col">File</th>
            <th scope="col">Uploaded</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {languages.flatMap((language) =>
            language.files.map((file) => (
              <tr key={file.id} className={file.supersededAt ? "superseded" : undefined}>
                <td>{language.name}</td>
                <td>v{file.version}</td>
                <td>{file.symbol ?? <span className="muted">{file.revision > 0 ? `Rev.${file.revision}` : "none"}</span>}</td>
                <td>
                  <a href={file.href}>{file.fileName}</a>
                  <div className="muted small">{file.size}</div>
                </td>
                <td>
                  {file.uploadedAt}
                  <div className="muted small">{file.uploader ?? "unknown"}</div>
                </td>
                <td>{file.supersededAt ? <span className="badge">Superseded {file.supersededAt}</span> : <span className="badge published">Current</span>}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Restore for a deleted document; for another, the delete question (asked at `?delete`, so it needs no script). */
function DeleteQuestion({ title, deletedAt }: { title: string; deletedAt: string | null }) {
  if (deletedAt) {
    return (
      <Form method="post" className="notice cancelled">
        <p>This document was deleted {deletedAt}. Participants do not see it; its files and symbol are kept.</p>
        <button type="submit" name="intent" value="restore" className="button">
          Restore document
        </button>
      </Form>
    );
  }
  return (
    <Form method="post" className="notice cancelled" aria-labelledby="confirm-delete">
      <p id="confirm-delete">
        <strong>Delete “{title}”?</strong> It leaves the participants' page, the API and the downloads. Organisers can restore it from the documents page.
      </p>
      <div className="actions">
        <button type="submit" name="intent" value="delete" className="button danger">
          Delete document
        </button>
        <Link to="." className="button secondary">
          Keep it
        </Link>
      </div>
    </Form>
  );
}

export default function MeetingDocument() {
  const data = useLoaderData<typeof loader>();
  const { meeting, document, original, corrigenda, languages, downloads } = data;
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const submitting = useNavigation().state === "submitting";
  const saved = SAVED[searchParams.get("saved") ?? ""];
  const details: DocumentFormState = result?.form === "details" ? result : { values: data.values, agendaItems: data.linked };
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <p>
        <Link to={`/admin/meetings/${meeting.slug}/documents`}>‹ All documents</Link>
      </p>
      <h1>
        {document.symbol && <span className="document-symbol">{document.symbol}</span>} {document.title}
      </h1>
      {saved && !result && (
        <p className="notice ok" role="status">
          {saved}
        </p>
      )}
      <dl className="facts">
        <dt>Type</dt>
        <dd>{document.type}</dd>
        <dt>Distribution</dt>
        <dd>{document.distribution}</dd>
        <dt>Who may read it</dt>
        <dd>{document.access}</dd>
        {document.revision > 0 && (
          <>
            <dt>Revision</dt>
            <dd>Rev.{document.revision}</dd>
          </>
        )}
        {original && (
          <>
            <dt>Corrigendum of</dt>
            <dd>
              <Link to={`/admin/meetings/${meeting.slug}/documents/${original.id}`}>
                {original.symbol ? `${original.symbol} – ` : ""}
                {original.title}
              </Link>
            </dd>
          </>
        )}
        {corrigenda.length > 0 && (
          <>
            <dt>Corrigenda</dt>
            {corrigenda.map((corrigendum) => (
              <dd key={corrigendum.id}>
                <Link to={`/admin/meetings/${meeting.slug}/documents/${corrigendum.id}`}>
                  {corrigendum.symbol ? `${corrigendum.symbol} – ` : ""}
                  {corrigendum.title}
                </Link>
                {corrigendum.deleted && " (deleted)"}
              </dd>
            ))}
          </>
        )}
        <dt>Downloads</dt>
        <dd>{downloads.total}</dd>
        <dt>Comments</dt>
        <dd>
          <Link to={`/admin/meetings/${meeting.slug}/documents/${document.id}/inputs`}>Inputs on this draft</Link> (open it for comments, read and export them)
        </dd>
      </dl>
      {(document.deletedAt || searchParams.has("delete")) && <DeleteQuestion title={document.title} deletedAt={document.deletedAt} />}

      <h2>Files</h2>
      <History languages={languages} zone={meeting.zone} />

      {!document.deletedAt && (
        <section aria-labelledby="add-file" className="card document-upload">
          <h2 id="add-file">Upload a new version or a language</h2>
          <ErrorSummary errors={result?.form === "file" ? result.errors : undefined} />
          <AddFileForm
            state={result?.form === "file" ? result : null}
            existing={languages}
            revision={document.revision}
            symbol={document.baseSymbol}
            maxUpload={data.maxUpload}
            submitting={submitting}
          />
        </section>
      )}

      {!document.deletedAt && (
        <section aria-labelledby="details">
          <h2 id="details">Details</h2>
          <ErrorSummary errors={details.errors} />
          <Form method="post" className="stacked" key={result?.form === "details" ? JSON.stringify(result.values) : "details"}>
            <MetadataFields state={details} agendaItems={data.agendaItems} zone={meeting.zone} symbolFixed={document.isCorrigendum ? document.baseSymbol : undefined} />
            <button type="submit" name="intent" value="save" className="button">
              Save details
            </button>
          </Form>
        </section>
      )}

      <section aria-labelledby="downloads">
        <h2 id="downloads">Who downloaded it</h2>
        {downloads.latest.length === 0 ? (
          <p className="muted">Nobody has downloaded it yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <caption className="muted">
                {downloads.total} {downloads.total === 1 ? "download" : "downloads"}; the latest {downloads.latest.length}, times in {meeting.zone}.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">When</th>
                  <th scope="col">File</th>
                </tr>
              </thead>
              <tbody>
                {downloads.latest.map((download) => (
                  <tr key={download.id}>
                    <td>{download.who}</td>
                    <td>{download.when}</td>
                    <td>{download.file}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {!document.deletedAt && !searchParams.has("delete") && (
        <section aria-labelledby="delete">
          <h2 id="delete">Delete</h2>
          <p>
            <Link to="?delete" className="button danger">
              Delete document…
            </Link>
          </p>
        </section>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
