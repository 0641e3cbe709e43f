import { UpdateGatewayCapabilityConfigurationCommand } from '@aws-sdk/client-iotsitewise';
import { lastRequestAt, opcUaDocument, siteWiseClient, startEmulator } from './emulator-test-support';
import {
  edgeConfig, HUB_DEVICE_ARN, KinesisVideoTestClient, OTHER_HUB_DEVICE_ARN, RTSP_URI, streamWithSecret, withMember,
} from './kinesis-video-test-support';
import { DEFAULT_GIVE_UP_MS, EdgeAgentBehaviours, type EdgeConfig, type LocalAwsEndpoint } from '../support/emulator';

// A scaled clock (100 simulated ms per real ms): the default 3 s sync takes 30 real ms. Statuses
// between two reports are only asserted where the script leaves a wide margin.
let emulator: LocalAwsEndpoint;
let kvs: KinesisVideoTestClient;

beforeAll(async () => {
  emulator = await startEmulator();
  kvs = new KinesisVideoTestClient(emulator.url);
});
afterEach(() => emulator.reset());
afterAll(async () => emulator.stop());

const MISSING_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:never-created-AbCdEf';

function start(config: EdgeConfig, streamName: string = 'front-door') {
  return kvs.send('StartEdgeConfigurationUpdate', { StreamName: streamName, EdgeConfig: config });
}

async function syncStatus(streamName: string = 'front-door'): Promise<string> {
  return kvs.send('DescribeEdgeConfiguration', { StreamName: streamName }).then((described) => described.SyncStatus as string, (e: Error) => e.name);
}

function edge(streamName: string = 'front-door') {
  return emulator.kinesisVideo.edgeConfiguration(streamName);
}

describe('updates', () => {
  test('the default agent acknowledges after 1 s and is IN_SYNC 2 s later, at exactly those instants', async () => {
    const { secretArn } = streamWithSecret(emulator);
    const config = edgeConfig(secretArn);
    await start(config);
    const startedAt = lastRequestAt(emulator, 'StartEdgeConfigurationUpdate');
    await emulator.clock.sleep(4_000);
    expect(await syncStatus()).toBe('IN_SYNC');
    expect(edge()).toMatchObject({
      syncStatus: 'IN_SYNC',
      hubDeviceArn: HUB_DEVICE_ARN,
      edgeConfig: config,
      appliedEdgeConfig: config,
      failedStatusDetails: undefined,
      nextChangeAt: undefined,
      edgeAgentStatus: { recorder: { status: 'SUCCESS', lastCollectedTime: startedAt + 3_000 }, uploader: { status: 'SUCCESS' } },
      history: [
        { at: startedAt, status: 'SYNCING' },
        { at: startedAt + 1_000, status: 'ACKNOWLEDGED' },
        { at: startedAt + 3_000, status: 'IN_SYNC' },
      ],
    });
  });

  test('sync(ackMs, syncMs): SYNCING, then ACKNOWLEDGED, then IN_SYNC with EdgeAgentStatus', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.sync(20_000, 20_000));
    await start(edgeConfig(secretArn));
    const syncing = await kvs.send('DescribeEdgeConfiguration', { StreamName: 'front-door' });
    expect(syncing.SyncStatus).toBe('SYNCING');
    expect(syncing.EdgeAgentStatus).toBeUndefined();
    expect(edge()?.appliedEdgeConfig).toBeUndefined();
    await emulator.clock.sleep(25_000);
    expect(await syncStatus()).toBe('ACKNOWLEDGED');
    await emulator.clock.sleep(20_000);
    const inSync = await kvs.send('DescribeEdgeConfiguration', { StreamName: 'front-door' });
    expect(inSync).toMatchObject({
      SyncStatus: 'IN_SYNC',
      EdgeAgentStatus: { LastRecorderStatus: { RecorderStatus: 'SUCCESS' }, LastUploaderStatus: { UploaderStatus: 'SUCCESS' } },
    });
  });

  test('a sync behaviour can report recorder or uploader errors while the configuration is IN_SYNC', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, {
      kind: 'sync', ackMs: 500, syncMs: 500, jobStatus: { recorderStatus: 'USER_ERROR', details: 'camera not reachable at 10.0.0.5:554' },
    });
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(2_000);
    expect((await kvs.send('DescribeEdgeConfiguration', { StreamName: 'front-door' }))).toMatchObject({
      SyncStatus: 'IN_SYNC',
      EdgeAgentStatus: {
        LastRecorderStatus: { RecorderStatus: 'USER_ERROR', JobStatusDetails: 'camera not reachable at 10.0.0.5:554' },
        LastUploaderStatus: { UploaderStatus: 'SUCCESS' },
      },
    });
  });

  test('fail: SYNC_FAILED with FailedStatusDetails; the agent keeps running the previous configuration', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, [EdgeAgentBehaviours.sync(500, 500), EdgeAgentBehaviours.fail('H.265 is not supported', 500, 500)]);
    const first = edgeConfig(secretArn);
    await start(first);
    await emulator.clock.sleep(2_000);
    const second = withMember(first, 'RecorderConfig.ScheduleConfig.DurationInSeconds', 600);
    await start(second);
    await emulator.clock.sleep(2_000);
    expect(await kvs.send('DescribeEdgeConfiguration', { StreamName: 'front-door' })).toMatchObject({
      SyncStatus: 'SYNC_FAILED', FailedStatusDetails: 'H.265 is not supported', EdgeConfig: second,
    });
    expect(edge()).toMatchObject({ edgeConfig: second, appliedEdgeConfig: first, failedStatusDetails: 'H.265 is not supported', updates: 2 });
    expect(edge()?.history.map((h) => h.status)).toEqual(['SYNCING', 'ACKNOWLEDGED', 'IN_SYNC', 'SYNCING', 'ACKNOWLEDGED', 'SYNC_FAILED']);
  });

  test('ResourceInUseException for another update while the agent has not answered yet; a delete is accepted', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.offline());
    await start(edgeConfig(secretArn));
    // Past the 1-per-second quota, so the refusal is about the sync state.
    await emulator.clock.sleep(1_500);
    await expect(start(edgeConfig(secretArn))).rejects.toMatchObject({ name: 'ResourceInUseException', $metadata: { httpStatusCode: 400 } });
    await expect(kvs.send('DeleteEdgeConfiguration', { StreamName: 'front-door' })).resolves.toEqual({});
    // At 100 simulated ms per real ms, a loaded machine may already see the agent acknowledge the deletion.
    expect(['DELETING', 'DELETING_ACKNOWLEDGED']).toContain(edge()?.syncStatus);
    expect(edge()?.history.map((h) => h.status)).toContain('DELETING');
  });
});

describe('the media URI secret', () => {
  test('a MediaUriSecretArn that names no secret is acknowledged, then SYNC_FAILED naming the secret', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    await start(edgeConfig(MISSING_SECRET_ARN));
    await emulator.clock.sleep(4_000);
    expect(edge()).toMatchObject({
      syncStatus: 'SYNC_FAILED', failedStatusDetails: `Failed to retrieve secret ${MISSING_SECRET_ARN}: secret does not exist`, appliedEdgeConfig: undefined,
    });
    expect(edge()?.history.map((h) => h.status)).toEqual(['SYNCING', 'ACKNOWLEDGED', 'SYNC_FAILED']);
  });

  test('the secret is looked up when the update is sent: creating it later takes a new update', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    await start(edgeConfig('arn:aws:secretsmanager:us-east-1:123456789012:secret:front-door-camera'));
    const secretArn = emulator.secrets.createMediaUri('front-door-camera', RTSP_URI);
    await emulator.clock.sleep(4_000);
    expect(await syncStatus()).toBe('SYNC_FAILED');
    // A partial ARN (without the random suffix) names the secret too, as in Secrets Manager.
    await start(edgeConfig('arn:aws:secretsmanager:us-east-1:123456789012:secret:front-door-camera'));
    await emulator.clock.sleep(4_000);
    expect(await syncStatus()).toBe('IN_SYNC');
    emulator.secrets.delete(secretArn);
    expect(await syncStatus()).toBe('IN_SYNC');
  });

  test.each([
    ['not JSON', 'rtsp://cam', 'RTSP_URI', /is not a JSON object with key MediaURI/],
    ['no MediaURI key', '{"mediaUri":"rtsp://cam"}', 'RTSP_URI', /has no string key MediaURI/],
    ['not an RTSP URI', '{"MediaURI":"http://cam/stream"}', 'RTSP_URI', /MediaURI is not an rtsp:\/\/ URI/],
  ])('a secret that is %s is SYNC_FAILED', async (_case, secretString, mediaUriType, reason) => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    const secretArn = emulator.secrets.create('camera', secretString);
    await start(withMember(edgeConfig(secretArn), 'RecorderConfig.MediaSourceConfig.MediaUriType', mediaUriType));
    await emulator.clock.sleep(4_000);
    expect(edge()).toMatchObject({ syncStatus: 'SYNC_FAILED', failedStatusDetails: expect.stringMatching(reason) });
    expect(edge()?.failedStatusDetails).toContain(secretArn);
  });

  test('FILE_URI accepts any MediaURI; rtsps:// is an RTSP URI', async () => {
    const file = emulator.secrets.createMediaUri('file', '/var/media/loop.mkv');
    const rtsps = emulator.secrets.createMediaUri('rtsps', 'rtsps://cam:322/live');
    emulator.kinesisVideo.createStream({ name: 'from-file' });
    emulator.kinesisVideo.createStream({ name: 'secure' });
    await start(withMember(edgeConfig(file), 'RecorderConfig.MediaSourceConfig.MediaUriType', 'FILE_URI'), 'from-file');
    await start(edgeConfig(rtsps), 'secure');
    await emulator.clock.sleep(4_000);
    expect(emulator.kinesisVideo.edgeConfigurations().map((c) => [c.streamName, c.syncStatus])).toEqual([['from-file', 'IN_SYNC'], ['secure', 'IN_SYNC']]);
  });

  test('rejectWhen: false accepts a missing secret; a custom check replaces the default', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    emulator.kinesisVideo.createStream({ name: 'back-door' });
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, { rejectWhen: false });
    emulator.kinesisVideo.scriptAgent(OTHER_HUB_DEVICE_ARN, {
      rejectWhen: (update) => (update.edgeConfig.UploaderConfig ? undefined : 'this agent needs an upload schedule'),
    });
    await start(edgeConfig(MISSING_SECRET_ARN), 'front-door');
    await start(withMember(edgeConfig(MISSING_SECRET_ARN, OTHER_HUB_DEVICE_ARN), 'UploaderConfig', undefined), 'back-door');
    await emulator.clock.sleep(4_000);
    expect(edge('front-door')?.syncStatus).toBe('IN_SYNC');
    expect(edge('back-door')).toMatchObject({ syncStatus: 'SYNC_FAILED', failedStatusDetails: 'this agent needs an upload schedule' });
  });
});

describe('an offline agent', () => {
  test('stays SYNCING; by default the service gives up after 15 simulated minutes', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.offline());
    await start(edgeConfig(secretArn));
    const startedAt = lastRequestAt(emulator, 'StartEdgeConfigurationUpdate');
    await emulator.clock.sleep(10_000);
    expect(await syncStatus()).toBe('SYNCING');
    expect(edge()?.nextChangeAt).toBe(startedAt + DEFAULT_GIVE_UP_MS);
    expect(DEFAULT_GIVE_UP_MS).toBe(15 * 60_000);
  });

  test('after giveUpMs the update is SYNC_FAILED with a connectivity reason', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.offline(60_000));
    await start(edgeConfig(secretArn));
    const startedAt = lastRequestAt(emulator, 'StartEdgeConfigurationUpdate');
    await emulator.clock.sleep(62_000);
    expect(edge()).toMatchObject({
      syncStatus: 'SYNC_FAILED',
      failedStatusDetails: `Edge Agent on hub device ${HUB_DEVICE_ARN} was not reachable: gave up after retrying for 1 minute; check the device's connectivity`,
      history: [{ at: startedAt, status: 'SYNCING' }, { at: startedAt + 60_000, status: 'SYNC_FAILED', reason: expect.stringContaining('connectivity') }],
    });
  });

  test('a deletion it never acknowledges becomes DELETE_FAILED after giveUpMs', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, { deletions: EdgeAgentBehaviours.offline(30_000) });
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(4_000);
    await kvs.send('DeleteEdgeConfiguration', { StreamName: 'front-door' });
    await emulator.clock.sleep(32_000);
    expect(edge()).toMatchObject({ syncStatus: 'DELETE_FAILED', failedStatusDetails: expect.stringContaining('30 seconds') });
  });
});

describe('deletions', () => {
  test('DELETING → DELETING_ACKNOWLEDGED → gone; the configuration and its history leave the API, the events stay', async () => {
    const { streamArn, secretArn } = streamWithSecret(emulator);
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(4_000);
    await kvs.send('DeleteEdgeConfiguration', { StreamARN: streamArn });
    const deletedAt = lastRequestAt(emulator, 'DeleteEdgeConfiguration');
    await emulator.clock.sleep(4_000);
    expect(await syncStatus()).toBe('StreamEdgeConfigurationNotFoundException');
    expect(edge()).toBeUndefined();
    expect(emulator.kinesisVideo.stream('front-door')?.hasEdgeConfiguration).toBe(false);
    expect(emulator.eventsOf('kinesisvideo').slice(-3)).toEqual([
      { service: 'kinesisvideo', at: deletedAt, streamName: 'front-door', streamArn, hubDeviceArn: HUB_DEVICE_ARN, from: 'IN_SYNC', to: 'DELETING' },
      { service: 'kinesisvideo', at: deletedAt + 1_000, streamName: 'front-door', streamArn, hubDeviceArn: HUB_DEVICE_ARN, from: 'DELETING', to: 'DELETING_ACKNOWLEDGED' },
      { service: 'kinesisvideo', at: deletedAt + 3_000, streamName: 'front-door', streamArn, hubDeviceArn: HUB_DEVICE_ARN, from: 'DELETING_ACKNOWLEDGED', to: 'DELETED' },
    ]);
  });

  test('DELETE_FAILED, then the retried deletion succeeds', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, {
      deletions: [EdgeAgentBehaviours.fail('media files are locked by the uploader', 500, 500), EdgeAgentBehaviours.delete(500, 500)],
    });
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(4_000);
    await kvs.send('DeleteEdgeConfiguration', { StreamName: 'front-door' });
    await emulator.clock.sleep(2_000);
    expect(await kvs.send('DescribeEdgeConfiguration', { StreamName: 'front-door' })).toMatchObject({
      SyncStatus: 'DELETE_FAILED', FailedStatusDetails: 'media files are locked by the uploader',
    });
    await kvs.send('DeleteEdgeConfiguration', { StreamName: 'front-door' });
    await emulator.clock.sleep(2_000);
    expect(await syncStatus()).toBe('StreamEdgeConfigurationNotFoundException');
    expect(emulator.kinesisVideo.agent(HUB_DEVICE_ARN)).toEqual({
      hubDeviceArn: HUB_DEVICE_ARN, scripted: true, updatesReceived: 1, deletionsReceived: 2,
    });
  });

  test('an update after DELETE_FAILED is accepted (the configuration still exists)', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, { deletions: EdgeAgentBehaviours.fail(undefined, 500, 500) });
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(4_000);
    await kvs.send('DeleteEdgeConfiguration', { StreamName: 'front-door' });
    await emulator.clock.sleep(2_000);
    expect(edge()?.failedStatusDetails).toMatch(/failed to delete/);
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(4_000);
    expect(edge()?.history.map((h) => h.status)).toEqual([
      'SYNCING', 'ACKNOWLEDGED', 'IN_SYNC', 'DELETING', 'DELETING_ACKNOWLEDGED', 'DELETE_FAILED', 'SYNCING', 'ACKNOWLEDGED', 'IN_SYNC',
    ]);
  });

  test('deleting the stream takes its edge configuration with it', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.sync(600_000, 600_000));
    await start(edgeConfig(secretArn));
    emulator.kinesisVideo.deleteStreamOutOfBand('front-door');
    expect(await syncStatus()).toBe('ResourceNotFoundException');
    expect(() => emulator.kinesisVideo.edgeConfiguration('front-door')).toThrow(/no stream front-door/);
    expect(emulator.eventsOf('kinesisvideo').map((e) => [e.from, e.to, e.reason])).toEqual([
      [undefined, 'SYNCING', undefined], ['SYNCING', 'DELETED', 'stream deleted out of band'],
    ]);
  });
});

describe('scripts', () => {
  test('a behaviour list is consumed one per update of the agent, across its streams; the last entry repeats', async () => {
    const secretArn = emulator.secrets.createMediaUri('camera', RTSP_URI);
    ['cam-1', 'cam-2', 'cam-3'].forEach((name) => emulator.kinesisVideo.createStream({ name }));
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, [EdgeAgentBehaviours.sync(500, 500), EdgeAgentBehaviours.fail('no disk space', 500, 500)]);
    for (const name of ['cam-1', 'cam-2', 'cam-3']) await start(edgeConfig(secretArn), name);
    await emulator.clock.sleep(2_000);
    expect(emulator.kinesisVideo.edgeConfigurations().map((c) => c.syncStatus)).toEqual(['IN_SYNC', 'SYNC_FAILED', 'SYNC_FAILED']);
    expect(emulator.kinesisVideo.agent(HUB_DEVICE_ARN)).toMatchObject({ updatesReceived: 3 });
  });

  test('a list set after earlier updates starts with the next update', async () => {
    const { secretArn } = streamWithSecret(emulator);
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(4_000);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, [EdgeAgentBehaviours.fail('first scripted', 500, 500), EdgeAgentBehaviours.sync(500, 500)]);
    await start(edgeConfig(secretArn));
    await emulator.clock.sleep(2_000);
    expect(edge()?.failedStatusDetails).toBe('first scripted');
  });

  test('a default script function can pick behaviours by stream and update number; per-agent scripts win', async () => {
    const secretArn = emulator.secrets.createMediaUri('camera', RTSP_URI);
    ['lobby', 'garage'].forEach((name) => emulator.kinesisVideo.createStream({ name }));
    emulator.kinesisVideo.setDefaultAgentScript((update) => (update.streamName === 'garage'
      ? EdgeAgentBehaviours.fail(`garage update ${update.updateNumber} refused`, 500, 500)
      : EdgeAgentBehaviours.sync(500, 500)));
    await start(edgeConfig(secretArn), 'lobby');
    await start(edgeConfig(secretArn), 'garage');
    emulator.kinesisVideo.createStream({ name: 'yard' });
    emulator.kinesisVideo.scriptAgent(OTHER_HUB_DEVICE_ARN, EdgeAgentBehaviours.sync(500, 500));
    await start(edgeConfig(secretArn, OTHER_HUB_DEVICE_ARN), 'yard');
    await emulator.clock.sleep(2_000);
    expect(emulator.kinesisVideo.edgeConfigurations().map((c) => [c.streamName, c.syncStatus, c.failedStatusDetails])).toEqual([
      ['lobby', 'IN_SYNC', undefined], ['garage', 'SYNC_FAILED', 'garage update 2 refused'], ['yard', 'IN_SYNC', undefined],
    ]);
  });

  test('a script with only deletions keeps the default update behaviour; the defaultAgentScript option sets the default', async () => {
    const slow = await startEmulator({ kinesisVideo: { defaultAgentScript: EdgeAgentBehaviours.sync(600_000, 600_000) } });
    try {
      const client = new KinesisVideoTestClient(slow.url);
      const { secretArn } = streamWithSecret(slow);
      slow.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, { deletions: EdgeAgentBehaviours.delete() });
      await client.send('StartEdgeConfigurationUpdate', { StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
      expect(slow.kinesisVideo.edgeConfiguration('front-door')?.nextChangeAt).toBe(slow.requests[0].at + 600_000);
    } finally {
      await slow.stop();
    }
  });

  test('scriptAgent refuses what is not an IoT thing ARN', () => {
    expect(() => emulator.kinesisVideo.scriptAgent('hub-1', EdgeAgentBehaviours.sync())).toThrow(/not an IoT thing ARN/);
    expect(emulator.kinesisVideo.agent(HUB_DEVICE_ARN)).toBeUndefined();
  });
});

describe('recording', () => {
  test('events carry the exact simulated time of each change and join the SiteWise events in time order', async () => {
    const { streamArn, secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.fail('nope', 2_000, 3_000));
    await start(edgeConfig(secretArn));
    const startedAt = lastRequestAt(emulator, 'StartEdgeConfigurationUpdate');
    const gatewayId = emulator.sitewise.createGateway();
    const sitewise = siteWiseClient(emulator);
    try {
      await sitewise.send(new UpdateGatewayCapabilityConfigurationCommand({
        gatewayId, capabilityNamespace: 'iotsitewise:opcuacollector:3', capabilityConfiguration: opcUaDocument(),
      }));
    } finally {
      sitewise.destroy();
    }
    await emulator.clock.sleep(8_000);

    const stream = { service: 'kinesisvideo', streamName: 'front-door', streamArn, hubDeviceArn: HUB_DEVICE_ARN };
    expect(emulator.eventsOf('kinesisvideo')).toEqual([
      { ...stream, at: startedAt, from: undefined, to: 'SYNCING' },
      { ...stream, at: startedAt + 2_000, from: 'SYNCING', to: 'ACKNOWLEDGED' },
      { ...stream, at: startedAt + 5_000, from: 'ACKNOWLEDGED', to: 'SYNC_FAILED', reason: 'nope' },
    ]);
    expect(emulator.events.map((e) => e.service)).toContain('iotsitewise');
    const times = emulator.events.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('reset() forgets streams, edge configurations, agents, scripts and secrets', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.offline());
    await start(edgeConfig(secretArn));
    emulator.reset();
    expect([emulator.kinesisVideo.streamNames(), emulator.kinesisVideo.edgeConfigurations(), emulator.secrets.list(), emulator.events])
      .toEqual([[], [], [], []]);
    expect(emulator.kinesisVideo.agent(HUB_DEVICE_ARN)).toBeUndefined();
    const again = streamWithSecret(emulator);
    await start(edgeConfig(again.secretArn));
    await emulator.clock.sleep(4_000);
    expect(await syncStatus()).toBe('IN_SYNC');
  });
});
