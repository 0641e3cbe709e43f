import { sleep } from '../shared/backoff';

/**
 * Spreads calls to one service: at most `perSecond` checks start each second. Kinesis Video allows
 * 5 DescribeEdgeConfiguration calls per second per stream and 50 per account; a check makes two
 * calls (Describe and the tags), so 10 checks a second keep well under the account's rate and
 * leave room for deploys running at the same time.
 */
export class Pacer {
  private next = 0;

  constructor(private readonly perSecond: number) {}

  /** Resolves when the next check may start. */
  public async slot(): Promise<void> {
    const now = Date.now();
    const start = Math.max(now, this.next);
    this.next = start + 1000 / this.perSecond;
    if (start > now) await sleep(start - now);
  }
}

/** Runs `work` for every item, at most `concurrency` at a time, in order of start. */
export async function forEachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (index < items.length) await work(items[index++]);
  });
  await Promise.all(workers);
}
