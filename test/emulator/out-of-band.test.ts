import {
  GetDataflowEndpointGroupCommand, GroundStationClient, ResourceNotFoundException as AgentNotFound, UpdateAgentStatusCommand,
} from '@aws-sdk/client-groundstation';
import { DescribeGatewayCapabilityConfigurationCommand, UpdateGatewayCapabilityConfigurationCommand } from '@aws-sdk/client-iotsitewise';
import {
  DescribeEdgeConfigurationCommand, KinesisVideoClient, StartEdgeConfigurationUpdateCommand, StreamEdgeConfigurationNotFoundException,
} from '@aws-sdk/client-kinesis-video';
import { opcUaDocument, OPC_UA_NAMESPACE, siteWiseClient, startEmulator } from './emulator-test-support';
import { edgeConfig, ManualClock, streamWithSecret } from './kinesis-video-test-support';
import { DEFAULT_AGENT_SILENCE_MS, DeviceBehaviours, SimulatedGroundStationAgent, type LocalAwsEndpoint } from '../support/emulator';

// What an operator or a re-imaged device does outside CloudFormation, as the drift monitor will
// find it through the APIs: each change is visible to the unmodified SDK clients and recorded in
// the emulator's event log, marked as out of band.
const clock = new ManualClock();
let emulator: LocalAwsEndpoint;

beforeAll(async () => {
  emulator = await startEmulator({ clock });
});
afterEach(() => emulator.reset());
afterAll(async () => emulator.stop());

describe('IoT SiteWise', () => {
  const deployed = async () => {
    const gatewayId = emulator.sitewise.createGateway();
    const client = siteWiseClient(emulator);
    await client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
    }));
    clock.advance(2_000);
    return { gatewayId, client };
  };
  const describe = (client: ReturnType<typeof siteWiseClient>, gatewayId: string) =>
    client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE }));

  test('replaceDocumentOutOfBand: Describe returns the other writer\'s document, which the device syncs as scripted', async () => {
    const { gatewayId, client } = await deployed();
    const other = opcUaDocument('opc.tcp://10.9.9.9:4840', 'other-writer');
    expect(emulator.sitewise.replaceDocumentOutOfBand(gatewayId, OPC_UA_NAMESPACE, other)).toBe('OUT_OF_SYNC');
    expect(await describe(client, gatewayId)).toMatchObject({ capabilityConfiguration: other, capabilitySyncStatus: 'OUT_OF_SYNC' });
    clock.advance(2_000);
    expect(await describe(client, gatewayId)).toMatchObject({ capabilityConfiguration: other, capabilitySyncStatus: 'IN_SYNC' });
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).appliedConfiguration).toBe(other);
    const changes = emulator.eventsOf('iotsitewise').map((event) => [event.from, event.to, event.outOfBand ?? false]);
    expect(changes).toEqual([[undefined, 'OUT_OF_SYNC', false], ['OUT_OF_SYNC', 'IN_SYNC', false], ['IN_SYNC', 'OUT_OF_SYNC', true], ['OUT_OF_SYNC', 'IN_SYNC', false]]);
  });

  test('replaceDocumentOutOfBand follows the device script (a rejection keeps the previous document running)', async () => {
    const { gatewayId, client } = await deployed();
    emulator.sitewise.scriptDevice(gatewayId, OPC_UA_NAMESPACE, DeviceBehaviours.reject(1_000, 'bad source'));
    emulator.sitewise.replaceDocumentOutOfBand(gatewayId, OPC_UA_NAMESPACE, '{"sources":[]}');
    clock.advance(1_000);
    expect(await describe(client, gatewayId)).toMatchObject({ capabilityConfiguration: '{"sources":[]}', capabilitySyncStatus: 'SYNC_FAILED' });
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).appliedConfiguration).toBe(opcUaDocument());
  });

  test.each(['OUT_OF_SYNC', 'SYNC_FAILED', 'UNKNOWN'] as const)('setSyncStatusOutOfBand %s: a re-imaged gateway reports it, the document stays', async (status) => {
    const { gatewayId, client } = await deployed();
    emulator.sitewise.setSyncStatusOutOfBand(gatewayId, OPC_UA_NAMESPACE, status);
    expect(await describe(client, gatewayId)).toMatchObject({ capabilityConfiguration: opcUaDocument(), capabilitySyncStatus: status });
    expect(emulator.eventsOf('iotsitewise').slice(-1)[0]).toMatchObject({ from: 'IN_SYNC', to: status, outOfBand: true });
    if (status !== 'SYNC_FAILED') expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).appliedConfiguration).toBeUndefined();
  });

  test('out-of-band changes need an existing gateway and configuration', () => {
    const gatewayId = emulator.sitewise.createGateway();
    expect(() => emulator.sitewise.setSyncStatusOutOfBand(gatewayId, OPC_UA_NAMESPACE, 'UNKNOWN')).toThrow('has no capability configuration');
    expect(() => emulator.sitewise.replaceDocumentOutOfBand('00000000-0000-4000-8000-000000000001', OPC_UA_NAMESPACE, '{}')).toThrow('has no gateway');
  });
});

describe('Kinesis Video Streams', () => {
  const deployed = async () => {
    const { secretArn } = streamWithSecret(emulator);
    const client = new KinesisVideoClient({ ...emulator.clientConfig(), maxAttempts: 1 });
    await client.send(new StartEdgeConfigurationUpdateCommand({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) }));
    clock.advance(3_000);
    return client;
  };

  test('deleteEdgeConfigurationOutOfBand: Describe answers as for a stream that never had one', async () => {
    const client = await deployed();
    emulator.kinesisVideo.deleteEdgeConfigurationOutOfBand('front-door');
    const error = await client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamEdgeConfigurationNotFoundException);
    emulator.kinesisVideo.createStream({ name: 'never-configured' });
    const never = await client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'never-configured' })).catch((e: unknown) => e);
    expect((never as Error).name).toBe((error as Error).name);
    expect(emulator.kinesisVideo.stream('front-door')?.hasEdgeConfiguration).toBe(false);
    expect(emulator.eventsOf('kinesisvideo').slice(-1)[0]).toMatchObject({ from: 'IN_SYNC', to: 'DELETED', outOfBand: true });
    expect(() => emulator.kinesisVideo.deleteEdgeConfigurationOutOfBand('front-door')).toThrow('has no edge configuration');
    client.destroy();
  });

  test('setEdgeAgentJobStatusOutOfBand: the recorder reports USER_ERROR in EdgeAgentStatus; the sync status stays IN_SYNC', async () => {
    const client = await deployed();
    clock.advance(60_000);
    emulator.kinesisVideo.setEdgeAgentJobStatusOutOfBand('front-door', { recorder: 'USER_ERROR' }, 'camera unreachable');
    const described = await client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' }));
    expect(described.SyncStatus).toBe('IN_SYNC');
    expect(described.EdgeAgentStatus).toMatchObject({
      LastRecorderStatus: { RecorderStatus: 'USER_ERROR', JobStatusDetails: 'camera unreachable', LastUpdatedTime: new Date(clock.now()) },
      LastUploaderStatus: { UploaderStatus: 'SUCCESS', LastUpdatedTime: new Date(clock.now() - 60_000) },
    });
    emulator.kinesisVideo.setEdgeAgentJobStatusOutOfBand('front-door', { uploader: 'SYSTEM_ERROR' });
    const again = await client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' }));
    expect(again.EdgeAgentStatus?.LastUploaderStatus).toMatchObject({ UploaderStatus: 'SYSTEM_ERROR', JobStatusDetails: 'Uploader job failed' });
    expect(again.EdgeAgentStatus?.LastRecorderStatus?.RecorderStatus).toBe('USER_ERROR');
    expect(emulator.eventsOf('kinesisvideo').filter((event) => event.outOfBand).map((event) => [event.from, event.to, event.reason])).toEqual([
      ['IN_SYNC', 'IN_SYNC', 'Edge Agent reported recorder USER_ERROR: camera unreachable'],
      ['IN_SYNC', 'IN_SYNC', 'Edge Agent reported uploader SYSTEM_ERROR'],
    ]);
    client.destroy();
  });
});

describe('Ground Station', () => {
  test('silenceAgentOutOfBand: the endpoint keeps its health until the registration lapses, then shows NO_REGISTERED_AGENT', async () => {
    const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
    const agent = new SimulatedGroundStationAgent({ emulator, capabilityArns: [arn] });
    await agent.register();
    await agent.sendStatus({ aggregateStatus: 'SUCCESS' });
    const client = new GroundStationClient({ ...emulator.clientConfig(), maxAttempts: 1 });
    const health = async () => (await client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: id }))).endpointsDetails?.[0];
    expect(await health()).toMatchObject({ healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'] });

    emulator.groundStation.silenceAgentOutOfBand(agent.agentId!);
    clock.advance(DEFAULT_AGENT_SILENCE_MS - 1);
    expect(await health()).toMatchObject({ healthStatus: 'HEALTHY', awsGroundStationAgentEndpoint: { agentStatus: 'SUCCESS' } });
    clock.advance(1);
    const lapsed = await health();
    expect(lapsed).toMatchObject({ healthStatus: 'UNHEALTHY', healthReasons: ['NO_REGISTERED_AGENT'] });
    expect(lapsed?.awsGroundStationAgentEndpoint?.agentStatus).toBeUndefined();
    expect(emulator.eventsOf('groundstation').slice(-1)[0]).toMatchObject({
      cause: 'agent-silent', agentId: agent.agentId, from: 'HEALTHY[HEALTHY]/SUCCESS', to: 'UNHEALTHY[NO_REGISTERED_AGENT]', at: clock.now(),
    });
    const late = await client.send(new UpdateAgentStatusCommand({
      agentId: agent.agentId!, taskId: '0f0e0d0c-0b0a-4908-8706-050403020100', aggregateStatus: { status: 'SUCCESS' }, componentStatuses: [],
    })).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(AgentNotFound);
    client.destroy();
    await agent.stop();
  });

  test('a report before the lapse means the agent runs again', async () => {
    const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
    const agent = new SimulatedGroundStationAgent({ emulator, capabilityArns: [arn] });
    await agent.register();
    await agent.sendStatus({ aggregateStatus: 'SUCCESS' });
    emulator.groundStation.silenceAgentOutOfBand(agent.agentId!);
    clock.advance(DEFAULT_AGENT_SILENCE_MS / 2);
    await agent.sendStatus({ aggregateStatus: 'ACTIVE' });
    clock.advance(DEFAULT_AGENT_SILENCE_MS);
    expect(emulator.groundStation.endpointHealth(id, 'emulated-endpoint-1')).toMatchObject({ healthStatus: 'HEALTHY', agentId: agent.agentId });
    await agent.stop();
  });
});
