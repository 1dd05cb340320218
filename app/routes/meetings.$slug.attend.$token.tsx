import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { isbot } from "isbot";
import { z } from "zod";
import { type NextWindow, type SelfCheckInPage, openSelfCheckIn } from "~/attendance/self-check-in.server";
import { database } from "~/database.server";
import { plainForm, recordId } from "~/lib/form";
import { SECRET_LINK_HEADERS, SECRET_LINK_REFERRER } from "~/lib/secret-link";
import { ErrorPage } from "~/ui/error-page";

export const headers: HeadersFunction = () => SECRET_LINK_HEADERS;

const linkParams = z.object({ slug: z.string().max(200), token: z.string().max(200) });
/** The session chosen when several run at once; without it, the one open now. */
const choiceForm = z.object({ item: recordId.optional() });

const UNKNOWN = "This check-in link is not valid: it may have been replaced by a newer one. Use the link in your latest reminder email.";

async function answer(params: LoaderFunctionArgs["params"], options: { record: boolean; itemId?: number }) {
  const link = linkParams.safeParse(params);
  const page = link.success ? await openSelfCheckIn(database(), { ...link.data, ...options }) : undefined;
  if (!page) throw new Response(UNKNOWN, { status: 404, headers: SECRET_LINK_HEADERS });
  return json(page, { status: page.kind === "not-confirmed" ? 403 : 200, headers: SECRET_LINK_HEADERS });
}

/** Opening the link records attendance; link scanners in mail systems (and HEAD requests) only look, so they record nothing. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const scanner = request.method !== "GET" || isbot(request.headers.get("user-agent") ?? "");
  return answer(params, { record: !scanner });
}

export async function action({ params, request }: ActionFunctionArgs) {
  const form = await plainForm(request).catch(() => {
    throw new Response("Send the choice as a form.", { status: 400, headers: SECRET_LINK_HEADERS });
  });
  const parsed = choiceForm.safeParse(Object.fromEntries(form));
  return answer(params, { record: true, itemId: parsed.success ? parsed.data.item : undefined });
}

export const meta: MetaFunction = () => [{ title: "Online check-in" }, SECRET_LINK_REFERRER, { name: "robots", content: "noindex" }];

function NextSession({ next }: { next: NextWindow | null }) {
  if (!next) return <p>There are no more sessions to check in to.</p>;
  return (
    <p>
      Next: <strong>{next.title}</strong>, check-in opens <time dateTime={next.opensAtIso}>{next.opensAt}</time>. Open this link again then.
    </p>
  );
}

function Body({ page }: { page: SelfCheckInPage }) {
  switch (page.kind) {
    case "cancelled":
      return <p className="notice cancelled">This meeting has been cancelled: there is no attendance to record.</p>;
    case "turned-off":
      return <p className="notice">The organisers record attendance at this meeting themselves: there is nothing for you to do here.</p>;
    case "not-confirmed":
      return (
        <p className="notice cancelled" role="alert">
          {page.message}
        </p>
      );
    case "ask":
      return (
        <Form method="post">
          <p>Record your online attendance for the session under way.</p>
          <button type="submit" className="button">
            Record my attendance
          </button>
        </Form>
      );
    case "recorded":
      return (
        <>
          <p className="notice ok" role="status">
            {page.created
              ? `Thank you, ${page.name}: your attendance at ${page.what} is recorded (${page.recordedAt}).`
              : `Your attendance at ${page.what} was already recorded (${page.recordedAt}). Nothing more to do.`}
          </p>
          <NextSession next={page.next} />
        </>
      );
    case "choose":
      return (
        <Form method="post">
          <fieldset>
            <legend>Several sessions are open now. Which one are you attending?</legend>
            {page.options.map((option) => (
              <p key={option.id}>
                <button type="submit" name="item" value={option.id} className="button">
                  {option.title}
                </button>{" "}
                <span className="muted">starts {option.startsAt}</span>
              </p>
            ))}
          </fieldset>
        </Form>
      );
    case "closed":
      return (
        <>
          <p className="notice" role="status">
            Check-in is not open now, so nothing was recorded. It opens 15 minutes before each session starts.
          </p>
          <NextSession next={page.next} />
        </>
      );
  }
}

export default function SelfCheckIn() {
  const loaded = useLoaderData<typeof loader>();
  const page = useActionData<typeof action>() ?? loaded;
  return (
    <section className="prose" aria-labelledby="check-in-title">
      <h1 id="check-in-title">Online check-in</h1>
      <p>
        <Link to={`/meetings/${page.meetingSlug}`}>{page.meetingTitle}</Link>
      </p>
      <Body page={page} />
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
