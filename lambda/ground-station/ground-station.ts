import { GetDataflowEndpointGroupCommand, GroundStationClient } from '@aws-sdk/client-groundstation';
import { AgentEndpointView } from './readiness';
import { describeError, isTransientAwsError, TerminalError } from '../shared/errors';

/** Ground Station's 5xx is DependencyException (531); the SDK retries it as a server error. */
export function isTransientGroundStationError(error: unknown): boolean {
  return isTransientAwsError(error, ['DependencyException']);
}

let client: GroundStationClient | undefined;

export function groundStationClient(): GroundStationClient {
  // The newest Ground Station client this registry has (3.523) predates the shared retry
  // strategy class; its own standard strategy retries throttling and 5xx, and the wait loop
  // backs off beyond that.
  client ??= new GroundStationClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  });
  return client;
}

/** What the gate reads of an AWS Ground Station Agent endpoint, V1 or V2: its name and what its agent reports. */
interface AgentEndpointDetails {
  readonly name?: string;
  readonly agentStatus?: string;
  readonly auditResults?: string;
}

/**
 * One `EndpointDetails` of GetDataflowEndpointGroup as the current service model defines it. A V1
 * group's agent endpoints are in `awsGroundStationAgentEndpoint`; a V2 group's
 * (CreateDataflowEndpointGroupV2) in `uplinkAwsGroundStationAgentEndpoint` and
 * `downlinkAwsGroundStationAgentEndpoint`, with `agentStatus` and `auditResults` inside them and
 * `healthStatus` and `healthReasons` beside them, as for V1.
 *
 * The bundled SDK (3.523) predates the V2 members and has no types for them, but they reach the
 * handler all the same: its deserializer copies `endpointsDetails` as plain JSON (smithy `_json`
 * keeps every member that is not null), and `EndpointDetails` is a structure, not a union, so no
 * SDK version folds them into `$unknown`. The handler tests run that deserializer on a V2 answer,
 * so an SDK that dropped them would fail there.
 */
export interface RawEndpointDetails {
  readonly awsGroundStationAgentEndpoint?: AgentEndpointDetails;
  readonly uplinkAwsGroundStationAgentEndpoint?: AgentEndpointDetails;
  readonly downlinkAwsGroundStationAgentEndpoint?: AgentEndpointDetails;
  readonly healthStatus?: string;
  readonly healthReasons?: readonly string[];
}

/** The members of `EndpointDetails` that hold an AWS Ground Station Agent endpoint. */
const AGENT_ENDPOINT_MEMBERS = ['awsGroundStationAgentEndpoint', 'uplinkAwsGroundStationAgentEndpoint', 'downlinkAwsGroundStationAgentEndpoint'] as const;

/** The AWS Ground Station Agent endpoints of a group, with what the agents report. */
export async function agentEndpoints(groupId: string): Promise<AgentEndpointView[]> {
  const group = await groundStationClient().send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: groupId }));
  return agentEndpointViews((group.endpointsDetails ?? []) as readonly RawEndpointDetails[]);
}

/**
 * The agent endpoints among `endpointsDetails`, in group order: V1 agent endpoints and V2 uplink
 * and downlink ones alike. Dataflow endpoints (reached through network interfaces) have no agent
 * and are left out.
 */
export function agentEndpointViews(endpointsDetails: readonly RawEndpointDetails[]): AgentEndpointView[] {
  return endpointsDetails.flatMap((details) => {
    const member = AGENT_ENDPOINT_MEMBERS.find((candidate) => isObject(details[candidate]));
    return member ? [{ member, details, endpoint: details[member]! }] : [];
  }).map(({ member, details, endpoint }, index) => ({
    name: typeof endpoint.name === 'string' ? endpoint.name : `${ENDPOINT_KINDS[member]} endpoint ${index + 1}`,
    healthStatus: details.healthStatus,
    healthReasons: details.healthReasons,
    agentStatus: endpoint.agentStatus,
    auditResults: endpoint.auditResults,
  }));
}

/** How an endpoint without a name is called in reasons. */
const ENDPOINT_KINDS: Record<typeof AGENT_ENDPOINT_MEMBERS[number], string> = {
  awsGroundStationAgentEndpoint: 'agent',
  uplinkAwsGroundStationAgentEndpoint: 'uplink agent',
  downlinkAwsGroundStationAgentEndpoint: 'downlink agent',
};

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function groundStationFailure(groupId: string, error: unknown): TerminalError {
  return new TerminalError(`Could not read dataflow endpoint group ${groupId}: ${describeError(error)}`);
}
