import { EdgeConfigDocument } from '../../src/stream-edge/resource-properties';

/** The stream's edge configuration as DescribeEdgeConfiguration shows it. */
export interface ObservedEdgeConfiguration {
  readonly SyncStatus?: string;
  readonly EdgeConfig?: unknown;
  readonly LastUpdatedTime?: Date;
  readonly FailedStatusDetails?: string;
}

/** What to do next to reach the desired state. */
export type NextStep =
  | { readonly action: 'start' }
  | { readonly action: 'delete' }
  | { readonly action: 'wait'; readonly status: string }
  | { readonly action: 'done' }
  | { readonly action: 'fail'; readonly details: string };

/** A sync or deletion in progress: the API refuses a Start or Delete until it ends. */
export const BUSY = ['SYNCING', 'ACKNOWLEDGED', 'DELETING', 'DELETING_ACKNOWLEDGED'];

/** Tolerated difference between the handler's clock and the service's LastUpdatedTime. */
const CLOCK_SKEW_MS = 5_000;

/**
 * The next step towards `desired` on the stream, decided from what DescribeEdgeConfiguration
 * shows, so that every isComplete invocation can pick up where the last one stopped:
 * start when nothing is there or what is there predates this operation; wait while a sync or
 * deletion is in progress (the API would answer ResourceInUseException); delete first when
 * the configuration belongs to another hub device (the documented way to move it); succeed
 * on IN_SYNC and fail on SYNC_FAILED of this operation's configuration.
 */
export function nextApplyStep(observed: ObservedEdgeConfiguration | undefined, desired: EdgeConfigDocument, startedAt: number): NextStep {
  if (!observed) return { action: 'start' };
  const status = observed.SyncStatus ?? 'UNKNOWN';
  if (BUSY.includes(status)) return { action: 'wait', status: `SyncStatus ${status}` };
  const current = observed.EdgeConfig as Partial<EdgeConfigDocument> | undefined;
  if (current?.HubDeviceArn !== undefined && current.HubDeviceArn !== desired.HubDeviceArn) return { action: 'delete' };
  const ours = includes(current, desired) && (observed.LastUpdatedTime?.getTime() ?? 0) >= startedAt - CLOCK_SKEW_MS;
  if (!ours) return { action: 'start' };
  switch (status) {
    case 'IN_SYNC':
      return { action: 'done' };
    case 'SYNC_FAILED':
      return { action: 'fail', details: observed.FailedStatusDetails ?? 'no details given' };
    default:
      return { action: 'start' };
  }
}

/**
 * The next step towards no edge configuration on the stream. A DELETE_FAILED configuration
 * is deleted again; the caller bounds how often.
 */
export function nextDeleteStep(observed: ObservedEdgeConfiguration | undefined): NextStep {
  if (!observed) return { action: 'done' };
  const status = observed.SyncStatus ?? 'UNKNOWN';
  if (BUSY.includes(status)) return { action: 'wait', status: `SyncStatus ${status}` };
  return { action: 'delete' };
}

/** Whether every value given in `wanted` is the same in `actual` (the service may add defaults). */
export function includes(actual: unknown, wanted: unknown): boolean {
  if (wanted === undefined) return true;
  if (wanted === null || typeof wanted !== 'object') return actual === wanted;
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(wanted as Record<string, unknown>).every(([key, value]) => includes((actual as Record<string, unknown>)[key], value));
}
