/**
 * The drift monitor at scale: one stack of 400 edge-sync resources (200 SiteWise namespaces, 200
 * Kinesis Video streams) under Kinesis Video's rate limits, checked in one run of the monitor's
 * function. Its Describe calls are spread (lambda/monitor/pacing.ts), so none fails for throttling.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CapabilityConfiguration, CapabilityNamespace, EdgeSyncMonitor, GatewayCapabilityConfiguration, StreamEdgeConfiguration } from '../../src';
import { opcUaDocument } from '../support/documents';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { EdgeAgentBehaviours } from '../support/emulator';
import { lifecycleTests } from '../support/lifecycle';

const GATEWAYS = 200;
const STREAMS = 200;
let env: EdgeEnvironment;
const lifecycleTest = lifecycleTests(() => env);

beforeAll(async () => {
  env = await startEdgeEnvironment({ scale: 5 });
});
afterAll(async () => {
  await env.stop();
});

/** The fleet's stack with its first `count` gateway configurations and streams (half each). */
function fleetStack(count: number, gatewayIds: readonly string[], secretArn: string): Stack {
  const stack = new Stack(new App(), 'Fleet');
  EdgeSyncMonitor.enable(stack);
  const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', secretArn);
  for (let i = 0; i < count / 2; i++) {
    new GatewayCapabilityConfiguration(stack, `Collector${i}`, {
      gatewayId: gatewayIds[i],
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromJson(opcUaDocument(`opc.tcp://10.0.${i % 250}.20:4840`)),
    });
    new StreamEdgeConfiguration(stack, `Camera${i}`, {
      streamName: `camera-${i}`,
      hubDeviceArn: `arn:aws:iot:us-east-1:123456789012:thing/hub-${i}`,
      recorder: { mediaUriSecret: secret },
    });
  }
  return stack;
}

lifecycleTest('400 resources are checked in one run, within the Lambda timeout, without a throttling failure', async () => {
  const secretArn = env.emulator.secrets.createMediaUri('camera', 'rtsp://192.0.2.10:554/stream1');
  env.emulator.kinesisVideo.setDefaultAgentScript(EdgeAgentBehaviours.sync(1_000, 10_000));
  const gatewayIds = Array.from({ length: GATEWAYS }, () => env.emulator.sitewise.createGateway());
  for (let i = 0; i < STREAMS; i++) env.emulator.kinesisVideo.createStream({ name: `camera-${i}`, dataRetentionInHours: 24 });
  // A hundred resources per deploy, as a fleet grows (the harness runs one Lambda environment per concurrent invocation).
  for (let count = 100; count <= GATEWAYS + STREAMS; count += 100) {
    expect((await env.harness.deploy(fleetStack(count, gatewayIds, secretArn))).status).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
  }
  env.emulator.kinesisVideo.deleteEdgeConfigurationOutOfBand('camera-7');

  const [run] = await env.harness.runSchedule();

  expect(run.outcome).toBe('success');
  expect(run.result).toMatchObject({ checked: GATEWAYS + STREAMS, drifted: 1, errors: {} });
  expect(run.durationMs).toBeLessThan(15 * 60_000);
  const drifted = env.harness.metrics('EdgeSyncMonitorHandler').filter((m) => m.name === 'Drifted' && m.dimensions.ConstructPath);
  expect(drifted).toHaveLength(GATEWAYS + STREAMS);
  expect(drifted.filter((m) => m.value === 1).map((m) => m.dimensions.ConstructPath)).toEqual(['Fleet/Camera7']);
  // The monitor's Describe calls stayed within Kinesis Video's rates: none was throttled.
  const throttled = env.emulator.requests.filter((r) => r.at >= run.startedAt && r.operation === 'DescribeEdgeConfiguration' && r.status !== 200 && r.status !== 404);
  expect(throttled).toEqual([]);
}, 1_200_000);
