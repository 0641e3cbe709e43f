/** How retries of a service's calls are spaced: exponential from `firstMs`, at most `capMs`. */
export interface BackoffPolicy {
  readonly firstMs: number;
  readonly capMs: number;
}

/**
 * Kinesis Video allows one StartEdgeConfigurationUpdate or DeleteEdgeConfiguration per second per
 * stream (5 Describes): a retry waits at least a second, when the quota has room again, and at
 * most 3, so a throttled call gets through soon after a storm eases.
 */
export const KINESIS_VIDEO_BACKOFF: BackoffPolicy = { firstMs: 2_000, capMs: 3_000 };

/**
 * IoT SiteWise publishes no rate for the gateway APIs: throttling and 5xx are retried 1 to 3
 * seconds apart, as for the per-second quotas of Kinesis Video. A longer cap makes the rare call
 * that is throttled many times in a row wait longest.
 */
export const SITEWISE_BACKOFF: BackoffPolicy = { firstMs: 2_000, capMs: 3_000 };

/** ConflictingOperationException lasts while the gateway processes another update (tens of seconds): 1 to 8 seconds apart. */
export const SITEWISE_CONFLICT_BACKOFF: BackoffPolicy = { firstMs: 2_000, capMs: 8_000 };

/** S3 reads of carried documents (SlowDown, 5xx). */
export const S3_BACKOFF: BackoffPolicy = { firstMs: 2_000, capMs: 8_000 };

/**
 * Between polls that failed with an error the client did not retry (clients without the
 * budgeted retry strategy): from 1 up to 20 seconds.
 */
export const POLL_ERROR_BACKOFF: BackoffPolicy = { firstMs: 2_000, capMs: 20_000 };

/**
 * Exponential backoff with "equal jitter": between half and all of `firstMs * 2^(attempt-1)`,
 * capped at `capMs`; spread out so parallel resources do not retry in lockstep.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.firstMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
