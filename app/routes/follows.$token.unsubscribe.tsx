import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { database } from "~/database.server";
import { listFollowsOfToken, unsubscribe } from "~/calendar/follows.server";
import { ErrorPage } from "~/ui/error-page";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";

export const headers: HeadersFunction = () => SECRET_LINK_HEADERS;

const UNKNOWN = "This link no longer stops anything: you may have unsubscribed already.";

/**
 * An unknown link is a 404, answered as data rather than thrown: after the POST below has deleted
 * the follow, this loader runs again for the same page, and the POST's own answer must stand.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await listFollowsOfToken(database(), params.token);
  const own = found?.follows.find((follow) => follow.id === found.followId);
  if (!found || !own) return json({ follow: null }, { status: 404, headers: SECRET_LINK_HEADERS });
  return json({ follow: { email: found.email, programme: own.programme?.title ?? null } }, { headers: SECRET_LINK_HEADERS });
}

/**
 * One click (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` to the address in the
 * email's List-Unsubscribe header; the page's button does the same. The body is not needed: any
 * POST unsubscribes and is answered 200.
 */
export async function action({ params }: ActionFunctionArgs) {
  const result = await unsubscribe(database(), params.token);
  if (!result) throw new Response(UNKNOWN, { status: 404, headers: SECRET_LINK_HEADERS });
  return json({ remainingToken: result.remainingToken }, { headers: SECRET_LINK_HEADERS });
}

export const meta: MetaFunction = () => [
  { title: "Unsubscribe" },
  SECRET_LINK_REFERRER,
  { name: "robots", content: "noindex" },
];

export default function Unsubscribe() {
  const { follow } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  if (done) {
    return (
      <section className="prose">
        <h1>You are unsubscribed</h1>
        <p role="status">We will not email you about these meetings any more.</p>
        {done.remainingToken && (
          <p>
            <Link to={`/follows/${done.remainingToken}`}>See what you still follow</Link>
          </p>
        )}
      </section>
    );
  }
  if (!follow) {
    return (
      <section className="prose">
        <h1>Link not found</h1>
        <p>{UNKNOWN}</p>
      </section>
    );
  }
  return (
    <section className="prose">
      <h1>Unsubscribe</h1>
      <p>
        Stop emails to <strong>{follow.email}</strong> about{" "}
        {follow.programme ? (
          <>
            meetings of <strong>{follow.programme}</strong>
          </>
        ) : (
          "all meetings"
        )}
        ?
      </p>
      <Form method="post">
        <button type="submit" className="button">
          Unsubscribe
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
