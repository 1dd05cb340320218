import type { ReactNode } from "react";

/** One choice of a select or a group of radios. */
export type Option = { value: string; label: string };

/** The choices a labels table gives, in its order: `{ confirmed: "Confirmed" }` → `[{ value: "confirmed", label: "Confirmed" }]`. */
export function labelOptions(labels: Record<string, string>): Option[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

/** Form fields with their label, hint and error wired for assistive technology; the typed value is kept. */

interface FieldProps {
  name: string;
  /** The input's id when `name` would not be unique on the page (two forms with the same fields). */
  id?: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function FieldFrame({ name, id = name, label, hint, error, required, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children}
      {error ? (
        <span className="error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function TextField(
  props: FieldProps & { defaultValue?: string | null; type?: string; autoComplete?: string; placeholder?: string; inputMode?: "numeric" | "email" | "url" | "text"; list?: string },
) {
  const { name, id = name, hint, error, required, defaultValue, type = "text", autoComplete, placeholder, inputMode, list } = props;
  return (
    <FieldFrame {...props}>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue ?? ""}
        required={required}
        autoComplete={autoComplete}
        placeholder={placeholder}
        inputMode={inputMode}
        list={list}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldProps & { defaultValue?: string | null; rows?: number }) {
  const { name, id = name, hint, error, required, defaultValue, rows = 6 } = props;
  return (
    <FieldFrame {...props}>
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue ?? ""}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

export function SelectField(
  props: FieldProps & { defaultValue?: string | null; options: Option[]; placeholder?: string },
) {
  const { name, id = name, hint, error, required, defaultValue, options, placeholder } = props;
  return (
    <FieldFrame {...props}>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** A short list of what is wrong, at the top of a refused form, each linking to its field (ids `idPrefix` + name). */
export function ErrorSummary({ errors, idPrefix = "" }: { errors?: Record<string, string>; idPrefix?: string }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <strong>Please correct {entries.length === 1 ? "this field" : `these ${entries.length} fields`}:</strong>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${idPrefix}${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Asks which of the two readings of a time the clocks show twice is meant; submits `name` as earlier|later. */
export function OverlapChoice({ name, legend, earlier, later }: { name: string; legend: string; earlier: string; later: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <label>
        <input type="radio" name={name} value="earlier" required /> {earlier}
      </label>
      <br />
      <label>
        <input type="radio" name={name} value="later" /> {later}
      </label>
    </fieldset>
  );
}
