import type { AgentStatus, AuditResults, CapabilityHealth, CapabilityHealthReason } from './ground-station-shapes';

/**
 * How the emulator derives what GetDataflowEndpointGroup shows for an AWS Ground Station Agent
 * endpoint (`healthStatus`, `healthReasons`, `awsGroundStationAgentEndpoint.agentStatus` and
 * `.auditResults`) from the agents that registered for its group and what they reported.
 *
 * AWS does not document this mapping. What is documented (Ground Station Agent user guide): the
 * agent registers on start-up with its group ARNs as `capabilityArns`, and until one has, the
 * endpoint shows NO_REGISTERED_AGENT; INITIALIZING_DATAPLANE, DATAPLANE_FAILURE and HEALTHY are
 * reasons of the model's enum. Everything else below is an emulator ASSUMPTION:
 *
 * - The endpoint follows the agent that registered last with the group's ARN among its
 *   `capabilityArns` (a restarted agent registers again, with a new agentId).
 * - No such agent: UNHEALTHY [NO_REGISTERED_AGENT], no agentStatus or auditResults.
 * - Registered, and no report yet with aggregate SUCCESS or ACTIVE: UNHEALTHY [INITIALIZING_DATAPLANE].
 * - Once a report had aggregate SUCCESS or ACTIVE the data plane is up: HEALTHY [HEALTHY] with
 *   auditResults HEALTHY. A later INACTIVE (idle between contacts) keeps it HEALTHY.
 * - The latest aggregate FAILED, or the latest status of a component whose `capabilityArn` is the
 *   group's ARN being FAILED: UNHEALTHY [DATAPLANE_FAILURE], auditResults UNHEALTHY. A later report
 *   without the failure heals it.
 * - agentStatus is the aggregate status of the agent's latest UpdateAgentStatus, once it sent one.
 * - IP ownership (on by default, `verifyIpOwnership`): if the agent's `publicIpAddresses` do not
 *   include the endpoint's ingress address, UNVERIFIED_IP_OWNERSHIP is added to the reasons while
 *   the address is being validated (`ipValidationMs` from the agent's registration), then
 *   INVALID_IP_OWNERSHIP (and auditResults is UNHEALTHY once the agent reported). The troubleshooting
 *   guide documents both reasons: UNVERIFIED "should resolve itself", INVALID means the address is
 *   not the instance's; how long validation takes is not documented.
 * - A test override replaces healthStatus and healthReasons only (agentStatus and auditResults
 *   still follow the agent): it is how a test shows reasons no agent can cause, such as
 *   INVALID_IP_OWNERSHIP or NOT_AUTHORIZED_TO_CREATE_SLR.
 */

/** What GetDataflowEndpointGroup shows for one agent endpoint, plus where it came from. */
export interface EndpointHealth {
  readonly healthStatus: CapabilityHealth;
  readonly healthReasons: readonly CapabilityHealthReason[];
  readonly agentStatus?: AgentStatus;
  readonly auditResults?: AuditResults;
  /** The agent this endpoint follows; undefined when none registered for its group. */
  readonly agentId?: string;
  /** Whether a test override set healthStatus and healthReasons. */
  readonly overridden: boolean;
}

/** What the health model needs of the agent an endpoint follows. */
export interface ServingAgent {
  readonly agentId: string;
  /** Simulated epoch ms of its registration, when the validation of its IP addresses started. */
  readonly registeredAt: number;
  readonly publicIpAddresses: readonly string[];
  /** Aggregate status of the latest UpdateAgentStatus; undefined before the first. */
  readonly aggregateStatus?: AgentStatus;
  /** Whether any report had aggregate SUCCESS or ACTIVE. */
  readonly dataPlaneUp: boolean;
  /** Latest status of a component reported for the endpoint's group ARN. */
  readonly componentStatus?: AgentStatus;
}

/** Health a test forces on an endpoint with `setEndpointHealthOverride`. */
export interface EndpointHealthOverride {
  readonly healthReasons: readonly CapabilityHealthReason[];
  /** Default: HEALTHY if every reason is HEALTHY, else UNHEALTHY. */
  readonly healthStatus?: CapabilityHealth;
  /** Simulated ms the override lasts; forever (until cleared) when omitted. */
  readonly durationMs?: number;
}

export interface EndpointHealthInput {
  /** The endpoint's ingress IPv4 address (where Ground Station sends the data). */
  readonly ingressAddress: string;
  readonly agent?: ServingAgent;
  readonly override?: EndpointHealthOverride;
  readonly verifyIpOwnership: boolean;
  /** How long after registration an address that is not the agent's stays UNVERIFIED before it is INVALID. */
  readonly ipValidationMs: number;
  /** Simulated epoch ms the health is observed at. */
  readonly at: number;
}

export function observeEndpointHealth(input: EndpointHealthInput): EndpointHealth {
  const { agent, override } = input;
  const modeled = agent ? agentHealth(agent, input) : {
    healthStatus: 'UNHEALTHY' as const,
    healthReasons: ['NO_REGISTERED_AGENT' as const],
    overridden: false,
  };
  if (!override) return modeled;
  return {
    ...modeled,
    healthStatus: override.healthStatus ?? (override.healthReasons.every((reason) => reason === 'HEALTHY') ? 'HEALTHY' : 'UNHEALTHY'),
    healthReasons: [...override.healthReasons],
    overridden: true,
  };
}

function agentHealth(agent: ServingAgent, { ingressAddress, verifyIpOwnership, ipValidationMs, at }: EndpointHealthInput): EndpointHealth {
  const reasons: CapabilityHealthReason[] = [];
  const ipUnverified = verifyIpOwnership && !agent.publicIpAddresses.includes(ingressAddress);
  if (ipUnverified) reasons.push(at < agent.registeredAt + ipValidationMs ? 'UNVERIFIED_IP_OWNERSHIP' : 'INVALID_IP_OWNERSHIP');
  const failed = agent.aggregateStatus === 'FAILED' || agent.componentStatus === 'FAILED';
  if (failed) reasons.push('DATAPLANE_FAILURE');
  else if (!agent.dataPlaneUp) reasons.push('INITIALIZING_DATAPLANE');

  let auditResults: AuditResults | undefined;
  if (agent.aggregateStatus !== undefined && (failed || ipUnverified)) auditResults = 'UNHEALTHY';
  else if (agent.dataPlaneUp) auditResults = 'HEALTHY';

  return {
    healthStatus: reasons.length === 0 ? 'HEALTHY' : 'UNHEALTHY',
    healthReasons: reasons.length === 0 ? ['HEALTHY'] : reasons,
    ...(agent.aggregateStatus === undefined ? {} : { agentStatus: agent.aggregateStatus }),
    ...(auditResults === undefined ? {} : { auditResults }),
    agentId: agent.agentId,
    overridden: false,
  };
}

/** `UNHEALTHY[NO_REGISTERED_AGENT]`, `HEALTHY[HEALTHY]/SUCCESS`: the form health changes take in the event log. */
export function describeHealth(health: Pick<EndpointHealth, 'healthStatus' | 'healthReasons' | 'agentStatus'>): string {
  const agent = health.agentStatus === undefined ? '' : `/${health.agentStatus}`;
  return `${health.healthStatus}[${health.healthReasons.join(',')}]${agent}`;
}
