import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { TimeRange } from "~/agenda/time-range";
import { AttendanceChart } from "~/attendance/attendance-chart";
import { attendancePage } from "~/attendance/attendance-page.server";
import { type ReportScope, saveAttendanceSettings } from "~/attendance/attendance-report.server";
import { database } from "~/database.server";
import { blankIsAbsent, fieldErrors, formValues, plainForm, recordId } from "~/lib/form";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { Pagination } from "~/ui/pagination";

const ticked = z
  .enum(["yes"], { error: "Tick the box, or leave it empty" })
  .optional()
  .transform((value) => value === "yes");

const settingsSchema = z.object({
  onlineAttendancePercent: z
    .string({ error: "Give a share from 1 to 100" })
    .trim()
    .regex(/^\d{1,3}$/, "A whole number from 1 to 100")
    .transform(Number)
    .pipe(z.number().min(1, "A whole number from 1 to 100").max(100, "A whole number from 1 to 100")),
  showsParticipation: ticked,
  selfCheckIn: ticked,
});

/** ?day=YYYY-MM-DD or ?item=<id>: the breakdowns of that day or item rather than the whole meeting. */
const scopeSchema = z
  .object({
    day: z.preprocess(
      blankIsAbsent,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "day is a date, YYYY-MM-DD")
        .refine((day) => !Number.isNaN(Date.parse(day)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), "day is not a date of the calendar")
        .optional(),
    ),
    item: z.preprocess(blankIsAbsent, recordId.optional()),
    /** The register's page, 100 people each. */
    page: z.preprocess(blankIsAbsent, z.coerce.number({ error: "page is a number" }).int("page is a whole number").min(1, "page is 1 or more").max(10_000, "page is at most 10000").optional()),
  })
  .refine((query) => query.day === undefined || query.item === undefined, "Give a day or an item, not both");

function scopeOf(query: z.infer<typeof scopeSchema>): ReportScope {
  if (query.day !== undefined) return { kind: "day", day: query.day };
  if (query.item !== undefined) return { kind: "item", itemId: query.item };
  return { kind: "meeting" };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const query = scopeSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response(`Bad request: ${query.error.issues[0]?.message ?? "unknown parameters"}.`, { status: 400 });
  const page = await attendancePage(database(), meeting, scopeOf(query.data), query.data.page);
  if (!page) throw new Response("Page not found: that day or agenda item is not one of this meeting's.", { status: 404 });
  return json(page);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  if (formData.get("intent") !== "settings") throw new Response("Unknown action.", { status: 400 });
  const parsed = settingsSchema.safeParse(formValues(formData));
  if (!parsed.success) return json({ errors: fieldErrors(parsed.error), values: formValues(formData) }, { status: 400 });
  await saveAttendanceSettings(database(), meeting.id, parsed.data, user.id);
  return redirect(`/admin/meetings/${meeting.slug}/attendance?saved=settings`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Attendance: ${data.meeting.title}` : "Attendance" }];

type Figures = { confirmed: number; attended: number; inPerson: number; online: number; noShow: string };

function FigureCells({ row }: { row: Figures }) {
  return (
    <>
      <td className="number">{row.confirmed}</td>
      <td className="number">{row.attended}</td>
      <td className="number">{row.inPerson}</td>
      <td className="number">{row.online}</td>
      <td className="number">{row.noShow}</td>
    </>
  );
}

function FigureHeaders({ first }: { first: string }) {
  return (
    <tr>
      <th scope="col">{first}</th>
      <th scope="col" className="number">
        Confirmed
      </th>
      <th scope="col" className="number">
        Attended
      </th>
      <th scope="col" className="number">
        In person
      </th>
      <th scope="col" className="number">
        Online
      </th>
      <th scope="col" className="number">
        No-show rate
      </th>
    </tr>
  );
}

function Breakdown({ id, title, rows, children }: { id: string; title: string; rows: (Figures & { key: string; label: string })[]; children?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="attendance-breakdown">
      <h3 id={id}>{title}</h3>
      {children}
      <AttendanceChart title={`Attended ${title.toLowerCase()}`} rows={rows} />
      <div className="table-scroll attendance-breakdown-table">
        <table className="data" aria-labelledby={id}>
          <thead>
            <FigureHeaders first={title.replace(/^By /, "").replace(/^./, (c) => c.toUpperCase())} />
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <FigureCells row={row} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Checkbox({ name, label, hint, checked, error }: { name: string; label: string; hint: string; checked: boolean; error?: string }) {
  return (
    <div className="field">
      <label>
        <input
          type="checkbox"
          name={name}
          id={name}
          value="yes"
          defaultChecked={checked}
          aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`}
          aria-invalid={error ? true : undefined}
        />{" "}
        {label}
      </label>
      <span className="hint" id={`${name}-hint`}>
        {hint}
      </span>
      {error && (
        <span className="error" id={`${name}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A page of the register, in the scope shown. */
function registerPageHref(scopeQuery: string, page: number): string {
  return `?${new URLSearchParams([...new URLSearchParams(scopeQuery), ["page", String(page)]])}#register`;
}

export default function AttendanceReportPage() {
  const { meeting, settings, totals, days, who, register, participants, links } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const submitting = useNavigation().state === "submitting";
  const values = refused?.values ?? settings;
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Attendance</h1>
      <p>
        {meeting.title} · {meeting.when}
      </p>
      {searchParams.get("saved") === "settings" && !refused && (
        <p className="notice ok" role="status">
          Attendance settings saved.
        </p>
      )}
      <p className="muted">
        Registered means confirmed. A day counts as attended in person with a check-in for the day or any of its items; online, with an online check-in or
        online presence for at least {settings.onlineAttendancePercent}% of one of its items (of the day's webinar on a day without items). Someone present both
        ways counts once, in person. Days and times are in {meeting.zone}.
      </p>
      <nav aria-label="Downloads" className="actions">
        <a className="button secondary" href={links.csv} download>
          Register (CSV)
        </a>
        <a className="button secondary" href={links.xlsx} download>
          Register (Excel)
        </a>
        {totals.attended > 0 && (
          <a className="button secondary" href={links.certificates}>
            All certificates (PDF)
          </a>
        )}
        <Link className="button secondary" to={links.desk}>
          Check-in desk
        </Link>
        <Link className="button secondary" to={links.online}>
          Online attendance
        </Link>
      </nav>

      <section aria-labelledby="totals">
        <h2 id="totals">In all</h2>
        <dl className="attendance-totals">
          <div>
            <dt>Confirmed</dt>
            <dd>{totals.confirmed}</dd>
          </div>
          <div>
            <dt>Attended</dt>
            <dd>{totals.attended}</dd>
          </div>
          <div>
            <dt>In person</dt>
            <dd>{totals.inPerson}</dd>
          </div>
          <div>
            <dt>Online only</dt>
            <dd>{totals.online}</dd>
          </div>
          <div>
            <dt>No-show rate</dt>
            <dd>{totals.noShow}</dd>
          </div>
          <div>
            <dt>Countries</dt>
            <dd>{totals.countries}</dd>
          </div>
          <div>
            <dt>Women’s share</dt>
            <dd>
              {totals.womenShare}
              <span className="muted small attendance-share-of">
                {totals.women} of {totals.attended} who attended
              </span>
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="by-day">
        <h2 id="by-day">By day and agenda item</h2>
        <AttendanceChart title={`Attended by day (${meeting.zone})`} rows={days} />
        <p className="muted" id="by-day-note">
          Days and times in {meeting.zone}, the meeting's zone. An item counts everyone checked in for it or for its day (desks mostly check people in once a
          day) and, online, presence for at least {settings.onlineAttendancePercent}% of it; breaks and lunch are not listed. Follow a day or an item to see who
          attended it by gender, category and country.
        </p>
        <div className="table-scroll">
          <table className="data attendance-days" aria-labelledby="by-day" aria-describedby="by-day-note">
            <thead>
              <FigureHeaders first="Day or item" />
            </thead>
            {days.map((day) => (
              <tbody key={day.day}>
                <tr className="attendance-day">
                  <th scope="row">
                    <Link to={day.breakdownHref}>
                      <time dateTime={day.day}>{day.label}</time>
                    </Link>
                  </th>
                  <FigureCells row={day} />
                </tr>
                {day.items.map((item) => (
                  <tr key={item.id}>
                    <th scope="row" className={item.isPart ? "attendance-item part" : "attendance-item"}>
                      <Link to={item.breakdownHref}>{item.title}</Link>
                      <div className="muted small">
                        {item.kind} · <TimeRange reading={item.reading} startsAt={item.startsAt} endsAt={item.endsAt} withDate={false} />
                      </div>
                    </th>
                    <FigureCells row={item} />
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      </section>

      <section aria-labelledby="who-attended-heading" id="who-attended">
        <h2 id="who-attended-heading">{who.scope ? `Who attended: ${who.scope.label}` : "Who attended"}</h2>
        {who.scope && (
          <p>
            Those confirmed for the meeting, and which of them attended this {who.scope.kind}. <Link to={who.wholeMeetingHref}>Who attended the whole meeting</Link>
          </p>
        )}
        <Breakdown id="by-gender" title="By gender" rows={who.byGender}>
          <p>
            Women’s share of those who attended: <strong>{who.womenShare}</strong>{" "}
            <span className="muted small">
              ({who.women} of {who.attended})
            </span>
          </p>
        </Breakdown>
        <Breakdown id="by-category" title="By category" rows={who.byCategory} />
        <Breakdown id="by-country" title="By country" rows={who.byCountry} />
      </section>

      <section aria-labelledby="register">
        <h2 id="register">Register</h2>
        {participants.length === 0 ? (
          <p className="muted">Nobody is confirmed for this meeting yet.</p>
        ) : (
          <>
            <p className="muted" id="register-note">
              Each confirmed participant, day by day ({meeting.zone}).
              {register.pageCount > 1 && ` ${register.first}–${register.last} of ${register.total}; the CSV and Excel files have everyone.`}
            </p>
            <div className="table-scroll">
              <table className="data" aria-labelledby="register" aria-describedby="register-note">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Country</th>
                    {days.map((day) => (
                      <th scope="col" key={day.day}>
                        {day.label}
                      </th>
                    ))}
                    <th scope="col" className="number">
                      Minutes online
                    </th>
                    <th scope="col">Certificate</th>
                  </tr>
                </thead>
                <tbody>
                  {participants.map((person) => (
                    <tr key={person.id}>
                      <th scope="row">
                        <Link to={`/admin/meetings/${meeting.slug}/registrations/${person.id}`}>{person.name}</Link>
                        <div className="muted small">{person.organisation}</div>
                      </th>
                      <td>{person.country}</td>
                      {person.days.map((mode, index) => (
                        <td key={days[index]!.day}>{mode ?? <span className="muted">—</span>}</td>
                      ))}
                      <td className="number">{person.onlineMinutes}</td>
                      <td>
                        {person.certificate ? (
                          <a href={person.certificate}>
                            PDF<span className="visually-hidden"> certificate of {person.name}</span>
                          </a>
                        ) : (
                          <span className="muted">Did not attend</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination label="Pages of the register" page={register.page} pageCount={register.pageCount} hrefOf={(to) => registerPageHref(register.scopeQuery, to)} />
          </>
        )}
      </section>

      <section aria-labelledby="settings" className="card">
        <h2 id="settings">Settings</h2>
        <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
          <ErrorSummary errors={refused?.errors} />
          <input type="hidden" name="intent" value="settings" />
          <TextField
            name="onlineAttendancePercent"
            label="Online: share of an item someone must be present for, in %"
            inputMode="numeric"
            required
            defaultValue={values.onlineAttendancePercent}
            error={refused?.errors.onlineAttendancePercent}
            hint="From 1 to 100. 50 means at least half of the item (or of the day's webinar, on a day without items)."
          />
          <Checkbox
            name="selfCheckIn"
            label="Online participants may check themselves in with the link in their reminder"
            hint="Their reminders carry a link that records them as attending online when opened during one of the day's items. Unticked, reminders carry no link and links already sent record nothing."
            checked={values.selfCheckIn === "yes"}
            error={refused?.errors.selfCheckIn}
          />
          <Checkbox
            name="showsParticipation"
            label="Show participation figures on the public page after the meeting"
            hint={`Numbers only: participants, in person and online, countries and women’s share. Nobody is named.${meeting.ended ? "" : " They appear once the meeting is over."}`}
            checked={values.showsParticipation === "yes"}
            error={refused?.errors.showsParticipation}
          />
          <button type="submit" className="button" disabled={submitting}>
            Save settings
          </button>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
