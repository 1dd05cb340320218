import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { SIGN_IN_LINK_MINUTES, safeRedirectPath, sendSignInLink } from "~/accounts/sign-in.server";
import { signedInUser } from "~/accounts/session.server";
import { limitSignInLinks, retryAfterHeaders, withRetryAfter } from "~/rate-limits/rate-limits.server";
import { emailAddress, fieldErrors, formValues, plainForm } from "~/lib/form";
import { EmailSent } from "~/ui/email-sent";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, TextField } from "~/ui/fields";

const signInForm = z.object({
  email: emailAddress(),
  redirectTo: z.string().max(500).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await signedInUser(request);
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "");
  return json({ signedInAs: user?.email ?? null, redirectTo });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await plainForm(request);
  const values: Record<string, string> = formValues(formData);
  const noErrors: Record<string, string> = {};
  const parsed = signInForm.safeParse(values);
  if (!parsed.success) return json({ sentTo: null, errors: fieldErrors(parsed.error), values, refusal: null }, { status: 400 });
  const db = database();
  // Counted whether or not the address has an account, so the answer tells nothing about that.
  const verdict = await limitSignInLinks(db, parsed.data.email, context.clientNetwork);
  if (verdict.limited) {
    return json({ sentTo: null, errors: noErrors, values, refusal: verdict.message }, { status: 429, headers: retryAfterHeaders(verdict) });
  }
  const redirectTo = safeRedirectPath(parsed.data.redirectTo, "") || null;
  await sendSignInLink(db, parsed.data.email, redirectTo);
  return json({ sentTo: parsed.data.email, errors: noErrors, values, refusal: null });
}

export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => withRetryAfter(loaderHeaders, actionHeaders);

export const meta: MetaFunction = () => [{ title: "Sign in" }];

export default function SignIn() {
  const { signedInAs, redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  if (result?.sentTo) {
    return (
      <EmailSent what="a sign-in link" to={result.sentTo}>
        It works once and expires in {SIGN_IN_LINK_MINUTES} minutes.
      </EmailSent>
    );
  }
  return (
    <section className="prose">
      <h1>Sign in</h1>
      {signedInAs && <p className="notice ok">You are signed in as {signedInAs}.</p>}
      <p>Enter your email address and we will send you a link to sign in. No password needed.</p>
      {result?.refusal && (
        <p className="notice cancelled" role="alert">
          {result.refusal}
        </p>
      )}
      <ErrorSummary errors={result?.errors} />
      <Form method="post" className="stacked" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.values.email}
          error={result?.errors.email}
        />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? "Sending…" : "Send me a sign-in link"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
