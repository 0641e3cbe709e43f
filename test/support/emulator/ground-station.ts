import type { ScaledClock } from '../clock';
import { RegisteredAgent, type AgentRegistration, type AgentStatusReport, type GroundStationAgentSnapshot } from './ground-station-agents';
import { describeHealth, observeEndpointHealth, type EndpointHealth, type EndpointHealthOverride } from './ground-station-health';
import {
  agentEndpointDetails, CAPABILITY_HEALTH, CAPABILITY_HEALTH_REASONS, dataflowEndpointGroupArn, downlinkEndpointDetails, GROUND_STATION_SERVICE,
  groundStationError, type AgentEndpointMember, type AgentStatus, type ComponentStatus, type CreateEndpointDetailsInput, type DownlinkAgentEndpoint,
  type EndpointDetailsInput, type UplinkAgentEndpoint,
} from './ground-station-shapes';
import {
  groundStationValidator, validateCreateDataflowEndpointGroup, validateCreateDataflowEndpointGroupV2, validateRegisterAgent,
  validateUpdateAgentStatus, validateUuid,
} from './ground-station-validation';
import { tagKeysOf, type AwsOperation, type OperationRequest, type ResourceTarget } from './protocol';
import type { SeededRandom } from './random';
import type { DeviceEventLog, GroundStationHealthCause } from './records';
import { inScope, scopeOf, type Scope } from './scope';

export interface GroundStationEmulatorOptions {
  readonly clock: ScaledClock;
  /** Source of group and agent ids. */
  readonly random: SeededRandom;
  readonly events: DeviceEventLog;
  /** Home region of groups the test helpers create; default us-east-1. Requests see the groups and agents of their own region. */
  readonly region?: string;
  /** Home account; default 123456789012. Requests see the groups and agents of their principal's account. */
  readonly accountId?: string;
  /** Whether an agent whose public IPs miss an endpoint's ingress address makes it UNVERIFIED_IP_OWNERSHIP, then INVALID_IP_OWNERSHIP; default true. */
  readonly verifyIpOwnership?: boolean;
  /** How long (simulated ms) such an address is UNVERIFIED before it is INVALID; default DEFAULT_IP_VALIDATION_MS. */
  readonly ipValidationMs?: number;
  /** How long (simulated ms) after its last report a silenced agent's registration lapses; default DEFAULT_AGENT_SILENCE_MS. */
  readonly agentSilenceMs?: number;
}

/** Simulated ms the service takes to find that an agent's address is not its own (undocumented: an assumption). */
export const DEFAULT_IP_VALIDATION_MS = 60_000;
/**
 * Simulated ms after an agent stopped reporting until the service treats it as no longer
 * registered (NO_REGISTERED_AGENT, as for a stopped receiver instance); undocumented: an assumption.
 */
export const DEFAULT_AGENT_SILENCE_MS = 300_000;

/** Input of the `createDataflowEndpointGroup` test helper; validated like CreateDataflowEndpointGroup. */
export interface CreateDataflowEndpointGroupInput {
  /** Default: one agent endpoint, `agentEndpointDetails('emulated-endpoint-<n>')`. */
  readonly endpointDetails?: readonly EndpointDetailsInput[];
  readonly contactPrePassDurationSeconds?: number;
  readonly contactPostPassDurationSeconds?: number;
  readonly tags?: Record<string, string>;
  /** Default: the emulator's home region. */
  readonly region?: string;
  /** Default: the emulator's home account. */
  readonly accountId?: string;
}

/** Input of the `createDataflowEndpointGroupV2` test helper; validated like CreateDataflowEndpointGroupV2. */
export interface CreateDataflowEndpointGroupV2Input {
  /** Default: one downlink agent endpoint, `downlinkEndpointDetails('emulated-endpoint-<n>')`. */
  readonly endpoints?: readonly CreateEndpointDetailsInput[];
  readonly contactPrePassDurationSeconds?: number;
  readonly contactPostPassDurationSeconds?: number;
  readonly tags?: Record<string, string>;
  /** Default: the emulator's home region. */
  readonly region?: string;
  /** Default: the emulator's home account. */
  readonly accountId?: string;
}

export interface CreatedDataflowEndpointGroup {
  readonly id: string;
  readonly arn: string;
}

/** Observed health of one agent endpoint, with what identifies it. */
export interface AgentEndpointHealth extends EndpointHealth {
  readonly name: string;
  /** The `EndpointDetails` member that holds it: a V1 agent endpoint, or a V2 uplink or downlink one. */
  readonly member: AgentEndpointMember;
  /**
   * The agent's public address that Ground Station exchanges data with, whose ownership the
   * service verifies: a V1 endpoint's `ingressAddress`, a V2 endpoint's `agentIpAndPortAddress`.
   */
  readonly ingressAddress: string;
}

export interface DataflowEndpointGroupSnapshot {
  /** The operation that created the group. */
  readonly createdWith: GroupCreateOperation;
  readonly dataflowEndpointGroupId: string;
  readonly dataflowEndpointGroupArn: string;
  readonly contactPrePassDurationSeconds?: number;
  readonly contactPostPassDurationSeconds?: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Simulated epoch ms. */
  readonly creationTime: number;
  /** `endpointsDetails` exactly as GetDataflowEndpointGroup would answer now. */
  readonly endpointsDetails: ReadonlyArray<Record<string, unknown>>;
  /** The AWS Ground Station Agent endpoints and their observed health, in group order. */
  readonly agentEndpoints: readonly AgentEndpointHealth[];
}

type GroupCreateOperation = 'CreateDataflowEndpointGroup' | 'CreateDataflowEndpointGroupV2';

/** One stored `EndpointDetails` item without output-only members: a V1 item, or a V2 uplink or downlink endpoint. */
interface StoredEndpointDetails extends EndpointDetailsInput {
  readonly uplinkAwsGroundStationAgentEndpoint?: UplinkAgentEndpoint;
  readonly downlinkAwsGroundStationAgentEndpoint?: DownlinkAgentEndpoint;
}

/** An AWS Ground Station Agent endpoint of any kind, reduced to what the health model needs. */
interface AgentEndpointRef {
  readonly member: AgentEndpointMember;
  readonly name: string;
  /** See AgentEndpointHealth.ingressAddress. */
  readonly address: string;
}

interface GroupRecord extends Scope {
  readonly id: string;
  readonly arn: string;
  readonly createdWith: GroupCreateOperation;
  readonly creationTime: number;
  readonly endpointDetails: readonly StoredEndpointDetails[];
  readonly contactPrePassDurationSeconds?: number;
  readonly contactPostPassDurationSeconds?: number;
  readonly tags: Record<string, string>;
  /** Health last recorded in the event log, per agent endpoint name (see `describeHealth`). */
  readonly observed: Map<string, string>;
}

interface ActiveOverride extends EndpointHealthOverride {
  readonly groupId: string;
  readonly endpointName: string;
  /** Simulated epoch ms the override ends; undefined: until cleared. */
  readonly expiresAt?: number;
}

/**
 * The emulated AWS Ground Station control plane for dataflow endpoint groups and the agent
 * operations (RegisterAgent, GetAgentConfiguration, UpdateAgentStatus), with the observed health of
 * agent endpoints following the agents (ground-station-health.ts) and the API tests use to set up,
 * disturb and inspect it. The agents themselves are clients: see SimulatedGroundStationAgent.
 *
 * Health changes only when a request or helper changes state, except when an override with a
 * duration ends; that is settled lazily like the other services' device reports, and recorded
 * with the instant it ended.
 */
export class GroundStationEmulator {
  public readonly region: string;
  public readonly accountId: string;

  private readonly clock: ScaledClock;
  private readonly random: SeededRandom;
  private readonly events: DeviceEventLog;
  private readonly initialVerifyIpOwnership: boolean;
  private verifyIpOwnership: boolean;
  private readonly groups = new Map<string, GroupRecord>();
  /** In registration order, which decides which agent an endpoint follows. */
  private readonly registeredAgents = new Map<string, RegisteredAgent>();
  private readonly overrides = new Map<string, ActiveOverride>();
  private readonly ipValidationMs: number;
  private readonly agentSilenceMs: number;
  /** Agents that stopped reporting, and when their registration lapses (simulated epoch ms). */
  private readonly silenced = new Map<string, number>();
  /** Dataflow endpoint groups per account and region that CreateDataflowEndpointGroupV2 allows; undefined: no limit. */
  private groupQuota: number | undefined;
  /** Validations that ended up to this instant have been settled. */
  private validationsSettledUntil: number;
  private groupsCreated = 0;

  constructor(options: GroundStationEmulatorOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.events = options.events;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.initialVerifyIpOwnership = options.verifyIpOwnership ?? true;
    this.verifyIpOwnership = this.initialVerifyIpOwnership;
    this.ipValidationMs = options.ipValidationMs ?? DEFAULT_IP_VALIDATION_MS;
    this.agentSilenceMs = options.agentSilenceMs ?? DEFAULT_AGENT_SILENCE_MS;
    this.validationsSettledUntil = options.clock.now();
    this.events.addSettler(() => this.settleAll());
  }

  // ---- test-facing API -------------------------------------------------------------------------

  /** Creates a dataflow endpoint group directly (no HTTP). */
  public createDataflowEndpointGroup(input: CreateDataflowEndpointGroupInput = {}): CreatedDataflowEndpointGroup {
    const now = this.clock.now();
    this.settle(now);
    const group = this.addGroup({
      endpointDetails: input.endpointDetails ?? [agentEndpointDetails(`emulated-endpoint-${this.groupsCreated + 1}`)],
      contactPrePassDurationSeconds: input.contactPrePassDurationSeconds,
      contactPostPassDurationSeconds: input.contactPostPassDurationSeconds,
      tags: input.tags,
    }, now, { region: input.region ?? this.region, accountId: input.accountId ?? this.accountId });
    return { id: group.id, arn: group.arn };
  }

  /**
   * Creates a dataflow endpoint group directly as CreateDataflowEndpointGroupV2 would (no HTTP):
   * validated like it, and refused like it when the group quota is reached.
   */
  public createDataflowEndpointGroupV2(input: CreateDataflowEndpointGroupV2Input = {}): CreatedDataflowEndpointGroup {
    const now = this.clock.now();
    this.settle(now);
    const group = this.addGroupV2({
      endpoints: input.endpoints ?? [downlinkEndpointDetails(`emulated-endpoint-${this.groupsCreated + 1}`)],
      contactPrePassDurationSeconds: input.contactPrePassDurationSeconds,
      contactPostPassDurationSeconds: input.contactPostPassDurationSeconds,
      tags: input.tags,
    }, now, { region: input.region ?? this.region, accountId: input.accountId ?? this.accountId });
    return { id: group.id, arn: group.arn };
  }

  /**
   * Sets how many dataflow endpoint groups an account may have per region before
   * CreateDataflowEndpointGroupV2 answers ServiceQuotaExceededException (402); undefined: no limit
   * (the default). CreateDataflowEndpointGroup does not model the error and is never refused.
   */
  public setDataflowEndpointGroupQuota(limit: number | undefined): void {
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new Error(`the group quota must be a whole number >= 0, got ${limit}`);
    this.groupQuota = limit;
  }

  public group(groupId: string): DataflowEndpointGroupSnapshot | undefined {
    this.settleAll();
    const group = this.groups.get(groupId);
    return group && {
      ...this.describeGroup(group),
      createdWith: group.createdWith,
      creationTime: group.creationTime,
      agentEndpoints: agentEndpointsOf(group).map((endpoint) => ({
        name: endpoint.name,
        member: endpoint.member,
        ingressAddress: endpoint.address,
        ...this.healthOf(group, endpoint),
      })),
    };
  }

  public groupIds(): string[] {
    return [...this.groups.keys()];
  }

  /** Observed health of one agent endpoint; throws if there is no such group or endpoint. */
  public endpointHealth(groupId: string, endpointName: string): EndpointHealth {
    this.settleAll();
    const group = this.requireGroup(groupId);
    return this.healthOf(group, requireAgentEndpoint(group, endpointName));
  }

  /** Every registered agent, in registration order. */
  public agents(): GroundStationAgentSnapshot[] {
    return [...this.registeredAgents.values()].map((agent) => agent.snapshot());
  }

  public agent(agentId: string): GroundStationAgentSnapshot | undefined {
    return this.registeredAgents.get(agentId)?.snapshot();
  }

  /** Deletes a group behind the deployment's back, e.g. someone deleted it in the console. */
  public deleteGroupOutOfBand(groupId: string): void {
    const now = this.clock.now();
    this.settle(now);
    this.removeGroup(this.requireGroup(groupId), now);
  }

  /** Forgets an agent registration, e.g. its instance was terminated; its endpoints follow the previous agent, or none. */
  public deregisterAgentOutOfBand(agentId: string): void {
    const now = this.clock.now();
    this.settle(now);
    if (!this.registeredAgents.delete(agentId)) throw new Error(`the Ground Station emulator has no agent ${agentId}`);
    this.refresh(now, 'deregistered', agentId);
  }

  /**
   * The agent stops reporting (its process or instance stopped) without deregistering: until
   * `agentSilenceMs` after its last report its endpoints show what they showed; then its
   * registration lapses, as when its instance is stopped (NO_REGISTERED_AGENT, or the agent that
   * registered before it), recorded with cause `agent-silent`, and calls with its id are
   * ResourceNotFoundException. A report before the lapse means it is running again (no longer silent).
   */
  public silenceAgentOutOfBand(agentId: string): void {
    const now = this.clock.now();
    this.settle(now);
    const agent = this.registeredAgents.get(agentId);
    if (!agent) throw new Error(`the Ground Station emulator has no agent ${agentId}`);
    const lastReport = agent.snapshot().statusReports.slice(-1)[0]?.at ?? agent.registeredAt;
    this.silenced.set(agentId, Math.max(now, lastReport + this.agentSilenceMs));
  }

  /**
   * Forces healthStatus and healthReasons of one agent endpoint, for reasons no agent can cause
   * (INVALID_IP_OWNERSHIP, NOT_AUTHORIZED_TO_CREATE_SLR, UNVERIFIED_IP_OWNERSHIP), for `durationMs`
   * simulated ms or until cleared. Replaces an earlier override of the same endpoint.
   */
  public setEndpointHealthOverride(groupId: string, endpointName: string, override: EndpointHealthOverride): void {
    const group = this.requireGroup(groupId);
    requireAgentEndpoint(group, endpointName);
    const unknown = override.healthReasons.filter((reason) => !(CAPABILITY_HEALTH_REASONS as readonly string[]).includes(reason));
    if (unknown.length > 0) throw new Error(`not CapabilityHealthReason values: ${unknown.join(', ')}`);
    if (override.healthStatus !== undefined && !(CAPABILITY_HEALTH as readonly string[]).includes(override.healthStatus)) {
      throw new Error(`not a CapabilityHealth value: ${override.healthStatus}`);
    }
    if (override.durationMs !== undefined && !(override.durationMs > 0)) throw new Error('durationMs must be > 0');
    const now = this.clock.now();
    this.settle(now);
    this.overrides.set(overrideKey(groupId, endpointName), {
      ...override,
      groupId,
      endpointName,
      expiresAt: override.durationMs === undefined ? undefined : now + override.durationMs,
    });
    this.refresh(now, 'override');
  }

  public clearEndpointHealthOverride(groupId: string, endpointName: string): void {
    const now = this.clock.now();
    this.settle(now);
    this.overrides.delete(overrideKey(groupId, endpointName));
    this.refresh(now, 'override');
  }

  /** Switches the UNVERIFIED_IP_OWNERSHIP check of agents' public IPs against ingress addresses (on by default). */
  public setIpOwnershipVerification(enabled: boolean): void {
    const now = this.clock.now();
    this.settle(now);
    this.verifyIpOwnership = enabled;
    this.refresh(now, 'ip-verification');
  }

  /** Forgets all groups, agents and overrides and restores the initial IP ownership switch. */
  public reset(): void {
    this.groups.clear();
    this.registeredAgents.clear();
    this.overrides.clear();
    this.silenced.clear();
    this.groupsCreated = 0;
    this.groupQuota = undefined;
    this.verifyIpOwnership = this.initialVerifyIpOwnership;
    this.validationsSettledUntil = this.clock.now();
  }

  /** Ends the overrides whose time is up and the IP address validations that finished. */
  public settleAll(): void {
    this.settle(this.clock.now());
  }

  // ---- operations ------------------------------------------------------------------------------

  /**
   * The operation table registered with the HTTP server (method and path from the model's http
   * traits; all answer 200). IAM (Service Authorization Reference, list_groundstation): group
   * operations act on `DataflowEndpointGroup*`, `arn:aws:groundstation:<region>:<account>:dataflow-endpoint-group/<id>`
   * (with `aws:ResourceTag/<key>`), agent operations on `Agent*`, `...:agent/<agentId>`;
   * CreateDataflowEndpointGroup, CreateDataflowEndpointGroupV2 and RegisterAgent have no resource
   * type (`*`); CreateDataflowEndpointGroupV2 evaluates `aws:RequestTag/<key>` and `aws:TagKeys`.
   */
  public operations(): AwsOperation[] {
    const service = GROUND_STATION_SERVICE.signingName;
    const operation = (
      name: string, method: AwsOperation['method'], path: string, handler: (request: OperationRequest) => unknown, resource?: AwsOperation['resource'],
    ): AwsOperation => ({
      service,
      name,
      method,
      path,
      successStatus: 200,
      handler: (request) => {
        this.settle(request.now);
        return handler(request);
      },
      ...(resource ? { resource } : {}),
    });
    const groupResource = (r: OperationRequest) => this.groupResource(r);
    const agentResource = (r: OperationRequest): ResourceTarget => ({
      arn: `arn:aws:groundstation:${r.region}:${r.accountId}:agent/${r.labels.agentId}`,
      keys: { 'groundstation:AgentId': r.labels.agentId },
    });
    return [
      operation('CreateDataflowEndpointGroup', 'POST', '/dataflowEndpointGroup', (r) => this.onCreateGroup(r)),
      operation('CreateDataflowEndpointGroupV2', 'POST', '/dataflowEndpointGroupV2', (r) => this.onCreateGroupV2(r), (r) => ({
        arn: '*',
        keys: tagKeysOf(isPlainObject(r.body.tags) ? r.body.tags : undefined),
      })),
      operation('GetDataflowEndpointGroup', 'GET', '/dataflowEndpointGroup/{dataflowEndpointGroupId}', (r) => this.onGetGroup(r), groupResource),
      operation('DeleteDataflowEndpointGroup', 'DELETE', '/dataflowEndpointGroup/{dataflowEndpointGroupId}', (r) => this.onDeleteGroup(r), groupResource),
      operation('RegisterAgent', 'POST', '/agent', (r) => this.onRegisterAgent(r)),
      operation('GetAgentConfiguration', 'GET', '/agent/{agentId}/configuration', (r) => this.onGetAgentConfiguration(r), agentResource),
      operation('UpdateAgentStatus', 'PUT', '/agent/{agentId}', (r) => this.onUpdateAgentStatus(r), agentResource),
    ];
  }

  /** The group ARN in the caller's account and region (formed from the id), with the group's tags if it exists there. */
  private groupResource(request: OperationRequest): ResourceTarget {
    const groupId = request.labels.dataflowEndpointGroupId;
    const scope = scopeOf(request);
    const group = this.groups.get(groupId);
    return {
      arn: dataflowEndpointGroupArn(scope.region, scope.accountId, groupId),
      tags: group && inScope(group, scope) ? group.tags : undefined,
      keys: { 'groundstation:DataflowEndpointGroupId': groupId },
    };
  }

  private onCreateGroup(request: OperationRequest): unknown {
    return { dataflowEndpointGroupId: this.addGroup(request.body, request.now, scopeOf(request)).id };
  }

  private onCreateGroupV2(request: OperationRequest): unknown {
    return { dataflowEndpointGroupId: this.addGroupV2(request.body, request.now, scopeOf(request)).id };
  }

  private onGetGroup(request: OperationRequest): unknown {
    return this.describeGroup(this.findGroup(request.labels.dataflowEndpointGroupId, scopeOf(request)));
  }

  private onDeleteGroup(request: OperationRequest): unknown {
    const { labels, now } = request;
    const group = this.findGroup(labels.dataflowEndpointGroupId, scopeOf(request));
    this.removeGroup(group, now);
    return { dataflowEndpointGroupId: group.id };
  }

  private onRegisterAgent(request: OperationRequest): unknown {
    const { body, now } = request;
    const validator = groundStationValidator();
    validateRegisterAgent(validator, body);
    validator.throwIfInvalid();
    const discovery = body.discoveryData as Record<string, readonly string[]>;
    const details = body.agentDetails as Record<string, unknown>;
    const registration: AgentRegistration = {
      publicIpAddresses: [...discovery.publicIpAddresses],
      privateIpAddresses: [...discovery.privateIpAddresses],
      capabilityArns: [...discovery.capabilityArns],
      agentVersion: details.agentVersion as string,
      instanceId: details.instanceId as string,
      instanceType: details.instanceType as string,
      ...(details.agentCpuCores === undefined ? {} : { agentCpuCores: details.agentCpuCores as number[] }),
      componentVersions: details.componentVersions as AgentRegistration['componentVersions'],
    };
    let agentId = this.random.uuidV4();
    while (this.registeredAgents.has(agentId)) agentId = this.random.uuidV4();
    this.registeredAgents.set(agentId, new RegisteredAgent(agentId, now, registration, scopeOf(request)));
    this.refresh(now, 'registered', agentId);
    return { agentId };
  }

  private onGetAgentConfiguration(request: OperationRequest): unknown {
    const agent = this.findAgent(request.labels.agentId, scopeOf(request));
    return { agentId: agent.agentId, taskingDocument: agent.readConfiguration() };
  }

  private onUpdateAgentStatus(request: OperationRequest): unknown {
    const { labels, body, now } = request;
    const validator = groundStationValidator();
    validateUpdateAgentStatus(validator, labels.agentId, body);
    validator.throwIfInvalid();
    const agent = this.findAgent(labels.agentId, scopeOf(request));
    const aggregate = body.aggregateStatus as { status: AgentStatus; signatureMap?: Record<string, boolean> };
    const report: AgentStatusReport = {
      taskId: body.taskId as string,
      aggregateStatus: aggregate.status,
      ...(aggregate.signatureMap === undefined ? {} : { signatureMap: aggregate.signatureMap }),
      componentStatuses: body.componentStatuses as ComponentStatus[],
    };
    agent.receiveStatus(report, now);
    // A silenced agent that reports again is running again.
    this.silenced.delete(agent.agentId);
    this.refresh(now, 'status-report', agent.agentId);
    return { agentId: agent.agentId };
  }

  // ---- state -----------------------------------------------------------------------------------

  private addGroup(body: Record<string, unknown>, now: number, scope: Scope): GroupRecord {
    const validator = groundStationValidator();
    validateCreateDataflowEndpointGroup(validator, body);
    validator.throwIfInvalid();
    return this.storeGroup('CreateDataflowEndpointGroup', (body.endpointDetails as EndpointDetailsInput[]).map(storedEndpointDetails), body, now, scope);
  }

  /** CreateDataflowEndpointGroupV2: the model's validation, then the group quota (assumed to count V1 and V2 groups alike). */
  private addGroupV2(body: Record<string, unknown>, now: number, scope: Scope): GroupRecord {
    const validator = groundStationValidator();
    validateCreateDataflowEndpointGroupV2(validator, body);
    validator.throwIfInvalid();
    const existing = [...this.groups.values()].filter((group) => inScope(group, scope)).length;
    if (this.groupQuota !== undefined && existing >= this.groupQuota) {
      throw groundStationError('serviceQuotaExceeded',
        `Request would cause a service quota to be exceeded: at most ${this.groupQuota} dataflow endpoint groups per account and region`);
    }
    return this.storeGroup('CreateDataflowEndpointGroupV2', (body.endpoints as CreateEndpointDetailsInput[]).map(storedEndpointV2), body, now, scope);
  }

  private storeGroup(
    createdWith: GroupCreateOperation, endpointDetails: StoredEndpointDetails[], body: Record<string, unknown>, now: number, scope: Scope,
  ): GroupRecord {
    let id = this.random.uuidV4();
    while (this.groups.has(id)) id = this.random.uuidV4();
    const group: GroupRecord = {
      ...scope,
      id,
      arn: dataflowEndpointGroupArn(scope.region, scope.accountId, id),
      createdWith,
      creationTime: now,
      endpointDetails,
      ...(body.contactPrePassDurationSeconds === undefined ? {} : { contactPrePassDurationSeconds: body.contactPrePassDurationSeconds as number }),
      ...(body.contactPostPassDurationSeconds === undefined ? {} : { contactPostPassDurationSeconds: body.contactPostPassDurationSeconds as number }),
      tags: { ...(body.tags as Record<string, string> | undefined) },
      observed: new Map(),
    };
    this.groups.set(id, group);
    this.groupsCreated += 1;
    this.refresh(now, 'created');
    return group;
  }

  private removeGroup(group: GroupRecord, now: number): void {
    this.groups.delete(group.id);
    for (const endpoint of agentEndpointsOf(group)) {
      this.overrides.delete(overrideKey(group.id, endpoint.name));
      this.record(group, endpoint.name, now, 'DELETED', 'deleted');
    }
  }

  /**
   * Ends, in time order, every override whose time is up at `now` and every IP address validation
   * that finished by then, each at the instant it happened.
   */
  private settle(now: number): void {
    const changes: Array<{ at: number; apply: () => void }> = [];
    for (const [key, override] of this.overrides) {
      if (override.expiresAt === undefined || override.expiresAt > now) continue;
      changes.push({
        at: override.expiresAt,
        apply: () => {
          this.overrides.delete(key);
          this.refresh(override.expiresAt as number, 'override-expired');
        },
      });
    }
    for (const [agentId, lapsesAt] of this.silenced) {
      if (lapsesAt > now) continue;
      changes.push({
        at: lapsesAt,
        apply: () => {
          this.silenced.delete(agentId);
          this.registeredAgents.delete(agentId);
          this.refresh(lapsesAt, 'agent-silent', agentId);
        },
      });
    }
    for (const agent of this.registeredAgents.values()) {
      const validated = agent.registeredAt + this.ipValidationMs;
      if (validated <= this.validationsSettledUntil || validated > now) continue;
      changes.push({ at: validated, apply: () => this.refresh(validated, 'ip-verification') });
    }
    changes.sort((a, b) => a.at - b.at).forEach((change) => change.apply());
    this.validationsSettledUntil = Math.max(this.validationsSettledUntil, now);
  }

  /** Recomputes every agent endpoint's health as of `at` and records those that changed. */
  private refresh(at: number, cause: GroundStationHealthCause, agentId?: string): void {
    for (const group of this.groups.values()) {
      for (const endpoint of agentEndpointsOf(group)) {
        const health = this.healthOf(group, endpoint, at);
        // An agent is named only where the change is its doing, i.e. the endpoint follows it (or did, before deregistration).
        const blame = agentId !== undefined && (health.agentId === agentId || cause === 'deregistered' || cause === 'agent-silent') ? agentId : undefined;
        this.record(group, endpoint.name, at, describeHealth(health), cause, blame);
      }
    }
  }

  private record(group: GroupRecord, endpointName: string, at: number, to: string, cause: GroundStationHealthCause, agentId?: string): void {
    const from = group.observed.get(endpointName);
    if (from === to) return;
    group.observed.set(endpointName, to);
    this.events.record({
      service: 'groundstation',
      at,
      dataflowEndpointGroupId: group.id,
      endpointName,
      from,
      to,
      cause,
      ...(agentId === undefined ? {} : { agentId }),
    });
  }

  private healthOf(group: GroupRecord, endpoint: AgentEndpointRef, at: number = this.clock.now()): EndpointHealth {
    return observeEndpointHealth({
      ingressAddress: endpoint.address,
      agent: this.servingAgent(group.arn)?.servingView(group.arn),
      override: this.overrides.get(overrideKey(group.id, endpoint.name)),
      verifyIpOwnership: this.verifyIpOwnership,
      ipValidationMs: this.ipValidationMs,
      at,
    });
  }

  /** The agent that registered last with `capabilityArn` among its capabilities. */
  private servingAgent(capabilityArn: string): RegisteredAgent | undefined {
    let latest: RegisteredAgent | undefined;
    for (const agent of this.registeredAgents.values()) if (agent.serves(capabilityArn)) latest = agent;
    return latest;
  }

  private describeGroup(group: GroupRecord): Omit<DataflowEndpointGroupSnapshot, 'createdWith' | 'creationTime' | 'agentEndpoints'> {
    return {
      dataflowEndpointGroupId: group.id,
      dataflowEndpointGroupArn: group.arn,
      endpointsDetails: group.endpointDetails.map((details) => this.describeEndpointDetails(group, details)),
      ...(group.contactPrePassDurationSeconds === undefined ? {} : { contactPrePassDurationSeconds: group.contactPrePassDurationSeconds }),
      ...(group.contactPostPassDurationSeconds === undefined ? {} : { contactPostPassDurationSeconds: group.contactPostPassDurationSeconds }),
      tags: { ...group.tags },
    };
  }

  /**
   * One `EndpointDetails` of GetDataflowEndpointGroup. An agent endpoint, V1 or V2, comes back in
   * the member it was created as, with `agentStatus` and `auditResults` inside it and
   * `healthStatus` and `healthReasons` beside it (for V2 endpoints an assumption: see ASSUMPTIONS.md).
   */
  private describeEndpointDetails(group: GroupRecord, details: StoredEndpointDetails): Record<string, unknown> {
    const security = details.securityDetails === undefined ? {} : { securityDetails: details.securityDetails };
    const agentEndpoint = agentEndpointOf(details);
    if (!agentEndpoint) {
      // Assumption: an endpoint reached through network interfaces is ready once created and has no health of its own.
      return { endpoint: { ...details.endpoint, status: 'created' }, ...security };
    }
    const health = this.healthOf(group, agentEndpoint);
    return {
      [agentEndpoint.member]: {
        ...details[agentEndpoint.member],
        ...(health.agentStatus === undefined ? {} : { agentStatus: health.agentStatus }),
        ...(health.auditResults === undefined ? {} : { auditResults: health.auditResults }),
      },
      ...security,
      healthStatus: health.healthStatus,
      healthReasons: [...health.healthReasons],
    };
  }

  private findGroup(groupId: string, scope: Scope): GroupRecord {
    const validator = groundStationValidator();
    validateUuid(validator, 'dataflowEndpointGroupId', groupId);
    validator.throwIfInvalid();
    const group = this.groups.get(groupId);
    if (!group || !inScope(group, scope)) throw groundStationError('resourceNotFound', `Dataflow endpoint group ${groupId} not found`);
    return group;
  }

  private findAgent(agentId: string, scope: Scope): RegisteredAgent {
    const validator = groundStationValidator();
    validateUuid(validator, 'agentId', agentId);
    validator.throwIfInvalid();
    const agent = this.registeredAgents.get(agentId);
    if (!agent || !inScope(agent.scope, scope)) throw groundStationError('resourceNotFound', `Agent ${agentId} not found`);
    return agent;
  }

  private requireGroup(groupId: string): GroupRecord {
    const group = this.groups.get(groupId);
    if (!group) throw new Error(`the Ground Station emulator has no dataflow endpoint group ${groupId}`);
    return group;
  }
}

function agentEndpointsOf(group: GroupRecord): AgentEndpointRef[] {
  return group.endpointDetails.flatMap((details) => agentEndpointOf(details) ?? []);
}

/** The AWS Ground Station Agent endpoint an item holds, of whichever kind; undefined for a dataflow endpoint. */
function agentEndpointOf(details: StoredEndpointDetails): AgentEndpointRef | undefined {
  if (details.awsGroundStationAgentEndpoint) {
    const endpoint = details.awsGroundStationAgentEndpoint;
    return { member: 'awsGroundStationAgentEndpoint', name: endpoint.name, address: endpoint.ingressAddress.socketAddress.name };
  }
  const v2 = details.uplinkAwsGroundStationAgentEndpoint ?? details.downlinkAwsGroundStationAgentEndpoint;
  if (!v2) return undefined;
  return {
    member: details.uplinkAwsGroundStationAgentEndpoint ? 'uplinkAwsGroundStationAgentEndpoint' : 'downlinkAwsGroundStationAgentEndpoint',
    name: v2.name,
    address: v2.dataflowDetails.agentConnectionDetails.agentIpAndPortAddress.socketAddress.name,
  };
}

function requireAgentEndpoint(group: GroupRecord, endpointName: string): AgentEndpointRef {
  const endpoint = agentEndpointsOf(group).find((candidate) => candidate.name === endpointName);
  if (!endpoint) throw new Error(`dataflow endpoint group ${group.id} has no AWS Ground Station Agent endpoint named ${endpointName}`);
  return endpoint;
}

/** The members of a validated `endpointDetails` item the group keeps: output-only members (health, agent status, endpoint status) go. */
function storedEndpointDetails(details: EndpointDetailsInput): EndpointDetailsInput {
  const agentEndpoint = details.awsGroundStationAgentEndpoint;
  const endpoint = details.endpoint;
  return {
    ...(agentEndpoint === undefined ? {} : {
      awsGroundStationAgentEndpoint: {
        name: agentEndpoint.name,
        egressAddress: agentEndpoint.egressAddress,
        ingressAddress: agentEndpoint.ingressAddress,
      },
    }),
    ...(endpoint === undefined ? {} : {
      endpoint: {
        ...(endpoint.name === undefined ? {} : { name: endpoint.name }),
        ...(endpoint.address === undefined ? {} : { address: endpoint.address }),
        ...(endpoint.mtu === undefined ? {} : { mtu: endpoint.mtu }),
      },
    }),
    ...(details.securityDetails === undefined ? {} : { securityDetails: details.securityDetails }),
  };
}

/**
 * The members of a validated `endpoints` item the group keeps: the endpoint's name and dataflow
 * details, each connection with only its modeled members (unknown members are dropped, as JSON
 * protocols ignore them).
 */
function storedEndpointV2(item: CreateEndpointDetailsInput): StoredEndpointDetails {
  const connection = (details: { socketAddress: unknown; mtu?: number }) => ({
    socketAddress: details.socketAddress,
    ...(details.mtu === undefined ? {} : { mtu: details.mtu }),
  });
  if (item.uplinkAwsGroundStationAgentEndpoint) {
    const { name, dataflowDetails } = item.uplinkAwsGroundStationAgentEndpoint;
    const { ingressAddressAndPort, agentIpAndPortAddress } = dataflowDetails.agentConnectionDetails;
    return {
      uplinkAwsGroundStationAgentEndpoint: {
        name,
        dataflowDetails: {
          agentConnectionDetails: {
            ingressAddressAndPort: connection(ingressAddressAndPort),
            agentIpAndPortAddress: connection(agentIpAndPortAddress),
          },
        },
      } as UplinkAgentEndpoint,
    };
  }
  const { name, dataflowDetails } = item.downlinkAwsGroundStationAgentEndpoint!;
  const { agentIpAndPortAddress, egressAddressAndPort } = dataflowDetails.agentConnectionDetails;
  return {
    downlinkAwsGroundStationAgentEndpoint: {
      name,
      dataflowDetails: {
        agentConnectionDetails: {
          agentIpAndPortAddress: connection(agentIpAndPortAddress),
          egressAddressAndPort: connection(egressAddressAndPort),
        },
      },
    } as DownlinkAgentEndpoint,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function overrideKey(groupId: string, endpointName: string): string {
  return `${groupId}\n${endpointName}`;
}
