import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { signedInUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { downloadDocument } from "~/documents/public-documents.server";
import { recordId } from "~/lib/form";


const downloadQuery = z.object({
  lang: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .optional(),
  version: recordId.optional(),
});

function badRequest(text: string): Response {
  return new Response(text, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** One file of a document: `?lang=` (ISO 639 code) and `?version=` (a number; default the current one). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = recordId.safeParse(params.id);
  if (!id.success) throw badRequest("A document is named by its number.");
  const url = new URL(request.url);
  const query = downloadQuery.safeParse({ lang: url.searchParams.get("lang") ?? undefined, version: url.searchParams.get("version") ?? undefined });
  if (!query.success) throw badRequest("Ask for a language by its ISO code (lang=en) and a version by its number (version=2).");
  const user = await signedInUser(request);
  return downloadDocument(database(), request, params.slug, id.data, query.data, user);
}
