import { useEffect, useRef } from "react";
import type { MeetingMode, RegistrationQuestion } from "../../db/schema";
import { labelOptions, type Option, SelectField, TextArea, TextField } from "~/ui/fields";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS, SALUTATIONS } from "./labels";

type Question = Pick<RegistrationQuestion, "id" | "label" | "kind" | "required" | "options">;

export interface RegistrationFieldsProps {
  meetingMode: MeetingMode;
  questions: Question[];
  countries: Option[];
  timezones: string[];
  values: Record<string, string>;
  errors: Record<string, string>;
}


/** Suggests the browser's zone when the person has not chosen one. */
function useBrowserZone(input: React.RefObject<HTMLInputElement>) {
  useEffect(() => {
    if (input.current && !input.current.value) input.current.value = Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";
  }, [input]);
}

function QuestionField({ question, values, error }: { question: Question; values: Record<string, string>; error?: string }) {
  const name = `question-${question.id}`;
  const value = values[name] ?? "";
  const chosen = value.split("\n");
  const describedBy = error ? `${name}-error` : undefined;
  if (question.kind === "short_text") return <TextField name={name} label={question.label} required={question.required} defaultValue={value} error={error} />;
  if (question.kind === "long_text") return <TextArea name={name} label={question.label} required={question.required} defaultValue={value} error={error} rows={4} />;
  const choices: Option[] = question.kind === "yes_no" ? [{ value: "yes", label: "Yes" }, { value: "no", label: "No" }] : question.options.map((o) => ({ value: o, label: o }));
  const type = question.kind === "multiple_choice" ? "checkbox" : "radio";
  return (
    <fieldset aria-describedby={describedBy} aria-invalid={error ? true : undefined} id={name}>
      <legend>
        {question.label}
        {question.required ? <span aria-hidden="true"> *</span> : null}
      </legend>
      {choices.map((choice) => (
        <label key={choice.value} style={{ display: "block" }}>
          <input type={type} name={name} value={choice.value} defaultChecked={chosen.includes(choice.value)} /> {choice.label}
        </label>
      ))}
      {error && (
        <span className="error" id={`${name}-error`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}

/** The details a registrant gives, shared by the registration form and the manage page. */
export function RegistrationFields({ meetingMode, questions, countries, timezones, values, errors }: RegistrationFieldsProps) {
  const zone = useRef<HTMLInputElement>(null);
  useBrowserZone(zone);
  return (
    <>
      <fieldset>
        <legend>About you</legend>
        <div className="row">
          <SelectField name="salutation" label="Salutation" placeholder="—" options={SALUTATIONS.map((s) => ({ value: s, label: s }))} defaultValue={values.salutation} error={errors.salutation} />
          <TextField name="firstName" label="First name" required autoComplete="given-name" defaultValue={values.firstName} error={errors.firstName} />
          <TextField name="lastName" label="Last name" required autoComplete="family-name" defaultValue={values.lastName} error={errors.lastName} />
        </div>
        <div className="row">
          <TextField name="organisation" label="Organisation" required autoComplete="organization" defaultValue={values.organisation} error={errors.organisation} />
          <TextField name="jobTitle" label="Job title" autoComplete="organization-title" defaultValue={values.jobTitle} error={errors.jobTitle} />
        </div>
        <div className="row">
          <SelectField name="country" label="Country" required placeholder="Choose…" options={countries} defaultValue={values.country} error={errors.country} hint="The country you represent or work in." />
          <SelectField name="category" label="Participating as" required placeholder="Choose…" options={labelOptions(CATEGORY_LABELS)} defaultValue={values.category} error={errors.category} />
        </div>
        <SelectField name="gender" label="Gender" required placeholder="Choose…" options={labelOptions(GENDER_LABELS)} defaultValue={values.gender} error={errors.gender} hint="Reported only as totals, e.g. the share of women participants." />
      </fieldset>
      <fieldset>
        <legend>Attending</legend>
        {meetingMode === "hybrid" && (
          <SelectField name="attendanceMode" label="I will attend" required placeholder="Choose…" options={labelOptions(ATTENDANCE_MODE_LABELS)} defaultValue={values.attendanceMode} error={errors.attendanceMode} />
        )}
        <TextArea name="needs" label="Accessibility or dietary needs" rows={3} defaultValue={values.needs} error={errors.needs} />
        <div className="field">
          <label htmlFor="timezone">Your time zone</label>
          <span className="hint" id="timezone-hint">
            Emails give times in the meeting's zone and, where different, in yours.
          </span>
          <input
            ref={zone}
            id="timezone"
            name="timezone"
            list="registration-timezones"
            defaultValue={values.timezone ?? ""}
            aria-describedby={errors.timezone ? "timezone-hint timezone-error" : "timezone-hint"}
            aria-invalid={errors.timezone ? true : undefined}
          />
          <datalist id="registration-timezones">
            {timezones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {errors.timezone && (
            <span className="error" id="timezone-error">
              {errors.timezone}
            </span>
          )}
        </div>
      </fieldset>
      {questions.length > 0 && (
        <fieldset>
          <legend>Questions from the organisers</legend>
          {questions.map((question) => (
            <QuestionField key={question.id} question={question} values={values} error={errors[`question-${question.id}`]} />
          ))}
        </fieldset>
      )}
    </>
  );
}
