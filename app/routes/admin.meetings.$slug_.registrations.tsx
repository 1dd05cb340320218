import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { DecisionButtons, FilterFields, StatusBadge } from "~/registration/console-ui";
import { DECISIONS, DECISION_DONE, DECISION_LABELS, DECISION_STATE, type Decision, decisionButton, decisionQuestion } from "~/registration/decisions";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS, REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import {
  type DecisionOutcome,
  decide,
  filteredRegistrations,
  registrantCountries,
  registrationsPage,
  selectedRegistrations,
} from "~/registration/registration-console.server";
import { filtersQuery, filtersToRecord, hasFilters, parseRegistrationFilters } from "~/registration/registration-filters";
import { zoneLabel } from "~/lib/time";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { SelectField } from "~/ui/fields";
import { plainForm, recordId } from "~/lib/form";
import { Pagination } from "~/ui/pagination";

/** At most this many registrations in one bulk decision. */
const BULK_LIMIT = 500;

const pageSchema = z.coerce.number({ error: "The page is a number" }).int("The page is a whole number").min(1, "Pages start at 1").max(100_000);

const decisionSchema = z.enum(DECISIONS, { error: "Choose what to do: confirm, decline, waitlist or cancel" });
const idSchema = recordId;

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    /** One click on a row: `change=<id>:<status>`. */
    z.object({ intent: z.literal("change"), registration: idSchema, to: decisionSchema }),
    /** The first step of a bulk decision: who would change. */
    z.object({
      intent: z.literal("review"),
      to: decisionSchema,
      scope: z.enum(["selected", "matching"], { error: "Choose which registrations" }),
      registration: z.array(idSchema).max(BULK_LIMIT, `At most ${BULK_LIMIT} registrations at once`),
    }),
    /** The second step: the reviewed registrations, decided. */
    z.object({
      intent: z.literal("apply"),
      to: decisionSchema,
      registration: z.array(idSchema).min(1, "Select at least one registration").max(BULK_LIMIT, `At most ${BULK_LIMIT} registrations at once`),
    }),
  ],
  { error: "Unknown action" },
);

const STATUS_COUNT_WORDS = { pending: "pending", confirmed: "confirmed", waitlisted: "on the waiting list", declined: "declined", cancelled: "cancelled" } as const;

function filtersOf(request: Request) {
  const parsed = parseRegistrationFilters(new URL(request.url).searchParams);
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  return parsed.filters;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const filters = filtersOf(request);
  const page = pageSchema.safeParse(new URL(request.url).searchParams.get("page") || "1");
  if (!page.success) throw new Response(page.error.issues[0]?.message ?? "No such page.", { status: 400 });
  const [list, countries] = await Promise.all([registrationsPage(db, meeting, filters, page.data), registrantCountries(db, meeting.id, filters.country)]);
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, timezone: meeting.timezone, capacity: meeting.capacity, confirmed: meeting.confirmed_count },
    filters: filtersToRecord(filters),
    filtered: hasFilters(filters),
    countries,
    list,
  });
}

type ActionData =
  | { kind: "done"; notice: string | null; refusals: { name: string; message: string }[] }
  | { kind: "review"; to: Decision; people: { id: number; name: string; organisation: string; status: string }[]; unchanged: number }
  | { kind: "refused"; message: string };

function doneData(to: Decision, outcomes: DecisionOutcome[]): ActionData {
  const changed = outcomes.filter((o) => o.ok && o.changed);
  const unchanged = outcomes.filter((o) => o.ok && !o.changed);
  const refusals = outcomes.flatMap((o) => (o.ok ? [] : [{ name: o.name, message: o.message }]));
  const parts: string[] = [];
  if (changed.length === 1) parts.push(`${changed[0]!.name}: ${DECISION_DONE[to]}, and emailed.`);
  else if (changed.length > 1) parts.push(`${changed.length} registrations ${DECISION_DONE[to]}; each person was emailed.`);
  if (unchanged.length === 1) parts.push(`${unchanged[0]!.name} was already ${DECISION_STATE[to]}.`);
  else if (unchanged.length > 1) parts.push(`${unchanged.length} were already ${DECISION_STATE[to]}.`);
  return { kind: "done", notice: parts.length ? parts.join(" ") : null, refusals };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const formData = await plainForm(request);
  const change = formData.get("change");
  const [changeId, changeTo] = typeof change === "string" ? change.split(":") : [];
  const parsed = actionSchema.safeParse(
    typeof change === "string"
      ? { intent: "change", registration: changeId, to: changeTo }
      : {
          intent: formData.get("intent"),
          to: formData.get("to") || undefined,
          scope: formData.get("scope") ?? "selected",
          registration: formData.getAll("registration"),
        },
  );
  if (!parsed.success) {
    const intent = formData.get("intent");
    if (intent !== "review" && intent !== "apply") throw new Response("Unknown action.", { status: 400 });
    return json<ActionData>({ kind: "refused", message: parsed.error.issues[0]?.message ?? "That cannot be done." }, { status: 400 });
  }
  const input = parsed.data;

  if (input.intent === "change") {
    const outcomes = await decide(db, { meetingId: meeting.id, registrationIds: [input.registration], to: input.to, by: user.id });
    const outcome = outcomes[0];
    if (!outcome || !outcome.ok) {
      return json<ActionData>({ kind: "refused", message: outcome && !outcome.ok ? outcome.message : "No such registration." }, { status: 409 });
    }
    return json<ActionData>(doneData(input.to, outcomes));
  }

  if (input.intent === "review") {
    let ids = input.registration;
    if (input.scope === "matching") {
      ids = (await filteredRegistrations(db, meeting.id, filtersOf(request))).map((r) => r.id);
      if (ids.length > BULK_LIMIT) {
        return json<ActionData>({ kind: "refused", message: `${ids.length} registrations match: narrow the filters to at most ${BULK_LIMIT}.` }, { status: 400 });
      }
    }
    const people = await selectedRegistrations(db, meeting.id, ids);
    if (people.length === 0) {
      return json<ActionData>(
        { kind: "refused", message: input.scope === "matching" ? "No registration matches the filters." : "Select at least one registration, then choose an action." },
        { status: 400 },
      );
    }
    const toChange = people.filter((p) => p.status !== input.to);
    if (toChange.length === 0) {
      return json<ActionData>({ kind: "refused", message: `All the selected registrations are already ${DECISION_STATE[input.to]}.` }, { status: 400 });
    }
    return json<ActionData>({ kind: "review", to: input.to, people: toChange, unchanged: people.length - toChange.length });
  }

  const outcomes = await decide(db, { meetingId: meeting.id, registrationIds: input.registration, to: input.to, by: user.id });
  const done = doneData(input.to, outcomes);
  return json<ActionData>(done, { status: outcomes.some((o) => o.ok) ? 200 : 409 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Registrations: ${data.meeting.title}` : "Registrations" }];

function Outcome({ result }: { result: ActionData | undefined }) {
  if (!result || result.kind === "review") return null;
  if (result.kind === "refused") {
    return (
      <div className="error-summary" role="alert">
        <strong>Not done:</strong> {result.message}
      </div>
    );
  }
  return (
    <>
      {result.notice && (
        <p className="notice ok" role="status">
          {result.notice}
        </p>
      )}
      {result.refusals.length > 0 && (
        <div className="error-summary" role="alert">
          <strong>{result.refusals.length === 1 ? "One registration was not changed:" : `${result.refusals.length} registrations were not changed:`}</strong>
          <ul>
            {result.refusals.map((refusal) => (
              <li key={refusal.name}>
                {refusal.name}: {refusal.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function BulkReview({ review, backTo }: { review: Extract<ActionData, { kind: "review" }>; backTo: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="review-title" className="card review">
      <h2 id="review-title">{decisionQuestion(review.to, review.people.length)}</h2>
      <p>
        Each person is emailed about the change.
        {review.to === "cancelled" || review.to === "declined" ? " A freed confirmed place goes to the first person on the waiting list." : ""}
        {review.unchanged > 0 && ` ${review.unchanged} of those selected ${review.unchanged === 1 ? "is" : "are"} already ${DECISION_STATE[review.to]} and stay${review.unchanged === 1 ? "s" : ""} as before.`}
      </p>
      <ul>
        {review.people.map((person) => (
          <li key={person.id}>
            {person.name}, {person.organisation} ({REGISTRATION_STATUS_LABELS[person.status as keyof typeof REGISTRATION_STATUS_LABELS]})
          </li>
        ))}
      </ul>
      <Form method="post" className="actions">
        {review.people.map((person) => (
          <input key={person.id} type="hidden" name="registration" value={person.id} />
        ))}
        <input type="hidden" name="to" value={review.to} />
        <button type="submit" name="intent" value="apply" className={`button ${review.to === "confirmed" ? "" : "danger"}`} disabled={busy}>
          {decisionButton(review.to, review.people.length)}
        </button>
        <Link to={backTo} className="button secondary">
          Go back
        </Link>
      </Form>
    </section>
  );
}

export default function Registrations() {
  const { meeting, filters, filtered, countries, list } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  const query = (extra: Record<string, string> = {}) => filtersQuery(filters, extra);
  const first = list.total === 0 ? 0 : (list.page - 1) * list.pageSize + 1;
  const last = Math.min(list.total, list.page * list.pageSize);
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Registrations</h1>
      <p>
        {meeting.title}
        {meeting.capacity !== null && (
          <>
            {" "}
            · {meeting.confirmed} of {meeting.capacity} places confirmed
          </>
        )}
      </p>

      {result?.kind === "review" ? (
        <BulkReview review={result} backTo={here} />
      ) : (
        <>
          <Outcome result={result} />
          <Form method="get" className="filters" aria-label="Filter registrations">
            <FilterFields values={filters} countries={countries} />
            <div className="actions">
              <button type="submit" className="button">
                Apply filters
              </button>
              {filtered && (
                <Link to={location.pathname} className="button secondary">
                  Clear
                </Link>
              )}
            </div>
          </Form>

          <p role="status" aria-live="polite">
            <strong>
              {list.total} {list.total === 1 ? "registration" : "registrations"}
            </strong>
            {filtered ? ` ${list.total === 1 ? "matches" : "match"} the filters (of ${list.meetingTotal})` : ""}
            {list.total > 0 && (
              <>
                {": "}
                {Object.entries(list.byStatus)
                  .filter(([, count]) => count > 0)
                  .map(([status, count]) => `${count} ${STATUS_COUNT_WORDS[status as keyof typeof STATUS_COUNT_WORDS]}`)
                  .join(", ")}
              </>
            )}
            {list.pageCount > 1 && ` · showing ${first}–${last}`}
          </p>
          <div className="actions">
            <a className="button secondary" href={`/admin/meetings/${meeting.slug}/registrations.csv${query()}`} download>
              Download CSV
            </a>
            <a className="button secondary" href={`/admin/meetings/${meeting.slug}/registrations.xlsx${query()}`} download>
              Download Excel
            </a>
            <Link className="button secondary" to={`/admin/meetings/${meeting.slug}/mailings${query()}`}>
              Email {filtered ? "these" : ""} registrants
            </Link>
          </div>

          {list.rows.length > 0 && (
            <Form method="post" id="registrations-form">
              <fieldset className="bulk">
                <legend>Bulk decision</legend>
                <div className="row">
                  <SelectField
                    name="to"
                    label="Action"
                    placeholder="Choose an action"
                    options={DECISIONS.map((value) => ({ value, label: DECISION_LABELS[value] }))}
                  />
                  <SelectField
                    name="scope"
                    label="Apply to"
                    defaultValue="selected"
                    options={[
                      { value: "selected", label: "The registrations ticked below" },
                      { value: "matching", label: `All ${list.total} matching the filters` },
                    ]}
                  />
                </div>
                <button type="submit" name="intent" value="review" className="button">
                  Review…
                </button>
                <span className="hint"> You will see who changes, and confirm, before anything happens.</span>
              </fieldset>

              <div className="table-scroll">
                <table className="data registrations">
                  <caption className="muted">Registered: the day in {zoneLabel(meeting.timezone)}, the meeting's zone.</caption>
                  <thead>
                    <tr>
                      <th scope="col">
                        <span className="visually-hidden">Select</span>
                      </th>
                      <th scope="col">Name</th>
                      <th scope="col">Organisation</th>
                      <th scope="col">Country</th>
                      <th scope="col">Category</th>
                      <th scope="col">Gender</th>
                      <th scope="col">Mode</th>
                      <th scope="col">Status</th>
                      <th scope="col">Registered</th>
                      <th scope="col">Decide</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.rows.map((row) => (
                      <tr key={row.id}>
                        <td>
                          <input type="checkbox" name="registration" value={row.id} id={`select-${row.id}`} aria-label={`Select ${row.name}`} />
                        </td>
                        <td>
                          <Link to={`/admin/meetings/${meeting.slug}/registrations/${row.id}`}>{row.name}</Link>
                          <div className="muted small">{row.email}</div>
                        </td>
                        <td>{row.organisation}</td>
                        <td>{row.country}</td>
                        <td>{CATEGORY_LABELS[row.category]}</td>
                        <td>{GENDER_LABELS[row.gender]}</td>
                        <td>{ATTENDANCE_MODE_LABELS[row.attendanceMode]}</td>
                        <td>
                          <StatusBadge status={row.status} />
                        </td>
                        <td className="nowrap">
                          <time dateTime={row.registeredAt}>{row.registered}</time>
                        </td>
                        <td>
                          <DecisionButtons id={row.id} name={row.name} status={row.status} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Form>
          )}

          <Pagination
            page={list.page}
            pageCount={list.pageCount}
            hrefOf={(page) => query({ page: String(page) })}
            previousText="← Previous"
            nextText="Next →"
          />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
