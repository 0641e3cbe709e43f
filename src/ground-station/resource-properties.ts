/**
 * The contract between the DataflowEndpointGroupReadiness construct and its handler. No
 * imports: the handler bundle imports this file too.
 */

/** CloudFormation resource type of a readiness gate. */
export const ENDPOINT_READINESS_RESOURCE_TYPE = 'Custom::EdgeSyncDataflowEndpointGroupReadiness';

/** Dataflow endpoint group ids are UUIDs. */
export const DATAFLOW_ENDPOINT_GROUP_ID_PATTERN = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/** Health reasons that waiting does not heal: the deploy fails at once. */
export const UNRECOVERABLE_HEALTH_REASONS = ['INVALID_IP_OWNERSHIP', 'NOT_AUTHORIZED_TO_CREATE_SLR', 'DATAPLANE_FAILURE'];

export interface EndpointReadinessResourceProperties {
  /** The dataflow endpoint group id. */
  readonly DataflowEndpointGroupId: string;
  /** JSON array of the agent statuses that count as ready, or absent for "any but FAILED". */
  readonly ReadyAgentStatuses?: string;
  /** `"true"` when auditResults must be HEALTHY, `"false"` when it must only not be UNHEALTHY. */
  readonly RequireHealthyAudit: string;
  /** Seconds from the start of the operation until the deploy fails. */
  readonly TimeoutSeconds: string;
}

export function checkDataflowEndpointGroupId(value: string): string | undefined {
  if (!DATAFLOW_ENDPOINT_GROUP_ID_PATTERN.test(value)) {
    return `dataflowEndpointGroupId must be a dataflow endpoint group id (a lowercase UUID), got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`;
  }
  return undefined;
}
