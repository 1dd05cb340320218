import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { MeetingMode } from "../../db/schema";
import type { FormFailure } from "~/lib/form";
import { StatusBadge } from "~/registration/console-ui";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS } from "~/registration/labels";
import { ErrorSummary, labelOptions, type Option, SelectField, TextField } from "~/ui/fields";
import type { DeskPerson } from "./check-in-desk.server";

/** The check-in desk's pieces: a person as the desk shows them, their buttons, what just happened, the walk-in form. */

/** What the desk says after an action: the headline, why, and the person it was about. */
export type Outcome = { tone: "ok" | "info" | "refused"; headline: string; detail?: string; person?: DeskPerson; offerConfirm?: boolean };

export const FORGED_BADGE =
  "This badge is not valid for this meeting: it may be another meeting's badge, or one that was reissued. Search for the person by name instead.";

export function PersonDetails({ person }: { person: DeskPerson }) {
  return (
    <>
      <p className="desk-person-org">
        {person.organisation} · {person.country}
      </p>
      <p className="desk-person-meta">
        {person.category} · <StatusBadge status={person.status} />
      </p>
      <p className={person.checkedIn ? "desk-in" : "desk-out"}>
        {person.checkedIn ? (
          <>
            <strong>Checked in</strong> {person.checkedIn.at}, {person.checkedIn.method}
            {person.checkedIn.by ? ` (${person.checkedIn.by})` : ""}
          </>
        ) : (
          "Not checked in"
        )}
      </p>
    </>
  );
}

export function PersonActions({ person, action, offerConfirm, slug }: { person: DeskPerson; action: string; offerConfirm?: boolean; slug: string }) {
  const badgeUrl = `/admin/meetings/${slug}/badges.pdf?layout=a6&registration=${person.id}`;
  return (
    <div className="desk-actions">
      <Form method="post" action={action}>
        <input type="hidden" name="registration" value={person.id} />
        {person.checkedIn ? (
          <button type="submit" name="intent" value="undo" className="button secondary desk-button">
            Undo<span className="visually-hidden"> check-in of {person.name}</span>
          </button>
        ) : offerConfirm ? (
          <button type="submit" name="intent" value="confirm-and-check-in" className="button desk-button">
            Confirm and check in<span className="visually-hidden"> {person.name}</span>
          </button>
        ) : (
          <button type="submit" name="intent" value="check-in" className="button desk-button">
            Check in<span className="visually-hidden"> {person.name}</span>
          </button>
        )}
      </Form>
      {person.status === "confirmed" && (
        <>
          <a href={badgeUrl} className="button secondary small">
            Badge<span className="visually-hidden"> of {person.name} (PDF)</span>
          </a>
          <Form method="post" action={action}>
            <input type="hidden" name="registration" value={person.id} />
            <button type="submit" name="intent" value="reissue" className="button secondary small">
              Reissue badge<span className="visually-hidden"> of {person.name}</span>
            </button>
          </Form>
        </>
      )}
    </div>
  );
}

export function OutcomePanel({ outcome, action, slug }: { outcome: Outcome; action: string; slug: string }) {
  const panel = useRef<HTMLElement>(null);
  useEffect(() => panel.current?.focus(), [outcome]);
  return (
    <section ref={panel} tabIndex={-1} className={`desk-outcome ${outcome.tone}`} role="status" aria-labelledby="desk-outcome-headline">
      <p className="desk-outcome-headline" id="desk-outcome-headline">
        {outcome.headline}
        {outcome.person ? `: ${outcome.person.name}` : ""}
      </p>
      {outcome.detail && <p>{outcome.detail}</p>}
      {outcome.person && (
        <>
          <PersonDetails person={outcome.person} />
          <PersonActions person={outcome.person} action={action} offerConfirm={outcome.offerConfirm} slug={slug} />
        </>
      )}
    </section>
  );
}

export function WalkInForm({ countries, meetingMode, failure, action }: { countries: Option[]; meetingMode: MeetingMode; failure?: FormFailure; action: string }) {
  const values = failure?.values ?? {};
  const errors = failure?.errors ?? {};
  const submitting = useNavigation().formData?.get("intent") === "walk-in";
  return (
    <details className="card desk-walk-in" open={failure !== undefined}>
      <summary>
        <h2>Register on the spot</h2>
      </summary>
      <p className="muted">For someone who arrived unregistered: they are registered as confirmed (within capacity), emailed as usual, and checked in.</p>
      <ErrorSummary errors={errors} />
      <Form method="post" action={action} className="stacked" id="form" key={JSON.stringify(values)}>
        <TextField name="firstName" label="First name" required defaultValue={values.firstName} error={errors.firstName} autoComplete="off" />
        <TextField name="lastName" label="Last name" required defaultValue={values.lastName} error={errors.lastName} autoComplete="off" />
        <TextField name="email" label="Email address" type="email" required defaultValue={values.email} error={errors.email} autoComplete="off" />
        <TextField name="organisation" label="Organisation" required defaultValue={values.organisation} error={errors.organisation} autoComplete="off" />
        <SelectField name="country" label="Country" required placeholder="Choose…" options={countries} defaultValue={values.country} error={errors.country} />
        <SelectField name="gender" label="Gender" required placeholder="Choose…" options={labelOptions(GENDER_LABELS)} defaultValue={values.gender} error={errors.gender} />
        <SelectField name="category" label="Participating as" required placeholder="Choose…" options={labelOptions(CATEGORY_LABELS)} defaultValue={values.category} error={errors.category} />
        {meetingMode === "hybrid" && (
          <SelectField
            name="attendanceMode"
            label="Attends"
            required
            placeholder="Choose…"
            options={labelOptions(ATTENDANCE_MODE_LABELS)}
            defaultValue={values.attendanceMode}
            error={errors.attendanceMode}
          />
        )}
        <div className="field">
          <label className="checkbox">
            <input type="checkbox" name="consent" value="yes" id="consent" defaultChecked={values.consent === "yes"} aria-invalid={errors.consent ? true : undefined} aria-describedby={errors.consent ? "consent-error" : undefined} />{" "}
            The person has read and accepts the privacy notice
          </label>
          {errors.consent && (
            <span className="error" id="consent-error">
              {errors.consent}
            </span>
          )}
        </div>
        <button type="submit" name="intent" value="walk-in" className="button desk-button" disabled={submitting}>
          {submitting ? "Registering…" : "Register and check in"}
        </button>
      </Form>
    </details>
  );
}
