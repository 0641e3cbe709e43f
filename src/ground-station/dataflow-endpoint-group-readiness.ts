import { CfnResource, CustomResource, Duration, Stack, Token } from 'aws-cdk-lib';
// Types only: CfnDataflowEndpointGroupV2 is not in every aws-cdk-lib this library supports.
import type * as groundstation from 'aws-cdk-lib/aws-groundstation';
import { Construct } from 'constructs';
import { checkDataflowEndpointGroupId, ENDPOINT_READINESS_RESOURCE_TYPE, EndpointReadinessResourceProperties } from './resource-properties';
import { EdgeSyncProvider, HandlerRole, SERVICE_TIMEOUT } from '../provider/edge-sync-provider';
import { checkSyncTimeoutSeconds } from '../shared/rules';
import { checkedSeconds, validationError } from '../shared/validation';

/** The aggregate status an AWS Ground Station Agent reports with UpdateAgentStatus. */
export enum GroundStationAgentStatus {
  /** The agent completed its task. */
  SUCCESS = 'SUCCESS',
  /** The agent failed. Never ready. */
  FAILED = 'FAILED',
  /** The agent is running a task. */
  ACTIVE = 'ACTIVE',
  /** The agent is idle. */
  INACTIVE = 'INACTIVE',
}

/** Properties of a {@link DataflowEndpointGroupReadiness}. */
export interface DataflowEndpointGroupReadinessProps {
  /**
   * The id of the dataflow endpoint group. Give exactly one of `dataflowEndpointGroupId` and
   * `dataflowEndpointGroup`.
   *
   * @default - from `dataflowEndpointGroup`
   */
  readonly dataflowEndpointGroupId?: string;

  /**
   * The dataflow endpoint group, defined in this app: a `CfnDataflowEndpointGroup`, or a
   * `CfnDataflowEndpointGroupV2` (whose uplink and downlink endpoints are all AWS Ground Station
   * Agent endpoints). Give the L1 itself; the gate reads its id, ARN and endpoints and depends on it.
   *
   * Typed as the two classes' common base, `CfnResource`: jsii has no union types, and
   * `CfnDataflowEndpointGroupV2` is newer than the oldest aws-cdk-lib this library supports
   * (2.200.0), so naming it would break apps on older aws-cdk-lib. Any other resource is refused
   * at synth.
   *
   * @default - from `dataflowEndpointGroupId`
   */
  readonly dataflowEndpointGroup?: CfnResource;

  /**
   * The agent statuses that count as ready.
   *
   * @default - any status but FAILED, including none reported yet
   */
  readonly readyAgentStatuses?: GroundStationAgentStatus[];

  /**
   * Require the endpoint's audit results to be HEALTHY.
   *
   * @default false - audit results only must not be UNHEALTHY
   */
  readonly requireHealthyAudit?: boolean;

  /**
   * How long to wait for every agent endpoint to be ready, from the start of the create or
   * update, before the deploy fails with the reasons last seen per endpoint. At most 55 minutes.
   *
   * @default Duration.minutes(20)
   */
  readonly timeout?: Duration;
}

/**
 * A readiness gate: the deploy waits until every AWS Ground Station Agent endpoint of a dataflow
 * endpoint group is ready (healthStatus HEALTHY, audit results not UNHEALTHY, agent status not
 * FAILED), as GetDataflowEndpointGroup shows what the agents report.
 *
 * The uplink and downlink endpoints of a V2 group (CfnDataflowEndpointGroupV2) are AWS Ground
 * Station Agent endpoints and count like those of a V1 group.
 *
 * It fails at once on reasons that waiting does not heal (INVALID_IP_OWNERSHIP,
 * NOT_AUTHORIZED_TO_CREATE_SLR, DATAPLANE_FAILURE, an agent reporting FAILED) and keeps waiting
 * on NO_REGISTERED_AGENT, INITIALIZING_DATAPLANE and UNVERIFIED_IP_OWNERSHIP. Make the resources
 * that need a working agent (mission profiles, contacts) depend on it. Deleting it does nothing.
 */
export class DataflowEndpointGroupReadiness extends Construct {
  /** The id of the dataflow endpoint group. */
  public readonly dataflowEndpointGroupId: string;

  /**
   * How many agent endpoints the group had when it became ready.
   *
   * @attribute
   */
  public readonly attrEndpointCount: string;

  /**
   * The final health and agent status per endpoint, as JSON: `{"<endpoint name>": "HEALTHY/SUCCESS", ...}`.
   * For groups with many endpoints the list is cut to stay under CloudFormation's 4 KB response
   * limit; `attrOmittedEndpointCount` says how many were left out.
   *
   * @attribute
   */
  public readonly attrEndpointStatuses: string;

  /**
   * How many endpoints `attrEndpointStatuses` leaves out (0 unless the group is large).
   *
   * @attribute
   */
  public readonly attrOmittedEndpointCount: string;

  constructor(scope: Construct, id: string, props: DataflowEndpointGroupReadinessProps) {
    super(scope, id);

    if ((props.dataflowEndpointGroupId === undefined) === (props.dataflowEndpointGroup === undefined)) {
      throw validationError(this, `give exactly one of dataflowEndpointGroupId and dataflowEndpointGroup, got ${props.dataflowEndpointGroupId === undefined ? 'neither' : 'both'}`);
    }
    const group = props.dataflowEndpointGroup;
    if (group) this.checkGroup(group);
    this.dataflowEndpointGroupId = props.dataflowEndpointGroupId ?? Token.asString(group!.getAtt('Id'));
    if (!Token.isUnresolved(this.dataflowEndpointGroupId)) {
      const problem = checkDataflowEndpointGroupId(this.dataflowEndpointGroupId);
      if (problem) throw validationError(this, problem);
    }
    const timeoutSeconds = checkedSeconds(this, props.timeout ?? Duration.minutes(20), (seconds) => checkSyncTimeoutSeconds(seconds, 'timeout'));
    if (props.readyAgentStatuses?.includes(GroundStationAgentStatus.FAILED)) {
      throw validationError(this, 'readyAgentStatuses must not include FAILED: an agent that reports FAILED is never ready');
    }
    if (props.readyAgentStatuses !== undefined && props.readyAgentStatuses.length === 0) {
      throw validationError(this, 'readyAgentStatuses must list at least one status, got none');
    }

    const provider = EdgeSyncProvider.getOrCreate(this);
    const groupArn = (resourceName: string) => Stack.of(this).formatArn({ service: 'groundstation', resource: 'dataflow-endpoint-group', resourceName });
    provider.grant(HandlerRole.IS_COMPLETE, ['groundstation:GetDataflowEndpointGroup'],
      group ? Token.asString(group.getAtt('Arn')) : groupArn(this.dataflowEndpointGroupId), groupArn('*'));
    provider.grant(HandlerRole.MONITOR, ['groundstation:GetDataflowEndpointGroup'],
      group ? Token.asString(group.getAtt('Arn')) : groupArn(this.dataflowEndpointGroupId), groupArn('*'));
    provider.registerMonitored(this, { target: this.dataflowEndpointGroupId });

    const properties: EndpointReadinessResourceProperties = {
      DataflowEndpointGroupId: this.dataflowEndpointGroupId,
      ReadyAgentStatuses: props.readyAgentStatuses && JSON.stringify(props.readyAgentStatuses),
      RequireHealthyAudit: String(props.requireHealthyAudit ?? false),
      TimeoutSeconds: Token.isUnresolved(timeoutSeconds) ? Token.asString(timeoutSeconds) : String(timeoutSeconds),
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: ENDPOINT_READINESS_RESOURCE_TYPE,
      properties: { ...properties, ...provider.monitorProperties(this) },
      serviceTimeout: SERVICE_TIMEOUT,
    });
    this.attrEndpointCount = resource.getAttString('EndpointCount');
    this.attrEndpointStatuses = resource.getAttString('EndpointStatuses');
    this.attrOmittedEndpointCount = resource.getAttString('OmittedEndpointCount');
  }

  /** A V1 or V2 dataflow endpoint group with an AWS Ground Station Agent endpoint, or endpoints the handler judges at deploy time. */
  private checkGroup(group: CfnResource): void {
    if (!CfnResource.isCfnResource(group) || (group.cfnResourceType !== V1_GROUP_TYPE && group.cfnResourceType !== V2_GROUP_TYPE)) {
      const got = CfnResource.isCfnResource(group) ? `${group.node.path} (${group.cfnResourceType})` : String(group);
      throw validationError(this, `dataflowEndpointGroup must be a CfnDataflowEndpointGroup (${V1_GROUP_TYPE}) or a CfnDataflowEndpointGroupV2 `
        + `(${V2_GROUP_TYPE}), got ${got}`);
    }
    if (group.cfnResourceType === V1_GROUP_TYPE && !hasAgentEndpoint(group as groundstation.CfnDataflowEndpointGroup)) {
      throw validationError(this, 'dataflowEndpointGroup has no awsGroundStationAgentEndpoint in its endpointDetails, '
        + 'so no AWS Ground Station Agent can report it ready: give it one, or remove the readiness gate');
    }
    if (group.cfnResourceType === V2_GROUP_TYPE && !hasAgentEndpointV2(group as unknown as groundstation.CfnDataflowEndpointGroupV2)) {
      throw validationError(this, `dataflowEndpointGroup ${group.node.path} (a CfnDataflowEndpointGroupV2) has no uplinkAwsGroundStationAgentEndpoint `
        + 'or downlinkAwsGroundStationAgentEndpoint in its endpoints, so no AWS Ground Station Agent can report it ready: give it one, or remove the readiness gate');
    }
  }
}

const V1_GROUP_TYPE = 'AWS::GroundStation::DataflowEndpointGroup';
const V2_GROUP_TYPE = 'AWS::GroundStation::DataflowEndpointGroupV2';

/**
 * Whether a group defined in this app has an AWS Ground Station Agent endpoint, or may have one
 * (endpoint details that are tokens are judged by the handler at deploy time).
 */
function hasAgentEndpoint(group: groundstation.CfnDataflowEndpointGroup): boolean {
  const details = group.endpointDetails;
  if (Token.isUnresolved(details) || !Array.isArray(details)) return true;
  return details.some((item) => Token.isUnresolved(item)
    || (item as groundstation.CfnDataflowEndpointGroup.EndpointDetailsProperty).awsGroundStationAgentEndpoint !== undefined);
}

/**
 * The same for a V2 group: every item of its `endpoints` is an uplink or a downlink AWS Ground
 * Station Agent endpoint, so it has one unless it has no endpoints at all (the service requires
 * 1 to 12). Endpoints that are tokens are judged by the handler.
 */
function hasAgentEndpointV2(group: groundstation.CfnDataflowEndpointGroupV2): boolean {
  const endpoints = group.endpoints;
  if (Token.isUnresolved(endpoints)) return true;
  if (!Array.isArray(endpoints)) return false;
  return endpoints.some((item) => {
    if (Token.isUnresolved(item)) return true;
    const details = item as groundstation.CfnDataflowEndpointGroupV2.CreateEndpointDetailsProperty;
    return details.uplinkAwsGroundStationAgentEndpoint !== undefined || details.downlinkAwsGroundStationAgentEndpoint !== undefined;
  });
}
