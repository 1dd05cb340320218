import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { endSession, signedInUser } from "~/accounts/session.server";
import { ErrorPage } from "~/ui/error-page";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await signedInUser(request);
  return json({ email: user?.email ?? null });
}

/** Ends the session in the database, not only in the browser. */
export async function action({ request }: ActionFunctionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await endSession(request) } });
}

export const meta: MetaFunction = () => [{ title: "Sign out" }];

export default function SignOut() {
  const { email } = useLoaderData<typeof loader>();
  if (!email) {
    return (
      <p>
        You are not signed in. <Link to="/login">Sign in</Link>
      </p>
    );
  }
  return (
    <section>
      <h1>Sign out</h1>
      <p>You are signed in as {email}.</p>
      <Form method="post">
        <button type="submit" className="button">
          Sign out
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
