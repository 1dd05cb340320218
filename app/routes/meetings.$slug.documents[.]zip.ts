import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { signedInUser } from "~/accounts/session.server";
import { database } from "~/database.server";
import { downloadAllDocuments } from "~/documents/public-documents.server";

const zipQuery = z.object({
  lang: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .default("en"),
});

/** "Download all": a zip of every document the visitor may read, in `?lang=` where it exists (else English, else the first language). */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const query = zipQuery.safeParse({ lang: new URL(request.url).searchParams.get("lang") || undefined });
  if (!query.success) {
    throw new Response("Choose a language by its ISO code (lang=en).", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const user = await signedInUser(request);
  return downloadAllDocuments(database(), request, params.slug, query.data.lang, user);
}
