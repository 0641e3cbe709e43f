/**
 * End to end: the bundled Kinesis Video handlers through CloudFormation's lifecycle against the
 * local endpoint, with simulated Edge Agents and the service's rate limits. Time runs 60x.
 */
import { StartEdgeConfigurationUpdateCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesisvideo from 'aws-cdk-lib/aws-kinesisvideo';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { EdgeSchedule, StreamEdgeConfiguration } from '../../src';
import { EdgeConfigDocument } from '../../src/stream-edge/resource-properties';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { EdgeAgentBehaviours } from '../support/emulator';
import { StackEvent } from '../support/harness';
import { lifecycleTests } from '../support/lifecycle';
import { failureReason } from '../support/stack-events';

const HUB_1 = 'arn:aws:iot:us-east-1:123456789012:thing/camera-hub-1';
const HUB_2 = 'arn:aws:iot:us-east-1:123456789012:thing/camera-hub-2';
const STREAM = 'front-door';

interface StackOptions {
  readonly hubDeviceArn?: string;
  readonly schedule?: string;
  readonly syncTimeout?: Duration;
  readonly removalPolicy?: RemovalPolicy;
  readonly secretArn?: string;
}

let env: EdgeEnvironment;
const lifecycleTest = lifecycleTests(() => env);
let secretArn: string;

/** Starts the environment at `scale` with the stream and its camera's media URI secret. */
async function start(scale: number): Promise<void> {
  env = await startEdgeEnvironment({ scale });
  env.emulator.kinesisVideo.createStream({ name: STREAM, dataRetentionInHours: 24 });
  secretArn = env.emulator.secrets.createMediaUri('front-door-camera', 'rtsp://192.0.2.10:554/stream1');
}
beforeEach(() => start(60));
afterEach(async () => {
  await env.stop();
});

/** Restarts the environment at another speed, for tests of long waits. */
async function useScale(scale: number): Promise<void> {
  await env.stop();
  await start(scale);
}

function cameraStack(options: StackOptions = {}): Stack {
  const stack = new Stack(new App(), 'Cameras');
  new StreamEdgeConfiguration(stack, 'FrontDoor', {
    streamName: STREAM,
    hubDeviceArn: options.hubDeviceArn ?? HUB_1,
    recorder: {
      mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', options.secretArn ?? secretArn),
      schedule: EdgeSchedule.cron(options.schedule ?? '0 0 8 ? * MON-FRI', Duration.hours(1)),
    },
    syncTimeout: options.syncTimeout,
    removalPolicy: options.removalPolicy,
  });
  return stack;
}

const edge = () => env.emulator.kinesisVideo.edgeConfiguration(STREAM);
const applied = () => edge()?.appliedEdgeConfig as EdgeConfigDocument | undefined;
const reason = (events: readonly StackEvent[]) => failureReason(events, 'FrontDoor');

lifecycleTest('create waits for the Edge Agent to report IN_SYNC and returns its status', async () => {
  env.emulator.kinesisVideo.scriptAgent(HUB_1, EdgeAgentBehaviours.sync(2_000, 20_000));
  const result = await env.harness.deploy(cameraStack());

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(edge()).toMatchObject({ syncStatus: 'IN_SYNC', hubDeviceArn: HUB_1 });
  expect(applied()?.RecorderConfig.ScheduleConfig?.ScheduleExpression).toBe('0 0 8 ? * MON-FRI');
  const resource = env.harness.resource('FrontDoor');
  expect(resource.physicalId).toMatch(/^arn:aws:kinesisvideo:us-east-1:123456789012:stream\/front-door\/\d+$/);
  expect(resource.attributes).toMatchObject({ SyncStatus: 'IN_SYNC', RecorderStatus: 'SUCCESS', UploaderStatus: 'SUCCESS' });
  const inSync = env.emulator.eventsOf('kinesisvideo').find((e) => e.to === 'IN_SYNC')!;
  const response = env.harness.responses.find((r) => r.requestType === 'Create' && r.logicalResourceId.startsWith('FrontDoor'))!;
  expect(response.at).toBeGreaterThanOrEqual(inSync.at);
  expect(env.emulator.kinesisVideo.rateLimitedCalls).toHaveLength(0);
});

lifecycleTest('update re-applies the configuration and waits again', async () => {
  await env.harness.deploy(cameraStack());
  const result = await env.harness.deploy(cameraStack({ schedule: '0 0 9 ? * MON-FRI' }));

  expect(result.status).toBe('UPDATE_COMPLETE');
  expect(applied()?.RecorderConfig.ScheduleConfig?.ScheduleExpression).toBe('0 0 9 ? * MON-FRI');
  expect(edge()?.syncStatus).toBe('IN_SYNC');
});

lifecycleTest('a new hub device moves the configuration: deleted from the old device, then created on the new one', async () => {
  await env.harness.deploy(cameraStack());
  const result = await env.harness.deploy(cameraStack({ hubDeviceArn: HUB_2 }));

  expect(result.status).toBe('UPDATE_COMPLETE');
  expect(edge()).toMatchObject({ syncStatus: 'IN_SYNC', hubDeviceArn: HUB_2 });
  const statuses = env.emulator.eventsOf('kinesisvideo').map((e) => `${e.hubDeviceArn === HUB_1 ? 'hub1' : 'hub2'} ${e.to}`);
  const gone = statuses.indexOf('hub1 DELETED');
  expect(gone).toBeGreaterThan(0);
  expect(statuses.indexOf('hub2 SYNCING')).toBeGreaterThan(gone);
});

lifecycleTest('a sync already in progress is waited for, then this configuration is applied', async () => {
  env.emulator.kinesisVideo.scriptAgent(HUB_1, [EdgeAgentBehaviours.sync(5_000, 60_000), EdgeAgentBehaviours.sync(1_000, 5_000)]);
  const client = new KinesisVideoClient(env.emulator.clientConfig());
  await client.send(new StartEdgeConfigurationUpdateCommand({
    StreamName: STREAM,
    EdgeConfig: { HubDeviceArn: HUB_1, RecorderConfig: { MediaSourceConfig: { MediaUriSecretArn: secretArn, MediaUriType: 'RTSP_URI' } } },
  }));
  const result = await env.harness.deploy(cameraStack());

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(applied()?.RecorderConfig.ScheduleConfig?.ScheduleExpression).toBe('0 0 8 ? * MON-FRI');
  expect(edge()?.history.map((h) => h.status)).toEqual(['SYNCING', 'ACKNOWLEDGED', 'IN_SYNC', 'SYNCING', 'ACKNOWLEDGED', 'IN_SYNC']);
});

lifecycleTest('SYNC_FAILED fails the create with the service\'s details and the rollback deletes the configuration', async () => {
  env.emulator.kinesisVideo.scriptAgent(HUB_1, EdgeAgentBehaviours.fail('Unable to connect to the RTSP camera'));
  const result = await env.harness.deploy(cameraStack());

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toContain(`The Edge Agent of ${HUB_1} rejected the edge configuration of stream ${STREAM} (SYNC_FAILED): Unable to connect to the RTSP camera`);
  expect(edge()).toBeUndefined();
});

lifecycleTest('a media URI secret that does not exist is rejected by the Edge Agent', async () => {
  const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:no-such-camera-AbCdEf';
  const result = await env.harness.deploy(cameraStack({ secretArn: missing }));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toMatch(/SYNC_FAILED\): .*no-such-camera/);
});

lifecycleTest('an update the Edge Agent rejects is rolled back: the agent ends on the previous configuration', async () => {
  env.emulator.kinesisVideo.scriptAgent(HUB_1, [EdgeAgentBehaviours.sync(), EdgeAgentBehaviours.fail('Schedule overlaps a maintenance window'), EdgeAgentBehaviours.sync()]);
  await env.harness.deploy(cameraStack());
  const result = await env.harness.deploy(cameraStack({ schedule: '0 0 3 ? * SUN' }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(reason(result.events)).toContain('(SYNC_FAILED): Schedule overlaps a maintenance window');
  expect(edge()?.syncStatus).toBe('IN_SYNC');
  expect(applied()?.RecorderConfig.ScheduleConfig?.ScheduleExpression).toBe('0 0 8 ? * MON-FRI');
});

lifecycleTest('destroy deletes the configuration and waits until it is gone', async () => {
  await env.harness.deploy(cameraStack());
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
  expect(edge()).toBeUndefined();
  expect(env.emulator.eventsOf('kinesisvideo').map((e) => e.to).slice(-3)).toEqual(['DELETING', 'DELETING_ACKNOWLEDGED', 'DELETED']);
});

lifecycleTest('DELETE_FAILED is retried and the delete then succeeds', async () => {
  env.emulator.kinesisVideo.scriptAgent(HUB_1, { deletions: [EdgeAgentBehaviours.fail('Media files locked'), EdgeAgentBehaviours.delete()] });
  await env.harness.deploy(cameraStack());
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
  expect(env.emulator.eventsOf('kinesisvideo').map((e) => e.to)).toContain('DELETE_FAILED');
  expect(edge()).toBeUndefined();
});

/** Each deletion fails 2.5 minutes after it is requested: three take longer than one isComplete invocation (at most 4 minutes). */
const SLOW_DELETE_FAILURE = EdgeAgentBehaviours.fail('Media files locked by the recorder', 1_000, 150_000);
const deleteCalls = () => env.emulator.requests.filter((r) => r.operation === 'DeleteEdgeConfiguration' && r.status === 200);
const isCompleteInvocations = (requestType: string) => env.harness.invocations.filter((i) => i.handler === 'index.isComplete' && i.requestType === requestType);

// The count survives isComplete's invocations (a tag on the stream): a deletion that fails slowly is not
// requested again and again until the sync timeout, whose reason would hide the service's.
lifecycleTest('DELETE_FAILED is retried twice across isComplete invocations, then fails with the service\'s FailedStatusDetails', async () => {
  env.emulator.kinesisVideo.scriptAgent(HUB_1, { deletions: SLOW_DELETE_FAILURE });
  await env.harness.deploy(cameraStack({ syncTimeout: Duration.minutes(16) }));
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_FAILED');
  expect(reason(result.events)).toMatch(/Could not delete the edge configuration of stream \S+: DELETE_FAILED 3 times; last reason: Media files locked by the recorder/);
  expect(deleteCalls()).toHaveLength(3);
  expect(isCompleteInvocations('Delete').length).toBeGreaterThan(1);
  // The count is kept only while it is needed.
  expect(env.emulator.kinesisVideo.stream(STREAM)?.tags).toEqual({
    'cdk-edge-sync:owner': `Cameras/${env.harness.resource('FrontDoor').logicalId}`, 'cdk-edge-sync:operation': expect.any(String),
  });
});

// The delete step of a hub move is bounded the same way.
lifecycleTest('a move whose deletion from the old hub device fails three times fails with the service\'s reason; the rollback keeps the old device', async () => {
  await env.harness.deploy(cameraStack({ syncTimeout: Duration.minutes(16) }));
  env.emulator.kinesisVideo.scriptAgent(HUB_1, { deletions: SLOW_DELETE_FAILURE });
  const result = await env.harness.deploy(cameraStack({ hubDeviceArn: HUB_2, syncTimeout: Duration.minutes(16) }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(reason(result.events)).toMatch(/Could not move the edge configuration of stream \S+ from hub device \S+camera-hub-1: DELETE_FAILED 3 times; last reason: Media files locked by the recorder/);
  expect(deleteCalls()).toHaveLength(3);
  expect(isCompleteInvocations('Update').length).toBeGreaterThan(2);
  expect(edge()).toMatchObject({ hubDeviceArn: HUB_1, syncStatus: 'IN_SYNC' });
  expect(env.emulator.kinesisVideo.stream(STREAM)?.tags).toEqual({
    'cdk-edge-sync:owner': `Cameras/${env.harness.resource('FrontDoor').logicalId}`, 'cdk-edge-sync:operation': expect.any(String),
  });
});

lifecycleTest('destroy succeeds when the stream was deleted out of band', async () => {
  await env.harness.deploy(cameraStack());
  env.emulator.kinesisVideo.deleteStreamOutOfBand(STREAM);
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
  expect(env.emulator.requests.filter((r) => r.operation === 'DeleteEdgeConfiguration')).toHaveLength(0);
});

lifecycleTest('destroy with RETAIN leaves the configuration', async () => {
  await env.harness.deploy(cameraStack({ removalPolicy: RemovalPolicy.RETAIN }));
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
  expect(edge()?.syncStatus).toBe('IN_SYNC');
});

lifecycleTest('a stream that does not exist fails at once', async () => {
  env.emulator.kinesisVideo.deleteStreamOutOfBand(STREAM);
  const result = await env.harness.deploy(cameraStack());

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toMatch(/Could not read the edge configuration of stream front-door: ResourceNotFoundException/);
  expect(result.durationMs).toBeLessThan(30_000);
});

lifecycleTest('a stream without data retention fails at once with the fix in the reason', async () => {
  env.emulator.kinesisVideo.createStream({ name: 'no-retention', dataRetentionInHours: 0 });
  const stack = new Stack(new App(), 'Cameras');
  new StreamEdgeConfiguration(stack, 'FrontDoor', {
    streamName: 'no-retention',
    hubDeviceArn: HUB_1,
    recorder: { mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', secretArn) },
  });
  const result = await env.harness.deploy(stack);

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toContain('the stream keeps no data (NoDataRetentionException). Give the stream a data retention above 0 hours');
});

lifecycleTest('a throttling and 500 storm is retried and the deploy still succeeds', async () => {
  env.emulator.faults.set({ throttleRate: 0.3, serverErrorRate: 0.2, services: ['kinesisvideo'] });
  const result = await env.harness.deploy(cameraStack());

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(edge()?.syncStatus).toBe('IN_SYNC');
  expect(env.emulator.requests.filter((r) => r.errorCode === 'ClientLimitExceededException').length).toBeGreaterThan(0);
});

lifecycleTest('an offline hub device fails when the service gives up after 15 minutes, and the rollback deletes the configuration', async () => {
  await useScale(600);
  env.emulator.kinesisVideo.scriptAgent(HUB_1, { updates: EdgeAgentBehaviours.offline(), deletions: EdgeAgentBehaviours.delete() });
  const result = await env.harness.deploy(cameraStack());

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toMatch(new RegExp(`rejected the edge configuration of stream ${STREAM} \\(SYNC_FAILED\\): .+`));
  // It fails when the service reports SYNC_FAILED after its 15 minutes of retries, not at the 25 minute timeout.
  const started = result.events.find((e) => e.logicalId.startsWith('FrontDoor') && e.status === 'CREATE_IN_PROGRESS')!;
  const failed = result.events.find((e) => e.logicalId.startsWith('FrontDoor') && e.status === 'CREATE_FAILED')!;
  expect(failed.at - started.at).toBeGreaterThanOrEqual(15 * 60_000);
  expect(failed.at - started.at).toBeLessThan(25 * 60_000);
  expect(edge()).toBeUndefined();
});

lifecycleTest('a sync timeout shorter than the service\'s retries fails with the last status, and the rollback cannot delete a configuration still syncing', async () => {
  env.emulator.kinesisVideo.scriptAgent(HUB_1, { updates: EdgeAgentBehaviours.offline(), deletions: EdgeAgentBehaviours.delete() });
  const result = await env.harness.deploy(cameraStack({ syncTimeout: Duration.minutes(3) }));

  expect(reason(result.events)).toContain(`Timed out after 3 minutes waiting for the Edge Agent to sync the edge configuration of stream ${STREAM}; last seen: SyncStatus SYNCING`);
  expect(result.status).toBe('ROLLBACK_FAILED');
  expect(edge()?.syncStatus).toBe('SYNCING');
});

lifecycleTest('the stack\'s own stream, secret and hub device are created first and used', async () => {
  const stack = new Stack(new App(), 'Cameras');
  const stream = new kinesisvideo.CfnStream(stack, 'Stream', { name: 'loading-dock', dataRetentionInHours: 24 });
  const hub = new iot.CfnThing(stack, 'Hub', { thingName: 'dock-hub' });
  new StreamEdgeConfiguration(stack, 'Dock', { stream, hubDevice: hub, recorder: { mediaUriSecret: new secretsmanager.Secret(stack, 'DockCamera') } });
  const result = await env.harness.deploy(stack);

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(env.emulator.kinesisVideo.edgeConfiguration('loading-dock')).toMatchObject({
    syncStatus: 'IN_SYNC', hubDeviceArn: 'arn:aws:iot:us-east-1:123456789012:thing/dock-hub',
  });
});
