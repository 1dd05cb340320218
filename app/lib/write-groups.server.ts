interface Waiting<Item, Result> {
  item: Item;
  written: (result: Result) => void;
  failed: (error: unknown) => void;
}

interface Writes<Item, Result> {
  /** Writes several items, all of one key, in one statement or transaction: one commit, one wait for the disk. */
  together(items: Item[]): Promise<Result[]>;
  /** Writes one item on its own. */
  alone(item: Item): Promise<Result>;
  /** The largest group written together. */
  most: number;
}

/**
 * Group commit in the app: writes of one key that arrive while an earlier one is being written wait
 * here, not on a pooled connection, and are then written together. Each caller still waits for the
 * commit that carries its write, so nothing is answered before it is written. A write that finds
 * nothing being written for its key goes at once, on its own. If a group fails, each of its writes is
 * tried on its own, so that one bad write fails only its own caller.
 */
export class WriteGroups<Key, Item, Result> {
  readonly #waiting = new Map<Key, Waiting<Item, Result>[]>();

  constructor(private readonly writes: Writes<Item, Result>) {}

  write(key: Key, item: Item): Promise<Result> {
    return new Promise((written, failed) => {
      const waiting = this.#waiting.get(key);
      if (waiting) return void waiting.push({ item, written, failed });
      this.#waiting.set(key, [{ item, written, failed }]);
      void this.#drain(key);
    });
  }

  /** How many writes of `key` wait here for the one being written. */
  waiting(key: Key): number {
    return this.#waiting.get(key)?.length ?? 0;
  }

  async #drain(key: Key): Promise<void> {
    const waiting = this.#waiting.get(key)!;
    while (waiting.length > 0) await this.#writeGroup(waiting.splice(0, this.writes.most));
    this.#waiting.delete(key);
  }

  /** Never rejects: every caller is answered, and the key's line goes on. */
  async #writeGroup(group: Waiting<Item, Result>[]): Promise<void> {
    if (group.length === 1) return this.#alone(group[0]!);
    try {
      const results = await this.writes.together(group.map((waiting) => waiting.item));
      group.forEach((waiting, i) => waiting.written(results[i]!));
    } catch {
      await Promise.all(group.map((waiting) => this.#alone(waiting)));
    }
  }

  async #alone(waiting: Waiting<Item, Result>): Promise<void> {
    try {
      waiting.written(await this.writes.alone(waiting.item));
    } catch (error) {
      waiting.failed(error);
    }
  }
}
