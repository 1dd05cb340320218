import { Link } from "@remix-run/react";
import type { RegistrationStatus } from "../../db/schema";
import { REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { SelectField } from "~/ui/fields";
import type { PageDocument } from "./public-documents.server";

/** The participants' documents page: documents by type, each with its languages, and "Download all". */

type DocumentView = Omit<PageDocument, "corrigenda">;

const LOCKED_TEXT = {
  registered: "Available to registered participants",
  confirmed: "Available to confirmed participants",
} as const;

function DocumentFacts({ document, signInUrl }: { document: DocumentView; signInUrl: string | null }) {
  return (
    <>
      <p className="muted small">
        {document.symbol && <span className="document-symbol">{document.symbol}</span>}
        {document.symbol && " · "}Distribution: {document.distribution}
      </p>
      {document.description && <p className="document-description">{document.description}</p>}
      {document.lockedFor ? (
        <p className="document-locked">
          <strong>{LOCKED_TEXT[document.lockedFor]}</strong> ({document.languages.join(", ")}).
          {signInUrl && (
            <>
              {" "}
              <Link to={signInUrl}>Sign in</Link> to download it.
            </>
          )}
        </p>
      ) : (
        <ul className="document-files" aria-label={`Download ${document.title}`}>
          {document.files.map((file) => (
            <li key={file.language}>
              <a href={file.href} hrefLang={file.language} download>
                {file.languageName}
              </a>{" "}
              <span className="muted small">({file.size})</span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">
        Latest version <time dateTime={document.updated.at}>{document.updated.text}</time>
        {document.agendaItems.length > 0 && <> · Agenda: {document.agendaItems.join("; ")}</>}
      </p>
      {document.earlier.length > 0 && (
        <details className="document-history">
          <summary>Earlier versions ({document.earlier.length})</summary>
          <ul>
            {document.earlier.map((file) => (
              <li key={file.key}>
                <a href={file.href} download>
                  {file.label}
                </a>{" "}
                <span className="muted small">
                  (uploaded <time dateTime={file.uploaded.at}>{file.uploaded.text}</time>)
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {document.comments && (
        <p className="notice">
          {`${document.comments.lead} `}
          <time dateTime={document.comments.closes.at}>{document.comments.closes.text}</time>:{" "}
          <Link to={document.comments.href}>{document.comments.action}</Link>
        </p>
      )}
    </>
  );
}

function Title({ document, level }: { document: DocumentView; level: "h3" | "h4" }) {
  const Heading = level;
  return (
    <Heading id={`document-${document.id}-title`}>
      {document.title}
      {document.isNew && (
        <>
          {" "}
          <span className="badge new">New</span>
        </>
      )}
    </Heading>
  );
}

export function DocumentEntry({ document, signInUrl }: { document: PageDocument; signInUrl: string | null }) {
  return (
    <article className="card document" id={`document-${document.id}`} aria-labelledby={`document-${document.id}-title`}>
      <Title document={document} level="h3" />
      <DocumentFacts document={document} signInUrl={signInUrl} />
      {document.corrigenda.length > 0 && (
        <ul className="document-corrigenda" aria-label={`Corrections to ${document.title}`}>
          {document.corrigenda.map((corrigendum) => (
            <li key={corrigendum.id} id={`document-${corrigendum.id}`}>
              <span className="tag">Corrigendum</span>
              <Title document={corrigendum} level="h4" />
              <DocumentFacts document={corrigendum} signInUrl={signInUrl} />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** Why some documents are locked, and what to do about it. */
export function AccessNote({
  visitor,
  signInUrl,
  registerUrl,
}: {
  visitor: { email: string; registrationStatus: RegistrationStatus | null } | null;
  signInUrl: string;
  registerUrl: string;
}) {
  if (!visitor) {
    return (
      <p className="notice" role="note">
        Some documents are for participants only. <Link to={signInUrl}>Sign in</Link> with the email address you registered
        with to download them.
      </p>
    );
  }
  return (
    <p className="notice" role="note">
      Some documents are for participants only. You are signed in as <strong>{visitor.email}</strong>
      {visitor.registrationStatus ? (
        <>
          , whose registration for this meeting is: {REGISTRATION_STATUS_LABELS[visitor.registrationStatus].toLowerCase()}.
        </>
      ) : (
        <>
          , which has no registration for this meeting. <Link to={registerUrl}>Register</Link> or sign in with the address you
          registered with.
        </>
      )}
    </p>
  );
}

export function DownloadAllForm({ action, languages }: { action: string; languages: { code: string; name: string }[] }) {
  const defaultLanguage = languages.some((language) => language.code === "en") ? "en" : languages[0]?.code;
  return (
    <form method="get" action={action} className="filters download-all">
      <SelectField
        name="lang"
        label="Language"
        hint="Documents not in this language come in English, or else in their first language."
        defaultValue={defaultLanguage}
        options={languages.map((language) => ({ value: language.code, label: language.name }))}
      />
      <button type="submit" className="button">
        Download all (zip)
      </button>
    </form>
  );
}
