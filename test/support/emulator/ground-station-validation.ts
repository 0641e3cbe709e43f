import {
  AGENT_CPU_CORES_LIST, AGENT_STATUSES, CAPABILITY_ARN_LIST, COMPONENT_STATUS_LIST, COMPONENT_TYPE, COMPONENT_VERSION_LIST,
  CREATE_ENDPOINT_DETAILS_LIST, ENDPOINT_DETAILS_LIST, ENDPOINT_STATUSES, GROUND_STATION_ERRORS, INSTANCE_ID, INSTANCE_TYPE, IP_ADDRESS_LIST,
  IPV4_ADDRESS, MTU, PASS_DURATION_SECONDS, PORT, SAFE_NAME, UUID, VERSION_STRING, VERSION_STRING_LIST,
} from './ground-station-shapes';
import { listItem, ParameterValidator } from './parameter-validation';

/**
 * Input validation of the emulated Ground Station operations: every constraint of the model
 * (required members, types, lengths, patterns, enums, list sizes), reported as
 * InvalidParameterException 431 with `parameterName`. A few semantic checks the model cannot
 * express are marked as emulator assumptions where they are made.
 */

export function groundStationValidator(): ParameterValidator {
  return new ParameterValidator(GROUND_STATION_ERRORS.invalidParameter);
}

/** A required `Uuid` member, e.g. the `agentId` path label. */
export function validateUuid(validator: ParameterValidator, member: string, value: unknown): void {
  if (validator.required(member, value)) validator.string(member, value, UUID);
}

/** `TagsMap`: string keys to string values, no size limits in the model. */
export function validateTags(validator: ParameterValidator, tags: unknown): void {
  for (const [key, value] of validator.map('tags', tags) ?? []) {
    if (validator.required(`tags.${key}`, value)) validator.string(`tags.${key}`, value);
  }
}

// ---- CreateDataflowEndpointGroup ------------------------------------------------------------------

export function validateCreateDataflowEndpointGroup(validator: ParameterValidator, body: Record<string, unknown>): void {
  const details = validator.required('endpointDetails', body.endpointDetails)
    ? validator.list('endpointDetails', body.endpointDetails, ENDPOINT_DETAILS_LIST)
    : undefined;
  const names: string[] = [];
  details?.forEach((item, index) => {
    const name = validateEndpointDetails(validator, listItem('endpointDetails', index), item);
    if (name !== undefined) names.push(name);
  });
  // Assumption: a mission profile's DataflowEndpointConfig picks an endpoint by name, so names are unique per group.
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  if (duplicates.length > 0) {
    validator.fail('endpointDetails', `Value at 'endpointDetails' failed to satisfy constraint: endpoint names must be unique (${[...new Set(duplicates)].join(', ')})`);
  }
  validator.integer('contactPrePassDurationSeconds', body.contactPrePassDurationSeconds, PASS_DURATION_SECONDS);
  validator.integer('contactPostPassDurationSeconds', body.contactPostPassDurationSeconds, PASS_DURATION_SECONDS);
  validateTags(validator, body.tags);
}

/** One `EndpointDetails`; returns the endpoint's name. healthStatus / healthReasons are output-only and ignored. */
function validateEndpointDetails(validator: ParameterValidator, path: string, item: unknown): string | undefined {
  if (!validator.required(path, item)) return undefined;
  const members = validator.structure(path, item);
  if (!members) return undefined;
  const agentEndpoint = validator.structure(`${path}.awsGroundStationAgentEndpoint`, members.awsGroundStationAgentEndpoint);
  const endpoint = validator.structure(`${path}.endpoint`, members.endpoint);
  const hasAgentEndpoint = members.awsGroundStationAgentEndpoint !== undefined && members.awsGroundStationAgentEndpoint !== null;
  const hasEndpoint = members.endpoint !== undefined && members.endpoint !== null;
  // Assumption: an item describes one endpoint, of one kind.
  if (hasAgentEndpoint === hasEndpoint) {
    validator.fail(path, `Value at '${path}' failed to satisfy constraint: Member must have exactly one of awsGroundStationAgentEndpoint, endpoint`);
  }
  if (agentEndpoint) validateAgentEndpoint(validator, `${path}.awsGroundStationAgentEndpoint`, agentEndpoint);
  if (endpoint) validateDataflowEndpoint(validator, `${path}.endpoint`, endpoint);
  // Assumption: Ground Station needs the subnets, security groups and role to reach a classic endpoint.
  if (hasEndpoint) validator.required(`${path}.securityDetails`, members.securityDetails);
  const security = validator.structure(`${path}.securityDetails`, members.securityDetails);
  if (security) validateSecurityDetails(validator, `${path}.securityDetails`, security);
  const name = (agentEndpoint ?? endpoint)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** `AwsGroundStationAgentEndpoint`; agentStatus and auditResults are what the service reports and are ignored on input. */
function validateAgentEndpoint(validator: ParameterValidator, path: string, endpoint: Record<string, unknown>): void {
  if (validator.required(`${path}.name`, endpoint.name)) validator.string(`${path}.name`, endpoint.name, SAFE_NAME);
  validateConnectionDetails(validator, `${path}.egressAddress`, endpoint.egressAddress);
  validateRangedConnectionDetails(validator, `${path}.ingressAddress`, endpoint.ingressAddress);
}

/** A required `ConnectionDetails`: a socket address (any name, a port) and an MTU that is a plain Integer in the model. */
function validateConnectionDetails(validator: ParameterValidator, path: string, value: unknown): void {
  const details = validator.required(path, value) ? validator.structure(path, value) : undefined;
  if (!details) return;
  validator.integer(`${path}.mtu`, details.mtu);
  const socket = validator.required(`${path}.socketAddress`, details.socketAddress)
    ? validator.structure(`${path}.socketAddress`, details.socketAddress)
    : undefined;
  if (socket) validateSocketAddress(validator, `${path}.socketAddress`, socket);
}

/** A required `RangedConnectionDetails`: an IPv4 address with a port range, MTU 1400..1500. */
function validateRangedConnectionDetails(validator: ParameterValidator, path: string, value: unknown): void {
  const details = validator.required(path, value) ? validator.structure(path, value) : undefined;
  if (!details) return;
  validator.integer(`${path}.mtu`, details.mtu, MTU);
  const socketPath = `${path}.socketAddress`;
  const socket = validator.required(socketPath, details.socketAddress) ? validator.structure(socketPath, details.socketAddress) : undefined;
  if (!socket) return;
  if (validator.required(`${socketPath}.name`, socket.name)) validator.string(`${socketPath}.name`, socket.name, IPV4_ADDRESS);
  const rangePath = `${socketPath}.portRange`;
  const range = validator.required(rangePath, socket.portRange) ? validator.structure(rangePath, socket.portRange) : undefined;
  if (!range) return;
  if (validator.required(`${rangePath}.minimum`, range.minimum)) validator.integer(`${rangePath}.minimum`, range.minimum, PORT);
  if (validator.required(`${rangePath}.maximum`, range.maximum)) validator.integer(`${rangePath}.maximum`, range.maximum, PORT);
  // Assumption: a range runs upwards.
  if (typeof range.minimum === 'number' && typeof range.maximum === 'number' && range.minimum > range.maximum) {
    validator.fail(rangePath, `Value at '${rangePath}' failed to satisfy constraint: minimum ${range.minimum} must not exceed maximum ${range.maximum}`);
  }
}

function validateSocketAddress(validator: ParameterValidator, path: string, socket: Record<string, unknown>): void {
  if (validator.required(`${path}.name`, socket.name)) validator.string(`${path}.name`, socket.name);
  if (validator.required(`${path}.port`, socket.port)) validator.integer(`${path}.port`, socket.port, PORT);
}

function validateDataflowEndpoint(validator: ParameterValidator, path: string, endpoint: Record<string, unknown>): void {
  validator.string(`${path}.name`, endpoint.name, SAFE_NAME);
  const address = validator.structure(`${path}.address`, endpoint.address);
  if (address) validateSocketAddress(validator, `${path}.address`, address);
  validator.integer(`${path}.mtu`, endpoint.mtu, MTU);
  validator.enumValue(`${path}.status`, endpoint.status, ENDPOINT_STATUSES);
}

function validateSecurityDetails(validator: ParameterValidator, path: string, security: Record<string, unknown>): void {
  if (validator.required(`${path}.roleArn`, security.roleArn)) validator.string(`${path}.roleArn`, security.roleArn);
  if (validator.required(`${path}.securityGroupIds`, security.securityGroupIds)) {
    validator.stringList(`${path}.securityGroupIds`, security.securityGroupIds, {});
  }
  if (validator.required(`${path}.subnetIds`, security.subnetIds)) validator.stringList(`${path}.subnetIds`, security.subnetIds, {});
}

// ---- CreateDataflowEndpointGroupV2 ----------------------------------------------------------------

/** The members of union `CreateEndpointDetails` and what each holds. */
const CREATE_ENDPOINT_MEMBERS = ['uplinkAwsGroundStationAgentEndpoint', 'downlinkAwsGroundStationAgentEndpoint'] as const;

/**
 * CreateDataflowEndpointGroupV2 as the current Smithy model defines it: `endpoints` 1..12 items of
 * the union `CreateEndpointDetails` (an uplink or a downlink AWS Ground Station Agent endpoint),
 * pre- and post-pass durations 30..480, tags.
 */
export function validateCreateDataflowEndpointGroupV2(validator: ParameterValidator, body: Record<string, unknown>): void {
  const endpoints = validator.required('endpoints', body.endpoints)
    ? validator.list('endpoints', body.endpoints, CREATE_ENDPOINT_DETAILS_LIST)
    : undefined;
  const names: string[] = [];
  endpoints?.forEach((item, index) => {
    const name = validateCreateEndpointDetails(validator, listItem('endpoints', index), item);
    if (name !== undefined) names.push(name);
  });
  // Assumption, as for CreateDataflowEndpointGroup: a mission profile's DataflowEndpointConfig picks an endpoint by name.
  const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
  if (duplicates.length > 0) {
    validator.fail('endpoints', `Value at 'endpoints' failed to satisfy constraint: endpoint names must be unique (${[...new Set(duplicates)].join(', ')})`);
  }
  validator.integer('contactPrePassDurationSeconds', body.contactPrePassDurationSeconds, PASS_DURATION_SECONDS);
  validator.integer('contactPostPassDurationSeconds', body.contactPostPassDurationSeconds, PASS_DURATION_SECONDS);
  validateTags(validator, body.tags);
}

/** One `CreateEndpointDetails` (a union: exactly one member set); returns the endpoint's name. */
function validateCreateEndpointDetails(validator: ParameterValidator, path: string, item: unknown): string | undefined {
  if (!validator.required(path, item)) return undefined;
  const members = validator.structure(path, item);
  if (!members) return undefined;
  if (!exactlyOneOf(validator, path, members, CREATE_ENDPOINT_MEMBERS)) return undefined;
  const uplink = members.uplinkAwsGroundStationAgentEndpoint !== undefined && members.uplinkAwsGroundStationAgentEndpoint !== null;
  const member = uplink ? 'uplinkAwsGroundStationAgentEndpoint' : 'downlinkAwsGroundStationAgentEndpoint';
  const endpointPath = `${path}.${member}`;
  const endpoint = validator.structure(endpointPath, members[member]);
  if (!endpoint) return undefined;
  if (validator.required(`${endpointPath}.name`, endpoint.name)) validator.string(`${endpointPath}.name`, endpoint.name, SAFE_NAME);

  // UplinkDataflowDetails and DownlinkDataflowDetails are unions with one member, agentConnectionDetails.
  const dataflowPath = `${endpointPath}.dataflowDetails`;
  const dataflow = validator.required(dataflowPath, endpoint.dataflowDetails)
    ? validator.structure(dataflowPath, endpoint.dataflowDetails)
    : undefined;
  if (dataflow && exactlyOneOf(validator, dataflowPath, dataflow, ['agentConnectionDetails'])) {
    const connectionPath = `${dataflowPath}.agentConnectionDetails`;
    const connection = validator.structure(connectionPath, dataflow.agentConnectionDetails);
    if (connection && uplink) {
      validateConnectionDetails(validator, `${connectionPath}.ingressAddressAndPort`, connection.ingressAddressAndPort);
      validateRangedConnectionDetails(validator, `${connectionPath}.agentIpAndPortAddress`, connection.agentIpAndPortAddress);
    } else if (connection) {
      validateRangedConnectionDetails(validator, `${connectionPath}.agentIpAndPortAddress`, connection.agentIpAndPortAddress);
      validateConnectionDetails(validator, `${connectionPath}.egressAddressAndPort`, connection.egressAddressAndPort);
    }
  }
  return typeof endpoint.name === 'string' ? endpoint.name : undefined;
}

/**
 * A union value sets exactly one of its members (Smithy); records the violation otherwise. Members
 * the model does not know are ignored, as JSON protocols ignore unknown members.
 */
function exactlyOneOf(validator: ParameterValidator, path: string, members: Record<string, unknown>, names: readonly string[]): boolean {
  const set = names.filter((name) => members[name] !== undefined && members[name] !== null);
  if (set.length === 1) return true;
  validator.fail(path, `Value at '${path}' failed to satisfy constraint: Member must have exactly one of ${names.join(', ')} set (got ${set.length === 0 ? 'none' : set.join(', ')})`);
  return false;
}

// ---- RegisterAgent --------------------------------------------------------------------------------

export function validateRegisterAgent(validator: ParameterValidator, body: Record<string, unknown>): void {
  const discovery = validator.required('discoveryData', body.discoveryData) ? validator.structure('discoveryData', body.discoveryData) : undefined;
  if (discovery) {
    for (const member of ['publicIpAddresses', 'privateIpAddresses'] as const) {
      const path = `discoveryData.${member}`;
      if (validator.required(path, discovery[member])) validator.stringList(path, discovery[member], IP_ADDRESS_LIST, IPV4_ADDRESS);
    }
    // CapabilityArn has no pattern in the model: any string, in practice dataflow endpoint group ARNs.
    if (validator.required('discoveryData.capabilityArns', discovery.capabilityArns)) {
      validator.stringList('discoveryData.capabilityArns', discovery.capabilityArns, CAPABILITY_ARN_LIST);
    }
  }

  const details = validator.required('agentDetails', body.agentDetails) ? validator.structure('agentDetails', body.agentDetails) : undefined;
  if (details) {
    if (validator.required('agentDetails.agentVersion', details.agentVersion)) validator.string('agentDetails.agentVersion', details.agentVersion, VERSION_STRING);
    if (validator.required('agentDetails.instanceId', details.instanceId)) validator.string('agentDetails.instanceId', details.instanceId, INSTANCE_ID);
    if (validator.required('agentDetails.instanceType', details.instanceType)) {
      validator.string('agentDetails.instanceType', details.instanceType, INSTANCE_TYPE);
    }
    for (const member of ['agentCpuCores', 'reservedCpuCores'] as const) {
      const path = `agentDetails.${member}`;
      validator.list(path, details[member], AGENT_CPU_CORES_LIST)?.forEach((core, index) => {
        if (validator.required(listItem(path, index), core)) validator.integer(listItem(path, index), core);
      });
    }
    if (validator.required('agentDetails.componentVersions', details.componentVersions)) {
      validator.list('agentDetails.componentVersions', details.componentVersions, COMPONENT_VERSION_LIST)?.forEach((item, index) => {
        validateComponentVersion(validator, listItem('agentDetails.componentVersions', index), item);
      });
    }
  }
  // Newer models accept tags; the 3.523 SDK does not send them.
  validateTags(validator, body.tags);
}

function validateComponentVersion(validator: ParameterValidator, path: string, item: unknown): void {
  if (!validator.required(path, item)) return;
  const version = validator.structure(path, item);
  if (!version) return;
  if (validator.required(`${path}.componentType`, version.componentType)) validator.string(`${path}.componentType`, version.componentType, COMPONENT_TYPE);
  if (validator.required(`${path}.versions`, version.versions)) {
    validator.stringList(`${path}.versions`, version.versions, VERSION_STRING_LIST, VERSION_STRING);
  }
}

// ---- UpdateAgentStatus ----------------------------------------------------------------------------

export function validateUpdateAgentStatus(validator: ParameterValidator, agentId: unknown, body: Record<string, unknown>): void {
  validateUuid(validator, 'agentId', agentId);
  validateUuid(validator, 'taskId', body.taskId);

  const aggregate = validator.required('aggregateStatus', body.aggregateStatus) ? validator.structure('aggregateStatus', body.aggregateStatus) : undefined;
  if (aggregate) {
    if (validator.required('aggregateStatus.status', aggregate.status)) validator.enumValue('aggregateStatus.status', aggregate.status, AGENT_STATUSES);
    // SignatureMap: String → Boolean, "sparse map of failure signatures".
    for (const [key, value] of validator.map('aggregateStatus.signatureMap', aggregate.signatureMap) ?? []) {
      validator.boolean(`aggregateStatus.signatureMap.${key}`, value);
    }
  }

  if (validator.required('componentStatuses', body.componentStatuses)) {
    validator.list('componentStatuses', body.componentStatuses, COMPONENT_STATUS_LIST)?.forEach((item, index) => {
      validateComponentStatus(validator, listItem('componentStatuses', index), item);
    });
  }
}

function validateComponentStatus(validator: ParameterValidator, path: string, item: unknown): void {
  if (!validator.required(path, item)) return;
  const component = validator.structure(path, item);
  if (!component) return;
  if (validator.required(`${path}.componentType`, component.componentType)) {
    validator.string(`${path}.componentType`, component.componentType, COMPONENT_TYPE);
  }
  if (validator.required(`${path}.capabilityArn`, component.capabilityArn)) validator.string(`${path}.capabilityArn`, component.capabilityArn);
  if (validator.required(`${path}.status`, component.status)) validator.enumValue(`${path}.status`, component.status, AGENT_STATUSES);
  // Longs without a range in the model: any integer is accepted, negative ones included.
  for (const counter of ['bytesSent', 'bytesReceived', 'packetsDropped'] as const) validator.integer(`${path}.${counter}`, component[counter]);
  validateUuid(validator, `${path}.dataflowId`, component.dataflowId);
}
