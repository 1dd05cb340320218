import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { endEverySession, endSession, signedInUser } from "~/accounts/session.server";
import { ErrorPage } from "~/ui/error-page";

/** No intent: sign out here (the header's button). `everywhere`: every session of the user ends. */
const signOutForm = z.object({ intent: z.literal("everywhere", { error: "Unknown sign-out" }).optional() });

/** `?everywhere` asks to confirm signing out on every device (linked from /my). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await signedInUser(request);
  return json({ email: user?.email ?? null, everywhere: new URL(request.url).searchParams.has("everywhere") });
}

/** Ends the session in the database, not only in the browser; or every session of the user. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = signOutForm.safeParse(Object.fromEntries(new URLSearchParams(await request.text())));
  if (!parsed.success) throw new Response("Unknown sign-out: send no intent, or intent=everywhere.", { status: 400 });
  const cookie = parsed.data.intent === "everywhere" ? await endEverySession(request) : await endSession(request);
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.everywhere ? "Sign out everywhere" : "Sign out" }];

export default function SignOut() {
  const { email, everywhere } = useLoaderData<typeof loader>();
  if (!email) {
    return (
      <p>
        You are not signed in. <Link to="/login">Sign in</Link>
      </p>
    );
  }
  if (everywhere) {
    return (
      <section className="prose">
        <h1>Sign out everywhere</h1>
        <p>
          This signs {email} out on every device and browser where you signed in: phones, other computers, and this browser
          too. To use them again, sign in with a new emailed link.
        </p>
        <Form method="post" className="actions">
          <button type="submit" name="intent" value="everywhere" className="button danger">
            Sign out everywhere
          </button>
          <Link to="/my" className="button secondary">
            Keep me signed in
          </Link>
        </Form>
      </section>
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
      <p>
        <Link to="?everywhere">Sign out on every device…</Link>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
