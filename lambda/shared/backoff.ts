import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/** First and longest delay between retries of a failing call. */
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 20_000;

/**
 * Exponential backoff with "equal jitter": between half and all of `base * 2^(attempt-1)`,
 * capped. Never below one second, so retries stay at most one call per second per resource,
 * and spread out so parallel resources do not retry in lockstep.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The AWS SDK retry strategy for handler clients: the SDK decides what is retryable
 * (throttling, 5xx, network) and retries a few times; our backoff keeps retries at least
 * one second apart. What still fails reaches the handler's own deadline-bounded retry loop.
 */
export function sdkRetryStrategy(): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(3, (attempt) => backoffDelay(attempt));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
