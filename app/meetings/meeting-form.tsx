import { Form, useNavigation } from "@remix-run/react";
import { ErrorSummary, labelOptions, type Option, OverlapChoice, SelectField, TextArea, TextField } from "~/ui/fields";
import { KIND_LABELS, MODE_LABELS, POLICY_LABELS } from "./labels";


export interface MeetingFormOptions {
  timezones: string[];
  countries: Option[];
  programmes: Option[];
}

export interface MeetingFormState {
  values: Record<string, string>;
  errors?: Record<string, string>;
  overlaps?: { field: string; earlier: string; later: string }[];
}


/** Asked when the zone of a meeting with an agenda changes: do its items keep their clock times or their moments? */
function AgendaKeepsChoice({ value, error }: { value?: string; error?: string }) {
  return (
    <fieldset id="agendaKeeps" aria-describedby={error ? "agendaKeeps-error" : undefined}>
      <legend>The time zone changes: what should the agenda's items keep?</legend>
      {error && (
        <p className="error" id="agendaKeeps-error">
          {error}
        </p>
      )}
      <label>
        <input type="radio" name="agendaKeeps" value="wall_times" defaultChecked={value === "wall_times"} required /> Their clock times (09:00 stays
        09:00 in the new zone; the moments move)
      </label>
      <br />
      <label>
        <input type="radio" name="agendaKeeps" value="instants" defaultChecked={value === "instants"} /> Their moments (the clock times change to
        the new zone's)
      </label>
    </fieldset>
  );
}

/** The organisers' meeting form; input names follow the API's fields. */
export function MeetingForm({ state, options: choices, submitLabel }: { state: MeetingFormState; options: MeetingFormOptions; submitLabel: string }) {
  const { values, errors = {}, overlaps = [] } = state;
  const submitting = useNavigation().state === "submitting";
  const overlap = (field: string) => overlaps.find((o) => o.field === field);
  return (
    // Keyed by the values so that saved or refused values replace what the inputs showed.
    <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
      <input type="hidden" name="intent" value="save" />
      <ErrorSummary errors={errors} />
      <fieldset>
        <legend>About</legend>
        <TextField name="title" label="Title" required defaultValue={values.title} error={errors.title} />
        <TextField name="summary" label="Summary" hint="One or two sentences, shown in lists." defaultValue={values.summary} error={errors.summary} />
        <TextArea name="description" label="Description" hint="Markdown: headings, lists, links." rows={10} defaultValue={values.description} error={errors.description} />
        <div className="row">
          <SelectField name="kind" label="Kind" required placeholder="Choose…" options={labelOptions(KIND_LABELS)} defaultValue={values.kind} error={errors.kind} />
          <SelectField name="programme" label="Programme" placeholder="None" options={choices.programmes} defaultValue={values.programme} error={errors.programme} />
        </div>
        <div className="row">
          <TextField name="organisingBody" label="Organising body" required placeholder="ESCAP" defaultValue={values.organisingBody} error={errors.organisingBody} />
          <TextField name="partners" label="Partners" hint="Separated by commas." defaultValue={values.partners} error={errors.partners} />
        </div>
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <TextField
          name="timezone"
          label="Time zone"
          required
          list="timezones"
          placeholder="Asia/Bangkok"
          hint="The meeting's IANA time zone, Area/City (Geneva is Europe/Zurich). Days and times below are in it."
          defaultValue={values.timezone}
          error={errors.timezone}
        />
        <datalist id="timezones">
          {choices.timezones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        {(errors.agendaKeeps || values.agendaKeeps) && <AgendaKeepsChoice value={values.agendaKeeps} error={errors.agendaKeeps} />}
        <div className="row">
          <TextField name="startsOn" label="First day" type="date" required defaultValue={values.startsOn} error={errors.startsOn} />
          <TextField name="endsOn" label="Last day" type="date" required defaultValue={values.endsOn} error={errors.endsOn} />
        </div>
      </fieldset>
      <fieldset>
        <legend>Where</legend>
        <SelectField name="mode" label="Format" required placeholder="Choose…" options={labelOptions(MODE_LABELS)} defaultValue={values.mode} error={errors.mode} />
        <div className="row">
          <TextField name="venueName" label="Venue" hint="In person and hybrid." defaultValue={values.venueName} error={errors.venueName} />
          <TextField name="venueCity" label="City" defaultValue={values.venueCity} error={errors.venueCity} />
        </div>
        <TextField name="venueAddress" label="Address" defaultValue={values.venueAddress} error={errors.venueAddress} />
        <SelectField name="venueCountry" label="Country" placeholder="Choose…" options={choices.countries} defaultValue={values.venueCountry} error={errors.venueCountry} />
        <TextField
          name="onlineUrl"
          label="Online joining link"
          type="url"
          inputMode="url"
          hint="Online and hybrid. Given only to confirmed participants; never shown publicly."
          defaultValue={values.onlineUrl}
          error={errors.onlineUrl}
        />
      </fieldset>
      <fieldset>
        <legend>Registration</legend>
        <SelectField name="registrationPolicy" label="Policy" required options={labelOptions(POLICY_LABELS)} defaultValue={values.registrationPolicy || "open"} error={errors.registrationPolicy} />
        <div className="row">
          <TextField
            name="registrationOpensAt"
            label="Opens"
            type="datetime-local"
            hint="In the meeting's time zone. Empty: open now."
            defaultValue={values.registrationOpensAt}
            error={errors.registrationOpensAt}
          />
          <TextField
            name="registrationClosesAt"
            label="Closes"
            type="datetime-local"
            hint="In the meeting's time zone. Empty: until the meeting ends."
            defaultValue={values.registrationClosesAt}
            error={errors.registrationClosesAt}
          />
        </div>
        {overlap("registrationOpensAt") && (
          <OverlapChoice name="registrationOpensAtSide" legend="Which opening time?" {...overlap("registrationOpensAt")!} />
        )}
        {overlap("registrationClosesAt") && (
          <OverlapChoice name="registrationClosesAtSide" legend="Which closing time?" {...overlap("registrationClosesAt")!} />
        )}
        <TextField name="capacity" label="Capacity" inputMode="numeric" hint="Places; empty for no limit." defaultValue={values.capacity} error={errors.capacity} />
      </fieldset>
      <fieldset>
        <legend>Contact</legend>
        <TextField name="contactEmail" label="Contact email" type="email" defaultValue={values.contactEmail} error={errors.contactEmail} />
      </fieldset>
      <button type="submit" className="button" disabled={submitting}>
        {submitting ? "Saving…" : submitLabel}
      </button>
    </Form>
  );
}
