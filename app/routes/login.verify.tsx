import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { rotateSession } from "~/accounts/session.server";
import { signInLinkEmailAddress, redeemSignInLink } from "~/accounts/sign-in.server";
import { plainForm } from "~/lib/form";
import { ErrorPage } from "~/ui/error-page";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";

const verifyForm = z.object({ token: z.string().max(100) });

export const headers: HeadersFunction = () => SECRET_LINK_HEADERS;

/** Opening the link only shows a button: mail scanners that open links must not use them up. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const email = await signInLinkEmailAddress(database(), token);
  return json({ email, token: email ? token : null }, { headers: SECRET_LINK_HEADERS });
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = verifyForm.safeParse(Object.fromEntries(await plainForm(request)));
  const db = database();
  const signedIn = parsed.success ? await redeemSignInLink(db, parsed.data.token) : null;
  if (!signedIn) return json({ failed: true }, { status: 400, headers: SECRET_LINK_HEADERS });
  return redirect(signedIn.redirectTo, { headers: { "Set-Cookie": await rotateSession(db, request, signedIn.user.id) } });
}

export const meta: MetaFunction = () => [{ title: "Sign in" }, SECRET_LINK_REFERRER];

function LinkUnusable() {
  return (
    <section className="prose">
      <h1>This sign-in link cannot be used</h1>
      <p>It has expired or has already been used. Links work once, for 15 minutes.</p>
      <p>
        <Link className="button" to="/login">
          Send a new link
        </Link>
      </p>
    </section>
  );
}

export default function VerifySignIn() {
  const { email, token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!email || !token || result?.failed) return <LinkUnusable />;
  return (
    <section className="prose">
      <h1>Sign in</h1>
      <p>
        Sign in as <strong>{email}</strong>?
      </p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="button">
          Sign in
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
