import { useState } from "react";
import { PARTICIPANT_CATEGORIES, type RegistrationStatus } from "../../db/schema";
import { CATEGORY_LABELS, REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { SelectField } from "~/ui/fields";
import { AUDIENCE_KIND_LABELS, AUDIENCE_KINDS } from "./document-audience";

/**
 * The audience's fields of a form (a circulation, a comment period), as `audienceSchema` reads
 * them: `audience` (a kind), `category`, and `registrations` ticked in the people picker.
 */

type ChoosablePerson = { id: number; name: string; email: string; organisation: string; status: RegistrationStatus };
export type AudienceFieldValues = { audience: string; category: string; registrations: string[] };

export function GroupError({ name, error }: { name: string; error?: string }) {
  return error ? (
    <p className="error" id={`${name}-error`}>
      {error}
    </p>
  ) : null;
}

function PeoplePicker({ people, chosen, error }: { people: ChoosablePerson[]; chosen: string[]; error?: string }) {
  const [search, setSearch] = useState("");
  const needle = search.trim().toLowerCase();
  return (
    <fieldset id="registrations" aria-describedby={error ? "registrations-error" : undefined}>
      <legend>Specific people</legend>
      <p className="hint">Used when the audience is “Specific people”. Only pending, waiting-list and confirmed registrations are listed.</p>
      <GroupError name="registrations" error={error} />
      <div className="field">
        <label htmlFor="people-search">Find a person</label>
        {/* Enter filters, it must not submit the form (which would send it to the audience). */}
        <input
          id="people-search"
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => event.key === "Enter" && event.preventDefault()}
          autoComplete="off"
        />
      </div>
      {people.length === 0 ? (
        <p className="muted">Nobody is registered yet.</p>
      ) : (
        <ul className="choice-list people-list">
          {people.map((person) => {
            const hidden = needle !== "" && !`${person.name} ${person.email} ${person.organisation}`.toLowerCase().includes(needle);
            return (
              <li key={person.id} hidden={hidden}>
                <label>
                  <input type="checkbox" name="registrations" value={person.id} defaultChecked={chosen.includes(String(person.id))} />
                  {person.name} <span className="muted">&lt;{person.email}&gt; · {REGISTRATION_STATUS_LABELS[person.status]}</span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}

/** The audience's kind and category, then the people picker; `hint` says who is never reached. */
export function AudienceFields({
  legend,
  hint,
  people,
  values,
  errors,
}: {
  legend: string;
  hint: string;
  people: ChoosablePerson[];
  values: AudienceFieldValues;
  errors: Record<string, string>;
}) {
  const kind = values.audience || "confirmed";
  return (
    <>
      <fieldset id="audience" aria-describedby={errors.audience ? "audience-error" : "audience-hint"}>
        <legend>{legend}</legend>
        <p className="hint" id="audience-hint">
          {hint}
        </p>
        <GroupError name="audience" error={errors.audience} />
        <ul className="choice-list">
          {AUDIENCE_KINDS.map((value) => (
            <li key={value}>
              <label>
                <input type="radio" name="audience" value={value} defaultChecked={kind === value} />
                {AUDIENCE_KIND_LABELS[value]}
              </label>
            </li>
          ))}
        </ul>
        <SelectField
          name="category"
          label="Category"
          hint="For “Registrants of one category”: their pending, waiting-list and confirmed registrations."
          defaultValue={values.category}
          placeholder="Choose a category"
          options={PARTICIPANT_CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] }))}
          error={errors.category}
        />
      </fieldset>
      <PeoplePicker people={people} chosen={values.registrations} error={errors.registrations} />
    </>
  );
}
