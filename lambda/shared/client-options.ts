import { BackoffPolicy, backoffDelay } from './backoff';
import { BudgetedRetryStrategy } from './retry-strategy';

/** Longest time to open a connection; part of the request timeout. */
const CONNECTION_TIMEOUT_MS = 3_000;

/**
 * The retry strategy and HTTP settings of a handler's SDK client: every attempt ends within
 * `requestTimeoutMs` (without `throwOnRequestTimeout` the SDK's HTTP handler only warns), so a
 * call's worst case is known, and failed calls are retried in place within the invocation's call
 * budget (shared/retry-strategy.ts), spaced by `backoff` (or the policy for the error).
 */
export function budgetedClientOptions(
  isTransient: (error: unknown) => boolean, backoff: BackoffPolicy | ((error: unknown) => BackoffPolicy), requestTimeoutMs: number,
) {
  const policyOf = typeof backoff === 'function' ? backoff : () => backoff;
  return {
    retryStrategy: new BudgetedRetryStrategy({
      isTransient,
      backoff: (attempt, error) => backoffDelay(attempt, policyOf(error)),
      attemptTimeoutMs: requestTimeoutMs,
    }),
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
  };
}
