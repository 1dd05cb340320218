import type { LoaderFunctionArgs } from "@remix-run/node";
import { signedInUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { parseDownloadQuery } from "~/documents/downloads.server";
import { downloadDocument } from "~/documents/public-documents.server";
import { recordId } from "~/lib/form";

function badRequest(text: string): Response {
  return new Response(text, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** One file of a document, in a language and version the address may name (parseDownloadQuery). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = recordId.safeParse(params.id);
  if (!id.success) throw badRequest("A document is named by its number.");
  const query = parseDownloadQuery(new URL(request.url));
  if (!query.success) throw badRequest("Ask for a language by its ISO code (lang=en) and a version by its number (version=2).");
  const user = await signedInUser(request);
  return downloadDocument(database(), request, params.slug, id.data, query.data, user);
}
