/**
 * A page whose address carries a secret (sign-in, manage and follow links) must not leak it to
 * other sites nor be cached. `same-origin`, not `no-referrer`: with `no-referrer` browsers send
 * `Origin: null` with the page's own form posts, which Remix then refuses.
 */
export const SECRET_LINK_HEADERS = { "Referrer-Policy": "same-origin", "Cache-Control": "no-store" };

/** The same policy for the page's own links and forms, as a `meta` entry. */
export const SECRET_LINK_REFERRER = { name: "referrer", content: "same-origin" };
