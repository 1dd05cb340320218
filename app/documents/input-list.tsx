import type { ReactNode } from "react";
import type { InputView } from "./inputs.server";

/** A list of inputs on a draft: author, organisation, where in the text, when, the text and its file. */
export function InputList({
  inputs,
  filesBase,
  showCountry = false,
  actions,
}: {
  inputs: InputView[];
  /** `/meetings/:slug/documents/:id/inputs`: each file is at `<filesBase>/<input id>/file`. */
  filesBase: string;
  showCountry?: boolean;
  actions?: (input: InputView) => ReactNode;
}) {
  return (
    <ol className="input-list">
      {inputs.map((input) => (
        <li key={input.id} id={`input-${input.id}`} className="card">
          <p>
            <strong>{input.author}</strong>, {input.organisation}
            {showCountry && <> ({input.country})</>}
            {input.addressed && <span className="badge published"> Addressed</span>}
          </p>
          <p className="muted small">
            {[input.section ? `Section ${input.section}` : null, input.page ? `page ${input.page}` : null].filter(Boolean).join(", ")}
            {input.section || input.page ? " · " : ""}
            Received <time dateTime={input.receivedAtIso}>{input.receivedAt}</time>
            {input.edited && " (changed since)"}
          </p>
          <div className="pre-line">{input.body}</div>
          {input.file && (
            <p>
              <a href={`${filesBase}/${input.id}/file`} download>
                {input.file.name}
              </a>{" "}
              <span className="muted small">({Math.max(1, Math.round(input.file.size / 1024))} KB)</span>
            </p>
          )}
          {actions?.(input)}
        </li>
      ))}
    </ol>
  );
}
