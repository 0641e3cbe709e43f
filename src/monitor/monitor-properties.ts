/**
 * The properties an edge-sync resource carries when its stack has an EdgeSyncMonitor: where the
 * deploy handlers record what they deployed (lambda/shared/records.ts), and the construct path
 * the monitor's metrics name the resource by. Shared by the constructs and the handlers.
 */
export const MONITOR_PROPERTIES = {
  table: 'EdgeSyncMonitorTable',
  constructPath: 'ConstructPath',
} as const;

/** The partition key of the monitor's table: the resource's logical id. */
export const RECORDS_TABLE_KEY = 'LogicalId';

/** The monitor function's environment: names only, whatever the number of resources (Lambda allows 4 KB). */
export const MONITOR_ENVIRONMENT = {
  table: 'EDGE_SYNC_RECORDS_TABLE',
  remediate: 'EDGE_SYNC_REMEDIATE',
  remediationTimeoutSeconds: 'EDGE_SYNC_REMEDIATION_TIMEOUT_SECONDS',
  eventBus: 'EDGE_SYNC_EVENT_BUS',
} as const;
