import { SyncTimeoutError } from './errors';
import { MetricValue, writeMetrics } from './metrics';
import { IsCompleteResponse, OnEventRequest, WaitState } from './types';

/**
 * The metrics of a deploy, by resource type and request type, from what the handlers already
 * know (no AWS call):
 * - `SyncSeconds`: from the start of onEvent to the terminal state, for operations that succeed;
 * - `SyncFailures`: 1 for an operation that fails, 0 for one that succeeds;
 * - `SyncTimeouts`: 1 for a failure because the sync timeout passed, else 0;
 * - `Throttles`: the calls the services throttled in one invocation (every invocation).
 */
export const DEPLOY_METRICS = {
  syncSeconds: 'SyncSeconds',
  syncFailures: 'SyncFailures',
  syncTimeouts: 'SyncTimeouts',
  throttles: 'Throttles',
} as const;

/** `Custom::EdgeSyncStreamEdgeConfiguration` -> `StreamEdgeConfiguration`: the ResourceType dimension. */
export function resourceTypeDimension(resourceType: string): string {
  return resourceType.replace(/^Custom::EdgeSync/, '');
}

export type InvocationOutcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'succeeded'; readonly startedAt: number }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The outcome of onEvent or isComplete, as the metrics see it: onEvent never ends an operation that succeeds (isComplete does). */
export function outcomeOf(step: 'onEvent' | 'isComplete', event: OnEventRequest & { EdgeSyncWait?: WaitState }, result: unknown): InvocationOutcome {
  if (step === 'onEvent') return { kind: 'pending' };
  const response = result as IsCompleteResponse;
  if (!response.IsComplete) return { kind: 'pending' };
  return { kind: 'succeeded', startedAt: event.EdgeSyncWait?.StartedAt ?? Date.now() };
}

/** Writes one EMF line for an invocation: its throttles and, if it ended the operation, how. */
export function writeDeployMetrics(event: OnEventRequest, outcome: InvocationOutcome, throttles: number, now: number = Date.now()): void {
  const values: MetricValue[] = [{ name: DEPLOY_METRICS.throttles, value: throttles, unit: 'Count' }];
  if (outcome.kind === 'succeeded') {
    values.push(
      { name: DEPLOY_METRICS.syncSeconds, value: Math.max(0, now - outcome.startedAt) / 1000, unit: 'Seconds' },
      { name: DEPLOY_METRICS.syncFailures, value: 0, unit: 'Count' },
      { name: DEPLOY_METRICS.syncTimeouts, value: 0, unit: 'Count' },
    );
  } else if (outcome.kind === 'failed') {
    values.push(
      { name: DEPLOY_METRICS.syncFailures, value: 1, unit: 'Count' },
      { name: DEPLOY_METRICS.syncTimeouts, value: outcome.error instanceof SyncTimeoutError ? 1 : 0, unit: 'Count' },
    );
  }
  writeMetrics(
    { ResourceType: resourceTypeDimension(event.ResourceType), RequestType: event.RequestType },
    values,
    { logicalResourceId: event.LogicalResourceId, requestId: event.RequestId },
    now,
  );
}
