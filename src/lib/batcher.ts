/**
 * Group commit for statements that many concurrent requests make: while one batch is being written,
 * the items arriving meanwhile queue and are written together by the next call of `write`. On these
 * machines each round trip to PostgreSQL costs both processes a wake-up, more than a row's own work
 * (bench/README.md, the contest), so under load one statement for many requests carries much more;
 * when idle an item is written at once and waits for nobody.
 *
 * `write` gets the items in arrival order and returns one result per item, in the same order. If it
 * throws, every item of that batch fails with the error (the statement is one transaction).
 */
export class Batcher<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: readonly I[]) => Promise<readonly O[]>,
    /** Items per statement at most: a bound on the statement's size, not a wait. */
    private readonly maxItems = 500,
  ) {}

  run(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush() {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxItems);
        try {
          const out = await this.write(batch.map((b) => b.item));
          if (out.length !== batch.length) throw new Error(`batch of ${batch.length} got ${out.length} results`);
          batch.forEach((b, i) => b.resolve(out[i]!));
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
