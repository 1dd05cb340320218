/**
 * Rendered calendar feeds, kept in memory by the feed's identity and version (its ETag, which
 * changes with every change the body shows, and with the day): a client that asks for a feed it
 * has not seen is answered without rendering it again, and a changed feed is a new key, so nothing
 * stale is ever served. Bodies are kept as UTF-8 bytes, least recently used first out, within a
 * budget of bytes; misses for the same key while one renders share that render.
 *
 * A body is also kept no longer than `maxAgeMs` (feeds say `max-age=300`): a version read as the
 * greatest `updated_at` can miss a change whose transaction began before another's and committed
 * after it, and the all-meetings and personal feeds would then serve that body until the next change.
 */

const utf8 = new TextEncoder();

export class FeedCache {
  private readonly bodies = new Map<string, { body: Uint8Array<ArrayBuffer>; keptAt: number }>();
  private readonly rendering = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached body for this key, or the one `render` makes (once, however many ask at the same time). */
  async body(key: string, render: () => Promise<string>): Promise<Uint8Array<ArrayBuffer>> {
    const cached = this.bodies.get(key);
    if (cached) {
      // A Map iterates in insertion order: moving the key to the end keeps the least recently used first.
      this.bodies.delete(key);
      if (this.now() - cached.keptAt < this.maxAgeMs) {
        this.bodies.set(key, cached);
        return cached.body;
      }
      this.bytes -= cached.body.byteLength;
    }
    const pending = this.rendering.get(key);
    if (pending) return pending;
    const rendered = render()
      .then((text) => {
        const body = utf8.encode(text);
        this.keep(key, body);
        return body;
      })
      .finally(() => this.rendering.delete(key));
    this.rendering.set(key, rendered);
    return rendered;
  }

  /** Bytes held now (for tests and monitoring). */
  get size(): number {
    return this.bytes;
  }

  private keep(key: string, body: Uint8Array<ArrayBuffer>): void {
    // A body too large for the budget is served but not kept: it would push out everything else.
    if (body.byteLength > this.maxBytes / 4) return;
    this.bodies.set(key, { body, keptAt: this.now() });
    this.bytes += body.byteLength;
    for (const [oldest, old] of this.bodies) {
      if (this.bytes <= this.maxBytes) break;
      this.bodies.delete(oldest);
      this.bytes -= old.body.byteLength;
    }
  }
}

/**
 * 32 MB: the all-meetings feed of ten thousand meetings is a few MB, a 300-item meeting's about
 * 250 kB, so this keeps every public feed variant and a few hundred meetings' and people's feeds,
 * a tenth of the server's 300 MB memory budget.
 */
export const feedCache = new FeedCache(32 * 1024 * 1024, 5 * 60_000);
