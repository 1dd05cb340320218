import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { etagMatches, pageTag } from "~/lib/conditional-requests.server";
import { RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE, failedForDatabase, isDatabaseUnavailable, noteDatabaseUnavailable } from "~/lib/database-unavailable.server";
import { redactUrl } from "~/lib/redact";
import { cutAt } from "~/lib/render-cache.server";
import { newScriptNonce, pagePolicy } from "~/lib/web-security.server";
import { ScriptNonce } from "~/ui/script-nonce";

/**
 * A page a browser may revalidate: a GET (or HEAD) answered 200 that neither sets a cookie (a sign-in,
 * a new session) nor forbids storing it. Such a page is rendered whole and tagged (see `taggedPage`).
 */
function mayRevalidate(request: Request, status: number, headers: Headers): boolean {
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    status === 200 &&
    !headers.has("Set-Cookie") &&
    !/\bno-store\b/i.test(headers.get("Cache-Control") ?? "")
  );
}

/**
 * The whole page with an ETag, or a 304 when the browser already has these bytes. The tag is a hash of
 * the exact HTML but for the script nonce (new on each render), so a page that shows a signed-in
 * person's own details (or a form's CSRF token) has a tag of its own and is never confused with another's. It is weak because compression in server.ts
 * sends the same page in other bytes (gzip, br). `private, no-cache` unless the route chose: browsers
 * ask again each time, and an unchanged page costs the render but not the transfer.
 */
function taggedPage(request: Request, html: Buffer, headers: Headers, nonce: string): Response {
  const etag = pageTag(cutAt(html, { nonce }).parts);
  headers.set("ETag", `W/${etag}`);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-cache");
  if (etagMatches(request.headers.get("If-None-Match"), etag)) {
    headers.delete("Content-Type");
    // The browser keeps the page it has with the policy it came with, whose nonce is that page's.
    headers.delete("Content-Security-Policy");
    return new Response(null, { status: 304, headers });
  }
  return wholePage(html, 200, headers);
}

function wholePage(html: Buffer, status: number, headers: Headers): Response {
  headers.set("Content-Length", String(html.length));
  return new Response(new Uint8Array(html.buffer as ArrayBuffer, html.byteOffset, html.length), { status, headers });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  if (failedForDatabase(request)) {
    // Thrown, Remix renders the page again with this 503 at the error boundary (then it is not thrown again).
    if (responseStatusCode !== 503) throw new Response(UNAVAILABLE_MESSAGE, { status: 503, statusText: "Service Unavailable" });
    responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
    responseHeaders.set("Cache-Control", "no-store");
  }
  const tagged = mayRevalidate(request, responseStatusCode, responseHeaders);
  const nonce = newScriptNonce();
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set("Content-Security-Policy", pagePolicy(nonce));
  // No page defers data or suspends, so each is rendered to one string (React's stream cost the
  // check-in desk and the attendance report a quarter more CPU), sent in one piece with its length,
  // and tagged when it may be revalidated.
  const html = Buffer.from(`<!DOCTYPE html>${renderToString(
    <ScriptNonce.Provider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </ScriptNonce.Provider>,
  )}`);
  return tagged && responseStatusCode === 200 ? taggedPage(request, html, responseHeaders, nonce) : wholePage(html, responseStatusCode, responseHeaders);
}

/**
 * Errors thrown by loaders and actions: logged once, without the request's secrets; the page shows no
 * stack. An unreachable database is noted, for the answer to be 503, and logged in one line.
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted || error instanceof Response) return;
  if (isDatabaseUnavailable(error)) {
    noteDatabaseUnavailable(request);
    console.error(`database unavailable while handling ${request.method} ${redactUrl(request.url)}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  console.error(`error while handling ${request.method} ${redactUrl(request.url)}:`, error);
}

/** Client-side navigations (`?_data=`) failed for the database get the 503 as a caught response, which the error boundary shows. */
export function handleDataRequest(response: Response, { request }: { request: Request }) {
  if (!failedForDatabase(request)) return response;
  return new Response(UNAVAILABLE_MESSAGE, {
    status: 503,
    headers: { "X-Remix-Catch": "yes", "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8" },
  });
}
