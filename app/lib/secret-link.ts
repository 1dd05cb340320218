/**
 * A page whose address carries a secret (sign-in, manage and follow links) must not leak it, nor be
 * cached. `no-referrer` (server.ts's web security sets it on every such address too): the page's
 * plain HTML forms are then posted with `Origin: null`, which the cross-site check accepts when the
 * browser's `Sec-Fetch-Site` says the post comes from this site (see lib/web-security.server.ts).
 */
export const SECRET_LINK_HEADERS = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

/** The same policy for the page's own links and forms, as a `meta` entry (it holds after client-side navigation too). */
export const SECRET_LINK_REFERRER = { name: "referrer", content: "no-referrer" };
