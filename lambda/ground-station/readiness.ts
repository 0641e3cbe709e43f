import { ReadinessSettings } from './settings';
import { UNRECOVERABLE_HEALTH_REASONS } from '../../src/ground-station/resource-properties';

/** One AWS Ground Station Agent endpoint of a group, as GetDataflowEndpointGroup shows it. */
export interface AgentEndpointView {
  readonly name: string;
  readonly healthStatus?: string;
  readonly healthReasons?: readonly string[];
  readonly agentStatus?: string;
  readonly auditResults?: string;
}

export type EndpointVerdict =
  | { readonly state: 'ready' }
  | { readonly state: 'waiting'; readonly why: string }
  | { readonly state: 'failed'; readonly why: string };

/**
 * Whether an endpoint is ready, may still become ready, or cannot: reasons such as
 * INVALID_IP_OWNERSHIP or DATAPLANE_FAILURE and an agent reporting FAILED do not heal by
 * waiting; NO_REGISTERED_AGENT, INITIALIZING_DATAPLANE and UNVERIFIED_IP_OWNERSHIP do.
 */
export function judgeEndpoint(endpoint: AgentEndpointView, settings: ReadinessSettings): EndpointVerdict {
  const reasons = endpoint.healthReasons ?? [];
  const shown = describeEndpoint(endpoint);
  const unrecoverable = reasons.filter((reason) => UNRECOVERABLE_HEALTH_REASONS.includes(reason));
  if (unrecoverable.length > 0) return { state: 'failed', why: shown };
  if (endpoint.agentStatus === 'FAILED') return { state: 'failed', why: shown };

  const healthy = endpoint.healthStatus === 'HEALTHY';
  const auditOk = settings.requireHealthyAudit ? endpoint.auditResults === 'HEALTHY' : endpoint.auditResults !== 'UNHEALTHY';
  const agentOk = settings.readyAgentStatuses === undefined
    || (endpoint.agentStatus !== undefined && settings.readyAgentStatuses.includes(endpoint.agentStatus));
  return healthy && auditOk && agentOk ? { state: 'ready' } : { state: 'waiting', why: shown };
}

/** `name: UNHEALTHY [NO_REGISTERED_AGENT], agent FAILED, audit UNHEALTHY`, for reasons. */
export function describeEndpoint(endpoint: AgentEndpointView): string {
  const reasons = endpoint.healthReasons?.length ? ` [${endpoint.healthReasons.join(', ')}]` : '';
  const agent = endpoint.agentStatus ? `, agent ${endpoint.agentStatus}` : '';
  const audit = endpoint.auditResults ? `, audit ${endpoint.auditResults}` : '';
  return `${endpoint.name}: ${endpoint.healthStatus ?? 'no health status'}${reasons}${agent}${audit}`;
}

/** Joins per-endpoint descriptions, cut to `maxLength` so a reason stays small for large groups. */
export function listWithin(items: readonly string[], maxLength: number): string {
  let text = '';
  for (let i = 0; i < items.length; i++) {
    const next = text ? `${text}; ${items[i]}` : items[i];
    const rest = items.length - i - 1;
    if (next.length + (rest > 0 ? 20 : 0) > maxLength) return `${text}; and ${items.length - i} more`;
    text = next;
  }
  return text;
}

/**
 * The attributes for CloudFormation: per-endpoint "health/agent status" as JSON, cut to a byte
 * budget so that even a group of 500 endpoints answers well under the 4 KB response limit.
 */
export function endpointAttributes(endpoints: readonly AgentEndpointView[], budgetBytes: number = 2_000): Record<string, string> {
  const statuses: Record<string, string> = {};
  let omitted = 0;
  for (const endpoint of endpoints) {
    const candidate = { ...statuses, [endpoint.name]: `${endpoint.healthStatus ?? 'UNKNOWN'}/${endpoint.agentStatus ?? 'NOT_REPORTED'}` };
    if (Buffer.byteLength(JSON.stringify(candidate)) > budgetBytes) omitted++;
    else Object.assign(statuses, candidate);
  }
  return { EndpointCount: String(endpoints.length), EndpointStatuses: JSON.stringify(statuses), OmittedEndpointCount: String(omitted) };
}
