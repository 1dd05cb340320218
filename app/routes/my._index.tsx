import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/accounts/session.server";
import { setPersonTimeZone } from "~/accounts/users.server";
import { FeedSettings } from "~/calendar/feed-settings";
import { feedSettings, issueFeedToken, revokeFeedToken, setFeedScope } from "~/calendar/personal-feed.server";
import { database } from "~/database.server";
import { fieldErrors, plainForm } from "~/lib/form";
import { meetingDays } from "~/lib/time";
import { normaliseTimeZone, timeZoneNames } from "~/lib/timezones";
import { REGISTRATION_STATUS_LABELS } from "~/registration/labels";
import { manageLinkForPerson, registrationsOfPerson } from "~/registration/registrations.server";
import { appUrl } from "~/settings.server";
import { ErrorPage } from "~/ui/error-page";
import { FEED_SCOPES } from "../../db/schema";

const myForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("manage"), registration: z.coerce.number({ error: "Unknown registration" }).int().positive() }),
  z.object({
    intent: z.literal("timezone"),
    timezone: z.string().transform((value, ctx) => {
      const zone = normaliseTimeZone(value);
      if (!zone) ctx.addIssue({ code: "custom", message: "Not a time zone: use Area/City, e.g. Europe/Zurich" });
      return zone ?? "";
    }),
  }),
  z.object({ intent: z.enum(["feed-create", "feed-revoke"]) }),
  z.object({ intent: z.literal("feed-scope"), scope: z.enum(FEED_SCOPES, { error: "Choose what the feed shows" }) }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = database();
  const registrations = await registrationsOfPerson(db, user.email);
  const feed = await feedSettings(db, user.id);
  return json({
    feed: { url: feed.token ? `${appUrl()}/feeds/${feed.token}/calendar.ics` : null, scope: feed.scope },
    email: user.email,
    timezone: user.timezone ?? "",
    timezones: timeZoneNames(),
    registrations: registrations.map((r) => ({
      id: r.id,
      status: r.status,
      slug: r.slug,
      title: r.title,
      when: meetingDays(r),
      meetingCancelled: r.meeting_status === "cancelled",
    })),
  }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = myForm.safeParse(Object.fromEntries(await plainForm(request)));
  if (!parsed.success) return json({ errors: fieldErrors(parsed.error), saved: false }, { status: 400 });
  const db = database();
  switch (parsed.data.intent) {
    case "timezone":
      await setPersonTimeZone(db, user.id, parsed.data.timezone);
      return json({ errors: {}, saved: true });
    case "feed-create":
      await issueFeedToken(db, user.id);
      return json({ errors: {}, saved: false });
    case "feed-revoke":
      await revokeFeedToken(db, user.id);
      return json({ errors: {}, saved: false });
    case "feed-scope":
      await setFeedScope(db, user.id, parsed.data.scope);
      return json({ errors: {}, saved: false });
  }
  const link = await manageLinkForPerson(db, user.email, parsed.data.registration);
  if (!link) throw new Response("No such registration of yours.", { status: 404 });
  return redirect(new URL(link).pathname);
}

// The page shows the private feed's address: neither the page nor its data (client navigation) is stored.
export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction = () => [{ title: "My registrations" }];

export default function MyRegistrations() {
  const { email, timezone, timezones, registrations, feed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <h1>My registrations</h1>
      <p className="muted">Signed in as {email}.</p>
      <p>
        <Link to="/my/agenda">My agenda</Link>: the agenda items you starred, across meetings.
      </p>
      {registrations.length === 0 ? (
        <p>
          You have no registrations with this address yet. <Link to="/meetings">Find a meeting</Link>
        </p>
      ) : (
        <ul className="meeting-list">
          {registrations.map((r) => (
            <li key={r.id} className="card">
              <h2 style={{ fontSize: "1.1rem", marginTop: 0 }}>
                <Link to={`/meetings/${r.slug}`}>{r.title}</Link>
              </h2>
              <p>{r.when}</p>
              <p>
                Status: <strong>{REGISTRATION_STATUS_LABELS[r.status]}</strong>
                {r.meetingCancelled && " · the meeting is cancelled"}
              </p>
              <Form method="post">
                <input type="hidden" name="registration" value={r.id} />
                <button type="submit" name="intent" value="manage" className="button secondary">
                  View or change
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <FeedSettings feed={feed} />
      <h2>Your time zone</h2>
      <Form method="post" className="stacked">
        <div className="field">
          <label htmlFor="timezone">Time zone</label>
          <span className="hint" id="timezone-hint">
            Emails give times in each meeting's zone and, where different, in yours.
          </span>
          <input id="timezone" name="timezone" list="my-timezones" defaultValue={timezone} aria-describedby="timezone-hint" aria-invalid={errors.timezone ? true : undefined} />
          <datalist id="my-timezones">
            {timezones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {errors.timezone && <span className="error">{errors.timezone}</span>}
        </div>
        <button type="submit" name="intent" value="timezone" className="button">
          Save time zone
        </button>
        {result?.saved && (
          <span role="status" className="muted">
            {" "}
            Saved.
          </span>
        )}
      </Form>
      <h2>Your personal data</h2>
      <p>
        <a href="/my/data.json" download>
          Download my data
        </a>{" "}
        (JSON): your account, registrations, attendance, comments, follows and the emails sent to you.
      </p>
      <p>
        <Link to="/my/delete">Delete my account</Link> and erase your registrations.
      </p>
      <h2>Where you are signed in</h2>
      <p>
        Signed in on a shared or lost device? <Link to="/logout?everywhere">Sign out everywhere…</Link>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
