/**
 * Benchmark (`npx projen benchmark`): what a cold start of the handler bundle costs in module
 * loading, over bare Node.js. Each sample is a fresh `node` process, timed from spawn to exit:
 *
 *  - bare `node -e 0`;
 *  - loading the bundle (what the Lambda runtime does in the init phase: require assets/provider/index.js);
 *  - loading the bundle and handling a first onEvent of each resource type, which loads that
 *    type's handlers and SDK clients. The event has no properties, so the handler fails the
 *    property check before any AWS call: no network, only module loading and the dispatch.
 *
 * Environment: BENCHMARK_RUNS (samples per row, default 30), BENCHMARK_BUNDLE (another bundle to
 * measure, e.g. one built from an older commit, default assets/provider/index.js).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { GATEWAY_CAPABILITY_RESOURCE_TYPE } from '../../src/gateway-capability/resource-properties';
import { ENDPOINT_READINESS_RESOURCE_TYPE } from '../../src/ground-station/resource-properties';
import { STREAM_EDGE_RESOURCE_TYPE } from '../../src/stream-edge/resource-properties';

const RUNS = Number(process.env.BENCHMARK_RUNS ?? 30);
const ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'provider');
/** The handler module, found as the Lambda Node.js runtime finds `index` (index.js, index.mjs, index.cjs). */
const BUNDLE = path.resolve(process.env.BENCHMARK_BUNDLE
  ?? ['index.js', 'index.mjs', 'index.cjs'].map((file) => path.join(ASSET_DIR, file)).find((file) => fs.existsSync(file))
  ?? path.join(ASSET_DIR, 'index.js'));
/** An expression that loads the handler module as the runtime does: an ES module by import(), CommonJS by require. */
const LOAD = BUNDLE.endsWith('.mjs')
  ? `import(${JSON.stringify(pathToFileURL(BUNDLE).href)})`
  : `Promise.resolve(require(${JSON.stringify(BUNDLE)}))`;

interface Row {
  readonly name: string;
  /** Script for `node -e`; exits non-zero when it did not do what the row measures. */
  readonly script: string;
}

/** Loads the bundle, then answers one onEvent of `resourceType` (expected to fail its property check). */
function firstEventScript(resourceType: string): string {
  const event = { RequestType: 'Create', ResourceType: resourceType, ResourceProperties: {}, LogicalResourceId: 'Benchmark', RequestId: 'benchmark' };
  return [
    `${LOAD}.then(({ onEvent }) => onEvent(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 60000 })).then(`,
    '  () => { process.exitCode = 2; },',
    // Any other failure (no handler for the type, a module that failed to load) is not what this row measures.
    '  (error) => { if (!/^(Property|Invalid property)/.test(error.message)) { process.stderr.write(error.stack + "\\n"); process.exitCode = 3; } });',
  ].join('\n');
}

const ROWS: Row[] = [
  { name: 'bare node -e 0', script: '0' },
  { name: 'load the bundle', script: `${LOAD}.catch((error) => { process.stderr.write(error.stack + "\\n"); process.exitCode = 3; });` },
  { name: 'first onEvent: GatewayCapabilityConfiguration (SiteWise, S3)', script: firstEventScript(GATEWAY_CAPABILITY_RESOURCE_TYPE) },
  { name: 'first onEvent: StreamEdgeConfiguration (Kinesis Video)', script: firstEventScript(STREAM_EDGE_RESOURCE_TYPE) },
  { name: 'first onEvent: DataflowEndpointGroupReadiness (Ground Station)', script: firstEventScript(ENDPOINT_READINESS_RESOURCE_TYPE) },
];

/** Milliseconds from spawning `node -e script` to its exit. */
function sample(row: Row): number {
  const env = { ...process.env, AWS_REGION: 'us-east-1', NODE_OPTIONS: '' };
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-e', row.script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${row.name}: exit ${result.status ?? result.signal}\n${result.stderr}`);
  return elapsed;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function main(): void {
  if (!fs.existsSync(BUNDLE)) throw new Error(`No bundle at ${BUNDLE}: run \`npx projen bundle\` first`);
  // One untimed run of each row warms the file system cache and checks the scripts.
  ROWS.forEach(sample);
  const samples = ROWS.map(() => [] as number[]);
  // Rows take turns, so a slower moment of the machine affects all of them alike.
  for (let run = 0; run < RUNS; run++) ROWS.forEach((row, i) => samples[i].push(sample(row)));

  const bare = percentile(samples[0], 50);
  const header = ['', 'median ms', 'p90 ms', 'extra over bare node (median)'];
  const rows = ROWS.map((row, i) => {
    const median = percentile(samples[i], 50);
    return [row.name, median.toFixed(1), percentile(samples[i], 90).toFixed(1), i === 0 ? '' : `+${(median - bare).toFixed(1)} ms`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(`Handler start-up: a fresh node process per sample (${process.version}), ${RUNS} samples per row, from spawn to exit.`);
  const files = fs.readdirSync(path.dirname(BUNDLE), { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(path.dirname(BUNDLE), f)).filter((f) => fs.statSync(f).isFile());
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  console.log(`Bundle: ${path.relative(process.cwd(), BUNDLE)} (${kib(fs.statSync(BUNDLE).size)}; its directory ${kib(files.reduce((sum, f) => sum + fs.statSync(f).size, 0))} in ${files.length} files)\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  rows.forEach((row) => console.log(line(row)));
}

main();
