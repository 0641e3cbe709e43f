import { checkDataflowEndpointGroupId, EndpointReadinessResourceProperties } from '../../src/ground-station/resource-properties';
import { checkSyncTimeoutSeconds } from '../../src/shared/rules';
import { booleanProperty, checkProperty, integerProperty, requiredString } from '../shared/properties';

export interface ReadinessSettings {
  readonly groupId: string;
  /** Agent statuses that count as ready; undefined for any but FAILED (or none reported). */
  readonly readyAgentStatuses?: readonly string[];
  readonly requireHealthyAudit: boolean;
  readonly timeoutMs: number;
}

const AGENT_STATUSES = ['SUCCESS', 'ACTIVE', 'INACTIVE'];
const DEFAULT_TIMEOUT_SECONDS = 20 * 60;

type RawProperties = Record<string, string> & Partial<EndpointReadinessResourceProperties>;

/** Parses the properties and checks the values that were tokens at synth time. */
export function parseSettings(raw: RawProperties): ReadinessSettings {
  const groupId = requiredString(raw, 'DataflowEndpointGroupId');
  checkProperty(checkDataflowEndpointGroupId(groupId));
  const timeoutSeconds = integerProperty(raw, 'TimeoutSeconds', DEFAULT_TIMEOUT_SECONDS);
  checkProperty(checkSyncTimeoutSeconds(timeoutSeconds, 'timeout'));
  let readyAgentStatuses: string[] | undefined;
  if (raw.ReadyAgentStatuses) {
    try {
      readyAgentStatuses = JSON.parse(raw.ReadyAgentStatuses);
    } catch {
      readyAgentStatuses = undefined;
    }
    if (!Array.isArray(readyAgentStatuses) || readyAgentStatuses.length === 0 || !readyAgentStatuses.every((s) => AGENT_STATUSES.includes(s))) {
      checkProperty(`readyAgentStatuses must be a list of ${AGENT_STATUSES.join(', ')}, got ${raw.ReadyAgentStatuses}`);
    }
  }
  return {
    groupId,
    readyAgentStatuses,
    requireHealthyAudit: booleanProperty(raw, 'RequireHealthyAudit', false),
    timeoutMs: timeoutSeconds * 1000,
  };
}
