import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { clockReading } from "~/agenda/agenda-view.server";
import { AGENDA_KIND_LABELS } from "~/agenda/labels";
import { TimeRange } from "~/agenda/time-range";
import { AttendanceChart } from "~/attendance/attendance-chart";
import { type BreakdownRow, type Tally, attendanceReport, dayLabel, percentText, saveAttendanceSettings } from "~/attendance/attendance-report.server";
import { database } from "~/database.server";
import { countryName } from "~/lib/countries.server";
import { fieldErrors, formValues, plainForm } from "~/lib/form";
import { isoInstant, meetingDays, zoneLabel } from "~/lib/time";
import { ATTENDANCE_MODE_LABELS } from "~/registration/labels";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { fullName } from "~/registration/registration-console.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const settingsSchema = z.object({
  onlineAttendancePercent: z
    .string({ error: "Give a share from 1 to 100" })
    .trim()
    .regex(/^\d{1,3}$/, "A whole number from 1 to 100")
    .transform(Number)
    .pipe(z.number().min(1, "A whole number from 1 to 100").max(100, "A whole number from 1 to 100")),
  showsParticipation: z
    .enum(["yes"], { error: "Tick the box, or leave it empty" })
    .optional()
    .transform((value) => value === "yes"),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const report = await attendanceReport(database(), meeting);
  const base = `/admin/meetings/${meeting.slug}/attendance`;
  const figures = (tally: Tally) => ({
    confirmed: tally.confirmed,
    attended: tally.attended,
    inPerson: tally.inPerson,
    online: tally.online,
    noShow: percentText(tally.noShowRate),
  });
  const breakdown = (rows: BreakdownRow[]) => rows.map((row) => ({ key: row.key, label: row.label, ...figures(row) }));
  return json({
    meeting: {
      slug: meeting.slug,
      title: meeting.title,
      zone: zoneLabel(meeting.timezone),
      when: meetingDays(meeting),
      ended: meeting.ends_at <= new Date(),
    },
    settings: { onlineAttendancePercent: String(meeting.online_attendance_percent), showsParticipation: meeting.shows_participation ? "yes" : "" },
    totals: { ...figures(report.totals), countries: report.totals.countries, women: report.totals.women, womenShare: percentText(report.totals.womenShare) },
    days: report.days.map((day) => ({
      day: day.day,
      label: dayLabel(day.day),
      ...figures(day),
      items: report.items
        .filter((item) => item.day === day.day)
        .map((item) => ({
          id: item.id,
          title: item.title,
          kind: AGENDA_KIND_LABELS[item.kind],
          isPart: item.parentId !== null,
          reading: clockReading(item.startsAt, item.endsAt, meeting.timezone),
          startsAt: isoInstant(item.startsAt),
          endsAt: isoInstant(item.endsAt),
          ...figures(item),
          // Without check-ins at the door for the item, its in-person figure and no-show rate would mislead.
          inPersonTaken: item.inPersonTaken || meeting.mode === "online",
        })),
    })),
    byCountry: breakdown(report.byCountry),
    byCategory: breakdown(report.byCategory),
    byGender: breakdown(report.byGender),
    participants: report.participants.map((p) => ({
      id: p.registrationId,
      name: fullName({ salutation: p.salutation, first_name: p.firstName, last_name: p.lastName }),
      organisation: p.organisation,
      country: countryName(p.country) ?? p.country,
      days: report.days.map(({ day }) => (p.days[day] ? ATTENDANCE_MODE_LABELS[p.days[day]] : null)),
      onlineMinutes: p.onlineMinutes,
      certificate: p.mode ? `${base}/certificates/${p.registrationId}.pdf` : null,
    })),
    links: { csv: `${base}.csv`, xlsx: `${base}.xlsx`, certificates: `${base}/certificates.pdf`, online: `${base}/online`, desk: `/admin/meetings/${meeting.slug}/checkin` },
  });
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

function FigureCells({ row, inPersonTaken = true }: { row: Figures; inPersonTaken?: boolean }) {
  const notTaken = (
    <span title="Nobody was checked in at the door for this item itself: see the day's figures">
      —<span className="visually-hidden"> (no check-ins taken for this item)</span>
    </span>
  );
  return (
    <>
      <td className="number">{row.confirmed}</td>
      <td className="number">{row.attended}</td>
      <td className="number">{inPersonTaken ? row.inPerson : notTaken}</td>
      <td className="number">{row.online}</td>
      <td className="number">{inPersonTaken ? row.noShow : "—"}</td>
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
        <table className="data">
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

export default function AttendanceReportPage() {
  const { meeting, settings, totals, days, byCountry, byCategory, byGender, participants, links } = useLoaderData<typeof loader>();
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
        <div className="table-scroll">
          <table className="data attendance-days">
            <caption className="muted">
              Days and times in {meeting.zone}, the meeting's zone. An item counts the check-ins taken at the door for it (“—” when none were: the
              desk checked people in for the day) and, online, presence for at least {settings.onlineAttendancePercent}% of it; breaks and lunch are not
              listed.
            </caption>
            <thead>
              <FigureHeaders first="Day or item" />
            </thead>
            {days.map((day) => (
              <tbody key={day.day}>
                <tr className="attendance-day">
                  <th scope="row">
                    <time dateTime={day.day}>{day.label}</time>
                  </th>
                  <FigureCells row={day} />
                </tr>
                {day.items.map((item) => (
                  <tr key={item.id}>
                    <th scope="row" className={item.isPart ? "attendance-item part" : "attendance-item"}>
                      {item.title}
                      <div className="muted small">
                        {item.kind} · <TimeRange reading={item.reading} startsAt={item.startsAt} endsAt={item.endsAt} withDate={false} />
                      </div>
                    </th>
                    <FigureCells row={item} inPersonTaken={item.inPersonTaken} />
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      </section>

      <section aria-labelledby="breakdowns">
        <h2 id="breakdowns">Who attended</h2>
        <Breakdown id="by-gender" title="By gender" rows={byGender}>
          <p>
            Women’s share of those who attended: <strong>{totals.womenShare}</strong>
          </p>
        </Breakdown>
        <Breakdown id="by-category" title="By category" rows={byCategory} />
        <Breakdown id="by-country" title="By country" rows={byCountry} />
      </section>

      <section aria-labelledby="register">
        <h2 id="register">Register</h2>
        {participants.length === 0 ? (
          <p className="muted">Nobody is confirmed for this meeting yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <caption className="muted">Each confirmed participant, day by day ({meeting.zone}).</caption>
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
          <div className="field">
            <label>
              <input
                type="checkbox"
                name="showsParticipation"
                id="showsParticipation"
                value="yes"
                defaultChecked={values.showsParticipation === "yes"}
                aria-describedby="showsParticipation-hint"
                aria-invalid={refused?.errors.showsParticipation ? true : undefined}
              />{" "}
              Show participation figures on the public page after the meeting
            </label>
            <span className="hint" id="showsParticipation-hint">
              Numbers only: participants, in person and online, countries and women’s share. Nobody is named.
              {meeting.ended ? "" : " They appear once the meeting is over."}
            </span>
            {refused?.errors.showsParticipation && (
              <span className="error" id="showsParticipation-error">
                {refused.errors.showsParticipation}
              </span>
            )}
          </div>
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
