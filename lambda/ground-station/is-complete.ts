import { agentEndpoints, groundStationFailure, isTransientGroundStationError } from './ground-station';
import { AgentEndpointView, endpointAttributes, judgeEndpoint, listWithin } from './readiness';
import { parseSettings } from './settings';
import { SyncTimeoutError, TerminalError } from '../shared/errors';
import { InvocationContext, IsCompleteRequest, IsCompleteResponse } from '../shared/types';
import { humanDuration, PollOutcome, waitForDevice } from '../shared/wait';

/**
 * Longest list of endpoints in a reason, so that the reason with its other words stays within
 * the handlers' MAX_REASON_BYTES (shared/errors.ts) and names how many more there are.
 */
const MAX_REASON_LIST = 700;

/**
 * Waits until every AWS Ground Station Agent endpoint of the group is ready; fails at once when
 * one cannot become ready, and at the timeout with the reasons last seen per endpoint.
 */
export async function isComplete(event: IsCompleteRequest, context: InvocationContext): Promise<IsCompleteResponse> {
  const wait = event.EdgeSyncWait;
  if (!wait || wait.Mode === 'none') return { IsComplete: true };
  const settings = parseSettings(event.ResourceProperties);

  const poll = async (): Promise<PollOutcome<AgentEndpointView[]>> => {
    let endpoints: AgentEndpointView[];
    try {
      endpoints = await agentEndpoints(settings.groupId);
    } catch (error) {
      if (isTransientGroundStationError(error)) throw error;
      throw groundStationFailure(settings.groupId, error);
    }
    if (endpoints.length === 0) {
      // Nothing reports readiness: "every endpoint is ready" would hold at once, and tell nothing.
      throw new TerminalError(
        `Dataflow endpoint group ${settings.groupId} has no AWS Ground Station Agent endpoint, so no agent can report it ready. ` +
        'Give the group an awsGroundStationAgentEndpoint (a V2 group: an uplink or downlink agent endpoint), or remove the readiness gate.',
      );
    }
    const verdicts = endpoints.map((endpoint) => judgeEndpoint(endpoint, settings));
    const failed = verdicts.flatMap((v) => (v.state === 'failed' ? [v.why] : []));
    if (failed.length > 0) {
      throw new TerminalError(
        `${failed.length} AWS Ground Station Agent endpoint${failed.length === 1 ? '' : 's'} of dataflow endpoint group ${settings.groupId} ` +
        `cannot become ready: ${listWithin(failed, MAX_REASON_LIST)}`,
      );
    }
    const waiting = verdicts.flatMap((v) => (v.state === 'waiting' ? [v.why] : []));
    if (waiting.length === 0) return { done: true, result: endpoints };
    return { done: false, status: listWithin(waiting, MAX_REASON_LIST) };
  };

  const result = await waitForDevice(wait, context, poll, isTransientGroundStationError);
  switch (result.state) {
    case 'pending':
      return { IsComplete: false };
    case 'done':
      return { IsComplete: true, Data: endpointAttributes(result.result) };
    case 'timedOut':
      throw new SyncTimeoutError(
        `Timed out after ${humanDuration(wait.Deadline - wait.StartedAt)} waiting for the AWS Ground Station Agent ` +
        `endpoints of dataflow endpoint group ${settings.groupId} to be ready; last seen: ${result.lastSeen}`,
      );
  }
}
