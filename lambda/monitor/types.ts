import type { DeployedRecord } from '../shared/records';

/** What one look at a device found, against the record of what was deployed. */
export interface CheckResult {
  readonly record: DeployedRecord;
  /** What the resource configures: `<gateway id>/<namespace>`, a stream ARN, a dataflow endpoint group id. */
  readonly target: string;
  /** The ARN events name as their resource. */
  readonly targetArn: string;
  /**
   * The edge is no longer what the deploy made it: another configuration is stored, or none, or
   * (Ground Station) an endpoint is no longer ready.
   */
  readonly drifted: boolean;
  /** The device reports the deployed configuration in sync. Ground Station: every agent endpoint is ready. */
  readonly inSync: boolean;
  /** Ground Station only: whether every agent endpoint is ready. */
  readonly ready?: boolean;
  /** Where the stored configuration differs from the deployed one (JSON Pointers, cut; see json-diff.ts). */
  readonly paths: readonly string[];
  /** What the device shows, in a few words. */
  readonly status: string;
  /** The resource's owner tag, when another resource owns the target now (never remediated). */
  readonly ownedBy?: string;
  /** Re-applies the deployed configuration and waits until `deadline`; absent where the monitor never remediates. */
  readonly remediate?: (deadline: number) => Promise<string>;
}

/** The monitor's settings, from its function's environment. */
export interface MonitorSettings {
  readonly table: string;
  readonly remediate: boolean;
  readonly remediationTimeoutMs: number;
  readonly eventBusName: string;
}
