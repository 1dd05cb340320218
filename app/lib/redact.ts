/**
 * A URL as it may be written to a log: secrets in it (feed tokens, manage links, sign-in links)
 * replaced. Secrets are 43-character base64url strings, alone or after a record's id (`12.<secret>`: badges
 * and self check-in links); slugs are lowercase, so mixed case marks a token.
 * Under `/circulations/` the next segment is always a secret, whatever its letters. A query value
 * can carry an address with a secret inside (`/login?redirectTo=…checkin?badge=12.<secret>`), so
 * secrets are looked for anywhere in it.
 */
export function redactUrl(input: string | URL): string {
  const url = typeof input === "string" ? new URL(input, "http://localhost") : input;
  const path = url.pathname
    .split("/")
    .map((segment, index, segments) =>
      (/^(\d{1,9}\.)?[A-Za-z0-9_-]{32,}$/.test(segment) && /[A-Z]/.test(segment)) || (index === 2 && segments[1] === "circulations" && segment !== "") ? "[redacted]" : segment,
    )
    .join("/");
  const params = [...url.searchParams.keys()];
  if (params.length === 0) return path;
  const query = [...url.searchParams]
    .map(([key, value]) => (/token|code|secret|key|password/i.test(key) ? `${key}=[redacted]` : `${key}=${encodedWithoutSecrets(value)}`))
    .join("&");
  return `${path}?${query}`;
}

/** A run that looks like a secret: 32 or more base64url characters, some upper case (slugs are lower case). */
const SECRET_RUN = /[A-Za-z0-9_-]{32,}/g;
const isSecret = (run: string) => /[A-Z]/.test(run);

/** Whether the text holds something that looks like a secret. */
export function containsSecret(text: string): boolean {
  return (text.match(SECRET_RUN) ?? []).some(isSecret);
}

/** The value URL-encoded, every run that looks like a secret replaced. */
function encodedWithoutSecrets(value: string): string {
  const marked = value.replace(SECRET_RUN, (run) => (isSecret(run) ? "\u0001" : run));
  return encodeURIComponent(marked).replaceAll("%01", "[redacted]");
}
