/**
 * Rendered answers kept in memory by a key that names their version (a feed's ETag, a page's
 * version): a client that asks for something already rendered is answered without rendering it
 * again, and a change is a new key, so nothing stale is served. Entries go least recently used
 * first, within a budget of bytes; misses for the same key while one renders share that render.
 *
 * An entry is also kept no longer than `maxAgeMs`: a version read as the greatest `updated_at` can
 * miss a change whose transaction began before another's and committed after it, and a time
 * bound keeps such a body from being served until the next change.
 */
export class RenderCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number; keptAt: number }>();
  private readonly rendering = new Map<string, Promise<V>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number,
    private readonly bytesOf: (value: V) => number,
    /** Whether a rendered value may be kept (a page answered 404 or 500 is served, not kept). */
    private readonly keeps: (value: V) => boolean = () => true,
    private readonly now: () => number = Date.now,
  ) {}

  /** The kept value for this key, or the one `render` makes (once, however many ask at the same time). */
  async get(key: string, render: () => Promise<V>): Promise<V> {
    const kept = this.kept(key);
    if (kept) return kept.value;
    const pending = this.rendering.get(key);
    if (pending) return pending;
    const rendered = render()
      .then((value) => {
        if (this.keeps(value)) this.keep(key, value);
        return value;
      })
      .finally(() => this.rendering.delete(key));
    this.rendering.set(key, rendered);
    return rendered;
  }

  /** The value kept for this key, if there is one still fresh (nothing is rendered). */
  kept(key: string): { value: V } | null {
    const kept = this.entries.get(key);
    if (!kept) return null;
    // A Map iterates in insertion order: moving the key to the end keeps the least recently used first.
    this.entries.delete(key);
    if (this.now() - kept.keptAt >= this.maxAgeMs) {
      this.bytes -= kept.bytes;
      return null;
    }
    this.entries.set(key, kept);
    return kept;
  }

  /** Bytes held now (for tests and monitoring). */
  get size(): number {
    return this.bytes;
  }

  private keep(key: string, value: V): void {
    const bytes = this.bytesOf(value);
    // A value too large for the budget is served but not kept: it would push out everything else.
    if (bytes > this.maxBytes / 4) return;
    this.entries.set(key, { value, bytes, keptAt: this.now() });
    this.bytes += bytes;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.bytes;
    }
  }
}

/**
 * A body of kept bytes, sent as they are. `new Response(bytes)` copies them for every answer (half
 * a megabyte for a person's feed or a large agenda, and as much garbage); a stream of the same
 * chunks hands the kept ones to the socket. The chunks are never written to, so answers share them.
 */
export function keptBody(chunks: readonly Uint8Array[]): { body: ReadableStream<Uint8Array>; length: number } {
  return {
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }),
    length: bytesOf(chunks),
  };
}

/** How many bytes these chunks hold together. */
export function bytesOf(chunks: readonly Uint8Array[]): number {
  return chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
}

/**
 * A rendered body cut at every place of each mark (a page's script nonce, a kept page's stand-in
 * address): the parts between them, and which mark each hole was, in order. A mark given as null
 * is not looked for.
 */
export function cutAt<Hole extends string>(body: Buffer, marks: Record<Hole, string | null>): { parts: Buffer[]; holes: Hole[] } {
  const found = (Object.entries(marks) as [Hole, string | null][]).flatMap(([hole, mark]) => {
    if (!mark) return [];
    const length = Buffer.byteLength(mark);
    const places: { at: number; hole: Hole; length: number }[] = [];
    for (let at = body.indexOf(mark, 0, "utf8"); at !== -1; at = body.indexOf(mark, at + length, "utf8")) places.push({ at, hole, length });
    return places;
  });
  const parts: Buffer[] = [];
  const holes: Hole[] = [];
  let from = 0;
  for (const place of found.sort((a, b) => a.at - b.at)) {
    parts.push(body.subarray(from, place.at));
    holes.push(place.hole);
    from = place.at + place.length;
  }
  parts.push(body.subarray(from));
  return { parts, holes };
}
