import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { grantAdministrator, listAdministrators, revokeAdministrator } from "~/accounts/roles.server";
import { requireAdministrator } from "~/accounts/session.server";
import { database } from "~/database.server";
import { emailAddress, fieldErrors, formValues, plainForm, recordId } from "~/lib/form";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextField } from "~/ui/fields";

const grantSchema = z.object({ email: emailAddress() });
const revokeSchema = z.object({ user: recordId });
const intentSchema = z.enum(["grant", "revoke"], { error: "Unknown action" });

type ActionData = { errors: Record<string, string>; values: Record<string, string>; notice: string | null; failed: boolean };
const answer = (data: Partial<ActionData>, status = 200) => json<ActionData>({ errors: {}, values: {}, notice: null, ...data, failed: status >= 400 }, { status });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireAdministrator(request);
  const administrators = await listAdministrators(database());
  return json({ me: user.id, administrators: administrators.map(({ userId, email, name, fromSettings }) => ({ userId, email, name, fromSettings })) });
}

/** Administrators grant the role to others by email, and take it back, never from the last one. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdministrator(request);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  if (intent.data === "grant") {
    const parsed = grantSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return answer({ errors: fieldErrors(parsed.error), values: formValues(formData) }, 400);
    await grantAdministrator(db, parsed.data.email, user.id);
    return answer({ notice: `${parsed.data.email} is now an administrator. They sign in with this address.` });
  }
  const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Response("Whose role?", { status: 400 });
  const revoked = await revokeAdministrator(db, parsed.data.user, user.id);
  if (!revoked.ok) return answer({ notice: revoked.message }, 409);
  if (parsed.data.user === user.id) return redirect("/");
  return answer({ notice: "No longer an administrator: they keep the meetings they were given." });
}

export const meta: MetaFunction = () => [{ title: "Administrators" }];

export default function Administrators() {
  const { me, administrators } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const values = result?.failed ? result.values : {};
  return (
    <>
      <p>
        <Link to="/admin">← Organisers</Link>
      </p>
      <h1>Administrators</h1>
      <p>Administrators manage every meeting and the programmes, create meetings and grant roles. There is always at least one.</p>
      {result?.notice && (
        <p className={result.failed ? "notice cancelled" : "notice ok"} role={result.failed ? "alert" : "status"}>
          {result.notice}
        </p>
      )}

      <h2 id="grant-heading">Make someone an administrator</h2>
      <Form method="post" className="stacked" noValidate aria-labelledby="grant-heading" key={`grant-${JSON.stringify(result ?? {})}`}>
        <ErrorSummary errors={result?.errors} />
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
        <button type="submit" name="intent" value="grant" className="button" disabled={submitting}>
          Make administrator
        </button>
      </Form>

      <h2>Administrators</h2>
      <ul className="plain">
        {administrators.map((admin) => (
          <li key={admin.userId} className="row-actions">
            <span>
              {admin.email}
              {admin.userId === me && " (you)"}
              {admin.name && <span className="muted"> {admin.name}</span>}
            </span>
            {admin.fromSettings ? (
              <span className="muted small">set by ADMIN_EMAILS</span>
            ) : (
              <Form method="post">
                <input type="hidden" name="user" value={admin.userId} />
                <button type="submit" name="intent" value="revoke" className="button small secondary" disabled={submitting}>
                  Remove the role<span className="visually-hidden"> from {admin.email}</span>
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
