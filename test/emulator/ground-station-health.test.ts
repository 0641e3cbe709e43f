import { GetDataflowEndpointGroupCommand, GroundStationClient } from '@aws-sdk/client-groundstation';
import { startEmulator } from './emulator-test-support';
import { eventually, groundStationClient } from './ground-station-test-support';
import {
  agentEndpointDetails, DEFAULT_IP_VALIDATION_MS, GroundStationAgentScripts, SimulatedGroundStationAgent,
  type LocalAwsEndpoint, type SimulatedGroundStationAgentOptions,
} from '../support/emulator';

// The observed health of agent endpoints as simulated AWS Ground Station Agents drive it through
// the unmodified SDK, on a clock 100x faster than real time: a 2 s script takes 20 real ms.
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

function newAgent(options: Omit<SimulatedGroundStationAgentOptions, 'emulator'>): SimulatedGroundStationAgent {
  const agent = new SimulatedGroundStationAgent({ emulator, ...options });
  agents.push(agent);
  return agent;
}

/** The first endpoint of a group as GetDataflowEndpointGroup shows it. */
async function observed(groupId: string): Promise<Record<string, unknown>> {
  const group = await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: groupId }));
  const [details] = group.endpointsDetails ?? [];
  return {
    healthStatus: details.healthStatus,
    healthReasons: details.healthReasons,
    agentStatus: details.awsGroundStationAgentEndpoint?.agentStatus,
    auditResults: details.awsGroundStationAgentEndpoint?.auditResults,
  };
}

/** `[cause, from, to]` of the Ground Station events so far. */
function changes(groupId?: string): Array<[string, string | undefined, string]> {
  return emulator.eventsOf('groundstation')
    .filter((event) => groupId === undefined || event.dataflowEndpointGroupId === groupId)
    .map((event) => [event.cause, event.from, event.to]);
}

test('no agent registered for the group: UNHEALTHY [NO_REGISTERED_AGENT], no agent status', async () => {
  const { id } = emulator.groundStation.createDataflowEndpointGroup();
  expect(await observed(id)).toEqual({ healthStatus: 'UNHEALTHY', healthReasons: ['NO_REGISTERED_AGENT'], agentStatus: undefined, auditResults: undefined });
  expect(emulator.eventsOf('groundstation')).toEqual([{
    service: 'groundstation',
    at: expect.any(Number),
    dataflowEndpointGroupId: id,
    endpointName: 'emulated-endpoint-1',
    from: undefined,
    to: 'UNHEALTHY[NO_REGISTERED_AGENT]',
    cause: 'created',
  }]);
});

test('an agent that registers and never reports: UNHEALTHY [INITIALIZING_DATAPLANE]', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [arn] });
  agent.start(GroundStationAgentScripts.registersOnly());
  await agent.finished();
  expect(agent.state).toBe('finished');
  expect(await observed(id)).toEqual({ healthStatus: 'UNHEALTHY', healthReasons: ['INITIALIZING_DATAPLANE'], agentStatus: undefined, auditResults: undefined });
  expect(JSON.parse(agent.taskingDocument as string)).toMatchObject({ agentId: agent.agentId, capabilityArns: [arn] });
  expect(emulator.groundStation.agents()).toMatchObject([{
    agentId: agent.agentId,
    // By default the simulated instance owns the ingress addresses of its groups, as a correctly set up receiver does.
    publicIpAddresses: ['198.51.100.10'],
    capabilityArns: [arn],
    configurationReads: 1,
  }]);
  expect(changes(id).slice(1)).toEqual([['registered', 'UNHEALTHY[NO_REGISTERED_AGENT]', 'UNHEALTHY[INITIALIZING_DATAPLANE]']]);
});

test('healthy after a delay: NO_REGISTERED_AGENT → INITIALIZING_DATAPLANE → HEALTHY, at the scripted simulated times', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [arn] });
  const started = emulator.clock.now();
  agent.start(GroundStationAgentScripts.healthyAfter(2_000, 1_000));
  await agent.finished();

  expect(await observed(id)).toEqual({ healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'], agentStatus: 'SUCCESS', auditResults: 'HEALTHY' });
  const [, registered, healthy] = emulator.eventsOf('groundstation');
  expect(changes(id)).toEqual([
    ['created', undefined, 'UNHEALTHY[NO_REGISTERED_AGENT]'],
    ['registered', 'UNHEALTHY[NO_REGISTERED_AGENT]', 'UNHEALTHY[INITIALIZING_DATAPLANE]'],
    ['status-report', 'UNHEALTHY[INITIALIZING_DATAPLANE]', 'HEALTHY[HEALTHY]/SUCCESS'],
  ]);
  expect(registered.agentId).toBe(agent.agentId);
  expect(healthy.agentId).toBe(agent.agentId);
  expect(registered.at - started).toBeGreaterThanOrEqual(1_000);
  expect(healthy.at - registered.at).toBeGreaterThanOrEqual(2_000);
  expect(agent.sentReports).toEqual([{
    at: expect.any(Number),
    taskId: expect.stringMatching(/^[a-f0-9-]{36}$/),
    aggregateStatus: 'SUCCESS',
    componentStatuses: [{ componentType: 'LAMINAR_FLOW', capabilityArn: arn, status: 'SUCCESS', dataflowId: expect.stringMatching(/^[a-f0-9-]{36}$/) }],
  }]);
  expect(agent.errors).toEqual([]);
});

test('a FAILED component for the group ARN: DATAPLANE_FAILURE there, other groups of the same agent healthy', async () => {
  const failing = emulator.groundStation.createDataflowEndpointGroup();
  const fine = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [failing.arn, fine.arn] });
  agent.start(GroundStationAgentScripts.dataPlaneFailure(1_000, failing.arn));
  await agent.finished();

  expect(agent.sentReports[0]).toMatchObject({ aggregateStatus: 'ACTIVE', componentStatuses: [{ capabilityArn: failing.arn, status: 'FAILED' }] });
  expect(await observed(failing.id)).toEqual({
    healthStatus: 'UNHEALTHY', healthReasons: ['DATAPLANE_FAILURE'], agentStatus: 'ACTIVE', auditResults: 'UNHEALTHY',
  });
  expect(await observed(fine.id)).toEqual({ healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'], agentStatus: 'ACTIVE', auditResults: 'HEALTHY' });
  expect(changes(failing.id).at(-1)).toEqual(['status-report', 'UNHEALTHY[INITIALIZING_DATAPLANE]', 'UNHEALTHY[DATAPLANE_FAILURE]/ACTIVE']);
});

test('aggregate FAILED: agentStatus FAILED, auditResults UNHEALTHY', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [arn] });
  agent.start(GroundStationAgentScripts.aggregateFailed(500));
  await agent.finished();
  expect(await observed(id)).toEqual({ healthStatus: 'UNHEALTHY', healthReasons: ['DATAPLANE_FAILURE'], agentStatus: 'FAILED', auditResults: 'UNHEALTHY' });
});

test('health follows the latest report: a failure heals, and INACTIVE after the data plane was up stays HEALTHY', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [arn] });
  // Driven step by step: no script, no timers.
  await agent.register();
  await agent.sendStatus({ aggregateStatus: 'INACTIVE' });
  expect(await observed(id)).toMatchObject({ healthReasons: ['INITIALIZING_DATAPLANE'], agentStatus: 'INACTIVE', auditResults: undefined });
  await agent.sendStatus({ aggregateStatus: 'ACTIVE', componentStatuses: [{ status: 'FAILED' }] });
  await agent.sendStatus({ aggregateStatus: 'SUCCESS' });
  await agent.sendStatus({ aggregateStatus: 'INACTIVE', componentStatuses: [] });
  expect(await observed(id)).toEqual({ healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'], agentStatus: 'INACTIVE', auditResults: 'HEALTHY' });
  expect(changes(id).map(([, , to]) => to)).toEqual([
    'UNHEALTHY[NO_REGISTERED_AGENT]',
    'UNHEALTHY[INITIALIZING_DATAPLANE]',
    'UNHEALTHY[INITIALIZING_DATAPLANE]/INACTIVE',
    'UNHEALTHY[DATAPLANE_FAILURE]/ACTIVE',
    'HEALTHY[HEALTHY]/SUCCESS',
    'HEALTHY[HEALTHY]/INACTIVE',
  ]);
  expect(emulator.groundStation.agent(agent.agentId as string)?.taskIds).toHaveLength(4);
});

test('an agent whose public IPs miss the ingress address: UNVERIFIED_IP_OWNERSHIP, unless verification is off', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup({
    endpointDetails: [agentEndpointDetails('antenna', { ingressAddress: '198.51.100.77' })],
  });
  const agent = newAgent({ capabilityArns: [arn], publicIpAddresses: ['203.0.113.5'] });
  agent.start(GroundStationAgentScripts.healthyAfter(500));
  await agent.finished();
  expect(await observed(id)).toEqual({ healthStatus: 'UNHEALTHY', healthReasons: ['UNVERIFIED_IP_OWNERSHIP'], agentStatus: 'SUCCESS', auditResults: 'UNHEALTHY' });
  expect(changes(id)[1]).toEqual(['registered', 'UNHEALTHY[NO_REGISTERED_AGENT]', 'UNHEALTHY[UNVERIFIED_IP_OWNERSHIP,INITIALIZING_DATAPLANE]']);

  emulator.groundStation.setIpOwnershipVerification(false);
  expect(await observed(id)).toEqual({ healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'], agentStatus: 'SUCCESS', auditResults: 'HEALTHY' });
  expect(changes(id).at(-1)).toEqual(['ip-verification', 'UNHEALTHY[UNVERIFIED_IP_OWNERSHIP]/SUCCESS', 'HEALTHY[HEALTHY]/SUCCESS']);
});

test('an address that is not the agent\'s is UNVERIFIED only while it is validated, then INVALID_IP_OWNERSHIP, at the instant validation ends', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup({
    endpointDetails: [agentEndpointDetails('antenna', { ingressAddress: '198.51.100.77' })],
  });
  const agent = newAgent({ capabilityArns: [arn], publicIpAddresses: ['203.0.113.5'] });
  agent.start(GroundStationAgentScripts.healthyAfter(500));
  await agent.finished();
  const registeredAt = emulator.groundStation.agent(agent.agentId as string)!.registeredAt;
  await emulator.clock.sleep(registeredAt + DEFAULT_IP_VALIDATION_MS - emulator.clock.now());
  expect(await observed(id)).toMatchObject({ healthStatus: 'UNHEALTHY', healthReasons: ['INVALID_IP_OWNERSHIP'], auditResults: 'UNHEALTHY' });
  const invalid = emulator.eventsOf('groundstation').filter((e) => e.dataflowEndpointGroupId === id).at(-1)!;
  expect(invalid).toMatchObject({ at: registeredAt + DEFAULT_IP_VALIDATION_MS, cause: 'ip-verification', to: 'UNHEALTHY[INVALID_IP_OWNERSHIP]/SUCCESS' });
});

test('the endpoint follows the agent that registered last; deregistering it falls back to the one before', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
  const first = newAgent({ capabilityArns: [arn], instanceId: 'i-0000000000000001a' });
  const second = newAgent({ capabilityArns: [arn], instanceId: 'i-0000000000000002b' });
  await first.register();
  await first.sendStatus({ aggregateStatus: 'SUCCESS' });
  await second.register();
  expect(emulator.groundStation.endpointHealth(id, 'emulated-endpoint-1')).toMatchObject({
    agentId: second.agentId, healthReasons: ['INITIALIZING_DATAPLANE'],
  });
  emulator.groundStation.deregisterAgentOutOfBand(second.agentId as string);
  expect(emulator.groundStation.endpointHealth(id, 'emulated-endpoint-1')).toMatchObject({ agentId: first.agentId, healthStatus: 'HEALTHY' });
  emulator.groundStation.deregisterAgentOutOfBand(first.agentId as string);
  expect(await observed(id)).toMatchObject({ healthReasons: ['NO_REGISTERED_AGENT'], agentStatus: undefined });
  expect(emulator.eventsOf('groundstation').filter((e) => e.cause === 'deregistered').map((e) => [e.agentId, e.to])).toEqual([
    [second.agentId, 'HEALTHY[HEALTHY]/SUCCESS'],
    [first.agentId, 'UNHEALTHY[NO_REGISTERED_AGENT]'],
  ]);
});

test('overrides force reasons no agent can cause, until cleared; agentStatus still follows the agent', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [arn] });
  agent.start(GroundStationAgentScripts.healthyAfter(100));
  await agent.finished();
  emulator.groundStation.setEndpointHealthOverride(id, 'emulated-endpoint-1', { healthReasons: ['INVALID_IP_OWNERSHIP', 'NOT_AUTHORIZED_TO_CREATE_SLR'] });
  expect(await observed(id)).toEqual({
    healthStatus: 'UNHEALTHY', healthReasons: ['INVALID_IP_OWNERSHIP', 'NOT_AUTHORIZED_TO_CREATE_SLR'], agentStatus: 'SUCCESS', auditResults: 'HEALTHY',
  });
  expect(emulator.groundStation.endpointHealth(id, 'emulated-endpoint-1').overridden).toBe(true);
  emulator.groundStation.clearEndpointHealthOverride(id, 'emulated-endpoint-1');
  expect(await observed(id)).toMatchObject({ healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'] });
  expect(changes(id).slice(-2)).toEqual([
    ['override', 'HEALTHY[HEALTHY]/SUCCESS', 'UNHEALTHY[INVALID_IP_OWNERSHIP,NOT_AUTHORIZED_TO_CREATE_SLR]/SUCCESS'],
    ['override', 'UNHEALTHY[INVALID_IP_OWNERSHIP,NOT_AUTHORIZED_TO_CREATE_SLR]/SUCCESS', 'HEALTHY[HEALTHY]/SUCCESS'],
  ]);
});

test('an override with durationMs ends by itself, recorded at the instant it ended', async () => {
  const { id } = emulator.groundStation.createDataflowEndpointGroup();
  const setAt = emulator.clock.now();
  emulator.groundStation.setEndpointHealthOverride(id, 'emulated-endpoint-1', { healthReasons: ['UNVERIFIED_IP_OWNERSHIP'], durationMs: 1_000 });
  expect(await observed(id)).toMatchObject({ healthReasons: ['UNVERIFIED_IP_OWNERSHIP'] });
  await eventually(() => emulator.clock.now() > setAt + 1_000, '1 simulated second has passed');
  expect(await observed(id)).toMatchObject({ healthReasons: ['NO_REGISTERED_AGENT'] });
  const set = emulator.eventsOf('groundstation').find((event) => event.cause === 'override');
  const expired = emulator.eventsOf('groundstation').find((event) => event.cause === 'override-expired');
  expect(expired).toMatchObject({ from: 'UNHEALTHY[UNVERIFIED_IP_OWNERSHIP]', to: 'UNHEALTHY[NO_REGISTERED_AGENT]' });
  // Not when it was noticed: exactly durationMs after it was set.
  expect(expired?.at).toBe((set?.at as number) + 1_000);
});

test('override helpers refuse what cannot be', () => {
  const { id } = emulator.groundStation.createDataflowEndpointGroup();
  const health = emulator.groundStation;
  expect(() => health.setEndpointHealthOverride(id, 'nope', { healthReasons: [] })).toThrow(/no AWS Ground Station Agent endpoint named nope/);
  expect(() => health.setEndpointHealthOverride(id, 'emulated-endpoint-1', { healthReasons: ['BROKEN' as 'HEALTHY'] })).toThrow(/BROKEN/);
  expect(() => health.setEndpointHealthOverride(id, 'emulated-endpoint-1', { healthReasons: [], durationMs: 0 })).toThrow(/durationMs/);
  expect(() => health.setEndpointHealthOverride('f'.repeat(36), 'x', { healthReasons: [] })).toThrow(/no dataflow endpoint group/);
});

test('a heartbeat repeats the last task until stopped; stop() leaves nothing running', async () => {
  const { arn } = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [arn] });
  agent.start(GroundStationAgentScripts.heartbeat(500, 100));
  await eventually(() => agent.sentReports.length >= 4, 'four reports were sent');
  await agent.stop();
  expect(agent.state).toBe('stopped');
  const sent = agent.sentReports.length;
  // 50 real ms are 5 simulated s: ten more heartbeats, were the agent still running.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(agent.sentReports).toHaveLength(sent);
  expect(new Set(agent.sentReports.map((report) => report.taskId)).size).toBe(1);
  expect(emulator.groundStation.agent(agent.agentId as string)?.statusReports).toHaveLength(sent);
  // Repeats of one report change nothing: a single health change.
  expect(changes().filter(([cause]) => cause === 'status-report')).toHaveLength(1);
});

test('an agent stopped before its registration time never registers', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
  const agent = newAgent({ capabilityArns: [arn] });
  agent.start(GroundStationAgentScripts.healthyAfter(1_000, 60_000));
  await agent.stop();
  await agent.finished();
  expect(agent.agentId).toBeUndefined();
  expect(emulator.groundStation.agents()).toEqual([]);
  expect(await observed(id)).toMatchObject({ healthReasons: ['NO_REGISTERED_AGENT'] });
  expect(() => agent.start()).toThrow(/already started/);
});

test('deleting a group records DELETED for each agent endpoint; its agent keeps reporting', async () => {
  const { id, arn } = emulator.groundStation.createDataflowEndpointGroup({
    endpointDetails: [agentEndpointDetails('antenna-a'), agentEndpointDetails('antenna-b', { ingressAddress: '198.51.100.11' })],
  });
  const agent = newAgent({ capabilityArns: [arn] });
  await agent.register();
  expect(emulator.groundStation.agent(agent.agentId as string)?.publicIpAddresses).toEqual(['198.51.100.10', '198.51.100.11']);
  emulator.groundStation.deleteGroupOutOfBand(id);
  expect(emulator.eventsOf('groundstation').filter((e) => e.cause === 'deleted').map((e) => [e.endpointName, e.from, e.to])).toEqual([
    ['antenna-a', 'UNHEALTHY[INITIALIZING_DATAPLANE]', 'DELETED'],
    ['antenna-b', 'UNHEALTHY[INITIALIZING_DATAPLANE]', 'DELETED'],
  ]);
  await expect(agent.sendStatus({ aggregateStatus: 'SUCCESS' })).resolves.not.toHaveProperty('error');
});

test('the agent needs an endpoint and a clock, and at least one capability', () => {
  expect(() => new SimulatedGroundStationAgent({ capabilityArns: ['x'] })).toThrow(/needs `emulator`/);
  expect(() => new SimulatedGroundStationAgent({ emulator, capabilityArns: [] })).toThrow(/at least one capability/);
});
