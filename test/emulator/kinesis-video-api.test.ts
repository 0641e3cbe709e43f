import { startEmulator } from './emulator-test-support';
import {
  edgeConfig, HUB_DEVICE_ARN, KinesisVideoTestClient, ManualClock, OTHER_HUB_DEVICE_ARN, streamWithSecret, withMember,
} from './kinesis-video-test-support';
import { EdgeAgentBehaviours, type LocalAwsEndpoint } from '../support/emulator';

// Simulated time moves only by `clock.advance`, so every status below is exact.
const clock = new ManualClock();
let emulator: LocalAwsEndpoint;
let kvs: KinesisVideoTestClient;

beforeAll(async () => {
  emulator = await startEmulator({ clock });
  kvs = new KinesisVideoTestClient(emulator.url);
});
afterEach(() => emulator.reset());
afterAll(async () => emulator.stop());

const start = (input: object) => kvs.send('StartEdgeConfigurationUpdate', input);
const describeEdge = (input: object) => kvs.send('DescribeEdgeConfiguration', input);
const deleteEdge = (input: object) => kvs.send('DeleteEdgeConfiguration', input);

describe('streams', () => {
  test('CreateStream answers 200 JSON with the ARN stream/<name>/<creation ms>; DescribeStream finds it by name and by ARN', async () => {
    const created = await kvs.call('CreateStream', { StreamName: 'front-door', DataRetentionInHours: 24, MediaType: 'video/h264' });
    expect(created).toMatchObject({ status: 200, contentType: 'application/json', errorType: null });
    expect(created.body).toEqual({ StreamARN: `arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/${clock.now()}` });

    const byName = await kvs.send('DescribeStream', { StreamName: 'front-door' });
    expect(byName).toEqual({
      StreamInfo: {
        StreamName: 'front-door',
        StreamARN: created.body.StreamARN,
        MediaType: 'video/h264',
        KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/aws/kinesisvideo',
        Version: expect.stringMatching(/^[a-zA-Z0-9]{20}$/),
        Status: 'ACTIVE',
        CreationTime: clock.now() / 1000,
        DataRetentionInHours: 24,
      },
    });
    expect(await kvs.send('DescribeStream', { StreamARN: created.body.StreamARN })).toEqual(byName);
  });

  test('DataRetentionInHours defaults to 0; a duplicate name is ResourceInUseException 400 with x-amzn-ErrorType and Message', async () => {
    await kvs.send('CreateStream', { StreamName: 'cam' });
    expect((await kvs.send('DescribeStream', { StreamName: 'cam' })).StreamInfo.DataRetentionInHours).toBe(0);
    const duplicate = await kvs.call('CreateStream', { StreamName: 'cam' });
    expect(duplicate).toEqual({
      status: 400, contentType: 'application/json', errorType: 'ResourceInUseException', body: { Message: 'The stream cam already exists' },
    });
  });

  test('a missing stream is ResourceNotFoundException 404', async () => {
    const missing = await kvs.call('DescribeStream', { StreamName: 'nope' });
    expect(missing).toMatchObject({ status: 404, errorType: 'ResourceNotFoundException', body: { Message: expect.stringContaining('nope') } });
  });

  test.each([
    ['StreamName with a space', { StreamName: 'front door' }, "at 'StreamName' failed to satisfy constraint: Member must satisfy regular expression pattern"],
    ['StreamName too long', { StreamName: 'x'.repeat(257) }, 'Member must have length less than or equal to 256'],
    ['StreamName missing', {}, "Value null at 'StreamName'"],
    ['negative retention', { StreamName: 's', DataRetentionInHours: -1 }, "at 'DataRetentionInHours' failed to satisfy constraint: Member must have value greater"],
    ['fractional retention', { StreamName: 's', DataRetentionInHours: 1.5 }, "at 'DataRetentionInHours' failed to satisfy constraint: Member must be an integer"],
    ['bad MediaType', { StreamName: 's', MediaType: 'h264' }, "at 'MediaType'"],
    ['bad DeviceName', { StreamName: 's', DeviceName: 'my device' }, "at 'DeviceName'"],
    ['empty Tags', { StreamName: 's', Tags: {} }, "at 'Tags'"],
  ])('CreateStream validation: %s is InvalidArgumentException', async (_case, input, message) => {
    await expect(kvs.send('CreateStream', input)).rejects.toMatchObject({
      name: 'InvalidArgumentException', $metadata: { httpStatusCode: 400 }, message: expect.stringContaining(message),
    });
  });

  test('UpdateDataRetention changes retention and version; DeleteStream checks the version and removes the stream', async () => {
    const streamArn = emulator.kinesisVideo.createStream({ name: 'cam', dataRetentionInHours: 0 });
    const { Version: v1 } = (await kvs.send('DescribeStream', { StreamARN: streamArn })).StreamInfo;
    await kvs.send('UpdateDataRetention', { StreamName: 'cam', CurrentVersion: v1, Operation: 'INCREASE_DATA_RETENTION', DataRetentionChangeInHours: 48 });
    const { Version: v2, DataRetentionInHours } = (await kvs.send('DescribeStream', { StreamName: 'cam' })).StreamInfo;
    expect([DataRetentionInHours, v2 === v1]).toEqual([48, false]);
    await expect(kvs.send('UpdateDataRetention', {
      StreamName: 'cam', CurrentVersion: v2, Operation: 'DECREASE_DATA_RETENTION', DataRetentionChangeInHours: 49,
    })).rejects.toMatchObject({ name: 'InvalidArgumentException' });
    await expect(kvs.send('UpdateDataRetention', {
      StreamName: 'cam', CurrentVersion: v1, Operation: 'INCREASE_DATA_RETENTION', DataRetentionChangeInHours: 1,
    })).rejects.toMatchObject({ name: 'VersionMismatchException', $metadata: { httpStatusCode: 400 } });

    await expect(kvs.send('DeleteStream', { StreamARN: streamArn, CurrentVersion: v1 })).rejects.toMatchObject({ name: 'VersionMismatchException' });
    await expect(kvs.call('DeleteStream', { StreamARN: streamArn })).resolves.toMatchObject({ status: 200, body: {} });
    await expect(kvs.send('DescribeStream', { StreamARN: streamArn })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(emulator.kinesisVideo.streamNames()).toEqual([]);
  });

  test('the createStream helper validates like the API and defaults to 24 h retention', () => {
    expect(() => emulator.kinesisVideo.createStream({ name: 'bad name' })).toThrow(/at 'StreamName'/);
    emulator.kinesisVideo.createStream({ name: 'cam' });
    expect(emulator.kinesisVideo.stream('cam')).toMatchObject({ status: 'ACTIVE', dataRetentionInHours: 24, hasEdgeConfiguration: false });
    expect(() => emulator.kinesisVideo.createStream({ name: 'cam' })).toThrow(/already exists/);
  });
});

describe('StartEdgeConfigurationUpdate', () => {
  test('answers 200 with the stored configuration, SyncStatus SYNCING and epoch-second timestamps', async () => {
    const { streamArn, secretArn } = streamWithSecret(emulator);
    const config = edgeConfig(secretArn);
    const response = await kvs.call('StartEdgeConfigurationUpdate', { StreamName: 'front-door', EdgeConfig: { ...config, Unmodeled: 1 } });
    expect(response).toEqual({
      status: 200,
      contentType: 'application/json',
      errorType: null,
      body: {
        StreamName: 'front-door',
        StreamARN: streamArn,
        CreationTime: clock.now() / 1000,
        LastUpdatedTime: clock.now() / 1000,
        SyncStatus: 'SYNCING',
        // Unmodeled members are dropped, as the service's deserializer would.
        EdgeConfig: config,
      },
    });
  });

  test('the minimal configuration (required members only) is accepted and echoed as given', async () => {
    const { secretArn } = streamWithSecret(emulator);
    const minimal = { HubDeviceArn: HUB_DEVICE_ARN, RecorderConfig: { MediaSourceConfig: { MediaUriSecretArn: secretArn, MediaUriType: 'FILE_URI' } } };
    await expect(start({ StreamName: 'front-door', EdgeConfig: minimal })).resolves.toMatchObject({ EdgeConfig: minimal });
  });

  test.each([
    ['neither', {}, 'Specify either StreamName or StreamARN'],
    ['both', { StreamName: 'front-door', StreamARN: 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/1' }, 'not both'],
    ['an invalid StreamARN', { StreamARN: 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door' }, "at 'StreamARN'"],
  ])('StreamName / StreamARN: %s is InvalidArgumentException', async (_case, identifier, message) => {
    const { secretArn } = streamWithSecret(emulator);
    for (const operation of ['StartEdgeConfigurationUpdate', 'DescribeEdgeConfiguration', 'DeleteEdgeConfiguration']) {
      await expect(kvs.send(operation, { ...identifier, EdgeConfig: edgeConfig(secretArn) })).rejects.toMatchObject({
        name: 'InvalidArgumentException', $metadata: { httpStatusCode: 400 }, message: expect.stringContaining(message),
      });
    }
  });

  const schedule = 'RecorderConfig.ScheduleConfig';
  const localSize = 'DeletionConfig.LocalSizeConfig';
  test.each([
    { path: 'HubDeviceArn', value: 'not-an-arn', constraint: 'regular expression pattern' },
    { path: 'HubDeviceArn', value: 'arn:aws:iot:us-east-1:123456789012:policy/p', constraint: 'regular expression pattern' },
    { path: 'HubDeviceArn', value: `arn:aws:iot:us-east-1:123456789012:thing/${'t'.repeat(1000)}`, constraint: 'length less than or equal to 1024' },
    { path: 'HubDeviceArn', value: undefined, constraint: 'Member must not be null' },
    { path: 'RecorderConfig', value: undefined, constraint: 'Member must not be null' },
    { path: 'RecorderConfig.MediaSourceConfig', value: undefined, constraint: 'Member must not be null' },
    { path: 'RecorderConfig.MediaSourceConfig.MediaUriSecretArn', value: undefined, constraint: 'Member must not be null' },
    { path: 'RecorderConfig.MediaSourceConfig.MediaUriSecretArn', value: 'arn:aws:s3:::bucket/key-123456', constraint: 'regular expression pattern' },
    { path: 'RecorderConfig.MediaSourceConfig.MediaUriSecretArn', value: 'arn:a:secretsmanage', constraint: 'length greater than or equal to 20' },
    { path: 'RecorderConfig.MediaSourceConfig.MediaUriSecretArn', value: `arn:aws:secretsmanager:us-east-1:1:secret:${'s'.repeat(2048)}`, constraint: 'length less than or equal to 2048' },
    { path: 'RecorderConfig.MediaSourceConfig.MediaUriType', value: 'HTTP_URI', constraint: 'enum value set: [RTSP_URI, FILE_URI]' },
    { path: 'RecorderConfig.MediaSourceConfig.MediaUriType', value: undefined, constraint: 'Member must not be null' },
    { path: `${schedule}.ScheduleExpression`, value: '0 0 8 * *', constraint: 'length greater than or equal to 11' },
    { path: `${schedule}.ScheduleExpression`, value: `0 0 8 ? * ${'x'.repeat(100)}`, constraint: 'length less than or equal to 100' },
    { path: `${schedule}.ScheduleExpression`, value: '0 0 8 ? *\nMON-FRI', constraint: 'regular expression pattern' },
    { path: `${schedule}.ScheduleExpression`, value: undefined, constraint: 'Member must not be null' },
    { path: `${schedule}.DurationInSeconds`, value: 59, constraint: 'greater than or equal to 60' },
    { path: `${schedule}.DurationInSeconds`, value: 3601, constraint: 'less than or equal to 3600' },
    { path: `${schedule}.DurationInSeconds`, value: '600', constraint: 'Member must be an integer' },
    { path: `${schedule}.DurationInSeconds`, value: undefined, constraint: 'Member must not be null' },
    { path: 'UploaderConfig.ScheduleConfig', value: undefined, constraint: 'Member must not be null' },
    { path: 'UploaderConfig.ScheduleConfig.DurationInSeconds', value: 30, constraint: 'greater than or equal to 60' },
    { path: 'DeletionConfig.EdgeRetentionInHours', value: 0, constraint: 'greater than or equal to 1' },
    { path: 'DeletionConfig.EdgeRetentionInHours', value: 721, constraint: 'less than or equal to 720' },
    { path: `${localSize}.MaxLocalMediaSizeInMB`, value: 63, constraint: 'greater than or equal to 64' },
    { path: `${localSize}.MaxLocalMediaSizeInMB`, value: 2_000_001, constraint: 'less than or equal to 2000000' },
    { path: `${localSize}.StrategyOnFullSize`, value: 'DELETE_NEWEST_MEDIA', constraint: 'enum value set: [DELETE_OLDEST_MEDIA, DENY_NEW_MEDIA]' },
    { path: 'DeletionConfig.DeleteAfterUpload', value: 'yes', constraint: 'Member must be a boolean' },
  ])('EdgeConfig.$path: "$constraint" is InvalidArgumentException naming the member', async ({ path, value, constraint }) => {
    const { secretArn } = streamWithSecret(emulator);
    const error = await start({ StreamName: 'front-door', EdgeConfig: withMember(edgeConfig(secretArn), path, value) }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'InvalidArgumentException',
      $metadata: { httpStatusCode: 400 },
      // Too-short strings break the pattern too, so some values give two violations of the same member.
      message: expect.stringMatching(new RegExp(`^\\d validation errors? detected: [\\s\\S]*at 'EdgeConfig\\.${path.replace(/\./g, '\\.')}'`)),
    });
    expect((error as Error).message).toContain(constraint);
  });

  test('boundary values are accepted', async () => {
    const { secretArn } = streamWithSecret(emulator);
    let config = edgeConfig(secretArn);
    for (const [path, value] of [
      [`${schedule}.DurationInSeconds`, 60], ['UploaderConfig.ScheduleConfig.DurationInSeconds', 3600],
      [`${schedule}.ScheduleExpression`, 'x'.repeat(11)], ['UploaderConfig.ScheduleConfig.ScheduleExpression', 'y'.repeat(100)],
      ['DeletionConfig.EdgeRetentionInHours', 720], [`${localSize}.MaxLocalMediaSizeInMB`, 64], [`${localSize}.StrategyOnFullSize`, 'DENY_NEW_MEDIA'],
    ] as const) {
      config = withMember(config, path, value);
    }
    await expect(start({ StreamName: 'front-door', EdgeConfig: config })).resolves.toMatchObject({ SyncStatus: 'SYNCING', EdgeConfig: config });
  });

  test('a missing EdgeConfig, and several violations at once, are reported together', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    await expect(start({ StreamName: 'front-door' })).rejects.toMatchObject({
      name: 'InvalidArgumentException', message: "1 validation error detected: Value null at 'EdgeConfig' failed to satisfy constraint: Member must not be null",
    });
    await expect(start({ StreamName: 'front door', EdgeConfig: { HubDeviceArn: 'x' } })).rejects.toMatchObject({
      message: expect.stringMatching(/^3 validation errors detected: .*'StreamName'.*'EdgeConfig\.HubDeviceArn'.*'EdgeConfig\.RecorderConfig'/),
    });
  });

  test('the sensitive MediaUriSecretArn is never echoed in a validation message', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    const secretLike = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:p@ssw0rd';
    const error = await start({ StreamName: 'front-door', EdgeConfig: withMember(edgeConfig('x'), 'RecorderConfig.MediaSourceConfig.MediaUriSecretArn', secretLike) })
      .catch((e: Error) => e);
    expect(error.message).toContain("Value '*** Sensitive Data Redacted ***' at 'EdgeConfig.RecorderConfig.MediaSourceConfig.MediaUriSecretArn'");
    expect(error.message).not.toContain('p@ssw0rd');
  });

  test('a missing stream is ResourceNotFoundException 404 (by name and by ARN)', async () => {
    const secretArn = emulator.secrets.createMediaUri('camera', 'rtsp://cam');
    await expect(start({ StreamName: 'nope', EdgeConfig: edgeConfig(secretArn) }))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(start({ StreamARN: 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/nope/1', EdgeConfig: edgeConfig(secretArn) }))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('a stream without data retention is NoDataRetentionException 400; after UpdateDataRetention the update is accepted', async () => {
    emulator.kinesisVideo.createStream({ name: 'live-only', dataRetentionInHours: 0 });
    const secretArn = emulator.secrets.createMediaUri('camera', 'rtsp://cam');
    const error = await kvs.call('StartEdgeConfigurationUpdate', { StreamName: 'live-only', EdgeConfig: edgeConfig(secretArn) });
    expect(error).toMatchObject({
      status: 400, errorType: 'NoDataRetentionException', body: { Message: 'The Stream data retention in hours is equal to zero.' },
    });
    const { Version } = (await kvs.send('DescribeStream', { StreamName: 'live-only' })).StreamInfo;
    await kvs.send('UpdateDataRetention', { StreamName: 'live-only', CurrentVersion: Version, Operation: 'INCREASE_DATA_RETENTION', DataRetentionChangeInHours: 1 });
    clock.advance(1_000);
    await expect(start({ StreamName: 'live-only', EdgeConfig: edgeConfig(secretArn) })).resolves.toMatchObject({ SyncStatus: 'SYNCING' });
  });

  test('while SYNCING or ACKNOWLEDGED another update is ResourceInUseException; after IN_SYNC it is accepted and keeps CreationTime', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.sync(2_000, 2_000));
    const first = await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    for (const status of ['SYNCING', 'ACKNOWLEDGED']) {
      clock.advance(1_500);
      expect(emulator.kinesisVideo.edgeConfiguration('front-door')?.syncStatus).toBe(status);
      await expect(kvs.call('StartEdgeConfigurationUpdate', { StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) })).resolves.toMatchObject({
        status: 400, errorType: 'ResourceInUseException', body: { Message: expect.stringContaining(status) },
      });
    }
    clock.advance(1_500);
    const second = await start({ StreamName: 'front-door', EdgeConfig: withMember(edgeConfig(secretArn), 'DeletionConfig.EdgeRetentionInHours', 24) });
    expect(second).toMatchObject({ SyncStatus: 'SYNCING', CreationTime: first.CreationTime, LastUpdatedTime: clock.now() / 1000 });
    expect(emulator.kinesisVideo.edgeConfiguration('front-door')).toMatchObject({
      updates: 2, edgeConfig: { DeletionConfig: { EdgeRetentionInHours: 24 } }, appliedEdgeConfig: { DeletionConfig: { EdgeRetentionInHours: 72 } },
    });
  });

  test('after SYNC_FAILED a new update is accepted', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, [EdgeAgentBehaviours.fail('camera unreachable'), EdgeAgentBehaviours.sync()]);
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    clock.advance(5_000);
    await expect(start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) })).resolves.toMatchObject({ SyncStatus: 'SYNCING' });
    expect(await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) }).catch((e: Error) => e.name)).toBe('ClientLimitExceededException');
  });

  test('another HubDeviceArn is InvalidArgumentException until the configuration is deleted; then it moves', async () => {
    const { secretArn } = streamWithSecret(emulator);
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    clock.advance(5_000);
    await expect(start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn, OTHER_HUB_DEVICE_ARN) })).rejects.toMatchObject({
      name: 'InvalidArgumentException', message: expect.stringContaining('delete it with DeleteEdgeConfiguration first'),
    });
    await deleteEdge({ StreamName: 'front-door' });
    clock.advance(5_000);
    await expect(start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn, OTHER_HUB_DEVICE_ARN) }))
      .resolves.toMatchObject({ SyncStatus: 'SYNCING', CreationTime: clock.now() / 1000 });
    expect(emulator.kinesisVideo.edgeConfiguration('front-door')).toMatchObject({ hubDeviceArn: OTHER_HUB_DEVICE_ARN, updates: 1 });
  });
});

describe('DescribeEdgeConfiguration', () => {
  test('no configuration is StreamEdgeConfigurationNotFoundException 404; a missing stream ResourceNotFoundException', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    await expect(kvs.call('DescribeEdgeConfiguration', { StreamName: 'front-door' })).resolves.toMatchObject({
      status: 404, errorType: 'StreamEdgeConfigurationNotFoundException', body: { Message: expect.stringContaining('front-door') },
    });
    await expect(describeEdge({ StreamName: 'nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('EdgeAgentStatus appears once the agent has reported, with recorder and uploader status', async () => {
    const { streamArn, secretArn } = streamWithSecret(emulator);
    await start({ StreamARN: streamArn, EdgeConfig: edgeConfig(secretArn) });
    const startedAt = clock.now();
    const syncing = await describeEdge({ StreamARN: streamArn });
    expect(syncing).toMatchObject({ SyncStatus: 'SYNCING', StreamName: 'front-door' });
    expect(syncing).not.toHaveProperty('EdgeAgentStatus');

    clock.advance(3_000);
    const inSync = await describeEdge({ StreamName: 'front-door' });
    const reportedAt = (startedAt + 3_000) / 1000;
    expect(inSync).toEqual({
      StreamName: 'front-door',
      StreamARN: streamArn,
      CreationTime: startedAt / 1000,
      LastUpdatedTime: startedAt / 1000,
      SyncStatus: 'IN_SYNC',
      EdgeConfig: edgeConfig(secretArn),
      EdgeAgentStatus: {
        LastRecorderStatus: { JobStatusDetails: 'Recorder job succeeded', LastCollectedTime: reportedAt, LastUpdatedTime: reportedAt, RecorderStatus: 'SUCCESS' },
        LastUploaderStatus: { JobStatusDetails: 'Uploader job succeeded', LastCollectedTime: reportedAt, LastUpdatedTime: reportedAt, UploaderStatus: 'SUCCESS' },
      },
    });
  });

  test('SYNC_FAILED carries FailedStatusDetails', async () => {
    const { secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.scriptAgent(HUB_DEVICE_ARN, EdgeAgentBehaviours.fail('RTSP handshake failed'));
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    clock.advance(3_000);
    await expect(describeEdge({ StreamName: 'front-door' })).resolves.toMatchObject({ SyncStatus: 'SYNC_FAILED', FailedStatusDetails: 'RTSP handshake failed' });
  });
});

describe('DeleteEdgeConfiguration', () => {
  test('answers {}; DELETING → DELETING_ACKNOWLEDGED → gone (StreamEdgeConfigurationNotFoundException)', async () => {
    const { secretArn } = streamWithSecret(emulator);
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    clock.advance(3_000);
    await expect(kvs.call('DeleteEdgeConfiguration', { StreamName: 'front-door' })).resolves.toMatchObject({ status: 200, body: {} });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push(await describeEdge({ StreamName: 'front-door' }).then((d) => d.SyncStatus, (e: Error) => e.name));
      clock.advance(1_500);
    }
    expect(statuses).toEqual(['DELETING', 'DELETING_ACKNOWLEDGED', 'StreamEdgeConfigurationNotFoundException']);
    expect(emulator.kinesisVideo.edgeConfiguration('front-door')).toBeUndefined();
  });

  test('a delete while SYNCING supersedes the sync (the model lists no ResourceInUseException for it); without a configuration StreamEdgeConfigurationNotFoundException', async () => {
    const { secretArn } = streamWithSecret(emulator);
    await expect(deleteEdge({ StreamName: 'front-door' })).rejects.toMatchObject({ name: 'StreamEdgeConfigurationNotFoundException' });
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    clock.advance(1_000);
    expect((await describeEdge({ StreamName: 'front-door' })).SyncStatus).toBe('ACKNOWLEDGED');
    await expect(deleteEdge({ StreamName: 'front-door' })).resolves.toEqual({});
    expect((await describeEdge({ StreamName: 'front-door' })).SyncStatus).toBe('DELETING');
    // Another delete while deleting is accepted too, and restarts the deletion.
    clock.advance(1_000);
    await expect(deleteEdge({ StreamName: 'front-door' })).resolves.toEqual({});
    clock.advance(3_000);
    await expect(describeEdge({ StreamName: 'front-door' })).rejects.toMatchObject({ name: 'StreamEdgeConfigurationNotFoundException' });
    expect(emulator.kinesisVideo.agent(HUB_DEVICE_ARN)).toMatchObject({ updatesReceived: 1, deletionsReceived: 2 });
    await expect(deleteEdge({ StreamName: 'nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('ListEdgeAgentConfigurations', () => {
  test('lists the configurations of one hub device, 5 per page by default, paged with NextToken', async () => {
    const secretArn = emulator.secrets.createMediaUri('camera', 'rtsp://cam');
    for (let n = 1; n <= 7; n++) {
      emulator.kinesisVideo.createStream({ name: `cam-${n}` });
      await start({ StreamName: `cam-${n}`, EdgeConfig: edgeConfig(secretArn, n === 4 ? OTHER_HUB_DEVICE_ARN : HUB_DEVICE_ARN) });
    }
    const first = await kvs.send('ListEdgeAgentConfigurations', { HubDeviceArn: HUB_DEVICE_ARN });
    expect(first.EdgeConfigs.map((c: { StreamName: string }) => c.StreamName)).toEqual(['cam-1', 'cam-2', 'cam-3', 'cam-5', 'cam-6']);
    expect(first.NextToken).toMatch(/^[a-zA-Z0-9+/=]+$/);
    const second = await kvs.send('ListEdgeAgentConfigurations', { HubDeviceArn: HUB_DEVICE_ARN, NextToken: first.NextToken });
    expect(second).toEqual({ EdgeConfigs: [expect.objectContaining({ StreamName: 'cam-7', SyncStatus: 'SYNCING' })] });

    const paged = await kvs.send('ListEdgeAgentConfigurations', { HubDeviceArn: HUB_DEVICE_ARN, MaxResults: 2 });
    expect(paged.EdgeConfigs).toHaveLength(2);
    clock.advance(3_000);
    const [item] = (await kvs.send('ListEdgeAgentConfigurations', { HubDeviceArn: OTHER_HUB_DEVICE_ARN })).EdgeConfigs;
    expect(Object.keys(item)).toEqual(['StreamName', 'StreamARN', 'CreationTime', 'LastUpdatedTime', 'SyncStatus', 'EdgeConfig']);
    expect(item.SyncStatus).toBe('IN_SYNC');
    await expect(kvs.send('ListEdgeAgentConfigurations', { HubDeviceArn: 'arn:aws:iot:us-east-1:123456789012:thing/idle' }))
      .resolves.toEqual({ EdgeConfigs: [] });
  });

  test.each([
    ['HubDeviceArn missing', {}, "Value null at 'HubDeviceArn'"],
    ['HubDeviceArn invalid', { HubDeviceArn: 'thing/x' }, "at 'HubDeviceArn'"],
    ['MaxResults 0', { HubDeviceArn: HUB_DEVICE_ARN, MaxResults: 0 }, "at 'MaxResults'"],
    ['MaxResults 11', { HubDeviceArn: HUB_DEVICE_ARN, MaxResults: 11 }, 'less than or equal to 10'],
    ['NextToken with invalid characters', { HubDeviceArn: HUB_DEVICE_ARN, NextToken: 'not a token!' }, "at 'NextToken'"],
    ['NextToken not from this API', { HubDeviceArn: HUB_DEVICE_ARN, NextToken: 'bm9wZQ==' }, 'was not returned by ListEdgeAgentConfigurations'],
  ])('%s is InvalidArgumentException', async (_case, input, message) => {
    await expect(kvs.send('ListEdgeAgentConfigurations', input)).rejects.toMatchObject({
      name: 'InvalidArgumentException', message: expect.stringContaining(message),
    });
  });
});

describe('rate limits (on by default; sliding 1 s window of simulated time)', () => {
  test('a second Start on one stream within 1 s is ClientLimitExceededException 400; the quota is checked before the sync state', async () => {
    const { secretArn } = streamWithSecret(emulator);
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    clock.advance(999);
    const throttled = await kvs.call('StartEdgeConfigurationUpdate', { StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    expect(throttled).toMatchObject({ status: 400, errorType: 'ClientLimitExceededException', body: { Message: expect.stringContaining('per stream') } });
    clock.advance(1);
    // Admitted by the quota, then refused because the first update is still syncing.
    await expect(start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) })).rejects.toMatchObject({ name: 'ResourceInUseException' });
    expect(emulator.kinesisVideo.rateLimitedCalls).toEqual([
      { at: clock.now() - 1, operation: 'StartEdgeConfigurationUpdate', scope: 'stream', limit: 1, stream: 'front-door' },
    ]);
    // Rate-limited calls are recorded like any error response, without a fault marker.
    expect(emulator.requests.map((r) => [r.status, r.errorCode, r.fault])).toEqual([
      [200, undefined, undefined], [400, 'ClientLimitExceededException', undefined], [400, 'ResourceInUseException', undefined],
    ]);
  });

  test('the per-stream quota is keyed by stream, whether named or given by ARN', async () => {
    const { streamArn, secretArn } = streamWithSecret(emulator);
    emulator.kinesisVideo.createStream({ name: 'back-door' });
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    await expect(start({ StreamName: 'back-door', EdgeConfig: edgeConfig(secretArn) })).resolves.toMatchObject({ SyncStatus: 'SYNCING' });
    await expect(start({ StreamARN: streamArn, EdgeConfig: edgeConfig(secretArn) })).rejects.toMatchObject({ name: 'ClientLimitExceededException' });
  });

  test('the 6th Describe of one stream within 1 s is throttled; Delete allows 1 per second per stream', async () => {
    const { secretArn } = streamWithSecret(emulator);
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    clock.advance(3_000);
    const outcomes = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await describeEdge({ StreamName: 'front-door' }).then(() => 'ok', (e: Error) => e.name));
      clock.advance(150);
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ClientLimitExceededException']);
    clock.advance(250);
    await expect(describeEdge({ StreamName: 'front-door' })).resolves.toMatchObject({ SyncStatus: 'IN_SYNC' });

    await deleteEdge({ StreamName: 'front-door' });
    await expect(deleteEdge({ StreamName: 'front-door' })).rejects.toMatchObject({ name: 'ClientLimitExceededException' });
    expect(emulator.kinesisVideo.rateLimitedCalls.map((c) => [c.operation, c.scope, c.limit])).toEqual([
      ['DescribeEdgeConfiguration', 'stream', 5], ['DeleteEdgeConfiguration', 'stream', 1],
    ]);
  });

  test('account quotas: 10 Starts and 50 Describes per second across streams', async () => {
    const secretArn = emulator.secrets.createMediaUri('camera', 'rtsp://cam');
    const names = Array.from({ length: 11 }, (_, n) => `cam-${n}`);
    names.forEach((name) => emulator.kinesisVideo.createStream({ name }));
    const starts = [];
    for (const name of names) starts.push(await start({ StreamName: name, EdgeConfig: edgeConfig(secretArn) }).then(() => 'ok', (e: Error) => e.name));
    expect(starts).toEqual([...Array(10).fill('ok'), 'ClientLimitExceededException']);
    const describes = [];
    for (let i = 0; i < 51; i++) describes.push(await describeEdge({ StreamName: names[i % 10] }).then(() => 'ok', (e: Error) => e.name));
    expect(describes.filter((d) => d === 'ok')).toHaveLength(50);
    expect(emulator.kinesisVideo.rateLimitedCalls.map((c) => [c.operation, c.scope, c.limit])).toEqual([
      ['StartEdgeConfigurationUpdate', 'account', 10], ['DescribeEdgeConfiguration', 'account', 50],
    ]);
  });

  test('setRateLimits(false) switches the quotas off; reset() switches them on again', async () => {
    const { secretArn } = streamWithSecret(emulator);
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
    emulator.kinesisVideo.setRateLimits(false);
    for (let i = 0; i < 10; i++) await describeEdge({ StreamName: 'front-door' });
    expect(emulator.kinesisVideo.rateLimitedCalls).toEqual([]);

    emulator.reset();
    const again = streamWithSecret(emulator);
    await start({ StreamName: 'front-door', EdgeConfig: edgeConfig(again.secretArn) });
    await expect(start({ StreamName: 'front-door', EdgeConfig: edgeConfig(again.secretArn) })).rejects.toMatchObject({ name: 'ClientLimitExceededException' });
  });

  test('the rateLimits option starts an emulator with the quotas off', async () => {
    const relaxed = await startEmulator({ clock, kinesisVideo: { rateLimits: false } });
    try {
      const client = new KinesisVideoTestClient(relaxed.url);
      const { secretArn } = streamWithSecret(relaxed);
      await client.send('StartEdgeConfigurationUpdate', { StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) });
      await expect(client.send('StartEdgeConfigurationUpdate', { StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) }))
        .rejects.toMatchObject({ name: 'ResourceInUseException' });
    } finally {
      await relaxed.stop();
    }
  });
});

describe('fault injection and recording', () => {
  test('injected throttling is ClientLimitExceededException 400 with Message; it is not a quota refusal', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    emulator.faults.set({ throttleRate: 1, services: ['kinesisvideo'], operations: ['DescribeStream'] });
    await expect(kvs.call('DescribeStream', { StreamName: 'front-door' })).resolves.toEqual({
      status: 400, contentType: 'application/json', errorType: 'ClientLimitExceededException', body: { Message: 'Rate exceeded' },
    });
    expect(emulator.requests).toMatchObject([{ service: 'kinesisvideo', operation: 'DescribeStream', status: 400, fault: 'throttle' }]);
    expect(emulator.kinesisVideo.rateLimitedCalls).toEqual([]);
  });

  test('injected server errors are 500 InternalFailure; firstN lets the retry through', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door' });
    emulator.faults.set({ serverErrorRate: 1, services: ['kinesisvideo'], firstN: 1 });
    await expect(kvs.call('DescribeStream', { StreamName: 'front-door' })).resolves.toMatchObject({
      status: 500, errorType: 'InternalFailure', body: { Message: expect.stringContaining('injected') },
    });
    await expect(kvs.call('DescribeStream', { StreamName: 'front-door' })).resolves.toMatchObject({ status: 200 });
  });

  test('requests are recorded with service, operation, path, region and input', async () => {
    await kvs.send('CreateStream', { StreamName: 'front-door', DataRetentionInHours: 1 });
    await new KinesisVideoTestClient(emulator.url, 'eu-west-1').call('DescribeEdgeConfiguration', { StreamName: 'front-door' });
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        at: clock.now(),
        service: 'kinesisvideo',
        operation: 'CreateStream',
        method: 'POST',
        path: '/createStream',
        region: 'us-east-1',
        status: 200,
        input: { StreamName: 'front-door', DataRetentionInHours: 1 },
      }),
      expect.objectContaining({
        // Streams live in their region: front-door is a us-east-1 stream.
        operation: 'DescribeEdgeConfiguration', region: 'eu-west-1', status: 404, errorCode: 'ResourceNotFoundException',
      }),
    ]);
  });

  test('an unknown Kinesis Video operation is 404 UnknownOperationException with a Message member', async () => {
    await expect(kvs.call('ListSignalingChannels', {})).resolves.toMatchObject({
      status: 404, errorType: 'UnknownOperationException', body: { Message: expect.stringContaining('/listSignalingChannels') },
    });
  });
});

describe('secrets', () => {
  test('create returns a Secrets Manager ARN with a 6-character suffix; exists accepts full and partial ARNs; delete removes', () => {
    const arn = emulator.secrets.create('camera-1', 'rtsp://cam');
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:camera-1-[a-zA-Z0-9]{6}$/);
    expect(emulator.secrets.exists(arn)).toBe(true);
    expect(emulator.secrets.exists('arn:aws:secretsmanager:us-east-1:123456789012:secret:camera-1')).toBe(true);
    expect(emulator.secrets.exists(`${arn}x`)).toBe(false);
    expect(emulator.secrets.secretString(arn)).toBe('rtsp://cam');
    expect(() => emulator.secrets.create('camera-1', 'again')).toThrow(/already exists/);
    expect(() => emulator.secrets.create('bad name', 'x')).toThrow(/invalid secret name/);
    emulator.secrets.delete(arn);
    expect(emulator.secrets.exists(arn)).toBe(false);
    expect(() => emulator.secrets.delete(arn)).toThrow(/no secret/);
  });

  test('createMediaUri stores the JSON the Edge Agent reads; reset() forgets secrets and restarts suffixes', () => {
    const arn = emulator.secrets.createMediaUri('camera-1', 'rtsp://cam');
    expect(JSON.parse(emulator.secrets.secretString(arn)!)).toEqual({ MediaURI: 'rtsp://cam' });
    emulator.reset();
    expect(emulator.secrets.list()).toEqual([]);
    expect(emulator.secrets.createMediaUri('camera-1', 'rtsp://cam')).toBe(arn);
  });
});
