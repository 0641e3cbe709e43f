import type { AgentStatus } from './ground-station-shapes';

/**
 * What a SimulatedGroundStationAgent does once started: when it registers, and which statuses it
 * then reports with UpdateAgentStatus, on simulated time. Scripts are plain data, like the
 * SiteWise device and Kinesis Video Edge Agent scripts.
 */

/** Simulated ms from start until RegisterAgent (a real agent registers as soon as its service starts). */
export const DEFAULT_REGISTER_AFTER_MS = 0;
/** Simulated ms from registration until the data plane is up (or fails) in the convenience scripts. */
export const DEFAULT_DATA_PLANE_MS = 2_000;
/** Simulated ms between RegisterAgent attempts while the service refuses it. */
export const DEFAULT_REGISTER_RETRY_MS = 5_000;
/** Component type of components a script does not name; one of the agent's component types in 2023 models. */
export const DEFAULT_COMPONENT_TYPE = 'LAMINAR_FLOW';

/** One component in a scripted report; every member has a default. */
export interface ComponentStatusScript {
  /** Default DEFAULT_COMPONENT_TYPE. */
  readonly componentType?: string;
  /** Default: one such component for each of the agent's capability ARNs. */
  readonly capabilityArn?: string;
  /** Default: the report's aggregate status. */
  readonly status?: AgentStatus;
  readonly bytesSent?: number;
  readonly bytesReceived?: number;
  readonly packetsDropped?: number;
  /** Default: a UUID per capability ARN, the same for the agent's whole life. */
  readonly dataflowId?: string;
}

/** One UpdateAgentStatus of a script. */
export interface AgentStatusReportScript {
  /** Simulated ms after the previous step: after registration for the first report, after the previous report otherwise. */
  readonly afterMs: number;
  readonly aggregateStatus: AgentStatus;
  readonly signatureMap?: Readonly<Record<string, boolean>>;
  /** Default `[{}]`: one component per capability ARN with the aggregate status. `[]` reports none. */
  readonly componentStatuses?: readonly ComponentStatusScript[];
  /** Default: a new UUID, i.e. each report is a task of its own. */
  readonly taskId?: string;
}

export interface GroundStationAgentScript {
  /** Default DEFAULT_REGISTER_AFTER_MS. */
  readonly registerAfterMs?: number;
  /** Reports in order after registration (and GetAgentConfiguration); default none. */
  readonly reports?: readonly AgentStatusReportScript[];
  /** After the last report, send it again (same task, so idempotent) every `reportEveryMs` simulated ms until stopped. */
  readonly reportEveryMs?: number;
}

/** Scripts for the usual stories. An agent that never registers is simply one that is not started. */
export const GroundStationAgentScripts = {
  /** Registers, then reports SUCCESS after `dataPlaneMs`: its endpoints go INITIALIZING_DATAPLANE → HEALTHY. */
  healthyAfter: (dataPlaneMs: number = DEFAULT_DATA_PLANE_MS, registerAfterMs: number = DEFAULT_REGISTER_AFTER_MS): GroundStationAgentScript => ({
    registerAfterMs,
    reports: [{ afterMs: dataPlaneMs, aggregateStatus: 'SUCCESS' }],
  }),

  /** Registers and never reports: its endpoints stay INITIALIZING_DATAPLANE. */
  registersOnly: (registerAfterMs: number = DEFAULT_REGISTER_AFTER_MS): GroundStationAgentScript => ({ registerAfterMs }),

  /**
   * Registers, then after `failAfterMs` reports aggregate ACTIVE with a FAILED component for
   * `capabilityArn` (default: for each of its capabilities): DATAPLANE_FAILURE.
   */
  dataPlaneFailure: (failAfterMs: number = DEFAULT_DATA_PLANE_MS, capabilityArn?: string): GroundStationAgentScript => ({
    reports: [{ afterMs: failAfterMs, aggregateStatus: 'ACTIVE', componentStatuses: [{ capabilityArn, status: 'FAILED' }] }],
  }),

  /** Registers, then reports aggregate FAILED (and its components FAILED) after `failAfterMs`: agentStatus FAILED. */
  aggregateFailed: (failAfterMs: number = DEFAULT_DATA_PLANE_MS): GroundStationAgentScript => ({
    reports: [{ afterMs: failAfterMs, aggregateStatus: 'FAILED' }],
  }),

  /** Healthy after `dataPlaneMs`, then reports the same task again every `everyMs` until stopped. */
  heartbeat: (everyMs: number, dataPlaneMs: number = DEFAULT_DATA_PLANE_MS): GroundStationAgentScript => ({
    reports: [{ afterMs: dataPlaneMs, aggregateStatus: 'SUCCESS' }],
    reportEveryMs: everyMs,
  }),
};
