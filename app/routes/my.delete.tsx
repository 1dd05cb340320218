import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { endSession, requireUser, signedInUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { fieldErrors, formValues, plainForm } from "~/lib/form";
import { deleteAccount } from "~/personal-data/erasure.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextField } from "~/ui/fields";

const DONE = "/my/delete?deleted=1";

export async function loader({ request }: LoaderFunctionArgs) {
  // After the deletion the session is gone: the page then only says so.
  if (new URL(request.url).searchParams.get("deleted") === "1" && !(await signedInUser(request))) return json({ deleted: true, email: null });
  const user = await requireUser(request);
  return json({ deleted: false, email: user.email }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await plainForm(request);
  const confirmation = z.object({
    confirmEmail: z
      .string({ error: "Type your email address to confirm" })
      .trim()
      .toLowerCase()
      .refine((typed) => typed === user.email, "Type your own email address, as shown above, to confirm"),
  });
  const parsed = confirmation.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return json({ errors: fieldErrors(parsed.error), values: formValues(formData) }, { status: 400 });
  const deleted = await deleteAccount(database(), user);
  if (!deleted.ok) return json({ errors: { form: deleted.message }, values: formValues(formData) }, { status: 409 });
  return redirect(DONE, { headers: { "Set-Cookie": await endSession(request) } });
}

export const meta: MetaFunction = () => [{ title: "Delete my account" }];

export default function DeleteAccount() {
  const { deleted, email } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  const errors: Record<string, string> = refused?.errors ?? {};
  if (deleted) {
    return (
      <>
        <h1>Your account is deleted</h1>
        <p role="status">Your account, your registrations and what was kept under your address are gone. Past attendance is kept only as anonymous numbers.</p>
        <p>
          <Link to="/meetings">See all meetings</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Delete my account</h1>
      <p>Deleting your account ({email}) cannot be undone. It:</p>
      <ul>
        <li>cancels your registrations for meetings not yet over (your place goes to the next person waiting);</li>
        <li>erases your name, address, organisation, answers and travel details from every registration, past ones included: what you attended stays only as an anonymous count in the organisers' reports;</li>
        <li>deletes your comments on documents, your follows, starred agenda items, calendar feed and sign-in sessions;</li>
        <li>removes your name and address from the organisers' audit log;</li>
        <li>stops any email to you not yet sent.</li>
      </ul>
      <p>
        You may first <a href="/my/data.json" download>download your data</a> (JSON).
      </p>
      <Form method="post" className="stacked" noValidate>
        <ErrorSummary errors={errors} />
        <TextField
          name="confirmEmail"
          label="Type your email address to confirm"
          type="email"
          autoComplete="off"
          required
          defaultValue={refused?.values.confirmEmail}
          error={errors.confirmEmail}
        />
        <div className="actions">
          <button type="submit" className="button danger" disabled={submitting}>
            Delete my account
          </button>
          <Link to="/my" className="button secondary">
            Keep my account
          </Link>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
