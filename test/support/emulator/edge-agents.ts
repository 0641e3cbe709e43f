import {
  connectivityFailure, DEFAULT_ACK_MS, DEFAULT_DELETE_MS, DEFAULT_GIVE_UP_MS, DEFAULT_SYNC_MS, defaultEdgeConfigCheck, EdgeAgentBehaviours,
  type EdgeAgentDeletion, type EdgeAgentScript, type EdgeAgentUpdate, type EdgeDeleteBehaviour, type EdgeJobStatusScript,
  type EdgeSyncBehaviour,
} from './edge-agent-scripts';
import type { EdgeConfig, EdgeJobStatus } from './kinesis-video-shapes';
import type { EdgeSyncStatus, KinesisVideoEdgeEvent } from './records';
import { pickBehaviour } from './scripts';

/**
 * Simulated Kinesis Video Edge Agents: one `SimulatedEdgeAgent` per hub device (its script and how
 * many updates and deletions it received), and one `StreamEdgeConfiguration` per stream that has an
 * edge configuration (its sync status as the cloud reports it, driven by the agent).
 *
 * Like the SiteWise devices there are no timers: an API call schedules the agent's reports with the
 * simulated time `at` they happen, and every read first settles the reports that are due, recording
 * each with its scheduled `at`. State is exact at any simulated instant, however late it is observed.
 */

export interface EdgeJobReport {
  readonly status: EdgeJobStatus;
  readonly details: string;
  /** Simulated epoch ms the job last ran. */
  readonly lastCollectedTime: number;
  /** Simulated epoch ms the status was last reported. */
  readonly lastUpdatedTime: number;
}

/** What DescribeEdgeConfiguration returns as `EdgeAgentStatus` once the agent has reported. */
export interface EdgeAgentStatusReport {
  readonly recorder: EdgeJobReport;
  readonly uploader: EdgeJobReport;
}

export interface EdgeHistoryEntry {
  /** Simulated epoch ms of the change. */
  readonly at: number;
  readonly status: EdgeSyncStatus;
  readonly reason?: string;
}

/** Read-only view of a stream's edge configuration for assertions. */
export interface EdgeConfigurationSnapshot {
  readonly streamName: string;
  readonly streamArn: string;
  readonly hubDeviceArn: string;
  readonly syncStatus: EdgeSyncStatus;
  /** The last configuration the API accepted (what DescribeEdgeConfiguration returns). */
  readonly edgeConfig: EdgeConfig;
  /** The configuration the agent actually runs; undefined if it never ran one. */
  readonly appliedEdgeConfig?: EdgeConfig;
  /** Set while the status is SYNC_FAILED or DELETE_FAILED. */
  readonly failedStatusDetails?: string;
  readonly edgeAgentStatus?: EdgeAgentStatusReport;
  /** Simulated epoch ms the configuration was first created. */
  readonly creationTime: number;
  /** Simulated epoch ms of the last StartEdgeConfigurationUpdate. */
  readonly lastUpdatedTime: number;
  /** Number of StartEdgeConfigurationUpdate calls this configuration received. */
  readonly updates: number;
  readonly history: readonly EdgeHistoryEntry[];
  /** Simulated time of the next scheduled status change, if one is pending. */
  readonly nextChangeAt?: number;
}

/** Statuses during which the service refuses another Start with ResourceInUseException (a Delete is accepted). */
export const IN_PROGRESS_STATUSES: ReadonlySet<EdgeSyncStatus> = new Set<EdgeSyncStatus>([
  'SYNCING', 'ACKNOWLEDGED', 'DELETING', 'DELETING_ACKNOWLEDGED',
]);

const FAILED_STATUSES: ReadonlySet<EdgeSyncStatus> = new Set<EdgeSyncStatus>(['SYNC_FAILED', 'DELETE_FAILED']);
const DEFAULT_SYNC_FAIL_REASON = 'Edge Agent rejected the edge configuration (emulator script)';
const DEFAULT_DELETE_FAIL_REASON = 'Edge Agent failed to delete the edge configuration and its media (emulator script)';

export interface EdgeStreamIdentity {
  readonly name: string;
  readonly arn: string;
}

interface ScheduledChange {
  readonly at: number;
  readonly to: EdgeSyncStatus | 'DELETED';
  readonly reason?: string;
  /** Configuration that becomes the applied one when the change happens. */
  readonly applies?: EdgeConfig;
  readonly agentStatus?: EdgeAgentStatusReport;
}

export class StreamEdgeConfiguration {
  private status: EdgeSyncStatus | undefined;
  private edgeConfig: EdgeConfig;
  private appliedEdgeConfig: EdgeConfig | undefined;
  private failedStatusDetails: string | undefined;
  private agentStatus: EdgeAgentStatusReport | undefined;
  private lastUpdatedTime: number;
  private updates = 0;
  private gone = false;
  /** Pending changes in time order. */
  private scheduled: ScheduledChange[] = [];
  private readonly history: EdgeHistoryEntry[] = [];

  constructor(
    public readonly stream: EdgeStreamIdentity,
    edgeConfig: EdgeConfig,
    public readonly creationTime: number,
    private readonly onChange: (event: KinesisVideoEdgeEvent) => void,
  ) {
    this.edgeConfig = edgeConfig;
    this.lastUpdatedTime = creationTime;
  }

  public get hubDeviceArn(): string {
    return this.edgeConfig.HubDeviceArn;
  }

  /** Performs every scheduled change that is due at simulated time `now`. */
  public settle(now: number): void {
    while (this.scheduled.length > 0 && this.scheduled[0].at <= now) {
      const [change] = this.scheduled.splice(0, 1);
      if (change.applies) this.appliedEdgeConfig = change.applies;
      if (change.agentStatus) this.agentStatus = change.agentStatus;
      this.changeStatus(change.at, change.to, change.reason);
    }
  }

  /** Whether the configuration still exists at `now`: false once a deletion finished or the stream was deleted. */
  public existsAt(now: number): boolean {
    this.settle(now);
    return !this.gone;
  }

  public statusAt(now: number): EdgeSyncStatus {
    this.settle(now);
    if (this.status === undefined) throw new Error(`edge configuration of ${this.stream.name} was never started`);
    return this.status;
  }

  /**
   * Takes a configuration accepted by StartEdgeConfigurationUpdate at `now` and schedules what the
   * agent does with it. `rejection` is the config check's verdict, used if the behaviour is `sync`.
   */
  public startUpdate(edgeConfig: EdgeConfig, now: number, behaviour: EdgeSyncBehaviour, rejection: string | undefined): void {
    this.settle(now);
    this.updates += 1;
    this.edgeConfig = edgeConfig;
    this.lastUpdatedTime = now;
    this.scheduled = [];
    this.changeStatus(now, 'SYNCING');
    switch (behaviour.kind) {
      case 'sync': {
        const ackAt = now + (behaviour.ackMs ?? DEFAULT_ACK_MS);
        const doneAt = ackAt + (behaviour.syncMs ?? DEFAULT_SYNC_MS);
        this.scheduled.push({ at: ackAt, to: 'ACKNOWLEDGED' });
        this.scheduled.push(rejection === undefined
          ? { at: doneAt, to: 'IN_SYNC', applies: edgeConfig, agentStatus: jobReports(doneAt, behaviour.jobStatus) }
          : { at: doneAt, to: 'SYNC_FAILED', reason: rejection });
        break;
      }
      case 'fail': {
        const ackAt = now + (behaviour.ackMs ?? DEFAULT_ACK_MS);
        this.scheduled.push({ at: ackAt, to: 'ACKNOWLEDGED' });
        this.scheduled.push({ at: ackAt + (behaviour.failMs ?? DEFAULT_SYNC_MS), to: 'SYNC_FAILED', reason: behaviour.reason ?? DEFAULT_SYNC_FAIL_REASON });
        break;
      }
      case 'offline': {
        const giveUpMs = behaviour.giveUpMs ?? DEFAULT_GIVE_UP_MS;
        this.scheduled.push({ at: now + giveUpMs, to: 'SYNC_FAILED', reason: connectivityFailure(this.hubDeviceArn, giveUpMs) });
        break;
      }
    }
    this.settle(now);
  }

  /** Takes a DeleteEdgeConfiguration accepted at `now` and schedules what the agent does with it. */
  public startDeletion(now: number, behaviour: EdgeDeleteBehaviour): void {
    this.settle(now);
    this.scheduled = [];
    this.changeStatus(now, 'DELETING');
    switch (behaviour.kind) {
      case 'delete': {
        const ackAt = now + (behaviour.ackMs ?? DEFAULT_ACK_MS);
        this.scheduled.push({ at: ackAt, to: 'DELETING_ACKNOWLEDGED' });
        this.scheduled.push({ at: ackAt + (behaviour.deleteMs ?? DEFAULT_DELETE_MS), to: 'DELETED' });
        break;
      }
      case 'fail': {
        const ackAt = now + (behaviour.ackMs ?? DEFAULT_ACK_MS);
        this.scheduled.push({ at: ackAt, to: 'DELETING_ACKNOWLEDGED' });
        this.scheduled.push({ at: ackAt + (behaviour.failMs ?? DEFAULT_DELETE_MS), to: 'DELETE_FAILED', reason: behaviour.reason ?? DEFAULT_DELETE_FAIL_REASON });
        break;
      }
      case 'offline': {
        const giveUpMs = behaviour.giveUpMs ?? DEFAULT_GIVE_UP_MS;
        this.scheduled.push({ at: now + giveUpMs, to: 'DELETE_FAILED', reason: connectivityFailure(this.hubDeviceArn, giveUpMs) });
        break;
      }
    }
    this.settle(now);
  }

  /** The stream was deleted at `now` (or the configuration was removed out of band): the configuration goes with it. */
  public discard(now: number, reason: string, outOfBand: boolean = false): void {
    this.settle(now);
    if (this.gone) return;
    this.scheduled = [];
    this.changeStatus(now, 'DELETED', reason, outOfBand);
  }

  /**
   * The agent reports its recorder and/or uploader job with `status` at `now` on its own (a camera
   * went away, the uplink broke), as EdgeAgentStatus shows it; the sync status does not change.
   */
  public reportJobStatus(now: number, jobs: { readonly recorder?: EdgeJobStatus; readonly uploader?: EdgeJobStatus }, details?: string): void {
    this.settle(now);
    if (this.gone || this.status === undefined) throw new Error(`edge configuration of ${this.stream.name} does not exist`);
    const job = (name: 'Recorder' | 'Uploader', previous: EdgeJobReport | undefined, status: EdgeJobStatus | undefined): EdgeJobReport => {
      if (status === undefined && previous) return previous;
      const next = status ?? 'SUCCESS';
      return {
        status: next,
        details: details ?? (next === 'SUCCESS' ? `${name} job succeeded` : `${name} job failed`),
        lastCollectedTime: now,
        lastUpdatedTime: now,
      };
    };
    this.agentStatus = { recorder: job('Recorder', this.agentStatus?.recorder, jobs.recorder), uploader: job('Uploader', this.agentStatus?.uploader, jobs.uploader) };
    const summary = [jobs.recorder && `recorder ${jobs.recorder}`, jobs.uploader && `uploader ${jobs.uploader}`].filter(Boolean).join(', ');
    this.onChange({
      service: 'kinesisvideo',
      at: now,
      streamName: this.stream.name,
      streamArn: this.stream.arn,
      hubDeviceArn: this.hubDeviceArn,
      from: this.status,
      to: this.status,
      reason: `Edge Agent reported ${summary}${details ? `: ${details}` : ''}`,
      outOfBand: true,
    });
  }

  public snapshot(): EdgeConfigurationSnapshot {
    return {
      streamName: this.stream.name,
      streamArn: this.stream.arn,
      hubDeviceArn: this.hubDeviceArn,
      syncStatus: this.status as EdgeSyncStatus,
      edgeConfig: this.edgeConfig,
      appliedEdgeConfig: this.appliedEdgeConfig,
      failedStatusDetails: this.failedStatusDetails,
      edgeAgentStatus: this.agentStatus,
      creationTime: this.creationTime,
      lastUpdatedTime: this.lastUpdatedTime,
      updates: this.updates,
      history: [...this.history],
      nextChangeAt: this.scheduled[0]?.at,
    };
  }

  private changeStatus(at: number, to: EdgeSyncStatus | 'DELETED', reason?: string, outOfBand: boolean = false): void {
    const from = this.status;
    if (to === 'DELETED') {
      this.gone = true;
    } else {
      this.status = to;
      this.failedStatusDetails = FAILED_STATUSES.has(to) ? reason : undefined;
      this.history.push(reason === undefined ? { at, status: to } : { at, status: to, reason });
    }
    this.onChange({
      service: 'kinesisvideo',
      at,
      streamName: this.stream.name,
      streamArn: this.stream.arn,
      hubDeviceArn: this.hubDeviceArn,
      from,
      to,
      ...(reason === undefined ? {} : { reason }),
      ...(outOfBand ? { outOfBand: true as const } : {}),
    });
  }
}

/** Reports of a configuration that started running at `at`. */
function jobReports(at: number, script: EdgeJobStatusScript | undefined): EdgeAgentStatusReport {
  const report = (job: string, status: EdgeJobStatus): EdgeJobReport => ({
    status,
    details: script?.details ?? (status === 'SUCCESS' ? `${job} job succeeded` : `${job} job failed`),
    lastCollectedTime: at,
    lastUpdatedTime: at,
  });
  return { recorder: report('Recorder', script?.recorderStatus ?? 'SUCCESS'), uploader: report('Uploader', script?.uploaderStatus ?? 'SUCCESS') };
}

/** Read-only view of one hub device's agent. */
export interface EdgeAgentSnapshot {
  readonly hubDeviceArn: string;
  /** Whether `scriptAgent` gave this agent its own script. */
  readonly scripted: boolean;
  readonly updatesReceived: number;
  readonly deletionsReceived: number;
}

/** The built-in script for whatever neither the agent's script nor the emulator's default script says. */
export const BUILT_IN_AGENT_SCRIPT = {
  updates: EdgeAgentBehaviours.sync(),
  deletions: EdgeAgentBehaviours.delete(),
} as const satisfies EdgeAgentScript;

/** The Edge Agent of one hub device: its script and its counters; the per-stream state lives in StreamEdgeConfiguration. */
export class SimulatedEdgeAgent {
  private ownScript: EdgeAgentScript | undefined;
  private updatesBeforeScript = 0;
  private deletionsBeforeScript = 0;
  private updates = 0;
  private deletions = 0;

  constructor(public readonly hubDeviceArn: string) {}

  public setScript(script: EdgeAgentScript): void {
    this.ownScript = script;
    this.updatesBeforeScript = this.updates;
    this.deletionsBeforeScript = this.deletions;
  }

  /**
   * Counts an update and decides what the agent does with it: the behaviour of its own script's
   * `updates`, else the default script's, else `sync()`; plus the config check's verdict.
   */
  public receiveUpdate(
    defaultScript: EdgeAgentScript,
    update: Omit<EdgeAgentUpdate, 'hubDeviceArn' | 'updateNumber' | 'scriptUpdateNumber'>,
  ): { behaviour: EdgeSyncBehaviour; rejection: string | undefined } {
    this.updates += 1;
    const own = this.ownScript?.updates;
    const scriptUpdateNumber = own === undefined ? this.updates : this.updates - this.updatesBeforeScript;
    const context: EdgeAgentUpdate = { ...update, hubDeviceArn: this.hubDeviceArn, updateNumber: this.updates, scriptUpdateNumber };
    const channel = own ?? defaultScript.updates ?? BUILT_IN_AGENT_SCRIPT.updates;
    const behaviour = pickBehaviour(channel, context, scriptUpdateNumber, `edge agent script for ${this.hubDeviceArn} updates`);
    const check = this.ownScript?.rejectWhen ?? defaultScript.rejectWhen ?? defaultEdgeConfigCheck;
    return { behaviour, rejection: behaviour.kind === 'sync' && check !== false ? check(context) : undefined };
  }

  /** Counts a deletion and picks its behaviour: own script's `deletions`, else the default script's, else `delete()`. */
  public receiveDeletion(defaultScript: EdgeAgentScript, deletion: Pick<EdgeAgentDeletion, 'streamName' | 'streamArn'>): EdgeDeleteBehaviour {
    this.deletions += 1;
    const own = this.ownScript?.deletions;
    const scriptDeletionNumber = own === undefined ? this.deletions : this.deletions - this.deletionsBeforeScript;
    const context: EdgeAgentDeletion = { ...deletion, hubDeviceArn: this.hubDeviceArn, deletionNumber: this.deletions, scriptDeletionNumber };
    const channel = own ?? defaultScript.deletions ?? BUILT_IN_AGENT_SCRIPT.deletions;
    return pickBehaviour(channel, context, scriptDeletionNumber, `edge agent script for ${this.hubDeviceArn} deletions`);
  }

  public snapshot(): EdgeAgentSnapshot {
    return {
      hubDeviceArn: this.hubDeviceArn,
      scripted: this.ownScript !== undefined,
      updatesReceived: this.updates,
      deletionsReceived: this.deletions,
    };
  }
}
