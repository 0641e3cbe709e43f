import {
  ClientLimitExceededException, CreateStreamCommand, DeleteEdgeConfigurationCommand, DescribeEdgeConfigurationCommand, DescribeStreamCommand,
  KinesisVideoClient, KinesisVideoServiceException, NoDataRetentionException, paginateListEdgeAgentConfigurations, ResourceInUseException,
  ResourceNotFoundException, StartEdgeConfigurationUpdateCommand, StreamEdgeConfigurationNotFoundException, type KinesisVideoClientConfig,
} from '@aws-sdk/client-kinesis-video';
import { startEmulator } from './emulator-test-support';
import { edgeConfig, HUB_DEVICE_ARN, ManualClock, streamWithSecret } from './kinesis-video-test-support';
import type { LocalAwsEndpoint } from '../support/emulator';

// The other Kinesis Video tests use a hand-signed client; this one checks that the unmodified SDK
// client reads everything the emulator answers: Dates from epoch seconds, errors by class with the
// `Message` member, the paginator's NextToken.
const clock = new ManualClock();
let emulator: LocalAwsEndpoint;
let client: KinesisVideoClient;

function kinesisVideoClient(overrides: KinesisVideoClientConfig = {}): KinesisVideoClient {
  return new KinesisVideoClient({ ...emulator.clientConfig(), maxAttempts: 1, ...overrides });
}

beforeAll(async () => {
  emulator = await startEmulator({ clock });
  client = kinesisVideoClient();
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

test('CreateStream and DescribeStream: ARN, ACTIVE, CreationTime as a Date', async () => {
  const { StreamARN } = await client.send(new CreateStreamCommand({ StreamName: 'front-door', DataRetentionInHours: 24 }));
  const { StreamInfo } = await client.send(new DescribeStreamCommand({ StreamARN }));
  expect(StreamInfo).toMatchObject({ StreamName: 'front-door', StreamARN, Status: 'ACTIVE', DataRetentionInHours: 24 });
  expect(StreamInfo?.CreationTime).toEqual(new Date(clock.now()));
});

test('Start, Describe with EdgeAgentStatus, Delete', async () => {
  const { secretArn } = streamWithSecret(emulator);
  const started = await client.send(new StartEdgeConfigurationUpdateCommand({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) }));
  expect(started).toMatchObject({ SyncStatus: 'SYNCING', EdgeConfig: edgeConfig(secretArn), CreationTime: new Date(clock.now()) });
  clock.advance(3_000);
  const described = await client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' }));
  expect(described).toMatchObject({
    SyncStatus: 'IN_SYNC',
    EdgeAgentStatus: {
      LastRecorderStatus: { RecorderStatus: 'SUCCESS', LastCollectedTime: new Date(clock.now()) },
      LastUploaderStatus: { UploaderStatus: 'SUCCESS', LastUpdatedTime: new Date(clock.now()) },
    },
  });
  await client.send(new DeleteEdgeConfigurationCommand({ StreamName: 'front-door' }));
  clock.advance(3_000);
  const gone = await client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' })).catch((e: unknown) => e);
  expect(gone).toBeInstanceOf(StreamEdgeConfigurationNotFoundException);
  expect(gone).toMatchObject({ message: 'The stream front-door has no edge configuration', $metadata: { httpStatusCode: 404 } });
});

test('modeled errors arrive as their SDK classes, with the message from `Message`', async () => {
  const { secretArn } = streamWithSecret(emulator);
  emulator.kinesisVideo.createStream({ name: 'live-only', dataRetentionInHours: 0 });
  const send = (streamName: string) => client
    .send(new StartEdgeConfigurationUpdateCommand({ StreamName: streamName, EdgeConfig: edgeConfig(secretArn) }))
    .catch((e: unknown) => e);
  expect(await send('live-only')).toMatchObject({ name: 'NoDataRetentionException', message: 'The Stream data retention in hours is equal to zero.' });
  expect(await send('live-only')).toBeInstanceOf(ClientLimitExceededException);
  expect(await send('nope')).toBeInstanceOf(ResourceNotFoundException);
  await send('front-door');
  clock.advance(1_000);
  expect(await send('front-door')).toBeInstanceOf(ResourceInUseException);
  clock.advance(1_000);
  expect(await send('live-only')).toBeInstanceOf(NoDataRetentionException);
});

test('the 500 InternalFailure is a retryable server error for the SDK', async () => {
  emulator.kinesisVideo.createStream({ name: 'front-door' });
  emulator.faults.set({ serverErrorRate: 1, services: ['kinesisvideo'], firstN: 1 });
  const error = await client.send(new DescribeStreamCommand({ StreamName: 'front-door' })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(KinesisVideoServiceException);
  expect(error).toMatchObject({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });

  emulator.faults.set({ serverErrorRate: 1, services: ['kinesisvideo'], firstN: 1 });
  const retrying = kinesisVideoClient({ maxAttempts: 2 });
  try {
    const described = await retrying.send(new DescribeStreamCommand({ StreamName: 'front-door' }));
    expect(described.$metadata.attempts).toBe(2);
  } finally {
    retrying.destroy();
  }
});

test('paginateListEdgeAgentConfigurations follows NextToken', async () => {
  const secretArn = emulator.secrets.createMediaUri('camera', 'rtsp://cam');
  for (let n = 1; n <= 7; n++) {
    emulator.kinesisVideo.createStream({ name: `cam-${n}` });
    await client.send(new StartEdgeConfigurationUpdateCommand({ StreamName: `cam-${n}`, EdgeConfig: edgeConfig(secretArn) }));
  }
  const names: string[] = [];
  for await (const page of paginateListEdgeAgentConfigurations({ client, pageSize: 3 }, { HubDeviceArn: HUB_DEVICE_ARN })) {
    names.push(...(page.EdgeConfigs ?? []).map((config) => config.StreamName!));
  }
  expect(names).toEqual(['cam-1', 'cam-2', 'cam-3', 'cam-4', 'cam-5', 'cam-6', 'cam-7']);
});
