/**
 * Benchmark (`npx projen benchmark`): how long after a gateway or an Edge Agent reports IN_SYNC
 * the deploy hears about it, and how many Describe calls each resource makes per minute while waiting, for syncs
 * that take 1, 5, 30 and 120 seconds. Measured against the local endpoint through the
 * CloudFormation harness, with the real handler bundle, in simulated time.
 *
 * Each device's sync time is the row's time plus a seeded random 0 to 5 s, so the samples fall
 * at every phase of a 5 s polling cycle instead of all at the same one.
 *
 * Baseline in the same run: the same handler limited to one Describe per isComplete invocation
 * (its Lambda timeout leaves it no time to poll again), so the Provider framework's fixed 5 s
 * query interval sets the pace, as it does for a plain isComplete handler.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CapabilityConfiguration, CapabilityNamespace, GatewayCapabilityConfiguration, StreamEdgeConfiguration } from '../../src';
import { EdgeSyncProvider } from '../../src/provider/edge-sync-provider';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { DeviceBehaviours, EdgeAgentBehaviours, RecordedRequest, SeededRandom } from '../support/emulator';
import { ResponseRecord } from '../support/harness';

const SYNC_SECONDS = [1, 5, 30, 120];
const SAMPLES = Number(process.env.BENCHMARK_SAMPLES ?? 10);
const SCALE = Number(process.env.BENCHMARK_SCALE ?? 2);
const NAMESPACE = 'iotsitewise:opcuacollector:3';
const PHASE_SPREAD_MS = 5_000;
const DOCUMENT = '{"sources":[{"name":"Line 1","endpoint":{"endpointUri":"opc.tcp://10.0.1.20:4840"}}]}';

type Mode = 'cdk-edge-sync' | 'framework 5 s polling';
type Construct = 'GatewayCapabilityConfiguration' | 'StreamEdgeConfiguration';

interface Sample {
  readonly construct: Construct;
  readonly syncSeconds: number;
  readonly latencyMs: number;
  readonly describesPerMinute: number;
}

/** One resource under measurement and how to find its calls, its device report and its answer. */
interface Target {
  readonly construct: Construct;
  readonly syncSeconds: number;
  /** Requests of this resource's own API calls. */
  readonly isMine: (request: RecordedRequest) => boolean;
  /** Simulated time the device reported IN_SYNC. */
  readonly inSyncAt: () => number;
  readonly physicalId: (response: ResponseRecord) => boolean;
}

function addGatewayCapability(env: EdgeEnvironment, stack: Stack, id: string, syncSeconds: number, syncMs: number): Target {
  const gatewayId = env.emulator.sitewise.createGateway();
  env.emulator.sitewise.scriptDevice(gatewayId, NAMESPACE, DeviceBehaviours.apply(syncMs));
  new GatewayCapabilityConfiguration(stack, id, {
    gatewayId,
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromJson(DOCUMENT),
  });
  return {
    construct: 'GatewayCapabilityConfiguration',
    syncSeconds,
    isMine: (r) => r.path.includes(gatewayId),
    inSyncAt: () => env.emulator.eventsOf('iotsitewise').find((e) => e.gatewayId === gatewayId && e.to === 'IN_SYNC')!.at,
    physicalId: (r) => r.body.PhysicalResourceId === `${gatewayId}/${NAMESPACE}`,
  };
}

function addStreamEdge(env: EdgeEnvironment, stack: Stack, id: string, syncSeconds: number, syncMs: number): Target {
  const streamName = `camera-${id}`;
  const streamArn = env.emulator.kinesisVideo.createStream({ name: streamName, dataRetentionInHours: 24 });
  const hubDeviceArn = `arn:aws:iot:us-east-1:123456789012:thing/hub-${id}`;
  const ackMs = Math.min(500, syncMs / 2);
  env.emulator.kinesisVideo.scriptAgent(hubDeviceArn, EdgeAgentBehaviours.sync(ackMs, syncMs - ackMs));
  const secretArn = env.emulator.secrets.createMediaUri(`camera-${id}`, 'rtsp://192.0.2.10:554/stream1');
  new StreamEdgeConfiguration(stack, id, {
    streamName,
    hubDeviceArn,
    recorder: { mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, `${id}Secret`, secretArn) },
  });
  return {
    construct: 'StreamEdgeConfiguration',
    syncSeconds,
    isMine: (r) => (r.input as { StreamName?: string })?.StreamName === streamName,
    inSyncAt: () => env.emulator.eventsOf('kinesisvideo').find((e) => e.streamName === streamName && e.to === 'IN_SYNC')!.at,
    physicalId: (r) => r.body.PhysicalResourceId === streamArn,
  };
}

async function measure(mode: Mode, construct: Construct): Promise<Sample[]> {
  const env = await startEdgeEnvironment({ scale: SCALE });
  try {
    const stack = new Stack(new App(), 'Benchmark');
    const targets: Target[] = [];
    const random = new SeededRandom(42); // the same sync times for both handlers
    for (const syncSeconds of SYNC_SECONDS) {
      for (let i = 0; i < SAMPLES; i++) {
        const syncMs = syncSeconds * 1000 + Math.round(random.next() * PHASE_SPREAD_MS);
        const add = construct === 'GatewayCapabilityConfiguration' ? addGatewayCapability : addStreamEdge;
        targets.push(add(env, stack, `Sync${syncSeconds}s${i}`, syncSeconds, syncMs));
      }
    }
    if (mode === 'framework 5 s polling') {
      // 10 s of Lambda time minus the handler's 10 s answer margin: one poll per invocation.
      const isComplete = EdgeSyncProvider.getOrCreate(stack).isCompleteHandler.node.defaultChild as lambda.CfnFunction;
      isComplete.timeout = 10;
    }

    const result = await env.harness.deploy(stack);
    if (result.status !== 'CREATE_COMPLETE') throw new Error(`${mode}: deploy ended ${result.status}`);

    return targets.map((target) => {
      const response = env.harness.responses.find((r) => target.physicalId(r) && r.body.Status === 'SUCCESS')!;
      const calls = env.emulator.requests.filter(target.isMine);
      const firstCall = calls[0];
      const describes = calls.filter((r) => r.operation?.startsWith('Describe') && r.at <= response.at).length;
      return {
        construct: target.construct,
        syncSeconds: target.syncSeconds,
        latencyMs: response.at - target.inSyncAt(),
        describesPerMinute: describes / ((response.at - firstCall.at) / 60_000),
      };
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
  const constructs: Construct[] = ['GatewayCapabilityConfiguration', 'StreamEdgeConfiguration'];
  const modes: Mode[] = ['cdk-edge-sync', 'framework 5 s polling'];
  const measured = new Map<Mode, Sample[]>(modes.map((mode) => [mode, []]));
  // One deploy per construct and handler, so the resources of a row share the machine with as few others as possible.
  for (const construct of constructs) {
    for (const mode of modes) measured.get(mode)!.push(...await measure(mode, construct));
  }
  for (const construct of constructs) {
    for (const syncSeconds of SYNC_SECONDS) {
      for (const [mode, samples] of measured) {
        const these = samples.filter((s) => s.construct === construct && s.syncSeconds === syncSeconds);
        const latencies = these.map((s) => s.latencyMs / 1000);
        const rate = these.reduce((sum, s) => sum + s.describesPerMinute, 0) / these.length;
        rows.push([construct, `${syncSeconds}-${syncSeconds + PHASE_SPREAD_MS / 1000} s`, mode, String(these.length),
          percentile(latencies, 50).toFixed(2), percentile(latencies, 95).toFixed(2), rate.toFixed(1)]);
      }
    }
  }
  const header = ['construct', 'sync after', 'handler', 'n', 'latency p50 (s)', 'latency p95 (s)', 'Describe calls / resource / min'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log('Sync detection latency: time from the gateway or Edge Agent reporting IN_SYNC to the SUCCESS response to CloudFormation.');
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
