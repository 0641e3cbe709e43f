import type { SiteWiseDeviceEvent, SiteWiseSyncStatus } from './records';
import { isList, pickBehaviour } from './scripts';

/**
 * Simulated SiteWise Edge gateways: one device per gateway + capability namespace, i.e. the
 * component on the gateway that receives that namespace's capability configuration and reports a
 * sync status back to the cloud.
 *
 * Devices have no timers. An update schedules at most one pending report with the simulated time
 * `at` it will happen; whenever the device is read it first settles every report that is due, and
 * records it with its scheduled `at`. So state is exact at any simulated instant, no matter how
 * late or how often it is observed.
 */

/** What a device does with one configuration update. */
export type DeviceBehaviour =
  /** Accepts the document after `delayMs` (OUT_OF_SYNC → IN_SYNC), unless the content check rejects it. */
  | { readonly kind: 'apply'; readonly delayMs?: number }
  /** Rejects the document after `delayMs` (OUT_OF_SYNC → SYNC_FAILED); keeps running the previous one. */
  | { readonly kind: 'reject'; readonly delayMs?: number; readonly reason?: string }
  /**
   * Never applies nor rejects: OUT_OF_SYNC forever, or, with status `UNKNOWN`, UNKNOWN from
   * `delayMs` on ("the gateway hasn't reported its sync status"; when AWS shows it is an assumption).
   */
  | { readonly kind: 'offline'; readonly status?: 'UNKNOWN' | 'OUT_OF_SYNC'; readonly delayMs?: number }
  /** The capability does not apply to this gateway (e.g. a partner data source): NOT_APPLICABLE after `delayMs`. */
  | { readonly kind: 'notApplicable'; readonly delayMs?: number };

/** Simulated delay of the default behaviour for devices nobody scripted. */
export const DEFAULT_SYNC_DELAY_MS = 2_000;

/** Shorthands for building behaviours in tests. */
export const DeviceBehaviours = {
  apply: (delayMs: number = DEFAULT_SYNC_DELAY_MS): DeviceBehaviour => ({ kind: 'apply', delayMs }),
  reject: (delayMs: number = DEFAULT_SYNC_DELAY_MS, reason?: string): DeviceBehaviour => ({ kind: 'reject', delayMs, reason }),
  offline: (status: 'UNKNOWN' | 'OUT_OF_SYNC' = 'OUT_OF_SYNC', delayMs: number = DEFAULT_SYNC_DELAY_MS): DeviceBehaviour =>
    ({ kind: 'offline', status, delayMs }),
  notApplicable: (delayMs: number = DEFAULT_SYNC_DELAY_MS): DeviceBehaviour => ({ kind: 'notApplicable', delayMs }),
};

/** The update a behaviour function decides about. */
export interface DeviceUpdate {
  readonly gatewayId: string;
  readonly gatewayName: string;
  readonly namespace: string;
  /** 1 for the first configuration this device receives, 2 for the second, … */
  readonly updateNumber: number;
  /** Like `updateNumber`, but counted from when the device's current script was set. */
  readonly scriptUpdateNumber: number;
  readonly document: string;
}

/** Returns a rejection reason for a document the device cannot run, or undefined to accept it. */
export type ContentCheck = (document: string, namespace: string) => string | undefined;

export type BehaviourFunction = (update: DeviceUpdate) => DeviceBehaviour;

export interface DeviceScript {
  /**
   * One behaviour for every update; or a list consumed one per update from when the script is set
   * (the last entry repeats once the list is used up), e.g. `[apply, reject, apply]` = "reject the
   * 2nd update, apply the rollback"; or a function of the update.
   */
  readonly behaviour: DeviceBehaviour | readonly DeviceBehaviour[] | BehaviourFunction;
  /**
   * Content check run when the behaviour is `apply`. Defaults to `defaultContentCheck` (OPC UA
   * endpoint URIs must use opc.tcp://); `false` accepts every document.
   */
  readonly rejectWhen?: ContentCheck | false;
}

/** Anything `scriptDevice` accepts: a full script, or just its behaviour part. */
export type DeviceScriptInput = DeviceScript | DeviceBehaviour | readonly DeviceBehaviour[] | BehaviourFunction;

export function toDeviceScript(input: DeviceScriptInput): DeviceScript {
  if (typeof input === 'function' || isList(input) || 'kind' in input) return { behaviour: input };
  return input;
}

/** Picks the behaviour of a script for one update. */
export function behaviourFor(script: DeviceScript, update: DeviceUpdate): DeviceBehaviour {
  return pickBehaviour(script.behaviour, update, update.scriptUpdateNumber, `device script for ${update.gatewayId} ${update.namespace}`);
}

const OPC_UA_COLLECTOR_NAMESPACE = /^iotsitewise:opcuacollector:[0-9]+$/;

/**
 * What a real OPC UA collector would refuse: a document that is not JSON, has no `sources` list,
 * or has a source whose `endpoint.endpointUri` is not an `opc.tcp://` URI. Other namespaces are
 * accepted as they are.
 */
export const defaultContentCheck: ContentCheck = (document, namespace) => {
  if (!OPC_UA_COLLECTOR_NAMESPACE.test(namespace)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch (error) {
    return `capability configuration is not valid JSON: ${(error as Error).message}`;
  }
  const sources = (parsed as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return 'OPC UA collector configuration has no "sources" list';
  for (const [index, source] of sources.entries()) {
    const name = (source as { name?: unknown } | null)?.name;
    const uri = (source as { endpoint?: { endpointUri?: unknown } } | null)?.endpoint?.endpointUri;
    if (typeof uri !== 'string' || !uri.startsWith('opc.tcp://')) {
      const label = typeof name === 'string' ? `'${name}'` : `#${index}`;
      return `source ${label}: endpointUri ${JSON.stringify(uri)} does not start with opc.tcp://`;
    }
  }
  return undefined;
};

export interface DeviceHistoryEntry {
  /** Simulated epoch ms of the change. */
  readonly at: number;
  readonly status: SiteWiseSyncStatus;
  readonly reason?: string;
}

/** Read-only view of a device for assertions. */
export interface DeviceSnapshot {
  readonly gatewayId: string;
  readonly namespace: string;
  /** Undefined while the device has never received a configuration. */
  readonly syncStatus: SiteWiseSyncStatus | undefined;
  /** The last document the API accepted (what DescribeGatewayCapabilityConfiguration returns). */
  readonly cloudConfiguration?: string;
  /** The document the device actually runs; undefined if it never applied one. */
  readonly appliedConfiguration?: string;
  /** Why the device rejected the latest document, while the status is SYNC_FAILED. */
  readonly rejectionReason?: string;
  /** Number of configuration updates received. */
  readonly updates: number;
  readonly history: readonly DeviceHistoryEntry[];
  /** Simulated time of the next scheduled status report, if one is pending. */
  readonly nextReportAt?: number;
}

interface PendingReport {
  readonly at: number;
  readonly status: SiteWiseSyncStatus;
  readonly reason?: string;
  /** Document that becomes the applied configuration when the report happens. */
  readonly applies?: string;
}

export class SimulatedGatewayDevice {
  /** Set by `scriptDevice`; unscripted devices follow the emulator's default script. */
  private ownScript: DeviceScript | undefined;
  /** Value of `updates` when `ownScript` was set, so behaviour lists start at the next update. */
  private updatesBeforeScript = 0;
  private status: SiteWiseSyncStatus | undefined;
  private cloudConfiguration: string | undefined;
  private appliedConfiguration: string | undefined;
  private rejectionReason: string | undefined;
  private updates = 0;
  private pending: PendingReport | undefined;
  private readonly history: DeviceHistoryEntry[] = [];

  constructor(
    public readonly gatewayId: string,
    public readonly namespace: string,
    private readonly onChange: (event: SiteWiseDeviceEvent) => void,
  ) {}

  public get script(): DeviceScript | undefined {
    return this.ownScript;
  }

  public setScript(script: DeviceScript): void {
    this.ownScript = script;
    this.updatesBeforeScript = this.updates;
  }

  /** Whether the cloud holds a configuration for this namespace (else Describe answers 404). */
  public get hasConfiguration(): boolean {
    return this.cloudConfiguration !== undefined;
  }

  /** Performs the pending report if it is due at simulated time `now`. */
  public settle(now: number): void {
    const report = this.pending;
    if (!report || report.at > now) return;
    this.pending = undefined;
    if (report.applies !== undefined) this.appliedConfiguration = report.applies;
    this.changeStatus(report.at, report.status, report.reason);
  }

  /** Receives a configuration accepted by the API at `now`; returns the status right after. */
  public receiveUpdate(
    document: string,
    now: number,
    behaviourOf: (updateNumber: number, scriptUpdateNumber: number) => DeviceBehaviour,
    contentCheck: ContentCheck | undefined,
  ): SiteWiseSyncStatus {
    this.settle(now);
    this.updates += 1;
    this.cloudConfiguration = document;
    // A newer document supersedes whatever the device was about to report for the previous one.
    this.pending = undefined;
    const behaviour = behaviourOf(this.updates, this.ownScript ? this.updates - this.updatesBeforeScript : this.updates);
    // "After you update a capability configuration, its sync status is OUT_OF_SYNC until the
    // gateway receives and applies or rejects the updated configuration" (the API's model).
    this.changeStatus(now, 'OUT_OF_SYNC');
    switch (behaviour.kind) {
      case 'notApplicable':
        this.pending = { at: now + (behaviour.delayMs ?? DEFAULT_SYNC_DELAY_MS), status: 'NOT_APPLICABLE' };
        break;
      case 'offline':
        if (behaviour.status === 'UNKNOWN') this.pending = { at: now + (behaviour.delayMs ?? DEFAULT_SYNC_DELAY_MS), status: 'UNKNOWN' };
        break;
      case 'reject':
        this.pending = {
          at: now + (behaviour.delayMs ?? DEFAULT_SYNC_DELAY_MS),
          status: 'SYNC_FAILED',
          reason: behaviour.reason ?? 'rejected by the device script',
        };
        break;
      case 'apply': {
        const at = now + (behaviour.delayMs ?? DEFAULT_SYNC_DELAY_MS);
        const reason = contentCheck?.(document, this.namespace);
        this.pending = reason === undefined ? { at, status: 'IN_SYNC', applies: document } : { at, status: 'SYNC_FAILED', reason };
        break;
      }
    }
    // Status as reported in the UpdateGatewayCapabilityConfiguration response, before any report.
    this.settle(now);
    return 'OUT_OF_SYNC';
  }

  /**
   * The gateway reports `status` at `now` on its own, e.g. after it was re-imaged: any pending
   * report is dropped and, unless the status is SYNC_FAILED, the device no longer runs a document.
   */
  public forceStatus(now: number, status: 'OUT_OF_SYNC' | 'SYNC_FAILED' | 'UNKNOWN', reason?: string): void {
    this.settle(now);
    this.pending = undefined;
    if (status !== 'SYNC_FAILED') this.appliedConfiguration = undefined;
    this.changeStatus(now, status, status === 'SYNC_FAILED' ? reason ?? 'sync failed (set out of band)' : undefined);
  }

  public snapshot(): DeviceSnapshot {
    return {
      gatewayId: this.gatewayId,
      namespace: this.namespace,
      syncStatus: this.status,
      cloudConfiguration: this.cloudConfiguration,
      appliedConfiguration: this.appliedConfiguration,
      rejectionReason: this.rejectionReason,
      updates: this.updates,
      history: [...this.history],
      nextReportAt: this.pending?.at,
    };
  }

  /** Status as the cloud sees it at `now`. */
  public statusAt(now: number): SiteWiseSyncStatus | undefined {
    this.settle(now);
    return this.status;
  }

  private changeStatus(at: number, to: SiteWiseSyncStatus, reason?: string): void {
    const from = this.status;
    this.rejectionReason = to === 'SYNC_FAILED' ? reason : undefined;
    const last = this.history[this.history.length - 1];
    if (from === to && last?.reason === reason) return;
    this.status = to;
    this.history.push(reason === undefined ? { at, status: to } : { at, status: to, reason });
    this.onChange({
      service: 'iotsitewise', at, gatewayId: this.gatewayId, namespace: this.namespace, from, to, ...(reason === undefined ? {} : { reason }),
    });
  }
}
