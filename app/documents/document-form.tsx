import { Form } from "@remix-run/react";
import { labelOptions, SelectField, TextArea, TextField, type Option } from "~/ui/fields";
import { ACCEPTED_FILES, fileField, OTHER_LANGUAGE } from "./document-fields";
import { ACCESS_LEVEL_LABELS, DISTRIBUTION_LABELS, DOCUMENT_TYPE_LABELS, languageName, MEETING_LANGUAGES } from "./labels";

/** The organisers' documents forms: the metadata fields (new and edit), the new document's files, and the add-a-file form. */

export type DocumentFormState = { errors?: Record<string, string>; values: Record<string, string>; agendaItems: string[] };

export function MetadataFields({
  state,
  agendaItems,
  zone,
  symbolFixed,
}: {
  state: DocumentFormState;
  agendaItems: Option[];
  /** The meeting's zone, in which the agenda items' times are given. */
  zone: string;
  symbolFixed?: string | null;
}) {
  const { values, errors = {} } = state;
  return (
    <>
      <TextField name="title" label="Title" required defaultValue={values.title} error={errors.title} />
      <div className="row">
        <SelectField name="type" label="Type" required options={labelOptions(DOCUMENT_TYPE_LABELS)} defaultValue={values.type} error={errors.type} placeholder="Choose…" />
        {symbolFixed === undefined ? (
          <TextField
            name="symbol"
            label="Symbol"
            defaultValue={values.symbol}
            error={errors.symbol}
            hint="Optional, unique within the meeting: e.g. ESCAP/APIS/2026/WP.1. /Rev.N is added by a formal revision."
          />
        ) : (
          <p className="field">
            <strong>Symbol</strong> {symbolFixed ?? "none"} <span className="hint">(a corrigendum's symbol is the original's with /Corr.N)</span>
          </p>
        )}
      </div>
      <TextArea name="description" label="Description" rows={3} defaultValue={values.description} error={errors.description} />
      <fieldset>
        <legend>Distribution and access</legend>
        <p className="hint">
          A <strong>Limited</strong> document is for registered participants at least; a <strong>Restricted</strong> one for confirmed participants or
          organisers only. General documents may have any access.
        </p>
        <div className="row">
          <SelectField name="distribution" label="Distribution" required options={labelOptions(DISTRIBUTION_LABELS)} defaultValue={values.distribution ?? "general"} error={errors.distribution} />
          <SelectField name="access" label="Who may read it" required options={labelOptions(ACCESS_LEVEL_LABELS)} defaultValue={values.access ?? "public"} error={errors.access} />
        </div>
      </fieldset>
      <fieldset className="agenda-links" id="agendaItems">
        <legend>Agenda items it belongs to (times in {zone})</legend>
        {agendaItems.length === 0 ? (
          <p className="muted">The meeting's agenda has no items yet.</p>
        ) : (
          <ul className="plain checkbox-list">
            {agendaItems.map((item) => (
              <li key={item.value}>
                <label>
                  <input type="checkbox" name="agendaItems" value={item.value} defaultChecked={state.agendaItems.includes(item.value)} /> {item.label}
                </label>
              </li>
            ))}
          </ul>
        )}
        {errors.agendaItems && <span className="error">{errors.agendaItems}</span>}
      </fieldset>
    </>
  );
}

/** The new document's files: one input per commission language, and one for another language. Text fields come first: they are read even when a file is refused. */
export function NewDocumentFiles({ state, maxUpload }: { state: DocumentFormState; maxUpload: string }) {
  const errors = state.errors ?? {};
  return (
    <fieldset className="document-files">
      <legend>Files</legend>
      <p className="hint" id="files-hint">
        One file per language, at most {maxUpload} each: PDF, Word, Excel, PowerPoint, OpenDocument text, plain text, PNG or JPEG. Drop a file on its
        language's field, or choose it.
      </p>
      <TextField name="otherLanguage" label="Another language (ISO 639 code, e.g. es, ar, ja)" defaultValue={state.values.otherLanguage} error={errors.otherLanguage} />
      {[...MEETING_LANGUAGES, OTHER_LANGUAGE].map((language) => (
        <FileInput
          key={language}
          name={fileField(language)}
          label={language === OTHER_LANGUAGE ? "File in the other language" : `File in ${languageName(language)}`}
          error={errors[fileField(language)]}
        />
      ))}
    </fieldset>
  );
}

export function FileInput({ name, label, error, required }: { name: string; label: string; error?: string; required?: boolean }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input
        type="file"
        id={name}
        name={name}
        accept={ACCEPTED_FILES}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
      />
      {error && (
        <span className="error" id={`${name}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * Uploads a file for one language: a new version of a language the document has, or a new
 * language. The revision box makes the upload a formal revision of the whole document.
 */
export function AddFileForm({
  state,
  existing,
  revision,
  symbol,
  maxUpload,
  submitting,
}: {
  state: DocumentFormState | null;
  existing: { code: string; name: string; version: number }[];
  revision: number;
  symbol: string | null;
  maxUpload: string;
  submitting: boolean;
}) {
  const errors = state?.errors ?? {};
  const values = state?.values ?? {};
  const others = MEETING_LANGUAGES.filter((code) => !existing.some((language) => language.code === code));
  const nextSymbol = symbol ? `${symbol}/Rev.${revision + 1}` : `Rev.${revision + 1}`;
  return (
    // id "form": where the error summary sends a refusal of the whole upload (too large, unreadable).
    <Form method="post" encType="multipart/form-data" className="stacked" id="form" key={state ? JSON.stringify(values) : "add-file"}>
      <input type="hidden" name="intent" value="add-file" />
      <div className="field">
        <label htmlFor="language">Language</label>
        <select id="language" name="language" required defaultValue={values.language ?? existing[0]?.code ?? ""} aria-invalid={errors.language ? true : undefined} aria-describedby={errors.language ? "language-error" : undefined}>
          {existing.length > 0 && (
            <optgroup label="New version of">
              {existing.map((language) => (
                <option key={language.code} value={language.code}>
                  {language.name} (replaces v{language.version})
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Add a language">
            {others.map((code) => (
              <option key={code} value={code}>
                {languageName(code)}
              </option>
            ))}
            <option value={OTHER_LANGUAGE}>Another language (give its code below)</option>
          </optgroup>
        </select>
        {errors.language && (
          <span className="error" id="language-error">
            {errors.language}
          </span>
        )}
      </div>
      <TextField name="otherLanguage" label="Code of the other language, for “Another language” (ISO 639: es, ar, ja…)" defaultValue={values.otherLanguage} error={errors.otherLanguage} />
      <div className="field">
        <label>
          <input type="checkbox" name="revision" value="yes" defaultChecked={values.revision === "yes"} aria-describedby="revision-hint" /> This is a formal
          revision of the document
        </label>
        <span className="hint" id="revision-hint">
          A revision applies to the whole document: its symbol becomes {nextSymbol}. Files in other languages that are not uploaded again keep their
          earlier revision, shown in the history. Leave it unticked for a corrected upload of the same text.
        </span>
      </div>
      <FileInput name="file" label={`File (at most ${maxUpload})`} error={errors.file} required />
      <button type="submit" className="button" disabled={submitting}>
        {submitting ? "Uploading…" : "Upload"}
      </button>
    </Form>
  );
}
