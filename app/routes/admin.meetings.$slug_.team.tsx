import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { MEETING_ROLES } from "../../db/schema";
import { MEETING_ROLE_HINTS, MEETING_ROLE_LABELS } from "~/accounts/labels";
import { grantMeetingRole, isAdministrator, meetingTeam, revokeMeetingRole } from "~/accounts/roles.server";
import { database } from "~/database.server";
import { emailAddress, fieldErrors, formValues, plainForm, recordId } from "~/lib/form";
import { formatInstant } from "~/lib/time";
import { meetingSummary, organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, labelOptions, SelectField, TextField } from "~/ui/fields";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";

const addSchema = z.object({
  email: emailAddress(),
  role: z.enum(MEETING_ROLES, { error: "Choose Manager or Check-in staff" }),
});
const removeSchema = z.object({ user: recordId });
const intentSchema = z.enum(["add", "remove"], { error: "Unknown action" });

type ActionData = { errors: Record<string, string>; values: Record<string, string>; notice: string | null; failed: boolean };
const answer = (data: Partial<ActionData>, status = 200) => json<ActionData>({ errors: {}, values: {}, notice: null, ...data, failed: status >= 400 }, { status });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  const team = await meetingTeam(database(), meeting.id);
  return json({
    meeting: meetingSummary(meeting),
    team: team.map((member) => ({ ...member, grantedAt: formatInstant(member.grantedAt, meeting.timezone) })),
  });
}

/** Managers of the meeting (and administrators) add and remove its managers and check-in staff by email. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  if (intent.data === "add") {
    const parsed = addSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return answer({ errors: fieldErrors(parsed.error), values: formValues(formData) }, 400);
    const { email, role } = parsed.data;
    await grantMeetingRole(db, { meetingId: meeting.id, email, role, grantedBy: user.id });
    if (email === user.email && role !== "manager" && !isAdministrator(user)) return redirect("/admin");
    return answer({ notice: `${email} is now ${role === "manager" ? "a manager" : "check-in staff"} of this meeting. They sign in with this address.` });
  }
  const parsed = removeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Whom to remove?", { status: 400 });
  const removed = await revokeMeetingRole(db, meeting.id, parsed.data.user, user.id);
  if (!removed) return answer({ notice: "That person is not on this meeting's team." }, 404);
  if (parsed.data.user === user.id && !isAdministrator(user)) return redirect("/admin");
  return answer({ notice: "Removed from the team: they no longer have access to this meeting." });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Team: ${data.meeting.title}` : "Team" }];

export default function Team() {
  const { meeting, team } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const values = result?.failed ? result.values : {};
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>Team: {meeting.title}</h1>
      <p>
        Administrators manage every meeting. Here you give this meeting to other people: a <strong>manager</strong>{" "}
        {MEETING_ROLE_HINTS.manager}; <strong>check-in staff</strong> {MEETING_ROLE_HINTS.check_in}.
      </p>
      {result?.notice && (
        <p className={result.failed ? "notice cancelled" : "notice ok"} role={result.failed ? "alert" : "status"}>
          {result.notice}
        </p>
      )}

      <h2 id="add-heading">Add someone</h2>
      <Form method="post" className="stacked" noValidate aria-labelledby="add-heading" key={`add-${JSON.stringify(result ?? {})}`}>
        <ErrorSummary errors={result?.errors} />
        <div className="row">
          <TextField
            name="email"
            label="Email address"
            type="email"
            required
            autoComplete="off"
            hint="The address they sign in with; they need not have signed in before."
            defaultValue={values.email}
            error={result?.errors.email}
          />
          <SelectField
            name="role"
            label="Role"
            required
            defaultValue={values.role ?? "manager"}
            options={labelOptions(MEETING_ROLE_LABELS)}
            error={result?.errors.role}
          />
        </div>
        <button type="submit" name="intent" value="add" className="button" disabled={submitting}>
          Add to the team
        </button>
      </Form>

      <h2>The team</h2>
      {team.length === 0 ? (
        <p className="muted">Nobody yet: only administrators have access to this meeting.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {team.map((member) => (
                <tr key={member.userId}>
                  <td>
                    {member.email}
                    {member.name && <div className="muted">{member.name}</div>}
                  </td>
                  <td>{MEETING_ROLE_LABELS[member.role]}</td>
                  <td>
                    {member.grantedAt}
                    {member.grantedBy && <div className="muted">by {member.grantedBy}</div>}
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="user" value={member.userId} />
                      <button type="submit" name="intent" value="remove" className="button small secondary" disabled={submitting}>
                        Remove<span className="visually-hidden"> {member.email}</span>
                      </button>
                    </Form>
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
