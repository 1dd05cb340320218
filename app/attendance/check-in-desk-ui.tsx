import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { MeetingMode } from "../../db/schema";
import type { FormFailure } from "~/lib/form";
import { StatusBadge } from "~/registration/console-ui";
import { OnTheSpotFields } from "~/registration/on-the-spot-fields";
import { ErrorSummary, type Option } from "~/ui/fields";
import type { DeskPerson, Outcome } from "./check-in-desk.server";

/** The check-in desk's pieces: a person as the desk shows them, their buttons, what just happened, the walk-in form. */

function PersonDetails({ person }: { person: DeskPerson }) {
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

/**
 * Undo, or check in. Someone not confirmed (pending, waitlisted, declined, cancelled) is offered
 * confirmation with the check-in, a manager's call: check-in staff are told to ask one. Reissuing a
 * badge (which voids the old one) is a manager's too.
 */
function PersonActions({ person, action, slug, manages }: { person: DeskPerson; action: string; slug: string; manages: boolean }) {
  const badgeUrl = `/admin/meetings/${slug}/badges.pdf?layout=a6&registration=${person.id}`;
  return (
    <div className="desk-actions">
      <Form method="post" action={action}>
        <input type="hidden" name="registration" value={person.id} />
        {person.checkedIn ? (
          <button type="submit" name="intent" value="undo" className="button secondary desk-button">
            Undo<span className="visually-hidden"> check-in of {person.name}</span>
          </button>
        ) : person.status !== "confirmed" ? (
          manages ? (
            <button type="submit" name="intent" value="confirm-and-check-in" className="button desk-button">
              Confirm and check in<span className="visually-hidden"> {person.name}</span>
            </button>
          ) : (
            <p className="muted">Not confirmed: ask one of the meeting's managers.</p>
          )
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
          {manages && (
            <Form method="post" action={action}>
              <input type="hidden" name="registration" value={person.id} />
              <button type="submit" name="intent" value="reissue" className="button secondary small">
                Reissue badge<span className="visually-hidden"> of {person.name}</span>
              </button>
            </Form>
          )}
        </>
      )}
    </div>
  );
}

export function OutcomePanel({ outcome, action, slug, manages }: { outcome: Outcome; action: string; slug: string; manages: boolean }) {
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
          <PersonActions person={outcome.person} action={action} slug={slug} manages={manages} />
        </>
      )}
    </section>
  );
}

/** A person in the search results, with their buttons. */
export function DeskPersonCard({ person, action, slug, manages }: { person: DeskPerson; action: string; slug: string; manages: boolean }) {
  return (
    <li className="card desk-person">
      <h3>{person.name}</h3>
      <PersonDetails person={person} />
      <PersonActions person={person} action={action} slug={slug} manages={manages} />
    </li>
  );
}

/** A badge's address opened on the desk: who it is, and a button to check them in (a GET records nothing). */
export function BadgePanel({ code, person, action }: { code: string; person: DeskPerson; action: string }) {
  return (
    <section className="desk-outcome info" role="status" aria-labelledby="badge-headline">
      <p className="desk-outcome-headline" id="badge-headline">
        Badge: {person.name}
      </p>
      <PersonDetails person={person} />
      {!person.checkedIn && (
        <Form method="post" action={action}>
          <input type="hidden" name="code" value={code} />
          <button type="submit" name="intent" value="scan" className="button desk-button desk-big">
            Check in<span className="visually-hidden"> {person.name}</span>
          </button>
        </Form>
      )}
    </section>
  );
}

const WALK_IN = "walk-in-";

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
      <ErrorSummary errors={errors} idPrefix={WALK_IN} />
      <Form method="post" action={action} className="stacked" id={`${WALK_IN}form`} key={JSON.stringify(values)}>
        <OnTheSpotFields countries={countries} meetingMode={meetingMode} values={values} errors={errors} idPrefix={WALK_IN} />
        <button type="submit" name="intent" value="walk-in" className="button desk-button" disabled={submitting}>
          {submitting ? "Registering…" : "Register and check in"}
        </button>
      </Form>
    </details>
  );
}
