/** What the emulator remembers about each HTTP request, for assertions in tests. */
export interface RecordedRequest {
  /** Simulated epoch ms when the request arrived (before any injected latency). */
  readonly at: number;
  /** SigV4 signing name, or undefined when the request was not signed. */
  readonly service?: string;
  /** Operation name, or undefined when no operation matched. */
  readonly operation?: string;
  /** Region from the credential scope. */
  readonly region?: string;
  /** Account of the signing principal, once its access key was recognized. */
  readonly accountId?: string;
  /** ARN of the signing principal (a role session for handler requests, `…:root` for administrators). */
  readonly principal?: string;
  readonly method: string;
  /** Path as sent (still percent-encoded), without the query string. */
  readonly path: string;
  /** `Host` header as sent, e.g. `127.0.0.1:43123` (or `api.…` if the SDK host prefix was not disabled). */
  readonly host?: string;
  /** HTTP status answered; 0 when the connection was dropped without a response. */
  readonly status: number;
  /** Error code of an error response (`x-amzn-ErrorType`, or `Error.Code` of a restXml service). */
  readonly errorCode?: string;
  /** Which injected fault, if any, shaped this response (`...AfterApply`: the operation ran, then its response was lost). */
  readonly fault?: 'throttle' | 'serverError' | 'drop' | 'serverErrorAfterApply' | 'dropAfterApply' | 'latency';
  /** Decoded path labels plus the parsed JSON body (restJson1 only), as the operation saw them. */
  readonly input?: Readonly<Record<string, unknown>>;
}

export type SiteWiseSyncStatus = 'IN_SYNC' | 'OUT_OF_SYNC' | 'SYNC_FAILED' | 'UNKNOWN' | 'NOT_APPLICABLE';

/** One change of a simulated SiteWise gateway capability's sync status. */
export interface SiteWiseDeviceEvent {
  readonly service: 'iotsitewise';
  /** Simulated epoch ms at which the status changed (the scheduled time, not when it was observed). */
  readonly at: number;
  readonly gatewayId: string;
  readonly namespace: string;
  /** Status before the change; undefined for the first configuration a device ever received. */
  readonly from: SiteWiseSyncStatus | undefined;
  readonly to: SiteWiseSyncStatus;
  /** Why a device rejected a configuration (SYNC_FAILED). */
  readonly reason?: string;
  /** Caused by a change made outside the deployment (`replaceDocumentOutOfBand`, `setSyncStatusOutOfBand`). */
  readonly outOfBand?: true;
}

/** `SyncStatus` of a Kinesis Video stream's edge configuration (kinesisvideo 2017-09-30). */
export type EdgeSyncStatus = 'SYNCING' | 'ACKNOWLEDGED' | 'IN_SYNC' | 'SYNC_FAILED' | 'DELETING' | 'DELETE_FAILED' | 'DELETING_ACKNOWLEDGED';

/** One change of a Kinesis Video stream's edge configuration, as the simulated Edge Agent drives it. */
export interface KinesisVideoEdgeEvent {
  readonly service: 'kinesisvideo';
  /** Simulated epoch ms at which the status changed (the scheduled time, not when it was observed). */
  readonly at: number;
  readonly streamName: string;
  readonly streamArn: string;
  /** IoT thing ARN of the hub device whose Edge Agent runs the configuration. */
  readonly hubDeviceArn: string;
  /** Status before the change; undefined when the stream's edge configuration was created. */
  readonly from: EdgeSyncStatus | undefined;
  /** `DELETED`: the configuration is gone (deletion finished, or its stream was deleted). */
  readonly to: EdgeSyncStatus | 'DELETED';
  /** FailedStatusDetails of SYNC_FAILED / DELETE_FAILED, or why the configuration disappeared. */
  readonly reason?: string;
  /**
   * Caused by a change made outside the deployment (`deleteEdgeConfigurationOutOfBand`,
   * `setEdgeAgentJobStatusOutOfBand`; a job status change keeps the sync status: `from` = `to`).
   */
  readonly outOfBand?: true;
}

/** Why a Ground Station agent endpoint's observed health changed. */
export type GroundStationHealthCause =
  | 'created' | 'registered' | 'deregistered' | 'status-report' | 'override' | 'override-expired' | 'ip-verification' | 'deleted'
  /** The agent it follows stopped reporting (`silenceAgentOutOfBand`) and its registration lapsed. */
  | 'agent-silent';

/**
 * One change of what GetDataflowEndpointGroup shows for an AWS Ground Station Agent endpoint, as
 * the registered agents drive it (see ground-station-health.ts). Health is written compactly:
 * `healthStatus[healthReasons]/agentStatus`, e.g. `UNHEALTHY[NO_REGISTERED_AGENT]` → `HEALTHY[HEALTHY]/SUCCESS`.
 */
export interface GroundStationHealthEvent {
  readonly service: 'groundstation';
  /** Simulated epoch ms of the change (the request that caused it, or when an override expired). */
  readonly at: number;
  readonly dataflowEndpointGroupId: string;
  readonly endpointName: string;
  /** Health before the change; undefined when the group was created. */
  readonly from: string | undefined;
  /** `DELETED`: the group is gone. */
  readonly to: string;
  readonly cause: GroundStationHealthCause;
  /** The agent whose registration or report caused the change. */
  readonly agentId?: string;
}

/** Device events of every emulated service, told apart by `service`. */
export type DeviceEvent = SiteWiseDeviceEvent | KinesisVideoEdgeEvent | GroundStationHealthEvent;

/**
 * Collects device events. Devices settle their state lazily (when read), so before handing out
 * the log every registered settler brings its devices up to the current simulated time.
 */
export class DeviceEventLog {
  private readonly recorded: DeviceEvent[] = [];
  private readonly settlers: Array<() => void> = [];

  public record(event: DeviceEvent): void {
    this.recorded.push(event);
  }

  public addSettler(settle: () => void): void {
    this.settlers.push(settle);
  }

  /** All events up to now, ordered by simulated time. */
  public list(): DeviceEvent[] {
    for (const settle of this.settlers) settle();
    // Array.prototype.sort is stable, so events at the same instant keep their recording order.
    return [...this.recorded].sort((a, b) => a.at - b.at);
  }

  public clear(): void {
    this.recorded.length = 0;
  }
}
