/**
 * Benchmark (`npx projen benchmark`): time to success under a throttling storm. A camera whose
 * Edge Agent syncs in 1.2 s, and a SiteWise gateway that syncs in 1.2 s, created while 0%, 50%
 * and 80% of that service's calls are throttled (ClientLimitExceededException, ThrottlingException),
 * on top of Kinesis Video's own quotas. Time to success: from the start of onEvent to the SUCCESS
 * response to CloudFormation, in simulated seconds. Measured against the local endpoint through
 * the CloudFormation harness, with the real handler bundle.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CapabilityConfiguration, CapabilityNamespace, GatewayCapabilityConfiguration, StreamEdgeConfiguration } from '../../src';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { DeviceBehaviours, EdgeAgentBehaviours } from '../support/emulator';

const THROTTLE_RATES = [0, 0.5, 0.8];
const SAMPLES = Number(process.env.BENCHMARK_SAMPLES ?? 8);
const SCALE = Number(process.env.BENCHMARK_SCALE ?? 4);
const SYNC_MS = 1_200;
const NAMESPACE = 'iotsitewise:opcuacollector:3';
const DOCUMENT = '{"sources":[{"name":"Line 1","endpoint":{"endpointUri":"opc.tcp://10.0.1.20:4840"}}]}';

type Construct = 'GatewayCapabilityConfiguration' | 'StreamEdgeConfiguration';
const SERVICE: Record<Construct, string> = { GatewayCapabilityConfiguration: 'iotsitewise', StreamEdgeConfiguration: 'kinesisvideo' };

/** Seconds to success of each resource; undefined for one whose create failed. */
type Outcome = number | undefined;

function addGatewayCapability(env: EdgeEnvironment, stack: Stack, id: string): void {
  const gatewayId = env.emulator.sitewise.createGateway();
  env.emulator.sitewise.scriptDevice(gatewayId, NAMESPACE, DeviceBehaviours.apply(SYNC_MS));
  new GatewayCapabilityConfiguration(stack, id, {
    gatewayId,
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromJson(DOCUMENT),
  });
}

function addStreamEdge(env: EdgeEnvironment, stack: Stack, id: string): void {
  const streamName = `camera-${id}`;
  env.emulator.kinesisVideo.createStream({ name: streamName, dataRetentionInHours: 24 });
  const hubDeviceArn = `arn:aws:iot:us-east-1:123456789012:thing/hub-${id}`;
  env.emulator.kinesisVideo.scriptAgent(hubDeviceArn, EdgeAgentBehaviours.sync(500, SYNC_MS - 500));
  const secretArn = env.emulator.secrets.createMediaUri(`camera-${id}`, 'rtsp://192.0.2.10:554/stream1');
  new StreamEdgeConfiguration(stack, id, {
    streamName,
    hubDeviceArn,
    recorder: { mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, `${id}Secret`, secretArn) },
  });
}

async function measure(construct: Construct, throttleRate: number): Promise<Outcome[]> {
  const env = await startEdgeEnvironment({ scale: SCALE });
  try {
    const stack = new Stack(new App(), 'Benchmark');
    const ids = Array.from({ length: SAMPLES }, (_, i) => `Resource${i}`);
    for (const id of ids) (construct === 'GatewayCapabilityConfiguration' ? addGatewayCapability : addStreamEdge)(env, stack, id);
    if (throttleRate > 0) env.emulator.faults.set({ throttleRate, services: [SERVICE[construct]] });
    await env.harness.deploy(stack);

    return ids.map((id) => {
      const logicalId = (r: { logicalResourceId?: string }) => r.logicalResourceId?.startsWith(id) === true;
      const onEvent = env.harness.invocations.find((i) => logicalId(i) && i.handler === 'index.onEvent' && i.requestType === 'Create');
      const success = env.harness.responses.find((r) => logicalId(r) && r.requestType === 'Create' && r.body.Status === 'SUCCESS');
      return onEvent && success ? (success.at - onEvent.startedAt) / 1000 : undefined;
    });
  } finally {
    await env.stop();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: string[][] = [];
  for (const construct of ['StreamEdgeConfiguration', 'GatewayCapabilityConfiguration'] as const) {
    for (const rate of THROTTLE_RATES) {
      const outcomes = await measure(construct, rate);
      const seconds = outcomes.filter((o): o is number => o !== undefined);
      const stat = (p: number) => (seconds.length > 0 ? percentile(seconds, p).toFixed(1) : '-');
      rows.push([construct, `${Math.round(rate * 100)}%`, String(outcomes.length), stat(50), stat(100), String(outcomes.length - seconds.length)]);
    }
  }
  const header = ['construct', 'calls throttled', 'n', 'time to success p50 (s)', 'max (s)', 'failed'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(`Time to success under throttling: a device that syncs in ${SYNC_MS / 1000} s, from the start of onEvent to the SUCCESS response.`);
  console.log(`Simulated time at ${SCALE}x (real HTTP and worker overhead counts ${SCALE} times), ${SAMPLES} resources per row, deployed concurrently.\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  rows.forEach((row) => console.log(line(row)));
  console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s real time`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
