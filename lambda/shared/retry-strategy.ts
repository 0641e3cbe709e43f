import { callBudgetEnd, OutOfTimeError } from './call-budget';
import { countFailedAttempt } from './metrics';

/** The SDK's retry token, as the retry middleware reads it (@smithy/types RetryToken). */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

export interface BudgetedRetryOptions {
  /** Errors another attempt may fix: the SDK's transient errors and the service's own (its throttling code). */
  readonly isTransient: (error: unknown) => boolean;
  /** Delay before retry `attempt` (1 for the first retry) after `error`, spaced to the service's rate limits. */
  readonly backoff: (attempt: number, error: unknown) => number;
  /** The longest one attempt can take: the client's request timeout. */
  readonly attemptTimeoutMs: number;
}

/**
 * The retry strategy of the handlers' SDK clients (a RetryStrategyV2 for the SDK's retry
 * middleware): it retries the call that failed, in place, for as long as the invocation's call
 * budget (call-budget.ts) allows, and starts no attempt whose worst case (a delay plus one request
 * timeout) would end after it. A transient error therefore reaches the handler only when the
 * budget is spent; the handler then leaves the step to the next invocation.
 *
 * Unlike the SDK's standard strategy it keeps no retry quota: a throttling storm longer than a
 * few hundred retries would empty it and stop retries that the budget still allows. The backoff
 * keeps the rate of retries within the service's limits instead. Without a budget (outside an
 * invocation) a call gets one attempt.
 */
export class BudgetedRetryStrategy {
  constructor(private readonly options: BudgetedRetryOptions) {}

  public async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    if (!this.fits(0)) throw new OutOfTimeError(this.options.attemptTimeoutMs);
    return token(0, 0);
  }

  /** Throwing refuses the retry: the middleware then rethrows the call's own error. */
  public async refreshRetryTokenForRetry(previous: RetryToken, errorInfo: { readonly error?: unknown }): Promise<RetryToken> {
    countFailedAttempt(errorInfo.error);
    if (!this.options.isTransient(errorInfo.error)) throw new Error('not retryable');
    const attempt = previous.getRetryCount() + 1;
    const delay = this.options.backoff(attempt, errorInfo.error);
    if (!this.fits(delay)) throw new Error('no time left for a retry');
    return token(attempt, delay);
  }

  public recordSuccess(_token: RetryToken): void {}

  /** Whether an attempt that starts `delayMs` from now ends within the budget, timing out included. */
  private fits(delayMs: number): boolean {
    const end = callBudgetEnd();
    if (end === undefined) return delayMs === 0;
    return Date.now() + delayMs + this.options.attemptTimeoutMs <= end;
  }
}

function token(retryCount: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => delayMs };
}
