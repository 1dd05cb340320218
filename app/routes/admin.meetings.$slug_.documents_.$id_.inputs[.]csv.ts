import type { LoaderFunctionArgs } from "@remix-run/node";
import { inputsExport } from "~/documents/inputs-exports.server";

/** A document's inputs as CSV, for the organisers. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return inputsExport(request, params, "csv");
}
