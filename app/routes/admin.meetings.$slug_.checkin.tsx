import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import type { MeetingMode } from "../../db/schema";
import { BadgeScanner } from "~/attendance/badge-scanner";
import { BadgePanel, DeskPersonCard, OutcomePanel, WalkInForm } from "~/attendance/check-in-desk-ui";
import { type DeskRequest, deskAction, deskBadge, deskCounts, deskTarget, latestCheckIns, type Outcome, refusedAtDesk, SEARCH_LIMIT, searchDesk } from "~/attendance/check-in-desk.server";
import { database } from "~/database.server";
import { countryChoices } from "~/lib/countries.server";
import { blankIsAbsent, type FormFailure, formValues, NUL_MESSAGE, noNul, plainForm, recordId } from "~/lib/form";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";
import { zoneLabel } from "~/lib/time";
import type { MeetingWithProgramme } from "~/meetings/meetings.server";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { parseOnTheSpotForm } from "~/registration/registration-form.server";
import { ErrorPage } from "~/ui/error-page";
import { TextField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const querySchema = z.object({
  day: z.preprocess(blankIsAbsent, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A day is written YYYY-MM-DD").optional()),
  item: z.preprocess(blankIsAbsent, recordId.optional()),
  q: z.preprocess(blankIsAbsent, z.string().trim().max(200, "Search for at most 200 characters").refine(noNul, NUL_MESSAGE).optional()),
  badge: z.preprocess(blankIsAbsent, z.string().trim().max(300, "Not a badge code").refine(noNul, "Not a badge code").optional()),
});

const personIntent = z.object({ intent: z.enum(["check-in", "undo", "confirm-and-check-in", "reissue"]), registration: recordId });
const scanIntent = z.object({
  intent: z.literal("scan"),
  code: z.string({ error: "Scan or type the badge code" }).trim().min(1, "Scan or type the badge code").max(500, "Not a badge code").refine(noNul, "Not a badge code"),
});

type ActionData = { outcome?: Outcome; walkIn?: FormFailure; code?: FormFailure };

/** The desk's refusals carry the secret-link headers: a mistyped badge address is neither cached nor sent on as a referrer. */
const refuse = (message: string, status: number) => new Response(message, { status, headers: SECRET_LINK_HEADERS });

function parseQuery(request: Request) {
  const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw refuse(parsed.error.issues[0]?.message ?? "Not a check-in desk address.", 400);
  return parsed.data;
}

async function targetOf(meeting: MeetingWithProgramme, query: z.output<typeof querySchema>) {
  const desk = await deskTarget(database(), meeting, query);
  if (!desk.ok) throw refuse(desk.message, desk.status);
  return desk;
}

/** The form's intent with its fields, or the form refused as it was typed. */
function parseDeskForm(formData: FormData, meetingMode: MeetingMode): DeskRequest | { refused: ActionData } {
  const intent = formData.get("intent");
  if (intent === "walk-in") {
    const parsed = parseOnTheSpotForm(formData, meetingMode);
    if (!parsed.ok) return { refused: { walkIn: { errors: parsed.errors, values: parsed.values } } };
    return { intent, input: parsed.input, values: formValues(formData) };
  }
  if (intent === "scan") {
    const scan = scanIntent.safeParse(Object.fromEntries(formData));
    if (!scan.success) return { refused: { code: { errors: { code: scan.error.issues[0]!.message }, values: { code: String(formData.get("code") ?? "") } } } };
    return { intent, code: scan.data.code };
  }
  const parsed = personIntent.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Unknown action.", { status: 400 });
  return { intent: parsed.data.intent, registrationId: parsed.data.registration };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting, access } = await organisersMeeting(request, params.slug, "check_in");
  const query = parseQuery(request);
  const desk = await targetOf(meeting, query);
  const db = database();
  const [counts, latest, results, badge] = await Promise.all([
    deskCounts(db, meeting.id, desk.target),
    latestCheckIns(db, meeting, desk.target),
    query.q ? searchDesk(db, meeting, query.q, desk.target) : null,
    query.badge ? deskBadge(db, meeting, query.badge, desk.target) : null,
  ]);
  return json(
    {
      meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone), mode: meeting.mode },
      access,
      target: { label: desk.label, params: desk.params, otherDay: desk.otherDay },
      choices: desk.choices,
      q: query.q ?? "",
      results,
      searchLimit: SEARCH_LIMIT,
      counts,
      latest,
      badge,
      // For the walk-in form, which only managers get: 10 kB the desk staff's phones need not fetch on every search.
      countries: access === "manage" ? countryChoices() : [],
    },
    { headers: query.badge ? SECRET_LINK_HEADERS : {} },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting, access } = await organisersMeeting(request, params.slug, "check_in");
  const desk = await targetOf(meeting, parseQuery(request));
  const form = await plainForm(request);
  const forManagers = refusedAtDesk(access, form.get("intent"));
  if (forManagers) return json<ActionData>({ outcome: forManagers.outcome }, { status: forManagers.status });
  const asked = parseDeskForm(form, meeting.mode);
  if ("refused" in asked) return json<ActionData>(asked.refused, { status: 400 });
  const { status, ...answer } = await deskAction(database(), { meeting, target: desk.target, by: user.id }, asked);
  return json<ActionData>(answer, { status });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Check-in desk: ${data.meeting.title}` : "Check-in desk" }, SECRET_LINK_REFERRER];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The desk's address for the chosen day or item, keeping the search. */
function deskAddress(slug: string, target: Record<string, string>, q?: string): string {
  const search = new URLSearchParams(target);
  if (q) search.set("q", q);
  return `/admin/meetings/${slug}/checkin?${search}`;
}

/** The day or agenda item, chosen with the Show buttons (choosing alone changes nothing: WCAG 3.2.2). */
function TargetChoice({ data }: { data: LoaderData }) {
  const chosenDay = data.target.params.day ?? "";
  const chosenItem = data.target.params.item ?? "";
  return (
    <details className="card desk-target">
      <summary>
        <h2>
          Checking in for: {data.target.label}
        </h2>
        <span className="muted small"> change</span>
      </summary>
      <Form method="get" className="desk-inline-form">
        <div className="field">
          <label htmlFor="day">Day</label>
          <select id="day" name="day" defaultValue={chosenDay} key={chosenDay}>
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
            <select id="item" name="item" defaultValue={chosenItem} key={chosenItem}>
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
    </details>
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
  const otherDay = data.target.otherDay;
  const manages = data.access === "manage";

  return (
    <>
      <MeetingAdminNav meeting={meeting} access={data.access} />
      <h1>Check-in desk</h1>
      {otherDay && (
        <p className="notice desk-other-day">
          You are checking people in for <strong>{otherDay.day}</strong>, not today ({otherDay.today}, {meeting.zone}).
        </p>
      )}

      <p className="desk-counts" aria-live="polite">
        <span className="desk-count">
          <strong>{counts.checkedIn}</strong> of {counts.confirmed}
        </span>{" "}
        confirmed participants checked in for <strong>{data.target.label}</strong>
      </p>

      {result?.outcome && <OutcomePanel outcome={result.outcome} action={action} slug={meeting.slug} manages={manages} />}
      {badge && !result?.outcome && ("refused" in badge ? <OutcomePanel outcome={badge.refused} action={action} slug={meeting.slug} manages={manages} /> : <BadgePanel code={badge.code} person={badge.person} action={action} />)}

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
                <DeskPersonCard key={person.id} person={person} action={action} slug={meeting.slug} manages={manages} />
              ))}
            </ul>
          </>
        )}
      </section>

      <TargetChoice data={data} />

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

      {manages && <WalkInForm countries={data.countries} meetingMode={meeting.mode} failure={result?.walkIn} action={action} />}

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
