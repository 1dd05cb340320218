import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/database.server";
import { apiError, apiJson } from "~/lib/api.server";
import { meetingJson } from "~/meetings/meeting-json.server";
import { findPublicMeeting } from "~/meetings/meetings.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const meeting = await findPublicMeeting(database(), params.slug ?? "");
  if (!meeting) return apiError(404, "No such meeting");
  return apiJson({ ...meetingJson(meeting), agenda: [], documents: [] });
}
