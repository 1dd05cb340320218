import { type IncomingHttpHeaders, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * A stand-in for the Resend API on 127.0.0.1 (point `RESEND_BASE_URL` at `url`). POST /emails answers
 * `{ "id": … }`, or fails as `state` says. Like Resend, a repeated `Idempotency-Key` gets the first
 * answer again and is not delivered twice: `delivered` lists each key once, in the order delivered.
 * `onRequest` runs when a request arrives, before it is answered (a test may kill the sender then).
 */
export async function startResendStub() {
  const requests: ReceivedRequest[] = [];
  const delivered: string[] = [];
  const idsByKey = new Map<string, string>();
  /**
   * `failWith`: answer that status (with `retryAfter` as Retry-After) instead of sending; `delayMs`: answer that much later;
   * `awaitInFlight`: hold answers (up to 5 s) until that many requests have been in flight at once.
   */
  const state = { fail: false, failWith: 0, retryAfter: "", delayMs: 0, awaitInFlight: 0, inFlight: 0, maxInFlight: 0 };
  const hooks: { onRequest?: (request: ReceivedRequest) => Promise<void> | void } = {};
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      const received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(received);
      await hooks.onRequest?.(received);
      for (const started = Date.now(); state.maxInFlight < state.awaitInFlight && Date.now() - started < 5_000; ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      state.inFlight--;
      res.setHeader("Content-Type", "application/json");
      if (req.method !== "POST" || req.url !== "/emails") {
        res.statusCode = 404;
        res.end(JSON.stringify({ statusCode: 404, name: "not_found", message: "Not found" }));
      } else if (state.failWith) {
        res.statusCode = state.failWith;
        if (state.retryAfter) res.setHeader("Retry-After", state.retryAfter);
        const name = { 422: "validation_error", 429: "rate_limit_exceeded" }[state.failWith] ?? "application_error";
        res.end(JSON.stringify({ statusCode: state.failWith, name, message: `The stub answers ${state.failWith}` }));
      } else if (state.fail) {
        res.statusCode = 500;
        res.end(JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "The stub is down" }));
      } else {
        const key = String(req.headers["idempotency-key"]);
        if (!idsByKey.has(key)) {
          idsByKey.set(key, `re_${requests.length}_${key}`);
          delivered.push(key);
        }
        res.end(JSON.stringify({ id: idsByKey.get(key) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    state,
    hooks,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
