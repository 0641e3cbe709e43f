import {
  GroundStationClient, InvalidParameterException, RegisterAgentCommand, ResourceNotFoundException, UpdateAgentStatusCommand,
  type UpdateAgentStatusCommandInput,
} from '@aws-sdk/client-groundstation';
import { startEmulator } from './emulator-test-support';
import { DATAFLOW_ID, errorOf, groundStationClient, registerAgentInput, TASK_ID, updateAgentStatusInput, withMember } from './ground-station-test-support';
import type { LocalAwsEndpoint } from '../support/emulator';

// UpdateAgentStatus through the unmodified SDK: every constraint of the model answered with
// InvalidParameterException 431 naming the member, an unknown agent with 434, and idempotency.
let emulator: LocalAwsEndpoint;
let client: GroundStationClient;
let groupId: string;
let groupArn: string;
let agentId: string;
let valid: UpdateAgentStatusCommandInput;

beforeAll(async () => {
  emulator = await startEmulator();
  client = groundStationClient(emulator);
});
beforeEach(async () => {
  ({ id: groupId, arn: groupArn } = emulator.groundStation.createDataflowEndpointGroup());
  agentId = (await client.send(new RegisterAgentCommand(registerAgentInput([groupArn])))).agentId as string;
  valid = updateAgentStatusInput(agentId, groupArn);
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const send = (input: UpdateAgentStatusCommandInput) => client.send(new UpdateAgentStatusCommand(input));
const component = (index: number, member: string) => `componentStatuses.${index + 1}.member.${member}`;
const components = (count: number) => Array.from({ length: count }, () => valid.componentStatuses![0]);

test('a valid report answers the agent id and is recorded', async () => {
  await expect(send(valid)).resolves.toMatchObject({ agentId, $metadata: { httpStatusCode: 200 } });
  expect(emulator.groundStation.agent(agentId)).toMatchObject({
    aggregateStatus: 'SUCCESS',
    dataPlaneUp: true,
    componentStatusByCapability: { [groupArn]: 'SUCCESS' },
    taskIds: [TASK_ID],
    statusReports: [{ taskId: TASK_ID, aggregateStatus: 'SUCCESS', signatureMap: { timeout: false }, componentStatuses: valid.componentStatuses }],
  });
});

test('idempotent: the same request twice answers the same, changes health once, and is kept twice', async () => {
  const first = await send(valid);
  const second = await send(valid);
  expect(second.agentId).toBe(first.agentId);
  expect(emulator.groundStation.agent(agentId)?.statusReports).toHaveLength(2);
  expect(emulator.groundStation.agent(agentId)?.taskIds).toEqual([TASK_ID]);
  expect(emulator.eventsOf('groundstation').filter((e) => e.cause === 'status-report').map((e) => e.to)).toEqual(['HEALTHY[HEALTHY]/SUCCESS']);
  expect(emulator.groundStation.endpointHealth(groupId, 'emulated-endpoint-1')).toMatchObject({ healthStatus: 'HEALTHY', agentStatus: 'SUCCESS' });
});

test('boundaries the model allows: no components, 20 components, negative counters, every AgentStatus', async () => {
  await expect(send({ ...valid, componentStatuses: [] })).resolves.toMatchObject({ agentId });
  await expect(send({ ...valid, componentStatuses: components(20) })).resolves.toMatchObject({ agentId });
  // Long has no range in the model.
  await expect(send(withMember(valid, 'componentStatuses.0.bytesSent', -1))).resolves.toMatchObject({ agentId });
  for (const status of ['SUCCESS', 'FAILED', 'ACTIVE', 'INACTIVE'] as const) {
    await expect(send({ ...valid, aggregateStatus: { status } })).resolves.toMatchObject({ agentId });
  }
  await expect(send(withMember(valid, 'componentStatuses.0.componentType', 'A'.repeat(64)))).resolves.toMatchObject({ agentId });
});

test('an unknown agent: ResourceNotFoundException 434', async () => {
  const error = await errorOf(send({ ...valid, agentId: '0f0e0d0c-0b0a-4908-8706-050403020100' }));
  expect(error).toBeInstanceOf(ResourceNotFoundException);
  expect(error).toMatchObject({ name: 'ResourceNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 434 } });
  expect(error.message).toBe('Agent 0f0e0d0c-0b0a-4908-8706-050403020100 not found');
});

test('validation comes before the agent lookup', async () => {
  const error = await errorOf(send({ ...valid, agentId: '0f0e0d0c-0b0a-4908-8706-050403020100', taskId: 'task-1' }));
  expect(error).toMatchObject({ name: 'InvalidParameterException', parameterName: 'taskId' });
});

// [what, member that makes it invalid, the value, expected parameterName]; `undefined` removes the member.
const violations: Array<[string, string, unknown, string]> = [
  ['agentId not a UUID', 'agentId', 'agent-1', 'agentId'],
  ['agentId in capitals', 'agentId', 'A1B2C3D4-E5F6-4A0B-9C1D-2E3F4A5B6C7D', 'agentId'],
  ['agentId one character short', 'agentId', '0f0e0d0c-0b0a-4908-8706-05040302010', 'agentId'],
  ['taskId missing', 'taskId', undefined, 'taskId'],
  ['taskId not a UUID', 'taskId', 'task-1', 'taskId'],
  ['taskId without hyphens', 'taskId', '0f0e0d0c0b0a49088706050403020100', 'taskId'],
  ['taskId a number', 'taskId', 42, 'taskId'],
  ['aggregateStatus missing', 'aggregateStatus', undefined, 'aggregateStatus'],
  ['aggregateStatus a string', 'aggregateStatus', 'SUCCESS', 'aggregateStatus'],
  ['aggregateStatus.status missing', 'aggregateStatus.status', undefined, 'aggregateStatus.status'],
  ['aggregateStatus.status not an AgentStatus', 'aggregateStatus.status', 'HEALTHY', 'aggregateStatus.status'],
  ['aggregateStatus.status in lower case', 'aggregateStatus.status', 'success', 'aggregateStatus.status'],
  ['a signatureMap value not a boolean', 'aggregateStatus.signatureMap', { timeout: 'yes' }, 'aggregateStatus.signatureMap.timeout'],
  ['componentStatuses missing', 'componentStatuses', undefined, 'componentStatuses'],
  ['componentStatuses not a list', 'componentStatuses', { componentType: 'LAMINAR_FLOW' }, 'componentStatuses'],
  ['a component a string', 'componentStatuses', ['LAMINAR_FLOW'], 'componentStatuses.1.member'],
  ['dataflowId missing', 'componentStatuses.0.dataflowId', undefined, component(0, 'dataflowId')],
  ['dataflowId not a UUID', 'componentStatuses.0.dataflowId', 'dataflow-1', component(0, 'dataflowId')],
  ['dataflowId with a trailing newline', 'componentStatuses.0.dataflowId', `${DATAFLOW_ID}\n`, component(0, 'dataflowId')],
  ['componentType missing', 'componentStatuses.0.componentType', undefined, component(0, 'componentType')],
  ['componentType with a hyphen', 'componentStatuses.0.componentType', 'LAMINAR-FLOW', component(0, 'componentType')],
  ['componentType of 65 characters', 'componentStatuses.0.componentType', 'A'.repeat(65), component(0, 'componentType')],
  ['componentType empty', 'componentStatuses.0.componentType', '', component(0, 'componentType')],
  ['capabilityArn missing', 'componentStatuses.0.capabilityArn', undefined, component(0, 'capabilityArn')],
  ['capabilityArn a number', 'componentStatuses.0.capabilityArn', 7, component(0, 'capabilityArn')],
  ['component status missing', 'componentStatuses.0.status', undefined, component(0, 'status')],
  ['component status not an AgentStatus', 'componentStatuses.0.status', 'DEGRADED', component(0, 'status')],
  ['bytesSent with a fraction', 'componentStatuses.0.bytesSent', 1.5, component(0, 'bytesSent')],
  ['bytesReceived a string', 'componentStatuses.0.bytesReceived', '2048', component(0, 'bytesReceived')],
  ['packetsDropped a boolean', 'componentStatuses.0.packetsDropped', true, component(0, 'packetsDropped')],
];

test.each(violations)('%s: InvalidParameterException 431', async (_what, member, value, parameterName) => {
  const error = await errorOf(send(withMember(valid, member, value)));
  expect(error).toBeInstanceOf(InvalidParameterException);
  expect(error).toMatchObject({ name: 'InvalidParameterException', $fault: 'client', $metadata: { httpStatusCode: 431 }, parameterName });
  expect(error.message).toContain(`at '${parameterName}' failed to satisfy constraint`);
  expect(emulator.groundStation.agent(agentId)?.statusReports).toEqual([]);
});

test('21 components: InvalidParameterException naming componentStatuses', async () => {
  const error = await errorOf(send({ ...valid, componentStatuses: components(21) }));
  expect(error).toBeInstanceOf(InvalidParameterException);
  expect(error).toMatchObject({ $metadata: { httpStatusCode: 431 }, parameterName: 'componentStatuses' });
  expect(error.message).toBe(
    "1 validation error detected: Value at 'componentStatuses' failed to satisfy constraint: Member must have length less than or equal to 20 (got 21)",
  );
});

test('a bad item further down the list is named by its 1-based position', async () => {
  const list = [...components(2), { ...valid.componentStatuses![0], dataflowId: 'nope' }];
  const error = await errorOf(send({ ...valid, componentStatuses: list }));
  expect(error).toMatchObject({ parameterName: 'componentStatuses.3.member.dataflowId' });
});

test('several violations: all in the message, the first one named', async () => {
  const error = await errorOf(send({ ...valid, taskId: 'task-1', aggregateStatus: { status: 'BUSY' as 'ACTIVE' } }));
  expect(error).toMatchObject({ parameterName: 'taskId' });
  expect(error.message).toMatch(/^3 validation errors detected: .*'taskId'.*'taskId'.*'aggregateStatus\.status'/);
});
