/**
 * Parallel-deploy guard: 100 stream edge configurations of one stack syncing at once, against a
 * local endpoint that enforces Kinesis Video's rate limits (StartEdgeConfigurationUpdate 1 per
 * second per stream and 10 per second per account; DescribeEdgeConfiguration 5 and 50). The
 * handlers' backoff with jitter must bring every one of them to IN_SYNC.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { StreamEdgeConfiguration } from '../../src';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { EdgeAgentBehaviours } from '../support/emulator';
import { lifecycleTests } from '../support/lifecycle';

const RESOURCES = 100;
let env: EdgeEnvironment;
const lifecycleTest = lifecycleTests(() => env);

beforeAll(async () => {
  env = await startEdgeEnvironment({ scale: 2 });
});
afterAll(async () => {
  await env.stop();
});

lifecycleTest('100 concurrent edge configurations all reach IN_SYNC under the service\'s rate limits', async () => {
  const stack = new Stack(new App(), 'Cameras');
  const secretArn = env.emulator.secrets.createMediaUri('camera', 'rtsp://192.0.2.10:554/stream1');
  const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', secretArn);
  env.emulator.kinesisVideo.setDefaultAgentScript(EdgeAgentBehaviours.sync(1_000, 10_000));
  for (let i = 0; i < RESOURCES; i++) {
    env.emulator.kinesisVideo.createStream({ name: `camera-${i}`, dataRetentionInHours: 24 });
    new StreamEdgeConfiguration(stack, `Camera${i}`, {
      streamName: `camera-${i}`,
      hubDeviceArn: `arn:aws:iot:us-east-1:123456789012:thing/hub-${i}`,
      recorder: { mediaUriSecret: secret },
    });
  }

  const result = await env.harness.deploy(stack);

  expect(result.status).toBe('CREATE_COMPLETE');
  for (let i = 0; i < RESOURCES; i++) expect(env.emulator.kinesisVideo.edgeConfiguration(`camera-${i}`)?.syncStatus).toBe('IN_SYNC');
  // The limits were really hit, and handled.
  expect(env.emulator.kinesisVideo.rateLimitedCalls.length).toBeGreaterThan(0);
  const starts = env.emulator.requests.filter((r) => r.operation === 'StartEdgeConfigurationUpdate' && r.status === 200);
  expect(starts).toHaveLength(RESOURCES);
}, 600_000);
