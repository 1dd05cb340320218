import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { listAgendaItems } from "~/agenda/agenda.server";
import { BadgeScanner } from "~/attendance/badge-scanner";
import { FORGED_BADGE, type Outcome, OutcomePanel, PersonActions, PersonDetails, WalkInForm } from "~/attendance/check-in-desk-ui";
import { type DeskPerson, defaultDeskDay, deskChoices, deskCounts, deskPerson, isMeetingDay, latestCheckIns, SEARCH_LIMIT, searchDesk } from "~/attendance/check-in-desk.server";
import { registrationOfBadge, reissueBadge } from "~/attendance/check-in-reference.server";
import { type AttendanceTarget, type CheckInOutcome, checkIn, undoCheckIn } from "~/attendance/check-ins.server";
import { database } from "~/database.server";
import { countryOptions } from "~/lib/countries.server";
import { blankIsAbsent, type FormFailure, formValues, recordId } from "~/lib/form";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";
import { zoneLabel } from "~/lib/time";
import { type MeetingWithProgramme } from "~/meetings/meetings.server";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { parseOnTheSpotForm } from "~/registration/registration-form.server";
import { changeRegistrationStatus, registerOnTheSpot } from "~/registration/registrations.server";
import { ErrorPage } from "~/ui/error-page";
import { TextField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";


const querySchema = z.object({
  day: z.preprocess(blankIsAbsent, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A day is written YYYY-MM-DD").optional()),
  item: z.preprocess(blankIsAbsent, recordId.optional()),
  q: z.preprocess(blankIsAbsent, z.string().trim().max(200, "Search for at most 200 characters").optional()),
  badge: z.preprocess(blankIsAbsent, z.string().trim().max(300, "Not a badge code").optional()),
});

const personIntent = z.object({ intent: z.enum(["check-in", "undo", "confirm-and-check-in", "reissue"]), registration: recordId });
const scanIntent = z.object({ intent: z.literal("scan"), code: z.string({ error: "Scan or type the badge code" }).trim().min(1, "Scan or type the badge code").max(500, "Not a badge code") });

type ActionData = { outcome?: Outcome; walkIn?: FormFailure; code?: FormFailure };

/** The day or agenda item the desk checks people in for, from the address: ?item=, else ?day= (a meeting day), else the default day. */
async function deskTarget(meeting: MeetingWithProgramme, query: z.output<typeof querySchema>) {
  const items = await listAgendaItems(database(), meeting.id);
  const choices = deskChoices(meeting, items);
  if (query.item !== undefined) {
    const item = choices.items.find((choice) => choice.value === String(query.item));
    if (!item) throw new Response("This meeting's agenda has no such item.", { status: 404 });
    return { target: { agendaItemId: query.item } as AttendanceTarget, label: item.label, params: { item: item.value } as Record<string, string>, choices };
  }
  const day = query.day ?? defaultDeskDay(meeting);
  if (!isMeetingDay(meeting, day)) throw new Response(`${day} is not a day of this meeting: choose one of its days.`, { status: 400 });
  const label = choices.days.find((choice) => choice.value === day)!.label;
  return { target: { day } as AttendanceTarget, label, params: { day } as Record<string, string>, choices };
}

function parseQuery(request: Request) {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response(parsed.error.issues[0]?.message ?? "Not a check-in desk address.", { status: 400 });
  return parsed.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const query = parseQuery(request);
  const desk = await deskTarget(meeting, query);
  const db = database();
  const [counts, latest, results, badge] = await Promise.all([
    deskCounts(db, meeting.id, desk.target),
    latestCheckIns(db, meeting, desk.target),
    query.q ? searchDesk(db, meeting, query.q, desk.target) : null,
    query.badge ? registrationOfBadge(db, meeting.id, query.badge) : null,
  ]);
  const badgePerson = badge ? await deskPerson(db, meeting, badge.id, desk.target) : null;
  return json(
    {
      meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone), mode: meeting.mode },
      target: { label: desk.label, params: desk.params },
      choices: desk.choices,
      q: query.q ?? "",
      results,
      searchLimit: SEARCH_LIMIT,
      counts,
      latest,
      badge: query.badge ? { code: query.badge, person: badgePerson ?? null } : null,
      countries: countryOptions().map((country) => ({ value: country.code, label: country.name })),
    },
    { headers: query.badge ? SECRET_LINK_HEADERS : {} },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

function checkInOutcome(result: CheckInOutcome, person: DeskPerson | undefined, headline: string): Outcome {
  // When and how they were checked in is in the person's details.
  if (result.ok) return result.created ? { tone: "ok", headline, person } : { tone: "info", headline: "Already checked in", person };
  const offerConfirm = result.reason === "not-confirmed" && (result.status === "pending" || result.status === "waitlisted");
  return { tone: "refused", headline: "Not checked in", detail: result.message, person, offerConfirm };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const { target } = await deskTarget(meeting, parseQuery(request));
  const db = database();
  const formData = await request.formData();
  const intent = formData.get("intent");
  const personOf = (id: number) => deskPerson(db, meeting, id, target);
  const respond = (data: ActionData, status = 200) => json(data, { status });
  const checkInWith = (registrationId: number, method: "desk" | "badge" | "walk_in") =>
    checkIn(db, { meetingId: meeting.id, registrationId, target, mode: "in_person", method, by: user.id });

  if (intent === "walk-in") {
    const parsed = parseOnTheSpotForm(formData, meeting.mode);
    if (!parsed.ok) return respond({ walkIn: { errors: parsed.errors, values: parsed.values } }, 400);
    const registered = await registerOnTheSpot(db, meeting.id, parsed.input, user.id);
    if (!registered.ok) return respond({ walkIn: { errors: { form: registered.message }, values: formValues(formData) } }, 409);
    const { registration } = registered;
    if (registered.existing) {
      const person = await personOf(registration.id);
      return respond({
        outcome: {
          tone: "info",
          headline: "Already registered",
          detail: `${parsed.input.email} already has a registration for this meeting (${person!.statusLabel.toLowerCase()}): nothing new was created.`,
          person,
          offerConfirm: registration.status === "pending" || registration.status === "waitlisted",
        },
      });
    }
    const result = await checkInWith(registration.id, "walk_in");
    return respond({ outcome: checkInOutcome(result, await personOf(registration.id), "Registered and checked in") });
  }

  if (intent === "scan") {
    const scan = scanIntent.safeParse(Object.fromEntries(formData));
    if (!scan.success) return respond({ code: { errors: { code: scan.error.issues[0]!.message }, values: { code: String(formData.get("code") ?? "") } } }, 400);
    const registration = await registrationOfBadge(db, meeting.id, scan.data.code);
    if (!registration) return respond({ outcome: { tone: "refused", headline: "Badge not recognised", detail: FORGED_BADGE } }, 404);
    const result = await checkInWith(registration.id, "badge");
    return respond({ outcome: checkInOutcome(result, await personOf(registration.id), "Checked in") });
  }

  const parsed = personIntent.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Unknown action.", { status: 400 });
  const registrationId = parsed.data.registration;
  const before = await personOf(registrationId);
  if (!before) throw new Response("This meeting has no such registration.", { status: 404 });

  switch (parsed.data.intent) {
    case "check-in": {
      const result = await checkInWith(registrationId, "desk");
      return respond({ outcome: checkInOutcome(result, await personOf(registrationId), "Checked in") });
    }
    case "undo": {
      const undone = await undoCheckIn(db, { meetingId: meeting.id, registrationId, target, by: user.id });
      const person = await personOf(registrationId);
      return respond({ outcome: undone ? { tone: "ok", headline: "Check-in undone", person } : { tone: "info", headline: "Was not checked in", person } });
    }
    case "confirm-and-check-in": {
      const confirmed = await changeRegistrationStatus(db, { meetingId: meeting.id, registrationId, to: "confirmed", by: user.id });
      if (!confirmed.ok) return respond({ outcome: { tone: "refused", headline: "Not confirmed", detail: confirmed.message, person: before } }, 409);
      const result = await checkInWith(registrationId, "desk");
      return respond({ outcome: checkInOutcome(result, await personOf(registrationId), "Confirmed and checked in") });
    }
    case "reissue": {
      if (before.status !== "confirmed") {
        return respond({ outcome: { tone: "refused", headline: "No badge", detail: "Only confirmed participants have badges.", person: before } }, 409);
      }
      await reissueBadge(db, meeting.id, registrationId);
      return respond({
        outcome: {
          tone: "ok",
          headline: "Badge reissued",
          detail: "The old badge's QR code no longer works: print the new badge (the Badge link) and hand it over.",
          person: before,
        },
      });
    }
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Check-in desk: ${data.meeting.title}` : "Check-in desk" }, SECRET_LINK_REFERRER];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The desk's address for the chosen day or item, keeping the search. */
function deskAddress(slug: string, target: Record<string, string>, q?: string): string {
  const search = new URLSearchParams(target);
  if (q) search.set("q", q);
  return `/admin/meetings/${slug}/checkin?${search}`;
}

function TargetChoice({ data }: { data: LoaderData }) {
  const submit = useSubmit();
  const chosenDay = data.target.params.day ?? "";
  const chosenItem = data.target.params.item ?? "";
  const onChange = (event: React.ChangeEvent<HTMLSelectElement>) => submit(event.currentTarget.form, { replace: true });
  return (
    <div className="desk-target">
      <Form method="get" className="desk-inline-form">
        <div className="field">
          <label htmlFor="day">Day</label>
          <select id="day" name="day" defaultValue={chosenDay} onChange={onChange} key={chosenDay}>
            {!chosenDay && <option value="">Choose a day…</option>}
            {data.choices.days.map((day) => (
              <option key={day.value} value={day.value}>
                {day.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button secondary">
          Show day
        </button>
      </Form>
      {data.choices.items.length > 0 && (
        <Form method="get" className="desk-inline-form">
          <div className="field">
            <label htmlFor="item">Or an agenda item</label>
            <select id="item" name="item" defaultValue={chosenItem} onChange={onChange} key={chosenItem}>
              <option value="">The whole day</option>
              {data.choices.items.map((item) => (
                <option key={item.value} value={item.value}>
                  {item.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button secondary">
            Show item
          </button>
        </Form>
      )}
    </div>
  );
}

function SearchForm({ data }: { data: LoaderData }) {
  const submit = useSubmit();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <Form method="get" role="search" className="desk-search" aria-label="Find a participant">
      {Object.entries(data.target.params).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="field">
        <label htmlFor="q">Find a participant</label>
        <span className="hint" id="q-hint">
          Name, organisation, email or country (name or code, e.g. TH)
        </span>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={data.q}
          autoComplete="off"
          aria-describedby="q-hint"
          onChange={(event) => {
            const form = event.currentTarget.form;
            clearTimeout(timer.current);
            timer.current = setTimeout(() => submit(form, { replace: true, preventScrollReset: true }), 250);
          }}
        />
      </div>
      <button type="submit" className="button">
        Search
      </button>
    </Form>
  );
}

export default function CheckInDesk() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const submit = useSubmit();
  const { meeting, counts, latest, results, badge } = data;
  const action = deskAddress(meeting.slug, data.target.params, data.q);
  const badges = `/admin/meetings/${meeting.slug}/badges.pdf`;
  const onScan = (code: string) => submit({ intent: "scan", code }, { method: "post", action, replace: true, preventScrollReset: true });

  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Check-in desk</h1>
      <TargetChoice data={data} />

      <p className="desk-counts" aria-live="polite">
        <span className="desk-count">
          <strong>{counts.checkedIn}</strong> of {counts.confirmed}
        </span>{" "}
        confirmed participants checked in for <strong>{data.target.label}</strong>
      </p>

      {result?.outcome && <OutcomePanel outcome={result.outcome} action={action} slug={meeting.slug} />}

      {badge && !result?.outcome && (
        <section className={`desk-outcome ${badge.person ? "info" : "refused"}`} role="status" aria-labelledby="badge-headline">
          {badge.person ? (
            <>
              <p className="desk-outcome-headline" id="badge-headline">
                Badge: {badge.person.name}
              </p>
              <PersonDetails person={badge.person} />
              {!badge.person.checkedIn && (
                <Form method="post" action={action}>
                  <input type="hidden" name="code" value={badge.code} />
                  <button type="submit" name="intent" value="scan" className="button desk-button desk-big">
                    Check in<span className="visually-hidden"> {badge.person.name}</span>
                  </button>
                </Form>
              )}
            </>
          ) : (
            <>
              <p className="desk-outcome-headline" id="badge-headline">
                Badge not recognised
              </p>
              <p>{FORGED_BADGE}</p>
            </>
          )}
        </section>
      )}

      <section aria-labelledby="scan-heading" className="desk-scan">
        <h2 id="scan-heading">Scan a badge</h2>
        <BadgeScanner onScan={onScan} />
        <Form method="post" action={action} className="desk-inline-form">
          <TextField
            name="code"
            label="Badge code"
            hint="Typed, or read by a hardware scanner: the address in the badge's QR code, or the code after badge="
            defaultValue={result?.code?.values.code}
            error={result?.code?.errors.code}
            autoComplete="off"
          />
          <button type="submit" name="intent" value="scan" className="button">
            Check in badge
          </button>
        </Form>
      </section>

      <section aria-labelledby="search-heading">
        <h2 id="search-heading" className="visually-hidden">
          Search
        </h2>
        <SearchForm data={data} />
        {results && (
          <>
            <p className="muted" aria-live="polite">
              {results.length === 0 ? `No registration matches “${data.q}”.` : `${results.length} ${results.length === 1 ? "registration matches" : "registrations match"} “${data.q}”${results.length === data.searchLimit ? ` (the first ${data.searchLimit}: type more to narrow)` : ""}.`}
            </p>
            <ul className="desk-results" aria-label="Search results">
              {results.map((person) => (
                <li key={person.id} className="card desk-person">
                  <h3>{person.name}</h3>
                  <PersonDetails person={person} />
                  <PersonActions person={person} action={action} slug={meeting.slug} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <WalkInForm countries={data.countries} meetingMode={meeting.mode} failure={result?.walkIn} action={action} />

      <section aria-labelledby="latest-heading">
        <h2 id="latest-heading">Latest check-ins</h2>
        {latest.length === 0 ? (
          <p className="muted">Nobody is checked in for {data.target.label} yet.</p>
        ) : (
          <ol className="desk-latest">
            {latest.map((entry) => (
              <li key={entry.id}>
                <strong>{entry.name}</strong>, {entry.organisation} <span className="muted small">{entry.at}, {entry.method}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="badges-heading">
        <h2 id="badges-heading">Print badges</h2>
        <p>Every confirmed participant's badge, by last name:</p>
        <ul className="plain desk-badge-links">
          <li>
            <a href={`${badges}?layout=a4`}>Badges on A4, four to a sheet (PDF)</a>
          </li>
          <li>
            <a href={`${badges}?layout=a6`}>Badges on A6, one per page (PDF)</a>
          </li>
        </ul>
        <p className="muted small">Times on this page are in {meeting.zone}, the meeting's zone.</p>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
