import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { inviteByEmail, issueCode, listInvitations, resendInvitation, revokeInvitation } from "~/registration/invitations.server";
import { INVITATION_STATUS_LABELS } from "~/registration/organiser-labels";
import { meetingSummary, organisersMeeting } from "~/registration/organiser-meeting.server";
import { ErrorPage } from "~/ui/error-page";
import { MeetingAdminNav } from "~/ui/meeting-admin-nav";
import { ErrorSummary, TextArea, TextField } from "~/ui/fields";
import { plainForm, recordId } from "~/lib/form";

const intentSchema = z.enum(["invite", "code", "revoke", "resend"], { error: "Unknown action" });
const idSchema = recordId;

interface ActionData {
  form: "invite" | "code" | null;
  errors: Record<string, string>;
  values: Record<string, string>;
  notice: string | null;
  failed: boolean;
  report: { invited: string[]; alreadyInvited: string[]; alreadyRegistered: string[]; invalid: string[] } | null;
  code: { code: string; label: string; maxUses: string } | null;
}

const answer = (data: Partial<ActionData>, status = 200) =>
  json<ActionData>({ form: null, errors: {}, values: {}, notice: null, report: null, code: null, ...data, failed: status >= 400 }, { status });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { meeting } = await organisersMeeting(request, params.slug);
  return json({ meeting: meetingSummary(meeting), invitations: await listInvitations(database(), meeting.id) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, meeting } = await organisersMeeting(request, params.slug);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  switch (intent.data) {
    case "invite": {
      const result = await inviteByEmail(db, meeting, formData, user.id);
      if (!result.ok) return answer({ form: "invite", errors: result.errors, values: result.values }, 400);
      const { ok: _ok, ...report } = result;
      return answer({ form: "invite", report });
    }
    case "code": {
      const result = await issueCode(db, meeting, formData, user.id);
      if (!result.ok) return answer({ form: "code", errors: result.errors, values: result.values }, 400);
      return answer({ form: "code", code: { code: result.code, label: String(formData.get("label") ?? "").trim(), maxUses: String(formData.get("maxUses") ?? "").trim() } });
    }
    case "revoke":
    case "resend": {
      const id = idSchema.safeParse(formData.get("invitation"));
      if (!id.success) throw new Response("Which invitation?", { status: 400 });
      if (intent.data === "revoke") {
        const revoked = await revokeInvitation(db, meeting.id, id.data, user.id);
        if (!revoked) return answer({ notice: "That invitation was already revoked, or is not one of this meeting's." }, 404);
        return answer({ notice: "Invitation revoked: it no longer works." });
      }
      const resent = await resendInvitation(db, meeting, id.data, user.id);
      if (!resent.ok) return answer({ notice: resent.message }, resent.unknown ? 404 : 409);
      return answer({ notice: `Invitation sent again to ${resent.email}, with a new link: the earlier link no longer works.` });
    }
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Invitations: ${data.meeting.title}` : "Invitations" }];

function AddressList({ title, addresses }: { title: string; addresses: string[] }) {
  if (addresses.length === 0) return null;
  return (
    <>
      <p>
        <strong>{title}</strong>
      </p>
      <ul>
        {addresses.map((address) => (
          <li key={address}>{address}</li>
        ))}
      </ul>
    </>
  );
}

export default function Invitations() {
  const { meeting, invitations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const inviteErrors = result?.form === "invite" ? result.errors : {};
  const codeErrors = result?.form === "code" ? result.errors : {};
  const inviteValues = result?.form === "invite" && !result.report ? result.values : {};
  const codeValues = result?.form === "code" && !result.code ? result.values : {};
  const report = result?.report;
  return (
    <>
      <MeetingAdminNav meeting={meeting} />
      <h1>
        Invitations: {meeting.title}
      </h1>
      <p>{meeting.when}</p>
      {meeting.policy !== "invitation" && (
        <p className="notice" role="note">
          Registration for this meeting is {meeting.policy}: anyone may register without an invitation, and invitations are not counted. To
          require one, choose “By invitation only” on <Link to={`/admin/meetings/${meeting.slug}`}>the meeting's page</Link>.
        </p>
      )}
      {meeting.status === "draft" && (
        <p className="notice" role="note">
          The meeting is a draft. You can issue codes now; invitation emails can be sent once it is published.
        </p>
      )}
      {result?.notice && (
        <p className={result.failed ? "notice cancelled" : "notice ok"} role={result.failed ? "alert" : "status"}>
          {result.notice}
        </p>
      )}

      <h2 id="invite-by-email">Invite by email</h2>
      <p>Each address gets a personal link that registers that person once, with that address.</p>
      {report && (
        <section className="notice ok" role="status" aria-label="Invitations sent">
          <AddressList title={`Invited (${report.invited.length}):`} addresses={report.invited} />
          <AddressList title="Already invited, not invited again (to send a new link, use “Send again” or “Invite again” below):" addresses={report.alreadyInvited} />
          <AddressList title="Already registered, not invited:" addresses={report.alreadyRegistered} />
          <AddressList title="Not email addresses, not invited:" addresses={report.invalid} />
        </section>
      )}
      <Form method="post" className="stacked" noValidate aria-labelledby="invite-by-email" key={`invite-${JSON.stringify(result?.report ?? inviteValues)}`}>
        <ErrorSummary errors={inviteErrors} />
        <TextArea
          name="emails"
          label="Email addresses"
          required
          rows={5}
          hint="One a line, or separated by commas. “Name <address>” is fine."
          defaultValue={inviteValues.emails}
          error={inviteErrors.emails}
        />
        <button type="submit" name="intent" value="invite" className="button" disabled={submitting}>
          Send invitations
        </button>
      </Form>

      <h2 id="issue-code">Issue a code</h2>
      <p>A code lets a government focal point nominate several delegates: each registers with it, up to the number you set.</p>
      {result?.code && (
        <p className="notice ok" role="status">
          New code for {result.code.label}: <strong><code data-testid="new-code">{result.code.code}</code></strong> ({result.code.maxUses}{" "}
          {result.code.maxUses === "1" ? "use" : "uses"}). Give it to them with the address of the registration form:{" "}
          <Link to={`/meetings/${meeting.slug}/register`}>/meetings/{meeting.slug}/register</Link>
        </p>
      )}
      <Form method="post" className="stacked" noValidate aria-labelledby="issue-code" key={`code-${JSON.stringify(result?.code ?? codeValues)}`}>
        <ErrorSummary errors={codeErrors} />
        <div className="row">
          <TextField name="label" label="For whom" required hint="e.g. Republic of Korea focal point" defaultValue={codeValues.label} error={codeErrors.label} />
          <TextField
            name="maxUses"
            label="How many people may register with it"
            required
            type="number"
            inputMode="numeric"
            defaultValue={codeValues.maxUses ?? "1"}
            error={codeErrors.maxUses}
          />
        </div>
        <button type="submit" name="intent" value="code" className="button" disabled={submitting}>
          Issue code
        </button>
      </Form>

      <h2>All invitations</h2>
      {invitations.length === 0 ? (
        <p className="muted">No invitations yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data">
            <caption className="muted">Newest first. Uses count registrations made with the invitation.</caption>
            <thead>
              <tr>
                <th scope="col">Invitation</th>
                <th scope="col">For</th>
                <th scope="col">Uses</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <td>
                    {invitation.kind === "code" ? (
                      <>
                        Code <code>{invitation.code}</code>
                      </>
                    ) : (
                      <>Email</>
                    )}
                  </td>
                  <td>{invitation.kind === "code" ? invitation.label : invitation.email}</td>
                  <td>
                    {invitation.uses} of {invitation.maxUses}
                    {invitation.registrants.length > 0 && <div className="muted">{invitation.registrants.join(", ")}</div>}
                  </td>
                  <td>
                    <span className={`badge ${invitation.status === "revoked" ? "cancelled" : invitation.status === "active" ? "published" : ""}`}>
                      {INVITATION_STATUS_LABELS[invitation.status]}
                    </span>
                  </td>
                  <td>
                    <div className="actions" style={{ margin: 0 }}>
                      {invitation.status !== "revoked" && (
                        <Form
                          method="post"
                          onSubmit={(event) => {
                            if (!window.confirm(`Revoke ${invitation.code ?? `the invitation of ${invitation.email}`}? It stops working at once.`)) event.preventDefault();
                          }}
                        >
                          <input type="hidden" name="invitation" value={invitation.id} />
                          <button type="submit" name="intent" value="revoke" className="button secondary" aria-label={`Revoke ${invitation.code ?? invitation.email}`}>
                            Revoke
                          </button>
                        </Form>
                      )}
                      {invitation.kind === "email" && invitation.status !== "used_up" && (
                        <Form method="post">
                          <input type="hidden" name="invitation" value={invitation.id} />
                          <button type="submit" name="intent" value="resend" className="button secondary" aria-label={`Send again to ${invitation.email}`}>
                            {invitation.status === "revoked" ? "Invite again" : "Send again"}
                          </button>
                        </Form>
                      )}
                    </div>
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
