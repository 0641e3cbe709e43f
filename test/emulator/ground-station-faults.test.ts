import {
  DependencyException, GetDataflowEndpointGroupCommand, GroundStationClient, GroundStationServiceException,
} from '@aws-sdk/client-groundstation';
import { startEmulator } from './emulator-test-support';
import { errorOf, groundStationClient } from './ground-station-test-support';
import { GroundStationAgentScripts, SimulatedGroundStationAgent, type LocalAwsEndpoint } from '../support/emulator';

// Fault injection on Ground Station: its internal error is DependencyException 531 (the model's
// only fault), its throttling a 400 ThrottlingException (the model has none; AWS's Common Errors say 400); both reach the SDK
// as errors it retries, and the simulated agent rides them out like the real one would.
let emulator: LocalAwsEndpoint;
let client: GroundStationClient;
let groupId: string;
let groupArn: string;
const agents: SimulatedGroundStationAgent[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  client = groundStationClient(emulator);
});
beforeEach(() => {
  ({ id: groupId, arn: groupArn } = emulator.groundStation.createDataflowEndpointGroup());
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop()));
  emulator.reset();
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const getGroup = (sdk: GroundStationClient = client) => sdk.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: groupId }));

function newAgent(options: Partial<ConstructorParameters<typeof SimulatedGroundStationAgent>[0]> = {}): SimulatedGroundStationAgent {
  const agent = new SimulatedGroundStationAgent({ emulator, capabilityArns: [groupArn], ...options });
  agents.push(agent);
  return agent;
}

test('serverErrorRate answers DependencyException 531, a server fault of the SDK', async () => {
  emulator.faults.set({ serverErrorRate: 1, services: ['groundstation'] });
  const error = await errorOf(getGroup());
  expect(error).toBeInstanceOf(DependencyException);
  expect(error).toMatchObject({
    name: 'DependencyException', $fault: 'server', $metadata: { httpStatusCode: 531 }, message: 'Internal failure (injected by the local emulator)',
  });
  expect(emulator.requests).toMatchObject([{ service: 'groundstation', operation: 'GetDataflowEndpointGroup', status: 531, fault: 'serverError' }]);
});

test('throttleRate answers ThrottlingException 400, which the SDK retries as throttling', async () => {
  emulator.faults.set({ throttleRate: 1, operations: ['GetDataflowEndpointGroup'], firstN: 1 });
  const error = await errorOf(getGroup());
  expect(error).toBeInstanceOf(GroundStationServiceException);
  expect(error).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

  emulator.faults.set({ throttleRate: 1, operations: ['GetDataflowEndpointGroup'], firstN: 1 });
  const retrying = groundStationClient(emulator, { maxAttempts: 2 });
  try {
    await expect(getGroup(retrying)).resolves.toMatchObject({ dataflowEndpointGroupId: groupId });
  } finally {
    retrying.destroy();
  }
  expect(emulator.requests.map((r) => [r.status, r.errorCode, r.fault])).toEqual([
    [400, 'ThrottlingException', 'throttle'],
    [400, 'ThrottlingException', 'throttle'],
    [200, undefined, undefined],
  ]);
});

test('the agent registers through throttling with the SDK\'s own retries', async () => {
  emulator.faults.set({ throttleRate: 1, operations: ['RegisterAgent'], firstN: 2 });
  const agent = newAgent();
  agent.start(GroundStationAgentScripts.healthyAfter(500));
  await agent.finished();
  expect(agent.errors).toEqual([]);
  expect(emulator.requests.filter((r) => r.operation === 'RegisterAgent').map((r) => r.status)).toEqual([400, 400, 200]);
  expect(emulator.groundStation.endpointHealth(groupId, 'emulated-endpoint-1')).toMatchObject({ healthStatus: 'HEALTHY' });
});

test('a refused registration is tried again after registerRetryMs', async () => {
  emulator.faults.set({ serverErrorRate: 1, operations: ['RegisterAgent'], firstN: 1 });
  const agent = newAgent({ clientConfig: { maxAttempts: 1 }, registerRetryMs: 1_000 });
  agent.start(GroundStationAgentScripts.registersOnly());
  await agent.finished();
  expect(agent.errors).toMatchObject([{ operation: 'RegisterAgent', name: 'DependencyException', httpStatusCode: 531 }]);
  const attempts = emulator.requests.filter((r) => r.operation === 'RegisterAgent');
  expect(attempts.map((r) => r.status)).toEqual([531, 200]);
  expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1_000);
  expect(agent.agentId).toBeDefined();
});

test('a report lost to a fault leaves health as it was; the next one gets through', async () => {
  emulator.faults.set({ serverErrorRate: 1, operations: ['UpdateAgentStatus'], firstN: 1 });
  const agent = newAgent({ clientConfig: { maxAttempts: 1 } });
  agent.start({ reports: [{ afterMs: 200, aggregateStatus: 'SUCCESS' }, { afterMs: 200, aggregateStatus: 'SUCCESS' }] });
  await agent.finished();
  expect(agent.sentReports.map((report) => report.error)).toEqual(['DependencyException', undefined]);
  expect(agent.errors).toMatchObject([{ operation: 'UpdateAgentStatus', httpStatusCode: 531 }]);
  const changes = emulator.eventsOf('groundstation').map((event) => [event.cause, event.to]);
  expect(changes).toEqual([
    ['created', 'UNHEALTHY[NO_REGISTERED_AGENT]'],
    ['registered', 'UNHEALTHY[INITIALIZING_DATAPLANE]'],
    ['status-report', 'HEALTHY[HEALTHY]/SUCCESS'],
  ]);
  // The healthy report is the second one, 200 simulated ms after the lost one.
  expect(changes.length).toBe(3);
  const [lost, delivered] = emulator.requests.filter((r) => r.operation === 'UpdateAgentStatus');
  expect(emulator.eventsOf('groundstation')[2].at).toBe(delivered.at);
  expect(delivered.at - lost.at).toBeGreaterThanOrEqual(200);
});

test('injected latency delays Ground Station answers on simulated time', async () => {
  emulator.faults.set({ latencyMs: 3_000, services: ['groundstation'] });
  const before = emulator.clock.now();
  await expect(getGroup()).resolves.toMatchObject({ dataflowEndpointGroupId: groupId });
  expect(emulator.clock.now() - before).toBeGreaterThanOrEqual(3_000);
  expect(emulator.requests).toMatchObject([{ operation: 'GetDataflowEndpointGroup', status: 200, fault: 'latency' }]);
});
