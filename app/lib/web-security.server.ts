import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import { redactUrl } from "~/lib/redact";
import { appUrl } from "~/settings.server";

/**
 * What every answer of the app goes through, in server.ts and in the HTTP tests alike: cross-site
 * posts are refused before any action runs, and each answer gets the headers that apply to it.
 */
export function withWebSecurity<Rest extends unknown[]>(
  handle: (request: Request, ...rest: Rest) => Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    if (!isSafeMethod(request.method)) {
      if (!fromThisSite(request)) return crossSiteRefusal(request);
      request = withoutOrigin(request);
    }
    return secured(request, await handle(request, ...rest));
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Whether a state-changing request comes from a page of this site. A browser says where a request
 * comes from: `Sec-Fetch-Site` (every current browser, on https and localhost), else `Origin`
 * (every current browser sends it with any cross-origin POST), else `Referer`. A request with none of
 * the three is not a browser's page posting (curl, a mail provider's RFC 8058 one-click unsubscribe,
 * a server's API call): it carries no one's cookies by accident, so it is let through. `Origin: null`
 * (a sandboxed frame, a `file:` page, a redirect from elsewhere) is refused unless `Sec-Fetch-Site`
 * vouches for it: a no-referrer page's plain HTML forms are posted with `Origin: null`.
 */
export function fromThisSite(request: Request): boolean {
  const fetchSite = request.headers.get("Sec-Fetch-Site");
  if (fetchSite) return fetchSite === "same-origin" || fetchSite === "none";
  const origin = request.headers.get("Origin");
  if (origin) return allowedOrigins(request).has(origin);
  const referer = request.headers.get("Referer");
  if (referer) return allowedOrigins(request).has(originOf(referer));
  return true;
}

/** APP_URL's origin; when APP_URL is not set (one machine, any address), the address the request was sent to as well. */
function allowedOrigins(request: Request): Set<string> {
  const origins = new Set([originOf(appUrl())]);
  if (!process.env.APP_URL?.trim()) origins.add(new URL(request.url).origin);
  return origins;
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : "null";
}

function crossSiteRefusal(request: Request): Response {
  const message = `This form was sent from another site, so it was not accepted. To do this, open ${appUrl()} and use its own pages.\n`;
  console.warn(`refused a cross-site ${request.method} ${redactUrl(request.url)} (Origin ${request.headers.get("Origin") ?? "-"}, Sec-Fetch-Site ${request.headers.get("Sec-Fetch-Site") ?? "-"})`);
  return secured(request, new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } }));
}

/**
 * The request as Remix is given it once it has passed: without `Origin`, which Remix compares with
 * `Host` only (wrong behind a proxy, whose Host is not the public one) and which it refuses as `null`.
 */
function withoutOrigin(request: Request): Request {
  if (!request.headers.has("Origin")) return request;
  const headers = new Headers(request.headers);
  headers.delete("Origin");
  return new Request(request, { headers });
}

/** A fresh nonce for one page's inline scripts: 128 random bits. */
export function newScriptNonce(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * A rendered page's policy: scripts only from this site or carrying the page's nonce (Remix's inline
 * scripts), no plugins, no framing, forms post here only. Inline styles stay allowed: React's `style`
 * attributes (chart bars, indents) and the HTML of email previews use them, and a style cannot run code.
 */
export function pagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** HTML the page renderer did not make (a bare error, the refusal above): it runs nothing. */
const BARE_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Feeds, downloads, JSON: only never framed. Nothing more: a policy with `default-src 'none'` would
 * also stop the browser's own PDF viewer and image view, and these answers run no script anyway
 * (their types are exact and `nosniff` keeps browsers to them).
 */
const RESOURCE_POLICY = "frame-ancestors 'none'";

/** `Strict-Transport-Security` when the site is served over https (APP_URL says so): two years. */
function transportSecurity(): string | null {
  return appUrl().startsWith("https:") ? "max-age=63072000; includeSubDomains" : null;
}

/** The headers every answer carries, built assets included. */
function commonHeaders(): [string, string][] {
  const hsts = transportSecurity();
  return [["X-Content-Type-Options", "nosniff"], ["X-Frame-Options", "DENY"], ...(hsts ? [["Strict-Transport-Security", hsts] as [string, string]] : [])];
}

/** An address with a secret in it: a feed, a manage, follow, attend or sign-in link (whatever the log redacts). */
function carriesSecret(url: string): boolean {
  return redactUrl(url).includes("[redacted]");
}

/**
 * The security headers to set on an answer to `url` with this status and these headers of its own
 * (a Fetch `Headers`, or a view of Node's response for the answers server.ts writes itself).
 */
export function securityHeadersFor(url: string, status: number, own: { has(name: string): boolean; get(name: string): string | null }): [string, string][] {
  const headers = commonHeaders();
  // An address with a secret is sent on to no one, not even this site; other pages send other sites
  // only the origin, unless the route chose stricter (the mailbox, whose messages hold secrets).
  if (carriesSecret(url)) headers.push(["Referrer-Policy", "no-referrer"]);
  else if (!own.has("Referrer-Policy")) headers.push(["Referrer-Policy", "strict-origin-when-cross-origin"]);
  // A 304 carries no policy: the browser keeps the one stored with the page, whose nonce is in that page.
  if (!own.has("Content-Security-Policy") && status !== 304) {
    headers.push(["Content-Security-Policy", /^\s*text\/html\b/i.test(own.get("Content-Type") ?? "") ? BARE_HTML_POLICY : RESOURCE_POLICY]);
  }
  return headers;
}

function secured(request: Request, response: Response): Response {
  // Some responses' headers are immutable (redirects made by Response.redirect, fetched ones): answer a copy.
  const answer = new Response(response.body, response);
  for (const [name, value] of securityHeadersFor(request.url, answer.status, answer.headers)) answer.headers.set(name, value);
  return answer;
}

/** For the built assets that server.ts serves itself, without Remix. */
export function setAssetSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of commonHeaders()) res.setHeader(name, value);
  res.setHeader("Content-Security-Policy", RESOURCE_POLICY);
}
