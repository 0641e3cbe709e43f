import type { ServingAgent } from './ground-station-health';
import type { AgentStatus, ComponentStatus } from './ground-station-shapes';
import type { Scope } from './scope';

/**
 * The emulator's record of one AWS Ground Station Agent registration (RegisterAgent) and of the
 * statuses it reported since (UpdateAgentStatus). The simulated agent process that makes these
 * calls lives in ground-station-agent.ts; this is the cloud's side.
 */

/** What RegisterAgent told the service about the agent (validated input). */
export interface AgentRegistration {
  readonly publicIpAddresses: readonly string[];
  readonly privateIpAddresses: readonly string[];
  readonly capabilityArns: readonly string[];
  readonly agentVersion: string;
  readonly instanceId: string;
  readonly instanceType: string;
  readonly agentCpuCores?: readonly number[];
  readonly componentVersions: ReadonlyArray<{ readonly componentType: string; readonly versions: readonly string[] }>;
}

/** One accepted UpdateAgentStatus (validated input). */
export interface AgentStatusReport {
  readonly taskId: string;
  readonly aggregateStatus: AgentStatus;
  readonly signatureMap?: Readonly<Record<string, boolean>>;
  readonly componentStatuses: readonly ComponentStatus[];
}

export interface ReceivedStatusReport extends AgentStatusReport {
  /** Simulated epoch ms the report arrived. */
  readonly at: number;
}

/** Read-only view of a registered agent for assertions. */
export interface GroundStationAgentSnapshot extends AgentRegistration {
  readonly agentId: string;
  /** Simulated epoch ms of the registration. */
  readonly registeredAt: number;
  /** Aggregate status of the latest report; undefined before the first. */
  readonly aggregateStatus?: AgentStatus;
  /** Whether a report ever had aggregate SUCCESS or ACTIVE. */
  readonly dataPlaneUp: boolean;
  /** Latest status reported per component capability ARN. */
  readonly componentStatusByCapability: Readonly<Record<string, AgentStatus>>;
  /** Every accepted UpdateAgentStatus in arrival order (repeats of an idempotent call included). */
  readonly statusReports: readonly ReceivedStatusReport[];
  /** Distinct task ids reported, in first-seen order. */
  readonly taskIds: readonly string[];
  readonly configurationReads: number;
}

export class RegisteredAgent {
  private aggregateStatus: AgentStatus | undefined;
  private dataPlaneUp = false;
  private readonly componentStatusByCapability = new Map<string, AgentStatus>();
  private readonly reports: ReceivedStatusReport[] = [];
  private configurationReads = 0;

  constructor(
    public readonly agentId: string,
    public readonly registeredAt: number,
    public readonly registration: AgentRegistration,
    /** The account and region the agent registered in; only requests from there see it. */
    public readonly scope: Scope,
  ) {}

  public serves(capabilityArn: string): boolean {
    return this.registration.capabilityArns.includes(capabilityArn);
  }

  /**
   * Takes one UpdateAgentStatus. Applying the same report again leaves the same state, which is
   * what makes the operation idempotent; it is still counted in `statusReports`.
   */
  public receiveStatus(report: AgentStatusReport, at: number): void {
    this.reports.push({ ...report, at });
    this.aggregateStatus = report.aggregateStatus;
    if (report.aggregateStatus === 'SUCCESS' || report.aggregateStatus === 'ACTIVE') this.dataPlaneUp = true;
    for (const component of report.componentStatuses) this.componentStatusByCapability.set(component.capabilityArn, component.status);
  }

  /**
   * The tasking document GetAgentConfiguration returns. The real document's format is not public;
   * the emulator's names the agent and its capabilities and never has tasks (it schedules no contacts).
   */
  public readConfiguration(): string {
    this.configurationReads += 1;
    return JSON.stringify({ schema: 'local-emulator/1', agentId: this.agentId, capabilityArns: this.registration.capabilityArns, tasks: [] });
  }

  /** What the health model sees of this agent for an endpoint of the group with ARN `capabilityArn`. */
  public servingView(capabilityArn: string): ServingAgent {
    return {
      agentId: this.agentId,
      registeredAt: this.registeredAt,
      publicIpAddresses: this.registration.publicIpAddresses,
      aggregateStatus: this.aggregateStatus,
      dataPlaneUp: this.dataPlaneUp,
      componentStatus: this.componentStatusByCapability.get(capabilityArn),
    };
  }

  public snapshot(): GroundStationAgentSnapshot {
    return {
      ...this.registration,
      agentId: this.agentId,
      registeredAt: this.registeredAt,
      aggregateStatus: this.aggregateStatus,
      dataPlaneUp: this.dataPlaneUp,
      componentStatusByCapability: Object.fromEntries(this.componentStatusByCapability),
      statusReports: [...this.reports],
      taskIds: [...new Set(this.reports.map((report) => report.taskId))],
      configurationReads: this.configurationReads,
    };
  }
}
