import type { LoaderFunctionArgs } from "@remix-run/node";
import { personalFeedAnswer } from "~/calendar/personal-feed.server";
import { database } from "~/database.server";
import { answerResponse } from "~/lib/plain-answer.server";

/**
 * A person's private feed (server.ts answers its polls before Remix and the Fetch API, with the same
 * function). An unknown or retired token is a plain 404 that says nothing more.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const answer = await personalFeedAnswer(database(), request.headers, params.token ?? "");
  if (!answer) throw new Response("Not found.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return answerResponse(answer);
}
