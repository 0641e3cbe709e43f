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

/** The AWS Ground Station Agent endpoints of a group, with what the agents report. */
export async function agentEndpoints(groupId: string): Promise<AgentEndpointView[]> {
  const group = await groundStationClient().send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: groupId }));
  return (group.endpointsDetails ?? [])
    .filter((details) => details.awsGroundStationAgentEndpoint !== undefined)
    .map((details, index) => ({
      name: details.awsGroundStationAgentEndpoint?.name ?? `endpoint ${index + 1}`,
      healthStatus: details.healthStatus,
      healthReasons: details.healthReasons,
      agentStatus: details.awsGroundStationAgentEndpoint?.agentStatus,
      auditResults: details.awsGroundStationAgentEndpoint?.auditResults,
    }));
}

export function groundStationFailure(groupId: string, error: unknown): TerminalError {
  return new TerminalError(`Could not read dataflow endpoint group ${groupId}: ${describeError(error)}`);
}
