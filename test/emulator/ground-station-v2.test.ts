import { DeleteDataflowEndpointGroupCommand, GetDataflowEndpointGroupCommand, GroundStationClient } from '@aws-sdk/client-groundstation';
import { startEmulator } from './emulator-test-support';
import { createDataflowEndpointGroupV2, errorOf, groundStationClient, withMember } from './ground-station-test-support';
import {
  DEFAULT_IP_VALIDATION_MS, downlinkEndpointDetails, GroundStationAgentScripts, SimulatedGroundStationAgent, uplinkEndpointDetails,
  type CreateEndpointDetailsInput, type LocalAwsEndpoint, type PolicyStatement, type SimulatedGroundStationAgentOptions,
} from '../support/emulator';

// CreateDataflowEndpointGroupV2 (uplink and downlink AWS Ground Station Agent endpoints) as the
// current Smithy model defines it, sent raw (the SDK here, 3.523, predates it), and what the
// unmodified SDK's GetDataflowEndpointGroup reads of such a group while an agent reports.
let emulator: LocalAwsEndpoint;
let client: GroundStationClient;
const agents: SimulatedGroundStationAgent[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  client = groundStationClient(emulator);
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  emulator.reset();
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;
const uplink = uplinkEndpointDetails('uplink-1', { agentAddress: '198.51.100.20', customerAddress: { name: '10.0.0.20', port: 50000 } });
const downlink = downlinkEndpointDetails('downlink-1', { agentAddress: '198.51.100.20', portRange: { minimum: 43000, maximum: 43100 } });

function createInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { endpoints: [uplink, downlink], contactPrePassDurationSeconds: 60, contactPostPassDurationSeconds: 90, tags: { team: 'rf' }, ...overrides };
}

function newAgent(options: Omit<SimulatedGroundStationAgentOptions, 'emulator'>): SimulatedGroundStationAgent {
  const agent = new SimulatedGroundStationAgent({ emulator, ...options });
  agents.push(agent);
  return agent;
}

/** `endpointsDetails` as the unmodified 3.523 SDK hands them over (its types lack the V2 members). */
async function details(groupId: string): Promise<Array<Record<string, any>>> {
  const group = await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: groupId }));
  return (group.endpointsDetails ?? []) as Array<Record<string, any>>;
}

describe('CreateDataflowEndpointGroupV2', () => {
  test('answers a UUID; GetDataflowEndpointGroup answers the uplink and downlink endpoints in the V2 members, with health beside them', async () => {
    const created = await createDataflowEndpointGroupV2(emulator, createInput());
    expect(created).toMatchObject({ status: 200, errorType: null, body: { dataflowEndpointGroupId: expect.stringMatching(UUID) } });
    const id = created.body.dataflowEndpointGroupId as string;

    const group = await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id }));
    // The 3.523 deserializer passes endpointsDetails through as JSON: the V2 members it has no types for arrive intact.
    expect(group).toMatchObject({
      dataflowEndpointGroupId: id,
      dataflowEndpointGroupArn: `arn:aws:groundstation:us-east-1:123456789012:dataflow-endpoint-group/${id}`,
      contactPrePassDurationSeconds: 60,
      contactPostPassDurationSeconds: 90,
      tags: { team: 'rf' },
    });
    expect(group.endpointsDetails).toEqual([
      { ...uplink, healthStatus: 'UNHEALTHY', healthReasons: ['NO_REGISTERED_AGENT'] },
      { ...downlink, healthStatus: 'UNHEALTHY', healthReasons: ['NO_REGISTERED_AGENT'] },
    ]);
    expect(emulator.groundStation.group(id)).toMatchObject({
      createdWith: 'CreateDataflowEndpointGroupV2',
      agentEndpoints: [
        { name: 'uplink-1', member: 'uplinkAwsGroundStationAgentEndpoint', ingressAddress: '198.51.100.20', healthStatus: 'UNHEALTHY' },
        { name: 'downlink-1', member: 'downlinkAwsGroundStationAgentEndpoint', ingressAddress: '198.51.100.20', healthStatus: 'UNHEALTHY' },
      ],
    });
    expect(emulator.requests.map((r) => [r.operation, r.method, r.path, r.status])).toEqual([
      ['CreateDataflowEndpointGroupV2', 'POST', '/dataflowEndpointGroupV2', 200],
      ['GetDataflowEndpointGroup', 'GET', `/dataflowEndpointGroup/${id}`, 200],
    ]);
  });

  test('output-only and unknown members given on create are dropped; durations and tags are optional', async () => {
    const withOutputs = withMember(withMember(uplink, 'uplinkAwsGroundStationAgentEndpoint.agentStatus', 'SUCCESS'),
      'uplinkAwsGroundStationAgentEndpoint.dataflowDetails.agentConnectionDetails.agentIpAndPortAddress.extra', 'x');
    const created = await createDataflowEndpointGroupV2(emulator, { endpoints: [{ ...withOutputs, healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'] }] });
    const id = created.body.dataflowEndpointGroupId as string;
    expect(await details(id)).toEqual([{ ...uplink, healthStatus: 'UNHEALTHY', healthReasons: ['NO_REGISTERED_AGENT'] }]);
    const group = await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id }));
    expect(group).toMatchObject({ tags: {} });
    expect(group).not.toHaveProperty('contactPrePassDurationSeconds');
  });

  test('DeleteDataflowEndpointGroup deletes a V2 group', async () => {
    const { id } = emulator.groundStation.createDataflowEndpointGroupV2();
    await client.send(new DeleteDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id }));
    expect(emulator.groundStation.groupIds()).toEqual([]);
    expect(await errorOf(client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  const upPath = 'endpoints.0.uplinkAwsGroundStationAgentEndpoint';
  const upConnection = `${upPath}.dataflowDetails.agentConnectionDetails`;
  const downConnection = 'endpoints.1.downlinkAwsGroundStationAgentEndpoint.dataflowDetails.agentConnectionDetails';
  const named = (path: string) => path.replace(/^endpoints\.(\d+)\./, (_, i) => `endpoints.${Number(i) + 1}.member.`);
  const thirteen = Array.from({ length: 13 }, (_, i) => downlinkEndpointDetails(`downlink-${i}`));
  const refusals: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['endpoints missing', withMember(createInput(), 'endpoints', undefined), 'endpoints', /Value null at 'endpoints' failed to satisfy constraint: Member must not be null/],
    ['no endpoints', createInput({ endpoints: [] }), 'endpoints', /Member must have length greater than or equal to 1 \(got 0\)/],
    ['13 endpoints', createInput({ endpoints: thirteen }), 'endpoints', /Member must have length less than or equal to 12 \(got 13\)/],
    ['an item with neither member', createInput({ endpoints: [{}] }), 'endpoints.1.member',
      /Member must have exactly one of uplinkAwsGroundStationAgentEndpoint, downlinkAwsGroundStationAgentEndpoint set \(got none\)/],
    ['an item with both members', createInput({ endpoints: [{ ...uplink, ...downlink }] }), 'endpoints.1.member',
      /\(got uplinkAwsGroundStationAgentEndpoint, downlinkAwsGroundStationAgentEndpoint\)/],
    ['a V1 agent endpoint', createInput({ endpoints: [{ awsGroundStationAgentEndpoint: { name: 'v1' } }] }), 'endpoints.1.member', /\(got none\)/],
    ['a name with a dot', withMember(createInput(), `${upPath}.name`, 'uplink.1'), named(`${upPath}.name`), /Member must satisfy regular expression pattern/],
    ['dataflowDetails missing', withMember(createInput(), `${upPath}.dataflowDetails`, undefined), named(`${upPath}.dataflowDetails`), /Member must not be null/],
    ['agentConnectionDetails missing', withMember(createInput(), `${upPath}.dataflowDetails`, {}), named(`${upPath}.dataflowDetails`),
      /Member must have exactly one of agentConnectionDetails set \(got none\)/],
    ['uplink ingressAddressAndPort missing', withMember(createInput(), `${upConnection}.ingressAddressAndPort`, undefined),
      named(`${upConnection}.ingressAddressAndPort`), /Member must not be null/],
    ['an agent address that is a name', withMember(createInput(), `${upConnection}.agentIpAndPortAddress.socketAddress.name`, 'agent.example.com'),
      named(`${upConnection}.agentIpAndPortAddress.socketAddress.name`), /Member must satisfy regular expression pattern/],
    ['an agent MTU above 1500', withMember(createInput(), `${downConnection}.agentIpAndPortAddress.mtu`, 9001),
      named(`${downConnection}.agentIpAndPortAddress.mtu`), /Member must have value less than or equal to 1500/],
    ['a port range upside down', withMember(createInput(), `${downConnection}.agentIpAndPortAddress.socketAddress.portRange`, { minimum: 43100, maximum: 43000 }),
      named(`${downConnection}.agentIpAndPortAddress.socketAddress.portRange`), /minimum 43100 must not exceed maximum 43000/],
    ['downlink egress port missing', withMember(createInput(), `${downConnection}.egressAddressAndPort.socketAddress.port`, undefined),
      named(`${downConnection}.egressAddressAndPort.socketAddress.port`), /Member must not be null/],
    ['two endpoints with one name', createInput({ endpoints: [uplink, uplink] }), 'endpoints', /endpoint names must be unique \(uplink-1\)/],
    ['pre-pass below 30 s', createInput({ contactPrePassDurationSeconds: 29 }), 'contactPrePassDurationSeconds', /greater than or equal to 30/],
    ['post-pass above 480 s', createInput({ contactPostPassDurationSeconds: 481 }), 'contactPostPassDurationSeconds', /less than or equal to 480/],
    ['a tag value that is a number', createInput({ tags: { team: 7 } }), 'tags.team', /Member must be a string/],
  ];
  test.each(refusals)('with %s: InvalidParameterException 431 naming the member', async (_what, input, parameterName, message) => {
    const answer = await createDataflowEndpointGroupV2(emulator, input);
    expect(answer).toMatchObject({ status: 431, errorType: 'InvalidParameterException', body: { parameterName } });
    expect(answer.body.message).toMatch(/^\d+ validation errors? detected: /);
    expect(answer.body.message).toMatch(message);
    expect(emulator.groundStation.groupIds()).toEqual([]);
  });

  test('the group quota: ServiceQuotaExceededException 402 once an account has that many groups in the region, V1 groups included', async () => {
    emulator.groundStation.setDataflowEndpointGroupQuota(2);
    emulator.groundStation.createDataflowEndpointGroup();
    emulator.groundStation.createDataflowEndpointGroup({ region: 'eu-west-1' });
    expect((await createDataflowEndpointGroupV2(emulator, createInput())).status).toBe(200);
    const refused = await createDataflowEndpointGroupV2(emulator, createInput());
    expect(refused).toMatchObject({
      status: 402,
      errorType: 'ServiceQuotaExceededException',
      body: { message: 'Request would cause a service quota to be exceeded: at most 2 dataflow endpoint groups per account and region' },
    });
    // Another region has room; CreateDataflowEndpointGroup does not model the error.
    expect((await createDataflowEndpointGroupV2(emulator, createInput(), { region: 'eu-west-1' })).status).toBe(200);
    expect(() => emulator.groundStation.createDataflowEndpointGroup()).not.toThrow();
    expect(() => emulator.groundStation.createDataflowEndpointGroupV2()).toThrow(/service quota/);
    // Input errors come first.
    expect((await createDataflowEndpointGroupV2(emulator, createInput({ endpoints: [] }))).status).toBe(431);
    emulator.reset();
    expect((await createDataflowEndpointGroupV2(emulator, createInput())).status).toBe(200);
  });

  test('the helper validates like the API and names endpoints per group', () => {
    expect(() => emulator.groundStation.createDataflowEndpointGroupV2({ endpoints: [] })).toThrow(/^1 validation error detected: Value at 'endpoints'/);
    const first = emulator.groundStation.createDataflowEndpointGroupV2();
    expect(emulator.groundStation.group(first.id)?.agentEndpoints).toMatchObject([{ name: 'emulated-endpoint-1', member: 'downlinkAwsGroundStationAgentEndpoint' }]);
    expect(() => emulator.groundStation.setDataflowEndpointGroupQuota(-1)).toThrow(/whole number/);
  });
});

describe('IAM', () => {
  const ROLE_KEY = 'ASIAEDGESYNCV2ROLE01';
  let statements: PolicyStatement[];
  beforeEach(() => {
    statements = [];
    emulator.iam.registerRole(ROLE_KEY, {
      sessionArn: 'arn:aws:sts::123456789012:assumed-role/Receiver/setup',
      roleArn: 'arn:aws:iam::123456789012:role/Receiver',
      policies: () => [{ Version: '2012-10-17', Statement: statements }],
    });
  });
  const allow = (action: string, condition?: PolicyStatement['Condition']): PolicyStatement =>
    ({ Effect: 'Allow', Action: action, Resource: '*', ...(condition ? { Condition: condition } : {}) });

  test('groundstation:CreateDataflowEndpointGroupV2 on * is needed; the V1 action is not enough', async () => {
    statements = [allow('groundstation:CreateDataflowEndpointGroup')];
    const denied = await createDataflowEndpointGroupV2(emulator, createInput(), { accessKeyId: ROLE_KEY });
    expect(denied).toMatchObject({ status: 403, errorType: 'AccessDeniedException' });
    expect(denied.body.message).toContain('groundstation:CreateDataflowEndpointGroupV2');
    expect(emulator.iam.denials).toMatchObject([{ action: 'groundstation:CreateDataflowEndpointGroupV2', resource: '*', reason: 'implicit' }]);
    expect(emulator.groundStation.groupIds()).toEqual([]);

    statements = [allow('groundstation:CreateDataflowEndpointGroupV2')];
    expect((await createDataflowEndpointGroupV2(emulator, createInput(), { accessKeyId: ROLE_KEY })).status).toBe(200);
  });

  test('aws:RequestTag and aws:TagKeys are the request\'s tags', async () => {
    statements = [allow('groundstation:CreateDataflowEndpointGroupV2', { StringEquals: { 'aws:RequestTag/team': 'rf' } })];
    expect((await createDataflowEndpointGroupV2(emulator, createInput({ tags: { team: 'ops' } }), { accessKeyId: ROLE_KEY })).status).toBe(403);
    expect((await createDataflowEndpointGroupV2(emulator, createInput({ tags: undefined }), { accessKeyId: ROLE_KEY })).status).toBe(403);
    expect((await createDataflowEndpointGroupV2(emulator, createInput({ tags: { team: 'rf' } }), { accessKeyId: ROLE_KEY })).status).toBe(200);
  });
});

describe('V2 agent endpoints follow the agent like V1 ones', () => {
  const observed = async (groupId: string) => (await details(groupId)).map((item) => {
    const endpoint = item.uplinkAwsGroundStationAgentEndpoint ?? item.downlinkAwsGroundStationAgentEndpoint;
    return `${endpoint.name}: ${item.healthStatus} [${item.healthReasons.join(',')}] ${endpoint.agentStatus ?? '-'} ${endpoint.auditResults ?? '-'}`;
  });
  const endpoints: CreateEndpointDetailsInput[] = [uplink, downlink];

  test('registered: INITIALIZING_DATAPLANE; a SUCCESS report: HEALTHY, with agentStatus and auditResults inside the V2 members', async () => {
    const { id, arn } = emulator.groundStation.createDataflowEndpointGroupV2({ endpoints });
    const agent = newAgent({ capabilityArns: [arn] });
    await agent.register();
    expect(await observed(id)).toEqual(['uplink-1: UNHEALTHY [INITIALIZING_DATAPLANE] - -', 'downlink-1: UNHEALTHY [INITIALIZING_DATAPLANE] - -']);
    // A correctly set up receiver owns the agent address of its V2 endpoints.
    expect(emulator.groundStation.agents()[0].publicIpAddresses).toEqual(['198.51.100.20']);
    await agent.sendStatus({ aggregateStatus: 'SUCCESS' });
    expect(await observed(id)).toEqual(['uplink-1: HEALTHY [HEALTHY] SUCCESS HEALTHY', 'downlink-1: HEALTHY [HEALTHY] SUCCESS HEALTHY']);
    expect(emulator.eventsOf('groundstation').map((e) => [e.endpointName, e.cause, e.to])).toEqual(expect.arrayContaining([
      ['downlink-1', 'status-report', 'HEALTHY[HEALTHY]/SUCCESS'],
    ]));
  });

  test('an agent reporting FAILED: DATAPLANE_FAILURE, agent FAILED, audit UNHEALTHY', async () => {
    const { id, arn } = emulator.groundStation.createDataflowEndpointGroupV2({ endpoints: [downlink] });
    const agent = newAgent({ capabilityArns: [arn] });
    agent.start(GroundStationAgentScripts.aggregateFailed(500));
    await agent.finished();
    expect(await observed(id)).toEqual(['downlink-1: UNHEALTHY [DATAPLANE_FAILURE] FAILED UNHEALTHY']);
  });

  test('ownership of the agent address (agentIpAndPortAddress) is verified: UNVERIFIED, then INVALID_IP_OWNERSHIP', async () => {
    const { id, arn } = emulator.groundStation.createDataflowEndpointGroupV2({ endpoints: [uplink] });
    const agent = newAgent({ capabilityArns: [arn], publicIpAddresses: ['203.0.113.5'] });
    agent.start(GroundStationAgentScripts.healthyAfter(500));
    await agent.finished();
    expect(await observed(id)).toEqual(['uplink-1: UNHEALTHY [UNVERIFIED_IP_OWNERSHIP] SUCCESS UNHEALTHY']);
    const registeredAt = emulator.groundStation.agent(agent.agentId as string)!.registeredAt;
    await emulator.clock.sleep(registeredAt + DEFAULT_IP_VALIDATION_MS - emulator.clock.now());
    expect(await observed(id)).toEqual(['uplink-1: UNHEALTHY [INVALID_IP_OWNERSHIP] SUCCESS UNHEALTHY']);
  });

  test('test overrides apply to V2 endpoints by name', async () => {
    const { id } = emulator.groundStation.createDataflowEndpointGroupV2({ endpoints });
    emulator.groundStation.setEndpointHealthOverride(id, 'downlink-1', { healthReasons: ['NOT_AUTHORIZED_TO_CREATE_SLR'] });
    expect(await observed(id)).toEqual(['uplink-1: UNHEALTHY [NO_REGISTERED_AGENT] - -', 'downlink-1: UNHEALTHY [NOT_AUTHORIZED_TO_CREATE_SLR] - -']);
    expect(emulator.groundStation.endpointHealth(id, 'uplink-1')).toMatchObject({ healthReasons: ['NO_REGISTERED_AGENT'], overridden: false });
  });
});
