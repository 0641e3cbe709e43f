/**
 * Benchmark (`npx projen benchmark`): synth time and template size per resource for stacks of
 * 100 to 400 edge-sync resources (a mix of every construct), and for 400 resources of which ten
 * OPC UA collectors have documents of about 300 KB, which travel as S3 assets.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { mixedStack } from '../support/scale-stack';

// Load aws-cdk-lib and the library once before measuring.
Template.fromStack(mixedStack(4));

const rows: string[][] = [];
for (const [count, largeCollectors] of [[100, 0], [200, 0], [400, 0], [400, 10]]) {
  const started = process.hrtime.bigint();
  const stack = mixedStack(count, { largeCollectors });
  const template = Template.fromStack(stack).toJSON();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const bytes = Buffer.byteLength(JSON.stringify(template));
  const resources = Object.keys(template.Resources).length;
  const carried = Object.values<any>(template.Resources).filter((r) => r.Properties?.CapabilityConfigurationS3).length;
  rows.push([
    largeCollectors ? `${count} (${largeCollectors} x 300 KB)` : String(count), String(resources), String(carried), `${ms.toFixed(0)} ms`,
    `${(bytes / 1024).toFixed(1)} KiB`, `${Math.round(bytes / count)} B`, `${(100 * bytes / 1_000_000).toFixed(1)} %`,
  ]);
}
const header = [
  'edge-sync resources', 'template resources', 'documents in S3', 'synth time', 'template size', 'bytes per resource', 'of the 1 MB limit',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log('Synth time and template size, one stack, a mix of every construct:\n');
console.log(header.map((h, i) => h.padEnd(widths[i])).join(' | '));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
rows.forEach((row) => console.log(row.map((c, i) => c.padEnd(widths[i])).join(' | ')));
