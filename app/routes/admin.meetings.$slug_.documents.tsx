import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { adminDocumentList, agendaChoices, correctableDocuments, createDocument, restoreDocument } from "~/documents/document-admin.server";
import { NEW_DOCUMENT_FILE_FIELDS } from "~/documents/document-fields";
import { MetadataFields, NewDocumentFiles, type DocumentFormState } from "~/documents/document-form";
import { parseNewDocument } from "~/documents/document-form.server";
import { findMeetingDocument } from "~/documents/documents.server";
import { ACCESS_LEVEL_LABELS, displaySymbol, DISTRIBUTION_LABELS, DOCUMENT_TYPE_LABELS, formatFileSize, languageName } from "~/documents/labels";
import { readUploadForm } from "~/documents/uploads.server";
import { formatInstant, zoneLabel } from "~/lib/time";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { maxUploadBytes } from "~/settings.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, SelectField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { plainForm, recordId } from "~/lib/form";

const restoreSchema = z.object({ intent: z.literal("restore"), document: recordId });

const SAVED: Record<string, string> = {
  deleted: "Document deleted. It is listed under “Deleted documents”, where it can be restored.",
  restored: "Document restored.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const [documents, deleted, agendaItems, correctable] = await Promise.all([
    adminDocumentList(db, meeting.id, { deleted: false }),
    adminDocumentList(db, meeting.id, { deleted: true }),
    agendaChoices(db, meeting.id),
    correctableDocuments(db, meeting.id),
  ]);
  const row = (entry: (typeof documents)[number]) => ({
    id: entry.document.id,
    symbol: entry.symbol,
    title: entry.document.title,
    type: DOCUMENT_TYPE_LABELS[entry.document.type],
    distribution: DISTRIBUTION_LABELS[entry.document.distribution],
    access: ACCESS_LEVEL_LABELS[entry.document.access_level],
    languages: entry.files.map((file) => ({ code: file.language, name: languageName(file.language), version: file.version })),
    updatedAt: formatInstant(entry.updatedAt, meeting.timezone),
    deletedAt: entry.document.deleted_at ? formatInstant(entry.document.deleted_at, meeting.timezone) : null,
    downloads: entry.downloads,
  });
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone) },
    documents: documents.map(row),
    deleted: deleted.map(row),
    agendaItems,
    correctable: correctable.map((document) => ({
      value: String(document.id),
      label: `${displaySymbol(document.symbol, document.revision) ?? "(no symbol)"} – ${document.title}`,
    })),
    maxUpload: formatFileSize(maxUploadBytes()),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  if (!request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const restore = restoreSchema.safeParse(Object.fromEntries(await plainForm(request)));
    if (!restore.success) throw new Response("Unknown action.", { status: 400 });
    if (!(await findMeetingDocument(db, meeting.id, restore.data.document))) throw new Response("This meeting has no such document.", { status: 404 });
    await restoreDocument(db, restore.data.document, user.id);
    return redirect(`/admin/meetings/${meeting.slug}/documents?saved=restored`);
  }

  const upload = await readUploadForm(request, { fileFields: NEW_DOCUMENT_FILE_FIELDS, maxFiles: NEW_DOCUMENT_FILE_FIELDS.length });
  if (!upload.ok) return json<DocumentFormState>({ errors: { [upload.field]: upload.message }, values: upload.values, agendaItems: upload.multiValues.agendaItems ?? [] }, { status: upload.status });
  const refused = (errors: Record<string, string>) =>
    json<DocumentFormState>({ errors, values: upload.values, agendaItems: upload.multiValues.agendaItems ?? [] }, { status: 400 });
  const [agendaItems, correctable] = await Promise.all([agendaChoices(db, meeting.id), correctableDocuments(db, meeting.id)]);
  const parsed = parseNewDocument(upload, {
    agendaItemIds: agendaItems.map((item) => Number(item.value)),
    correctableIds: correctable.map((document) => document.id),
  });
  if (!parsed.ok) return refused(parsed.errors);
  const created = await createDocument(db, { ...parsed.input, meetingId: meeting.id, createdBy: user.id });
  if (!created.ok) return refused({ [created.field]: created.message });
  return redirect(`/admin/meetings/${meeting.slug}/documents/${created.value}?saved=created`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Documents: ${data.meeting.title}` : "Documents" }];

type Row = ReturnType<typeof useLoaderData<typeof loader>>["documents"][number];

function DocumentsTable({ rows, slug, caption, restore }: { rows: Row[]; slug: string; caption: string; restore?: boolean }) {
  return (
    <div className="table-scroll">
      <table className="data documents-admin">
        <caption className="muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Title</th>
            <th scope="col">Type</th>
            <th scope="col">Distribution and access</th>
            <th scope="col">Languages (version)</th>
            <th scope="col" className="number">
              Downloads
            </th>
            <th scope="col">{restore ? "Deleted" : "Updated"}</th>
            {restore && <th scope="col">Restore</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.symbol ?? <span className="muted">none</span>}</td>
              <td>
                <Link to={`/admin/meetings/${slug}/documents/${row.id}`}>{row.title}</Link>
              </td>
              <td>{row.type}</td>
              <td>
                {row.distribution}
                <div className="muted small">{row.access}</div>
              </td>
              <td>
                <ul className="plain">
                  {row.languages.map((language) => (
                    <li key={language.code}>
                      {language.name} <span className="muted">(v{language.version})</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td className="number">{row.downloads.total}</td>
              <td>{restore ? row.deletedAt : row.updatedAt}</td>
              {restore && (
                <td>
                  <Form method="post">
                    <input type="hidden" name="document" value={row.id} />
                    <button type="submit" name="intent" value="restore" className="button small secondary">
                      Restore<span className="visually-hidden"> “{row.title}”</span>
                    </button>
                  </Form>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function MeetingDocuments() {
  const { meeting, documents, deleted, agendaItems, correctable, maxUpload } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const submitting = useNavigation().state === "submitting";
  const saved = SAVED[searchParams.get("saved") ?? ""];
  const state: DocumentFormState = refused ?? { values: {}, agendaItems: [] };
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Documents</h1>
      {saved && !refused && (
        <p className="notice ok" role="status">
          {saved}
        </p>
      )}
      {documents.length === 0 ? (
        <p className="muted">This meeting has no documents yet: add the first one below.</p>
      ) : (
        <DocumentsTable rows={documents} slug={meeting.slug} caption={`Times in ${meeting.zone}, the meeting's zone.`} />
      )}

      <section aria-labelledby="add-document" className="card document-upload">
        <h2 id="add-document">Add a document</h2>
        <ErrorSummary errors={state.errors} />
        {/* id "form": where the error summary sends a refusal of the whole upload (too large, unreadable). */}
        <Form method="post" encType="multipart/form-data" className="stacked" id="form" key={refused ? JSON.stringify(refused.values) : "new"}>
          <MetadataFields state={state} agendaItems={agendaItems} zone={meeting.zone} />
          {correctable.length > 0 && (
            <SelectField
              name="corrects"
              label="Corrigendum of"
              options={correctable}
              placeholder="Not a corrigendum"
              defaultValue={state.values.corrects}
              error={state.errors?.corrects}
              hint="A corrigendum stands beside the document it corrects; its symbol is the original's with /Corr.1, /Corr.2…"
            />
          )}
          <NewDocumentFiles state={state} maxUpload={maxUpload} />
          <button type="submit" className="button" disabled={submitting}>
            {submitting ? "Uploading…" : "Add document"}
          </button>
        </Form>
      </section>

      {deleted.length > 0 && (
        <section aria-labelledby="deleted-documents">
          <h2 id="deleted-documents">Deleted documents</h2>
          <DocumentsTable rows={deleted} slug={meeting.slug} caption="Nobody but organisers sees these; restoring one puts it back in every list." restore />
        </section>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
