/**
 * Benchmark (`npx projen benchmark`): how long after a gateway reaches IN_SYNC the deploy hears
 * about it, and how many Describe calls each resource makes per minute while waiting, for syncs
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
import { CapabilityConfiguration, CapabilityNamespace, GatewayCapabilityConfiguration } from '../../src';
import { EdgeSyncProvider } from '../../src/provider/edge-sync-provider';
import { startEdgeEnvironment } from '../support/edge-environment';
import { DeviceBehaviours, SeededRandom } from '../support/emulator';

const SYNC_SECONDS = [1, 5, 30, 120];
const SAMPLES = Number(process.env.BENCHMARK_SAMPLES ?? 10);
const SCALE = Number(process.env.BENCHMARK_SCALE ?? 2);
const NAMESPACE = 'iotsitewise:opcuacollector:3';
const PHASE_SPREAD_MS = 5_000;
const DOCUMENT = '{"sources":[{"name":"Line 1","endpoint":{"endpointUri":"opc.tcp://10.0.1.20:4840"}}]}';

type Mode = 'cdk-edge-sync' | 'framework 5 s polling';

interface Sample {
  readonly syncSeconds: number;
  readonly latencyMs: number;
  readonly describesPerMinute: number;
}

async function measure(mode: Mode): Promise<Sample[]> {
  const env = await startEdgeEnvironment({ scale: SCALE });
  try {
    const stack = new Stack(new App(), 'Benchmark');
    const targets: { gatewayId: string; syncSeconds: number }[] = [];
    const random = new SeededRandom(42); // the same sync times for both handlers
    for (const syncSeconds of SYNC_SECONDS) {
      for (let i = 0; i < SAMPLES; i++) {
        const gatewayId = env.emulator.sitewise.createGateway();
        const syncMs = syncSeconds * 1000 + Math.round(random.next() * PHASE_SPREAD_MS);
        env.emulator.sitewise.scriptDevice(gatewayId, NAMESPACE, DeviceBehaviours.apply(syncMs));
        new GatewayCapabilityConfiguration(stack, `Sync${syncSeconds}s${i}`, {
          gatewayId,
          namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
          configuration: CapabilityConfiguration.fromJson(DOCUMENT),
        });
        targets.push({ gatewayId, syncSeconds });
      }
    }
    if (mode === 'framework 5 s polling') {
      // 10 s of Lambda time minus the handler's 10 s answer margin: one poll per invocation.
      const isComplete = EdgeSyncProvider.getOrCreate(stack).isCompleteHandler.node.defaultChild as lambda.CfnFunction;
      isComplete.timeout = 10;
    }

    const result = await env.harness.deploy(stack);
    if (result.status !== 'CREATE_COMPLETE') throw new Error(`${mode}: deploy ended ${result.status}`);

    return targets.map(({ gatewayId, syncSeconds }) => {
      const physicalId = `${gatewayId}/${NAMESPACE}`;
      const inSync = env.emulator.eventsOf('iotsitewise').find((e) => e.gatewayId === gatewayId && e.to === 'IN_SYNC')!;
      const response = env.harness.responses.find((r) => r.body.PhysicalResourceId === physicalId && r.body.Status === 'SUCCESS')!;
      const calls = env.emulator.requests.filter((r) => r.path.includes(gatewayId));
      const applied = calls.find((r) => r.operation === 'UpdateGatewayCapabilityConfiguration')!;
      const describes = calls.filter((r) => r.operation === 'DescribeGatewayCapabilityConfiguration' && r.at <= response.at).length;
      return {
        syncSeconds,
        latencyMs: response.at - inSync.at,
        describesPerMinute: describes / ((response.at - applied.at) / 60_000),
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
  const measured = new Map<Mode, Sample[]>();
  for (const mode of ['cdk-edge-sync', 'framework 5 s polling'] as Mode[]) measured.set(mode, await measure(mode));
  for (const syncSeconds of SYNC_SECONDS) {
    for (const [mode, samples] of measured) {
      const these = samples.filter((s) => s.syncSeconds === syncSeconds);
      const latencies = these.map((s) => s.latencyMs / 1000);
      const rate = these.reduce((sum, s) => sum + s.describesPerMinute, 0) / these.length;
      rows.push([`${syncSeconds}-${syncSeconds + PHASE_SPREAD_MS / 1000} s`, mode, String(these.length), percentile(latencies, 50).toFixed(2), percentile(latencies, 95).toFixed(2), rate.toFixed(1)]);
    }
  }
  const header = ['sync after', 'handler', 'n', 'latency p50 (s)', 'latency p95 (s)', 'Describe calls / resource / min'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log('Sync detection latency: time from the gateway reporting IN_SYNC to the SUCCESS response to CloudFormation.');
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
