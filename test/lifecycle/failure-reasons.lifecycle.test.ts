/**
 * End to end: a failure reason reaches CloudFormation however long the device's own words are.
 * CloudFormation refuses a response body over 4,096 bytes ("Response object is too long"), which
 * would hide the reason and, for an update, the physical id the rollback needs.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { EdgeSchedule, StreamEdgeConfiguration } from '../../src';
import { EdgeAgentBehaviours } from '../support/emulator';
import { MAX_RESPONSE_BYTES } from '../support/harness';
import { useEdgeEnvironment } from '../support/lifecycle';
import { failureReason } from '../support/stack-events';

const HUB = 'arn:aws:iot:us-east-1:123456789012:thing/camera-hub-1';
const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

function cameraStack(secretArn: string): Stack {
  const stack = new Stack(new App(), 'Cameras');
  new StreamEdgeConfiguration(stack, 'FrontDoor', {
    streamName: 'front-door',
    hubDeviceArn: HUB,
    recorder: {
      mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', secretArn),
      schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', Duration.hours(1)),
    },
  });
  return stack;
}

lifecycleTest('an Edge Agent\'s 10 KB failure details are cut: CloudFormation gets the start of them, in a response under 4 KB', async () => {
  env.emulator.kinesisVideo.createStream({ name: 'front-door', dataRetentionInHours: 24 });
  const secretArn = env.emulator.secrets.createMediaUri('front-door-camera', 'rtsp://192.0.2.10:554/stream1');
  const details = `Recorder failed: ${'é'.repeat(5_000)}`;
  env.emulator.kinesisVideo.scriptAgent(HUB, { updates: EdgeAgentBehaviours.fail(details) });

  const result = await env.harness.deploy(cameraStack(secretArn));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  const reason = failureReason(result.events, 'FrontDoor');
  expect(reason).toContain('rejected the edge configuration of stream front-door (SYNC_FAILED): Recorder failed: éééé');
  expect(reason).toContain('(cut; the handler log has the whole reason)');
  const failed = env.harness.responses.filter((response) => response.body.Status === 'FAILED');
  expect(failed.length).toBeGreaterThan(0);
  for (const response of failed) expect(response.bytes).toBeLessThan(MAX_RESPONSE_BYTES / 2);
});
