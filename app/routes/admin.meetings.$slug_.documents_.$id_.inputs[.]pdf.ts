import type { LoaderFunctionArgs } from "@remix-run/node";
import { inputsExport } from "~/documents/inputs-exports.server";

/** A document's inputs compiled as a PDF, for the organisers preparing the revision. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return inputsExport(request, params, "pdf");
}
