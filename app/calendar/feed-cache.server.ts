import { RenderCache } from "~/lib/render-cache.server";

const utf8 = new TextEncoder();

/**
 * Rendered calendar feeds, kept by the feed's identity and version (its ETag, which changes with
 * every change the body shows, and with the day), as UTF-8 bytes, for at most the feeds' max-age.
 */
export class FeedCache extends RenderCache<Uint8Array<ArrayBuffer>> {
  constructor(maxBytes: number, maxAgeMs: number, now: () => number = Date.now) {
    super(maxBytes, maxAgeMs, (body) => body.byteLength, () => true, now);
  }

  /** The feed's kept body, or the one `render` makes. */
  body(key: string, render: () => Promise<string>): Promise<Uint8Array<ArrayBuffer>> {
    return this.get(key, async () => utf8.encode(await render()));
  }
}

/**
 * 32 MB: the all-meetings feed of ten thousand meetings is a few MB, a 300-item meeting's about
 * 250 kB, so this keeps every public feed variant and a few hundred meetings' and people's feeds,
 * a tenth of the server's 300 MB memory budget.
 */
export const feedCache = new FeedCache(32 * 1024 * 1024, 5 * 60_000);
