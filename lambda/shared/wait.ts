import { backoffDelay, POLL_ERROR_BACKOFF, sleep } from './backoff';
import { deadlineEndsCalls, OutOfTimeError, withCallBudget } from './call-budget';
import { describeError } from './errors';
import { logger } from './logger';
import { InvocationContext, WaitState } from './types';

/** One isComplete invocation polls at most this long, then hands back to the framework's waiter. */
const MAX_POLL_PER_INVOCATION_MS = 4 * 60_000;

/** Time kept back from the Lambda timeout to answer the framework. */
export const ANSWER_MARGIN_MS = 10_000;

/**
 * How long after the sync deadline a call that started before it may end: one attempt of the
 * handlers' clients (their request timeout). So a poll still starts right at the deadline, and
 * none ends much later.
 */
const DEADLINE_GRACE_MS = 10_000;

/** Runs `run` with calls that end by the operation's sync deadline (and one attempt's grace). */
export function withinSyncDeadline<T>(wait: WaitState, run: () => Promise<T>): Promise<T> {
  return withCallBudget(wait.Deadline + DEADLINE_GRACE_MS, run);
}

/** Whether the sync deadline, rather than this invocation's time, ended the calls of `withinSyncDeadline`. */
export function syncDeadlineEndedCalls(wait: WaitState): boolean {
  return deadlineEndsCalls(wait.Deadline + DEADLINE_GRACE_MS);
}

/** Epoch ms by which an isComplete invocation stops polling and answers the framework. */
export function invocationEnd(context: InvocationContext): number {
  return Date.now() + Math.min(MAX_POLL_PER_INVOCATION_MS, context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS);
}

/** One look at the device: finished, or still going with a status worth reporting on timeout. */
export type PollOutcome<T> = { readonly done: true; readonly result: T } | { readonly done: false; readonly status: string };

export interface WaitOptions<T> {
  /** Reads the device's state once. Throws a TerminalError to fail at once. */
  readonly poll: () => Promise<PollOutcome<T>>;
  /** Errors of `poll` that waiting may fix; anything else fails at once. */
  readonly isTransient: (error: unknown) => boolean;
  /** Epoch ms the operation started; the poll interval grows with the time since then. */
  readonly startedAt: number;
  /** Epoch ms when the operation fails with the last status seen. */
  readonly deadline: number;
  /** Epoch ms by which this invocation must hand back to the framework. */
  readonly invocationEnd: number;
}

/**
 * `done`: the device reached a terminal state. `pending`: this invocation's time is up, the
 * framework calls again. `timedOut`: the deadline passed; `lastSeen` is the last status or error.
 */
export type WaitResult<T> =
  | { readonly state: 'done'; readonly result: T }
  | { readonly state: 'pending' }
  | { readonly state: 'timedOut'; readonly lastSeen: string };

/**
 * Time between polls, by time since the operation started: every second during the first
 * minute (when most syncs finish, so they are noticed within about a second), every 2 s up to
 * 5 minutes, then every 5 s (the framework's own interval) for gateways that are slow or offline.
 */
export function pollInterval(elapsedMs: number): number {
  if (elapsedMs < 60_000) return 1_000;
  if (elapsedMs < 300_000) return 2_000;
  return 5_000;
}

/**
 * Polls until the device reaches a terminal state, the deadline passes, or this invocation's
 * time is up. Transient errors never fail the wait while the deadline has not passed: the
 * handlers' clients retry them in place until the call budget is spent (retry-strategy.ts), and a
 * poll that then fails, or cannot start (OutOfTimeError), ends this invocation's wait. Errors of
 * other clients are retried here with backoff and jitter.
 */
export async function waitForTerminalState<T>(options: WaitOptions<T>): Promise<WaitResult<T>> {
  let lastStatus = 'no status received yet';
  let lastError: string | undefined;
  let failedPolls = 0;
  for (;;) {
    try {
      const outcome = await options.poll();
      if (outcome.done) return { state: 'done', result: outcome.result };
      lastStatus = outcome.status;
      lastError = undefined;
      failedPolls = 0;
    } catch (error) {
      if (error instanceof OutOfTimeError) {
        // No attempt fits before the call budget ends: the deadline's, or this invocation's.
        return Date.now() >= options.deadline ? { state: 'timedOut', lastSeen: seen(lastStatus, lastError) } : { state: 'pending' };
      }
      if (!options.isTransient(error)) throw error;
      failedPolls++;
      lastError = describeError(error);
      logger.warn('transient error while waiting, retrying', { error: lastError, failedPolls });
    }
    const now = Date.now();
    if (now >= options.deadline) return { state: 'timedOut', lastSeen: seen(lastStatus, lastError) };
    const interval = failedPolls > 0 ? backoffDelay(failedPolls, POLL_ERROR_BACKOFF) : pollInterval(now - options.startedAt);
    const delay = Math.min(interval, options.deadline - now);
    if (now + delay > options.invocationEnd) return { state: 'pending' };
    await sleep(delay);
  }
}

function seen(lastStatus: string, lastError: string | undefined): string {
  return lastError ? `${lastStatus}; the last call failed with ${lastError}` : lastStatus;
}

/** `15 minutes`, `1 minute`, `90 seconds`: a sync timeout as a reason states it. */
export function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`;
  return `${seconds} seconds`;
}

/**
 * Waits for the device within the operation's deadline and this invocation's time; no call of
 * `poll` retries past the deadline.
 */
export function waitForDevice<T>(
  wait: WaitState,
  context: InvocationContext,
  poll: () => Promise<PollOutcome<T>>,
  isTransient: (error: unknown) => boolean,
): Promise<WaitResult<T>> {
  return withinSyncDeadline(wait, () =>
    waitForTerminalState({ poll, isTransient, startedAt: wait.StartedAt, deadline: wait.Deadline, invocationEnd: invocationEnd(context) }));
}
