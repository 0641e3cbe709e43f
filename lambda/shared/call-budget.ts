import { AsyncLocalStorage } from 'async_hooks';
import { describeError } from './errors';
import { logger } from './logger';

/**
 * How long the AWS calls of an invocation may take: the epoch ms by which any attempt of any call
 * must have ended. `lambda/index.ts` sets it for each invocation (what is left of the Lambda's time
 * less the margin to answer the framework); a handler narrows it to its sync deadline. The SDK
 * retry strategy (retry-strategy.ts) starts no attempt, first or retry, that could end later.
 *
 * AsyncLocalStorage rather than a module variable, so the budget follows each call however calls
 * interleave.
 */
const budget = new AsyncLocalStorage<number>();

/** Runs `run` with calls bounded by `until`, or by the budget already in force if that ends sooner. */
export function withCallBudget<T>(until: number, run: () => Promise<T>): Promise<T> {
  const current = budget.getStore();
  return budget.run(current === undefined ? until : Math.min(current, until), run);
}

/** Epoch ms by which calls must have ended; undefined outside `withCallBudget`. */
export function callBudgetEnd(): number | undefined {
  return budget.getStore();
}

/**
 * A call that could not start because its longest attempt would end after the budget. Like a
 * transient error that the SDK stopped retrying for the same reason, it means: this invocation
 * cannot finish the step; the next one can, while the sync timeout has time left.
 */
export class OutOfTimeError extends Error {
  constructor(public readonly attemptTimeoutMs: number) {
    super(`no time left for another attempt of ${attemptTimeoutMs} ms in this invocation`);
    this.name = 'OutOfTimeError';
  }
}

/**
 * Whether `error` ends what this invocation can do about a step: it ran out of time
 * (OutOfTimeError), or a transient error reached the caller, which the budgeted SDK clients let
 * through only when no retry fits in the budget.
 */
export function isOutOfTime(error: unknown, isTransient: (error: unknown) => boolean): boolean {
  return error instanceof OutOfTimeError || isTransient(error);
}

/**
 * Whether `deadline`, rather than this invocation's own time, is what ends the calls it can still
 * make: then running out of time fails the operation; otherwise the next invocation goes on.
 * Call outside the `withCallBudget` that narrowed the budget to `deadline`.
 */
export function deadlineEndsCalls(deadline: number): boolean {
  const end = callBudgetEnd();
  return end === undefined || end >= deadline;
}

/**
 * `run`'s result, or undefined when this invocation's time ran out first (`isOutOfTime`): onEvent
 * then leaves the work to isComplete (WaitState.Unfinished).
 */
export async function unlessOutOfTime<T>(run: () => Promise<T>, isTransient: (error: unknown) => boolean): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (!isOutOfTime(error, isTransient)) throw error;
    logger.warn('onEvent ran out of time: isComplete finishes its calls', { error: describeError(error) });
    return undefined;
  }
}
