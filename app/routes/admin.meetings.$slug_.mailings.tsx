import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { fieldErrors, formValues, plainForm } from "~/lib/form";
import { zoneLabel } from "~/lib/time";
import { FilterFields } from "~/registration/console-ui";
import { audienceCount, describeAudience, mailingPreviewHtml, pastMailings, sendMailing } from "~/registration/mailings.server";
import { registrantCountries } from "~/registration/registration-console.server";
import { FILTER_NAMES, filtersToRecord, hasFilters, parseRegistrationFilters } from "~/registration/registration-filters";
import { organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { SendPreview } from "~/ui/send-preview";
import { ErrorSummary, TextArea, TextField } from "~/ui/fields";

const messageSchema = z.object({
  intent: z.enum(["preview", "send"], { error: "Unknown action" }),
  subject: z
    .string({ error: "Give the email a subject" })
    .trim()
    .min(1, "Give the email a subject")
    .max(200, "At most 200 characters")
    .refine((s) => !/[\r\n]/.test(s), "The subject is one line"),
  body: z.string({ error: "Write the message" }).trim().min(1, "Write the message").max(20_000, "At most 20,000 characters"),
  expectedCount: z.coerce.number().int().min(0).optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const parsed = parseRegistrationFilters(new URL(request.url).searchParams);
  if (!parsed.ok) throw new Response(parsed.message, { status: 400 });
  // Unless the registrations table sent its filters, write to those whose registration still counts.
  const audience = hasFilters(parsed.filters) ? filtersToRecord(parsed.filters) : { status: "active" };
  const [mailings, countries] = await Promise.all([pastMailings(db, meeting), registrantCountries(db, meeting.id, audience.country)]);
  return json({
    meeting: { slug: meeting.slug, title: meeting.title, zone: zoneLabel(meeting.timezone) },
    audience,
    countries,
    mailings,
  });
}

type ActionData =
  | { kind: "refused"; errors: Record<string, string>; values: Record<string, string> }
  | {
      kind: "preview";
      values: Record<string, string>;
      count: number;
      audience: string;
      html: string;
      notice: string | null;
    };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const db = database();
  const formData = await plainForm(request);
  const values = formValues(formData);
  const intent = formData.get("intent");
  if (intent !== "preview" && intent !== "send") throw new Response("Unknown action.", { status: 400 });
  const message = messageSchema.safeParse(values);
  const filters = parseRegistrationFilters(formData);
  const errors = message.success ? {} : fieldErrors(message.error);
  if (!filters.ok) errors.status = filters.message;
  if (!message.success || !filters.ok) return json<ActionData>({ kind: "refused", errors, values }, { status: 400 });

  const { subject, body, expectedCount } = message.data;
  const count = await audienceCount(db, meeting.id, filters.filters);
  const preview = (notice: string | null) =>
    json<ActionData>({
      kind: "preview",
      values: { ...filtersToRecord(filters.filters), subject, body },
      count,
      audience: describeAudience(filtersToRecord(filters.filters)),
      html: mailingPreviewHtml(body),
      notice,
    });
  if (message.data.intent === "preview") return preview(null);
  // The audience may have changed since the preview (new registrations, decisions): show it again.
  if (expectedCount !== count) return preview(`The audience has changed since the preview: it is now ${count}. Check, then send.`);
  const sent = await sendMailing(db, { meeting, subject, body, filters: filters.filters, sentBy: user.id });
  if (!sent.ok) return json<ActionData>({ kind: "refused", errors: { status: sent.message }, values }, { status: 409 });
  return redirect(`/admin/meetings/${meeting.slug}/mailings?sent=${sent.mailingId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Email registrants: ${data.meeting.title}` : "Email registrants" }];

function Preview({ preview }: { preview: Extract<ActionData, { kind: "preview" }> }) {
  const hidden = [...FILTER_NAMES, "subject", "body"].map((name) =>
    preview.values[name] ? <input key={name} type="hidden" name={name} value={preview.values[name]} /> : null,
  );
  return (
    <SendPreview
      className="card"
      notice={preview.notice}
      count={preview.count}
      noun={["registrant", "registrants"]}
      hidden={hidden}
      nobody="Nobody matches this audience. Change the filters below."
    >
      <dl className="facts">
        <dt>To</dt>
        <dd>
          <strong>
            {preview.count} {preview.count === 1 ? "registrant" : "registrants"}
          </strong>{" "}
          ({preview.audience}), one email each
        </dd>
        <dt>Subject</dt>
        <dd>{preview.values.subject}</dd>
      </dl>
      <p className="muted">Each email starts “Dear …,” with the person's first name and ends with a link to the meeting's page.</p>
      <div className="mail-frame" dangerouslySetInnerHTML={{ __html: preview.html }} />
    </SendPreview>
  );
}

export default function Mailings() {
  const { meeting, audience, countries, mailings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const sent = mailings.find((m) => String(m.id) === searchParams.get("sent"));
  const values = result?.values ?? audience;
  const errors = result?.kind === "refused" ? result.errors : {};
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Email registrants</h1>
      {sent && !result && (
        <p className="notice ok" role="status">
          “{sent.subject}” is on its way to {sent.recipients} {sent.recipients === 1 ? "registrant" : "registrants"}.
        </p>
      )}
      {result?.kind === "preview" && <Preview preview={result} />}

      <h2>{result?.kind === "preview" ? "Change the message" : "Write a message"}</h2>
      <ErrorSummary errors={errors} />
      <Form method="post" className="stacked" key={result?.kind === "preview" ? JSON.stringify(result.values) : "compose"}>
        <fieldset>
          <legend>Audience</legend>
          <p className="hint">“Active” is everyone pending, confirmed or on the waiting list; choose “Any status” to include cancelled and declined registrations.</p>
          <div className="row">
            <FilterFields values={values} countries={countries} />
          </div>
        </fieldset>
        <TextField name="subject" label="Subject" required defaultValue={values.subject} error={errors.subject} />
        <TextArea
          name="body"
          label="Message"
          required
          rows={12}
          defaultValue={values.body}
          error={errors.body}
          hint="Markdown: **bold**, *italic*, lists with -, links as [text](https://…). Each email starts “Dear <first name>,” and ends with the meeting's link."
        />
        <button type="submit" name="intent" value="preview" className="button">
          Preview and count recipients
        </button>
      </Form>

      <h2>Sent</h2>
      {mailings.length === 0 ? (
        <p className="muted">No message has been sent to this meeting's registrants yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <caption className="muted">Times in {meeting.zone}, the meeting's zone.</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Audience</th>
                <th scope="col">Sent</th>
                <th scope="col">By</th>
                <th scope="col">Recipients</th>
              </tr>
            </thead>
            <tbody>
              {mailings.map((mailing) => (
                <tr key={mailing.id}>
                  <td>{mailing.subject}</td>
                  <td>{mailing.audience}</td>
                  <td>
                    <time dateTime={mailing.sentAtIso}>{mailing.sentAt}</time>
                  </td>
                  <td>{mailing.sentBy}</td>
                  <td>
                    {mailing.recipients}
                    {mailing.delivered > 0 && <div className="muted small">{mailing.delivered} delivered</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
