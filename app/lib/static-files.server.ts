import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import sirv, { type Options } from "sirv";
import { redactUrl } from "./redact";

/**
 * The public folder's files, served by sirv, and safe against a file deleted under the running
 * server (a new build empties public/build while pages that link the old files are still open).
 * sirv lists the files once at start, answers a listed file with its headers, then pipes a read
 * stream of it into the response without listening for that stream's errors: a file gone since
 * the start would stop the process (ENOENT). Here such a response is cut short and logged instead;
 * the headers already went out, so there is no 404 to give.
 */
export function staticFiles(dir: string, options: Options, log: (line: string) => void) {
  const serve = sirv(dir, options);
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const guard = (source: Readable) => {
      source.once("error", (error: NodeJS.ErrnoException) => {
        log(`static file for ${redactUrl(req.url ?? "/")} could not be read (${error.code ?? error.message}): response cut short`);
        res.destroy();
      });
    };
    // sirv pipes the file within this call; whatever answers later (Remix, after next()) is not guarded here.
    res.once("pipe", guard);
    try {
      serve(req, res, next);
    } finally {
      res.off("pipe", guard);
    }
  };
}
