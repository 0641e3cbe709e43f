import { AwsError, UNRECOGNIZED_CLIENT, type AwsServiceDefinition, type ModeledError } from './protocol';

/**
 * Service definition, errors, constraints and wire shapes of AWS Ground Station (groundstation
 * 2019-05-23) for dataflow endpoint groups and the AWS Ground Station Agent operations, from
 * botocore's service-2.json as of the SDK this repository has (@aws-sdk/client-groundstation
 * 3.523; see /work/shared/reference/aws-apis.md §3). Where newer botocore is stricter and valid
 * values are the same (Uuid is 36 characters either way), the newer constraint is used.
 *
 * CreateDataflowEndpointGroupV2 and the V2 endpoint details (uplink and downlink AWS Ground
 * Station Agent endpoints) are newer than that SDK: they follow the current Smithy model
 * (aws-sdk-js-v3 `codegen/sdk-codegen/aws-models/groundstation.json`, with the azimuth-elevation
 * ephemerides of late 2025).
 */

export const GROUND_STATION_ERRORS = {
  /** Sender fault; carries `parameterName`. */
  invalidParameter: { code: 'InvalidParameterException', status: 431 },
  resourceNotFound: { code: 'ResourceNotFoundException', status: 434 },
  /** The model's only 5xx (`fault`); the SDK retries it as a server error. */
  dependency: { code: 'DependencyException', status: 531 },
  // The model has no throttling error. AWS's Common Errors (linked from every Ground Station API
  // page): "ThrottlingException ... HTTP Status Code: 400". The SDK retries it by its code.
  throttling: { code: 'ThrottlingException', status: 400 },
  // Not modeled either: AWS's common error for an IAM denial (see ASSUMPTIONS.md).
  accessDenied: { code: 'AccessDeniedException', status: 403 },
  /** CreateDataflowEndpointGroupV2 only: "Request would cause a service quota to be exceeded." Carries `parameterName`. */
  serviceQuotaExceeded: { code: 'ServiceQuotaExceededException', status: 402 },
} as const satisfies Record<string, ModeledError>;

export type GroundStationErrorName = keyof typeof GROUND_STATION_ERRORS;

export const GROUND_STATION_SERVICE: AwsServiceDefinition = {
  signingName: 'groundstation',
  errorMessageMember: 'message',
  throttlingError: GROUND_STATION_ERRORS.throttling,
  internalError: GROUND_STATION_ERRORS.dependency,
  accessDeniedError: GROUND_STATION_ERRORS.accessDenied,
  unrecognizedClientError: UNRECOGNIZED_CLIENT,
};

export function groundStationError(name: GroundStationErrorName, message: string, members: Readonly<Record<string, unknown>> = {}): AwsError {
  const { code, status } = GROUND_STATION_ERRORS[name];
  return new AwsError(code, status, message, members);
}

// ---- constraints ---------------------------------------------------------------------------------

/** `Uuid`: agentId, taskId, dataflowId, dataflowEndpointGroupId (lowercase hex only). */
export const UUID = { min: 36, max: 36, pattern: /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/ };
export const SAFE_NAME = { min: 1, max: 256, pattern: /^[ a-zA-Z0-9_:-]{1,256}$/ };
export const IPV4_ADDRESS = { min: 7, max: 16, pattern: /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/ };
export const VERSION_STRING = { min: 1, max: 64, pattern: /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/ };
export const INSTANCE_ID = { min: 10, max: 64, pattern: /^[a-z0-9-]{10,64}$/ };
export const INSTANCE_TYPE = { min: 1, max: 64, pattern: /^[a-z0-9.-]{1,64}$/ };
/** Was the enum LAMINAR_FLOW | PRISM | DIGITIZER in 2023 models; a pattern since. */
export const COMPONENT_TYPE = { pattern: /^[a-zA-Z0-9_]{1,64}$/ };

/** `DataflowEndpointGroupDurationInSeconds`: 30..480 in the current model (botocore; older models and the CloudFormation docs say 120). */
export const PASS_DURATION_SECONDS = { min: 30, max: 480 };
/** `RangedConnectionDetailsMtuInteger` and `DataflowEndpointMtuInteger`. */
export const MTU = { min: 1400, max: 1500 };
/** Not in the model (ports are plain Integers): the range a socket port can have. An emulator assumption. */
export const PORT = { min: 1, max: 65535 };

export const ENDPOINT_DETAILS_LIST = { min: 0, max: 500 };
/** `CreateEndpointDetailsList`: the endpoints of CreateDataflowEndpointGroupV2. */
export const CREATE_ENDPOINT_DETAILS_LIST = { min: 1, max: 12 };
export const IP_ADDRESS_LIST = { min: 1, max: 20 };
export const CAPABILITY_ARN_LIST = { min: 1, max: 20 };
export const COMPONENT_VERSION_LIST = { min: 1, max: 20 };
export const VERSION_STRING_LIST = { min: 1, max: 20 };
export const AGENT_CPU_CORES_LIST = { min: 0, max: 256 };
export const COMPONENT_STATUS_LIST = { min: 0, max: 20 };

export const AGENT_STATUSES = ['SUCCESS', 'FAILED', 'ACTIVE', 'INACTIVE'] as const;
export const AUDIT_RESULTS = ['HEALTHY', 'UNHEALTHY'] as const;
export const CAPABILITY_HEALTH = ['UNHEALTHY', 'HEALTHY'] as const;
export const CAPABILITY_HEALTH_REASONS = [
  'NO_REGISTERED_AGENT', 'INVALID_IP_OWNERSHIP', 'NOT_AUTHORIZED_TO_CREATE_SLR', 'UNVERIFIED_IP_OWNERSHIP',
  'INITIALIZING_DATAPLANE', 'DATAPLANE_FAILURE', 'HEALTHY',
] as const;
export const ENDPOINT_STATUSES = ['created', 'creating', 'deleted', 'deleting', 'failed'] as const;

export type AgentStatus = typeof AGENT_STATUSES[number];
export type AuditResults = typeof AUDIT_RESULTS[number];
export type CapabilityHealth = typeof CAPABILITY_HEALTH[number];
export type CapabilityHealthReason = typeof CAPABILITY_HEALTH_REASONS[number];

// ---- wire shapes (member names as on the wire) ----------------------------------------------------

export interface SocketAddress {
  readonly name: string;
  readonly port: number;
}

/** `ConnectionDetails`: a socket address with an optional MTU (a plain Integer). */
export interface ConnectionDetails {
  readonly socketAddress: SocketAddress;
  readonly mtu?: number;
}

/** `RangedConnectionDetails`: an IPv4 address with a port range, MTU 1400..1500. */
export interface RangedConnectionDetails {
  readonly socketAddress: { readonly name: string; readonly portRange: { readonly minimum: number; readonly maximum: number } };
  readonly mtu?: number;
}

/** `AwsGroundStationAgentEndpoint` (CreateDataflowEndpointGroup) without its output-only members. */
export interface AgentEndpoint {
  readonly name: string;
  readonly egressAddress: ConnectionDetails;
  readonly ingressAddress: RangedConnectionDetails;
}

/**
 * `UplinkAwsGroundStationAgentEndpoint` (CreateDataflowEndpointGroupV2): the customer sends to the
 * agent at `ingressAddressAndPort`, the agent to Ground Station from `agentIpAndPortAddress`.
 * `dataflowDetails` is a union whose only member is `agentConnectionDetails`.
 */
export interface UplinkAgentEndpoint {
  readonly name: string;
  readonly dataflowDetails: {
    readonly agentConnectionDetails: { readonly ingressAddressAndPort: ConnectionDetails; readonly agentIpAndPortAddress: RangedConnectionDetails };
  };
}

/**
 * `DownlinkAwsGroundStationAgentEndpoint` (CreateDataflowEndpointGroupV2): Ground Station sends to
 * the agent at `agentIpAndPortAddress`, the agent to the customer at `egressAddressAndPort`.
 */
export interface DownlinkAgentEndpoint {
  readonly name: string;
  readonly dataflowDetails: {
    readonly agentConnectionDetails: { readonly agentIpAndPortAddress: RangedConnectionDetails; readonly egressAddressAndPort: ConnectionDetails };
  };
}

/** `CreateEndpointDetails`, a union: one item of CreateDataflowEndpointGroupV2's `endpoints`. */
export type CreateEndpointDetailsInput =
  | { readonly uplinkAwsGroundStationAgentEndpoint: UplinkAgentEndpoint; readonly downlinkAwsGroundStationAgentEndpoint?: never }
  | { readonly downlinkAwsGroundStationAgentEndpoint: DownlinkAgentEndpoint; readonly uplinkAwsGroundStationAgentEndpoint?: never };

/** A dataflow endpoint that Ground Station reaches through elastic network interfaces (no agent). */
export interface DataflowEndpoint {
  readonly name?: string;
  readonly address?: SocketAddress;
  readonly mtu?: number;
  readonly status?: typeof ENDPOINT_STATUSES[number];
}

export interface SecurityDetails {
  readonly roleArn: string;
  readonly securityGroupIds: readonly string[];
  readonly subnetIds: readonly string[];
}

/** One `endpointDetails` item of CreateDataflowEndpointGroup (output-only members left out). */
export interface EndpointDetailsInput {
  readonly awsGroundStationAgentEndpoint?: AgentEndpoint;
  readonly endpoint?: DataflowEndpoint;
  readonly securityDetails?: SecurityDetails;
}

/** The three members of `EndpointDetails` that hold an AWS Ground Station Agent endpoint (V1, V2 uplink, V2 downlink). */
export const AGENT_ENDPOINT_MEMBERS = ['awsGroundStationAgentEndpoint', 'uplinkAwsGroundStationAgentEndpoint', 'downlinkAwsGroundStationAgentEndpoint'] as const;
export type AgentEndpointMember = typeof AGENT_ENDPOINT_MEMBERS[number];

/** `ComponentStatusData` of UpdateAgentStatus. */
export interface ComponentStatus {
  readonly componentType: string;
  readonly capabilityArn: string;
  readonly status: AgentStatus;
  readonly bytesSent?: number;
  readonly bytesReceived?: number;
  readonly packetsDropped?: number;
  readonly dataflowId: string;
}

export function dataflowEndpointGroupArn(region: string, accountId: string, groupId: string): string {
  return `arn:aws:groundstation:${region}:${accountId}:dataflow-endpoint-group/${groupId}`;
}

// ---- fixtures ---------------------------------------------------------------------------------

/** TEST-NET-2 (RFC 5737): stands in for the Elastic IP an agent endpoint receives data on. */
export const DEFAULT_INGRESS_ADDRESS = '198.51.100.10';

export interface AgentEndpointOptions {
  /** Ingress IPv4 address; default DEFAULT_INGRESS_ADDRESS. */
  readonly ingressAddress?: string;
  /** Default 42000..42050. */
  readonly portRange?: { readonly minimum: number; readonly maximum: number };
  /** Where the agent hands the data to the receiver software; default 127.0.0.1:55000. */
  readonly egressAddress?: SocketAddress;
  /** Ingress MTU; default 1500. */
  readonly mtu?: number;
}

/** An `endpointDetails` item with an AWS Ground Station Agent endpoint, as CreateDataflowEndpointGroup takes it. */
export function agentEndpointDetails(name: string, options: AgentEndpointOptions = {}): EndpointDetailsInput {
  return {
    awsGroundStationAgentEndpoint: {
      name,
      egressAddress: { socketAddress: options.egressAddress ?? { name: '127.0.0.1', port: 55000 }, mtu: 1500 },
      ingressAddress: {
        socketAddress: {
          name: options.ingressAddress ?? DEFAULT_INGRESS_ADDRESS,
          portRange: options.portRange ?? { minimum: 42000, maximum: 42050 },
        },
        mtu: options.mtu ?? 1500,
      },
    },
  };
}

/** Options of the V2 fixtures; the agent's address defaults like the V1 ingress address. */
export interface AgentEndpointV2Options {
  /** The agent's public IPv4 address towards Ground Station (`agentIpAndPortAddress`); default DEFAULT_INGRESS_ADDRESS. */
  readonly agentAddress?: string;
  /** Default 42000..42050. */
  readonly portRange?: { readonly minimum: number; readonly maximum: number };
  /** The customer side: uplink `ingressAddressAndPort`, downlink `egressAddressAndPort`; default 127.0.0.1:55000. */
  readonly customerAddress?: SocketAddress;
  /** MTU of `agentIpAndPortAddress`; default 1500. */
  readonly mtu?: number;
}

function agentAddress(options: AgentEndpointV2Options): RangedConnectionDetails {
  return {
    socketAddress: { name: options.agentAddress ?? DEFAULT_INGRESS_ADDRESS, portRange: options.portRange ?? { minimum: 42000, maximum: 42050 } },
    mtu: options.mtu ?? 1500,
  };
}

/** An `endpoints` item with an uplink AWS Ground Station Agent endpoint, as CreateDataflowEndpointGroupV2 takes it. */
export function uplinkEndpointDetails(name: string, options: AgentEndpointV2Options = {}): CreateEndpointDetailsInput {
  return {
    uplinkAwsGroundStationAgentEndpoint: {
      name,
      dataflowDetails: {
        agentConnectionDetails: {
          ingressAddressAndPort: { socketAddress: options.customerAddress ?? { name: '127.0.0.1', port: 55000 }, mtu: 1500 },
          agentIpAndPortAddress: agentAddress(options),
        },
      },
    },
  };
}

/** An `endpoints` item with a downlink AWS Ground Station Agent endpoint, as CreateDataflowEndpointGroupV2 takes it. */
export function downlinkEndpointDetails(name: string, options: AgentEndpointV2Options = {}): CreateEndpointDetailsInput {
  return {
    downlinkAwsGroundStationAgentEndpoint: {
      name,
      dataflowDetails: {
        agentConnectionDetails: {
          agentIpAndPortAddress: agentAddress(options),
          egressAddressAndPort: { socketAddress: options.customerAddress ?? { name: '127.0.0.1', port: 55000 }, mtu: 1500 },
        },
      },
    },
  };
}
