import { apiError } from "~/lib/api.server";

/** Unknown API addresses answer in JSON too. */
export async function loader() {
  return apiError(404, "No such API endpoint");
}

export async function action() {
  return apiError(404, "No such API endpoint");
}
