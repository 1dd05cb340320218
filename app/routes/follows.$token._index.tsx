import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { confirmFollow, listFollowsOfToken, unsubscribe } from "~/calendar/follows.server";
import { ErrorPage } from "~/ui/error-page";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";
import { plainForm, recordId } from "~/lib/form";

export const headers: HeadersFunction = () => SECRET_LINK_HEADERS;

const UNKNOWN = "This link does not open anything you follow. You may have unsubscribed: follow again from a programme's page.";

const pageQuery = z.object({ done: z.enum(["confirmed", "unsubscribed"]).optional() });

const intentForm = z.object({
  intent: z.enum(["confirm", "unsubscribe", "unsubscribe-all"], { error: "Unknown action" }),
  follow: recordId.optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await listFollowsOfToken(database(), params.token);
  if (!found) throw new Response(UNKNOWN, { status: 404, headers: SECRET_LINK_HEADERS });
  const query = pageQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  return json({ ...found, done: query.data?.done ?? null }, { headers: SECRET_LINK_HEADERS });
}

/** Confirming is a button, not the link itself: mail scanners open links, and must not confirm anything. */
export async function action({ request, params }: ActionFunctionArgs) {
  const parsed = intentForm.safeParse(Object.fromEntries(await plainForm(request)));
  if (!parsed.success) throw new Response("Unknown action.", { status: 400, headers: SECRET_LINK_HEADERS });
  const { intent, follow } = parsed.data;
  const db = database();
  if (intent === "confirm") {
    if (!(await confirmFollow(db, params.token, follow))) throw new Response(UNKNOWN, { status: 404, headers: SECRET_LINK_HEADERS });
    return redirect(`/follows/${params.token}?done=confirmed`, { headers: SECRET_LINK_HEADERS });
  }
  const result = await unsubscribe(db, params.token, intent === "unsubscribe-all" ? "all" : follow);
  if (!result) throw new Response(UNKNOWN, { status: 404, headers: SECRET_LINK_HEADERS });
  // The link's own follow may be gone: what is left shows under the link of a follow that remains.
  const next = result.remainingToken ? `/follows/${result.remainingToken}` : "/follows";
  return redirect(`${next}?done=unsubscribed`, { headers: SECRET_LINK_HEADERS });
}

export const meta: MetaFunction = () => [
  { title: "What you follow" },
  SECRET_LINK_REFERRER,
  { name: "robots", content: "noindex" },
];

function FollowButton({ intent, follow, label, name, className }: { intent: string; follow: number; label: string; name: string; className: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="follow" value={follow} />
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
        <span className="visually-hidden"> {name}</span>
      </button>
    </Form>
  );
}

export default function ManageFollows() {
  const { email, followId, follows, done } = useLoaderData<typeof loader>();
  const own = follows.find((follow) => follow.id === followId);
  const nameOf = (follow: (typeof follows)[number]) => follow.programme?.title ?? "All meetings";
  return (
    <section className="prose follows">
      <h1>What you follow</h1>
      <p>
        Emails about meetings go to <strong>{email}</strong> when one is announced, rescheduled or cancelled.
      </p>
      {done === "confirmed" && (
        <p className="notice ok" role="status">
          Confirmed: we will email you about these meetings.
        </p>
      )}
      {done === "unsubscribed" && (
        <p className="notice ok" role="status">
          Unsubscribed: we will not email you about those meetings any more.
        </p>
      )}
      {own && !own.confirmed && (
        <Form method="post" className="notice">
          <p>
            Do you want an email when{" "}
            {own.programme ? (
              <>
                a meeting of <strong>{own.programme.title}</strong>
              </>
            ) : (
              <strong>any meeting</strong>
            )}{" "}
            is announced, rescheduled or cancelled?
          </p>
          <input type="hidden" name="follow" value={own.id} />
          <button type="submit" name="intent" value="confirm" className="button">
            Confirm
          </button>
        </Form>
      )}
      <ul className="follow-list">
        {follows.map((follow) => (
          <li key={follow.id}>
            <span>
              {follow.programme ? <Link to={`/programmes/${follow.programme.slug}`}>{nameOf(follow)}</Link> : <Link to="/meetings">{nameOf(follow)}</Link>}{" "}
              <span className="muted">{follow.confirmed ? "(confirmed)" : "(not confirmed yet: nothing is sent)"}</span>
            </span>
            <span className="actions">
              {!follow.confirmed && follow.id !== followId && (
                <FollowButton intent="confirm" follow={follow.id} label="Confirm" name={nameOf(follow)} className="button small" />
              )}
              <FollowButton intent="unsubscribe" follow={follow.id} label="Unsubscribe" name={`from ${nameOf(follow)}`} className="button small secondary" />
            </span>
          </li>
        ))}
      </ul>
      {follows.length > 1 && (
        <Form method="post">
          <button type="submit" name="intent" value="unsubscribe-all" className="button danger">
            Unsubscribe from all
          </button>
        </Form>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
