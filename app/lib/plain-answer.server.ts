import type { IncomingMessage, ServerResponse } from "node:http";
import { bytesOf, keptBody } from "~/lib/render-cache.server";
import { securityHeadersFor } from "~/lib/web-security.server";

/**
 * An answer as plain data, for what server.ts answers on Node's own request and response, before
 * the Fetch API's (private feeds' polls, public papers' 304s, anonymous visitors' kept answers):
 * without the `Request` and `Response` that node-fetch-server makes for each request, a private
 * feed's 304 was answered at 1.7 times the rate, and kept pages and the API's meeting at 1.5 to 2.2
 * times. The same answer goes through Remix as a `Response` (`answerResponse`), so the route's
 * answer cannot differ from it.
 */
export interface PlainAnswer {
  status: number;
  headers: Record<string, string>;
  /**
   * The body's bytes, in parts sent one after the other (kept bytes, never written to); none for no
   * body. Its Content-Length is derived from them when it is sent: the headers never carry one.
   */
  body: readonly Uint8Array[];
}

/** What an answer reads of a request's headers: a Fetch `Headers`, or Node's through `plainRequestOf`. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** A request as the early path reads it: its method, its path with the query, its headers. */
export interface PlainRequest {
  method: string;
  path: string;
  headers: HeaderReader;
}

export function plainRequestOf(req: IncomingMessage): PlainRequest {
  return {
    method: req.method ?? "GET",
    path: req.url ?? "/",
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
  };
}

/** The answer as a Fetch `Response`, its bytes streamed without a copy. */
export function answerResponse(answer: PlainAnswer): Response {
  if (answer.body.length === 0) return new Response(null, { status: answer.status, headers: answer.headers });
  const { body, length } = keptBody(answer.body);
  return new Response(body, { status: answer.status, headers: { ...answer.headers, "Content-Length": String(length) } });
}

/** Writes the answer on Node's response, with the security headers every answer of the app carries. */
export function writePlainAnswer(req: IncomingMessage, res: ServerResponse, answer: PlainAnswer): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (answer.body.length > 0) res.setHeader("Content-Length", bytesOf(answer.body));
  const present = { has: (name: string) => res.hasHeader(name), get: (name: string) => String(res.getHeader(name) ?? "") || null };
  for (const [name, value] of securityHeadersFor(req.url ?? "/", answer.status, present)) res.setHeader(name, value);
  // Corked, the headers and the parts leave in one write. Uncorked at the next tick, as Node's own
  // `end(chunk)` does: when the answer is compressed, `end` reaches the socket only once the
  // compressed bytes have drained, which they cannot while it is corked.
  res.cork();
  for (const part of answer.body) res.write(part);
  res.end();
  process.nextTick(() => res.uncork());
}
