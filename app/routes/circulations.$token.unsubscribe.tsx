import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { findCirculationLink, setCirculationOptOut } from "~/documents/circulation.server";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";
import { ErrorPage } from "~/ui/error-page";

/** Only "resume" is asked for by name; anything else (the page's button, RFC 8058's `List-Unsubscribe=One-Click`, an empty body) stops. */
const intentSchema = z.object({ intent: z.literal("resume").optional().catch(undefined) });

const UNKNOWN = "This link is not known: check that it was copied whole from the email.";

export const headers: HeadersFunction = () => SECRET_LINK_HEADERS;

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await findCirculationLink(database(), params.token);
  if (!link) throw new Response(UNKNOWN, { status: 404, headers: SECRET_LINK_HEADERS });
  return json(
    { meeting: { title: link.meetingTitle, slug: link.meetingSlug }, email: link.email, optedOut: link.optedOut },
    { headers: SECRET_LINK_HEADERS },
  );
}

/** Mail scanners follow links but do not post: only a POST changes anything. Mail clients' one-click POST carries no cookie nor Origin, and needs none. */
export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => new FormData());
  const { intent } = intentSchema.parse({ intent: form.get("intent") ?? undefined });
  const result = await setCirculationOptOut(database(), params.token, intent !== "resume");
  if (!result) throw new Response(UNKNOWN, { status: 404, headers: SECRET_LINK_HEADERS });
  return json({ optedOut: result.optedOut }, { headers: SECRET_LINK_HEADERS });
}

export const meta: MetaFunction = () => [{ title: "Documents by email" }, SECRET_LINK_REFERRER, { name: "robots", content: "noindex" }];

export default function CirculationUnsubscribe() {
  const { meeting, email, optedOut } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const meetingLink = <Link to={`/meetings/${meeting.slug}`}>{meeting.title}</Link>;
  if (optedOut) {
    return (
      <section className="prose">
        <h1>{done ? "You will receive no more documents" : "You receive no documents"}</h1>
        <p role="status">
          Documents circulated for {meetingLink} are no longer emailed to <strong>{email}</strong>. They stay on the meeting's{" "}
          <Link to={`/meetings/${meeting.slug}/documents`}>documents page</Link>.
        </p>
        <Form method="post">
          <button type="submit" name="intent" value="resume" className="button secondary">
            Receive them again
          </button>
        </Form>
      </section>
    );
  }
  return (
    <section className="prose">
      <h1>{done ? "You will receive documents again" : "Stop receiving documents?"}</h1>
      {done ? (
        <p role="status">
          Documents circulated for {meetingLink} will be emailed to <strong>{email}</strong> again.
        </p>
      ) : (
        <p>
          Stop emails with documents for {meetingLink} to <strong>{email}</strong>? Your registration stays as it is, and other emails about it still come.
        </p>
      )}
      <Form method="post">
        <button type="submit" className="button">
          Stop receiving documents
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
