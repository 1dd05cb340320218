import type { MeetingMode } from "../../db/schema";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS } from "~/registration/labels";
import { labelOptions, type Option, SelectField, TextField } from "~/ui/fields";

/**
 * The fields of an organiser's form for someone registered on the spot (parseOnTheSpotForm): a
 * walk-in at the check-in desk, a name from a webinar report. One form, so the two read alike.
 * `values` are what was typed (or what is already known, to prefill); `idPrefix` keeps the ids
 * unique on a page with other fields (give ErrorSummary the same prefix).
 */
export function OnTheSpotFields({
  countries,
  meetingMode,
  values = {},
  errors = {},
  idPrefix = "",
}: {
  countries: Option[];
  meetingMode: MeetingMode;
  values?: Record<string, string | undefined>;
  errors?: Record<string, string>;
  idPrefix?: string;
}) {
  const id = (name: string) => `${idPrefix}${name}`;
  const text = (name: string, label: string, type = "text") => (
    <TextField name={name} id={id(name)} label={label} type={type} required defaultValue={values[name]} error={errors[name]} autoComplete="off" />
  );
  const select = (name: string, label: string, options: Option[]) => (
    <SelectField name={name} id={id(name)} label={label} required placeholder="Choose…" options={options} defaultValue={values[name]} error={errors[name]} />
  );
  const consentError = errors.consent ? id("consent-error") : undefined;
  return (
    <>
      <div className="row">
        {text("firstName", "First name")}
        {text("lastName", "Last name")}
      </div>
      <div className="row">
        {text("email", "Email address", "email")}
        {text("organisation", "Organisation")}
      </div>
      <div className="row">
        {select("country", "Country", countries)}
        {select("gender", "Gender", labelOptions(GENDER_LABELS))}
        {select("category", "Participating as", labelOptions(CATEGORY_LABELS))}
      </div>
      {meetingMode === "hybrid" && select("attendanceMode", "Attends", labelOptions(ATTENDANCE_MODE_LABELS))}
      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            name="consent"
            value="yes"
            id={id("consent")}
            defaultChecked={values.consent === "yes"}
            aria-invalid={errors.consent ? true : undefined}
            aria-describedby={consentError}
          />{" "}
          The person has read and accepts the privacy notice
        </label>
        {errors.consent && (
          <span className="error" id={consentError}>
            {errors.consent}
          </span>
        )}
      </div>
    </>
  );
}
