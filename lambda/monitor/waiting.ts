import { sleep } from '../shared/backoff';
import { pollInterval } from '../shared/wait';

export type RemediationPoll = { readonly done: true; readonly outcome: string } | { readonly done: false; readonly status: string };

/**
 * Polls after a remediation until the device reaches a terminal state or `deadline` passes, as a
 * deploy would wait (every second at first, slower later). Returns the outcome in a few words.
 */
export async function waitUntil(deadline: number, poll: () => Promise<RemediationPoll>): Promise<string> {
  const startedAt = Date.now();
  let last = 'no status yet';
  for (;;) {
    const seen = await poll();
    if (seen.done) return seen.outcome;
    last = seen.status;
    const delay = pollInterval(Date.now() - startedAt);
    if (Date.now() + delay > deadline) return `not in sync before the remediation timeout; last seen ${last}`;
    await sleep(delay);
  }
}
