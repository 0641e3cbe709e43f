import {
  CreateDataflowEndpointGroupCommand, DeleteDataflowEndpointGroupCommand, GetAgentConfigurationCommand, GetDataflowEndpointGroupCommand,
  GroundStationClient, InvalidParameterException, RegisterAgentCommand, ResourceNotFoundException, type CreateDataflowEndpointGroupCommandInput,
  type EndpointDetails, type RegisterAgentCommandInput,
} from '@aws-sdk/client-groundstation';
import { startEmulator } from './emulator-test-support';
import { errorOf, groundStationClient, registerAgentInput, withMember } from './ground-station-test-support';
import { agentEndpointDetails, type LocalAwsEndpoint } from '../support/emulator';

// Every Ground Station operation through the unmodified SDK: shapes both ways, the model's
// constraints on CreateDataflowEndpointGroup and RegisterAgent, and the errors by SDK class.
// UpdateAgentStatus has its own file; the agents' effect on health too.
let emulator: LocalAwsEndpoint;
let client: GroundStationClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = groundStationClient(emulator);
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;
const antenna = agentEndpointDetails('antenna-downlink') as EndpointDetails;

function createInput(overrides: Partial<CreateDataflowEndpointGroupCommandInput> = {}): CreateDataflowEndpointGroupCommandInput {
  return { endpointDetails: [antenna], contactPrePassDurationSeconds: 120, contactPostPassDurationSeconds: 180, tags: { team: 'rf' }, ...overrides };
}

describe('dataflow endpoint groups', () => {
  test('Create returns a UUID; Get answers the group with its ARN, agent endpoint health and settings', async () => {
    const { dataflowEndpointGroupId } = await client.send(new CreateDataflowEndpointGroupCommand(createInput()));
    expect(dataflowEndpointGroupId).toMatch(UUID);
    const group = await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId }));
    expect(group).toMatchObject({
      dataflowEndpointGroupId,
      dataflowEndpointGroupArn: `arn:aws:groundstation:us-east-1:123456789012:dataflow-endpoint-group/${dataflowEndpointGroupId}`,
      contactPrePassDurationSeconds: 120,
      contactPostPassDurationSeconds: 180,
      tags: { team: 'rf' },
      endpointsDetails: [{
        awsGroundStationAgentEndpoint: antenna.awsGroundStationAgentEndpoint,
        healthStatus: 'UNHEALTHY',
        healthReasons: ['NO_REGISTERED_AGENT'],
      }],
    });
    expect(group.endpointsDetails?.[0].awsGroundStationAgentEndpoint).not.toHaveProperty('agentStatus');
    expect(emulator.groundStation.group(dataflowEndpointGroupId as string)?.agentEndpoints).toMatchObject([
      { name: 'antenna-downlink', ingressAddress: '198.51.100.10', healthStatus: 'UNHEALTHY', overridden: false },
    ]);
  });

  test('health members given on create are ignored; classic endpoints come back created, without health', async () => {
    const classic: EndpointDetails = {
      endpoint: { name: 'classic', address: { name: '10.0.1.20', port: 55888 }, mtu: 1500, status: 'failed' },
      securityDetails: { roleArn: 'arn:aws:iam::123456789012:role/gs', securityGroupIds: ['sg-1'], subnetIds: ['subnet-1'] },
    };
    const agent: EndpointDetails = {
      awsGroundStationAgentEndpoint: { ...antenna.awsGroundStationAgentEndpoint!, agentStatus: 'SUCCESS', auditResults: 'HEALTHY' },
      healthStatus: 'HEALTHY',
      healthReasons: ['HEALTHY'],
    };
    const { dataflowEndpointGroupId } = await client.send(new CreateDataflowEndpointGroupCommand({ endpointDetails: [agent, classic] }));
    const group = await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId }));
    expect(group.endpointsDetails).toEqual([
      { awsGroundStationAgentEndpoint: antenna.awsGroundStationAgentEndpoint, healthStatus: 'UNHEALTHY', healthReasons: ['NO_REGISTERED_AGENT'] },
      { endpoint: { ...classic.endpoint, status: 'created' }, securityDetails: classic.securityDetails },
    ]);
    expect(group).toMatchObject({ tags: {} });
    expect(group).not.toHaveProperty('contactPrePassDurationSeconds');
  });

  test('Delete answers the id; the group is gone afterwards', async () => {
    const { id } = emulator.groundStation.createDataflowEndpointGroup();
    const deleted = await client.send(new DeleteDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id }));
    expect(deleted).toMatchObject({ dataflowEndpointGroupId: id });
    const gone = await errorOf(client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 434 }, message: `Dataflow endpoint group ${id} not found` });
    const deletedTwice = await errorOf(client.send(new DeleteDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id })));
    expect(deletedTwice).toBeInstanceOf(ResourceNotFoundException);
    expect(emulator.groundStation.groupIds()).toEqual([]);
  });

  test('a group deleted out of band is gone for the API too', async () => {
    const { id } = emulator.groundStation.createDataflowEndpointGroup();
    emulator.groundStation.deleteGroupOutOfBand(id);
    const gone = await errorOf(client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(() => emulator.groundStation.deleteGroupOutOfBand(id)).toThrow(/no dataflow endpoint group/);
  });

  test.each([
    ['not-a-uuid'],
    ['0F0E0D0C-0B0A-4908-8706-050403020100'],
    ['0f0e0d0c-0b0a-4908-8706-05040302010'],
  ])('Get and Delete with group id %j: InvalidParameterException 431 naming dataflowEndpointGroupId', async (dataflowEndpointGroupId) => {
    const calls = [
      client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId })),
      client.send(new DeleteDataflowEndpointGroupCommand({ dataflowEndpointGroupId })),
    ];
    for (const call of calls) {
      const error = await errorOf(call);
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 431 }, parameterName: 'dataflowEndpointGroupId' });
      expect(error.message).toMatch(/^\d validation errors? detected: Value '.*' at 'dataflowEndpointGroupId' failed to satisfy constraint/);
    }
  });

  const agentPath = 'endpointDetails.0.awsGroundStationAgentEndpoint';
  const invalidGroups: Array<[string, CreateDataflowEndpointGroupCommandInput, string]> = [
    ['endpointDetails missing', withMember(createInput(), 'endpointDetails', undefined), 'endpointDetails'],
    ['pre-pass below 30 s', createInput({ contactPrePassDurationSeconds: 29 }), 'contactPrePassDurationSeconds'],
    ['post-pass above 480 s', createInput({ contactPostPassDurationSeconds: 481 }), 'contactPostPassDurationSeconds'],
    ['pre-pass not an integer', createInput({ contactPrePassDurationSeconds: 150.5 }), 'contactPrePassDurationSeconds'],
    ['endpoint name with a dot', withMember(createInput(), `${agentPath}.name`, 'antenna.1'), 'endpointDetails.1.member.awsGroundStationAgentEndpoint.name'],
    ['ingress address missing', withMember(createInput(), `${agentPath}.ingressAddress`, undefined), 'endpointDetails.1.member.awsGroundStationAgentEndpoint.ingressAddress'],
    ['ingress address not IPv4', withMember(createInput(), `${agentPath}.ingressAddress.socketAddress.name`, 'receiver.example.com'),
      'endpointDetails.1.member.awsGroundStationAgentEndpoint.ingressAddress.socketAddress.name'],
    ['ingress MTU above 1500', withMember(createInput(), `${agentPath}.ingressAddress.mtu`, 9001), 'endpointDetails.1.member.awsGroundStationAgentEndpoint.ingressAddress.mtu'],
    ['port range upside down', withMember(createInput(), `${agentPath}.ingressAddress.socketAddress.portRange`, { minimum: 42050, maximum: 42000 }),
      'endpointDetails.1.member.awsGroundStationAgentEndpoint.ingressAddress.socketAddress.portRange'],
    ['egress port missing', withMember(createInput(), `${agentPath}.egressAddress.socketAddress.port`, undefined),
      'endpointDetails.1.member.awsGroundStationAgentEndpoint.egressAddress.socketAddress.port'],
    ['neither kind of endpoint', createInput({ endpointDetails: [{}] }), 'endpointDetails.1.member'],
    ['classic endpoint without securityDetails', createInput({ endpointDetails: [{ endpoint: { name: 'classic' } }] }), 'endpointDetails.1.member.securityDetails'],
    ['two endpoints with one name', createInput({ endpointDetails: [antenna, antenna] }), 'endpointDetails'],
  ];
  test.each(invalidGroups.map(([what, input, name]) => [what, name, input] as const))('Create with %s: InvalidParameterException naming %s', async (_what, parameterName, input) => {
    const error = await errorOf(client.send(new CreateDataflowEndpointGroupCommand(input)));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 431 }, parameterName });
    expect(emulator.groundStation.groupIds()).toEqual([]);
  });

  test('the helper validates like the API and names endpoints per group', () => {
    expect(() => emulator.groundStation.createDataflowEndpointGroup({ contactPrePassDurationSeconds: 10 }))
      .toThrow(/^1 validation error detected: Value '10' at 'contactPrePassDurationSeconds'/);
    const first = emulator.groundStation.createDataflowEndpointGroup();
    const second = emulator.groundStation.createDataflowEndpointGroup();
    expect(emulator.groundStation.group(first.id)?.agentEndpoints.map((e) => e.name)).toEqual(['emulated-endpoint-1']);
    expect(emulator.groundStation.group(second.id)?.agentEndpoints.map((e) => e.name)).toEqual(['emulated-endpoint-2']);
    expect(second.arn).toBe(`arn:aws:groundstation:us-east-1:123456789012:dataflow-endpoint-group/${second.id}`);
  });
});

describe('agents', () => {
  test('RegisterAgent returns a UUID; GetAgentConfiguration answers a tasking document', async () => {
    const { arn } = emulator.groundStation.createDataflowEndpointGroup();
    const { agentId } = await client.send(new RegisterAgentCommand(registerAgentInput([arn])));
    expect(agentId).toMatch(UUID);
    const configuration = await client.send(new GetAgentConfigurationCommand({ agentId }));
    expect(configuration.agentId).toBe(agentId);
    expect(JSON.parse(configuration.taskingDocument as string)).toEqual({ schema: 'local-emulator/1', agentId, capabilityArns: [arn], tasks: [] });
    expect(emulator.groundStation.agents()).toMatchObject([{
      agentId,
      capabilityArns: [arn],
      publicIpAddresses: ['198.51.100.10'],
      instanceId: 'i-0123456789abcdef0',
      agentCpuCores: [2, 3, 4, 5],
      configurationReads: 1,
      dataPlaneUp: false,
      statusReports: [],
    }]);
  });

  test('capability ARNs of no group are accepted (the model gives them no pattern)', async () => {
    await expect(client.send(new RegisterAgentCommand(registerAgentInput(['anything-at-all'])))).resolves.toMatchObject({ agentId: expect.stringMatching(UUID) });
  });

  test('GetAgentConfiguration of an unknown agent: ResourceNotFoundException 434; of a malformed id: 431 naming agentId', async () => {
    const unknown = await errorOf(client.send(new GetAgentConfigurationCommand({ agentId: '0f0e0d0c-0b0a-4908-8706-050403020100' })));
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown).toMatchObject({ $metadata: { httpStatusCode: 434 } });
    const malformed = await errorOf(client.send(new GetAgentConfigurationCommand({ agentId: 'agent-1' })));
    expect(malformed).toBeInstanceOf(InvalidParameterException);
    expect(malformed).toMatchObject({ parameterName: 'agentId' });
  });

  const valid = registerAgentInput(['arn:aws:groundstation:us-east-1:123456789012:dataflow-endpoint-group/x']);
  const ips = (count: number) => Array.from({ length: count }, (_, i) => `198.51.100.${i + 1}`);
  const invalidAgents: Array<[string, RegisterAgentCommandInput, string]> = [
    ['discoveryData missing', withMember(valid, 'discoveryData', undefined), 'discoveryData'],
    ['agentDetails missing', withMember(valid, 'agentDetails', undefined), 'agentDetails'],
    ['21 public IPs', withMember(valid, 'discoveryData.publicIpAddresses', ips(21)), 'discoveryData.publicIpAddresses'],
    ['no private IP', withMember(valid, 'discoveryData.privateIpAddresses', []), 'discoveryData.privateIpAddresses'],
    ['a public IP that is a name', withMember(valid, 'discoveryData.publicIpAddresses', ['198.51.100.1', 'receiver']),
      'discoveryData.publicIpAddresses.2.member'],
    ['no capability ARN', withMember(valid, 'discoveryData.capabilityArns', []), 'discoveryData.capabilityArns'],
    ['an instance id in capitals', withMember(valid, 'agentDetails.instanceId', 'I-0123456789ABCDEF0'), 'agentDetails.instanceId'],
    ['an instance id too short', withMember(valid, 'agentDetails.instanceId', 'i-0123'), 'agentDetails.instanceId'],
    ['an instance type with a space', withMember(valid, 'agentDetails.instanceType', 'c5 large'), 'agentDetails.instanceType'],
    ['a version with a leading zero', withMember(valid, 'agentDetails.agentVersion', '1.02'), 'agentDetails.agentVersion'],
    ['no component versions', withMember(valid, 'agentDetails.componentVersions', []), 'agentDetails.componentVersions'],
    ['a component type with a hyphen', withMember(valid, 'agentDetails.componentVersions.0.componentType', 'LAMINAR-FLOW'),
      'agentDetails.componentVersions.1.member.componentType'],
    ['a component without versions', withMember(valid, 'agentDetails.componentVersions.0.versions', []), 'agentDetails.componentVersions.1.member.versions'],
    ['a CPU core that is not an integer', withMember(valid, 'agentDetails.agentCpuCores', [2, 'three']), 'agentDetails.agentCpuCores.2.member'],
  ];
  test.each(invalidAgents.map(([what, input, name]) => [what, name, input] as const))('RegisterAgent with %s: InvalidParameterException naming %s', async (_what, parameterName, input) => {
    const error = await errorOf(client.send(new RegisterAgentCommand(input)));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 431 }, parameterName });
    expect(emulator.groundStation.agents()).toEqual([]);
  });
});

test('requests are recorded with service, operation, path labels and body', async () => {
  const { dataflowEndpointGroupId } = await client.send(new CreateDataflowEndpointGroupCommand(createInput()));
  await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId }));
  expect(emulator.requests.map((r) => [r.service, r.operation, r.method, r.status])).toEqual([
    ['groundstation', 'CreateDataflowEndpointGroup', 'POST', 200],
    ['groundstation', 'GetDataflowEndpointGroup', 'GET', 200],
  ]);
  expect(emulator.requests[0].input).toMatchObject({ contactPrePassDurationSeconds: 120 });
  expect(emulator.requests[1]).toMatchObject({ path: `/dataflowEndpointGroup/${dataflowEndpointGroupId}`, input: { dataflowEndpointGroupId } });
});
