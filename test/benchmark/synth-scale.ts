/**
 * Benchmark (`npx projen benchmark`): synth time and template size per resource for stacks of
 * 100 to 400 edge-sync resources (a mix of every construct), and for 400 resources of which ten
 * OPC UA collectors have documents of about 300 KB, which travel as S3 assets; and a 2,000-gateway
 * fleet split into nested stacks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CapabilityNamespace, GatewayFleetConfiguration, OpcUaCollectorConfiguration } from '../../src';
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

// A fleet past one stack: 2,000 gateways rolled out in waves (a canary, 10 %, the rest), split
// into nested stacks of at most 200 sites.
{
  const fleetStarted = process.hrtime.bigint();
  const app = new App();
  const stack = new Stack(app, 'Fleet', { env: { account: '123456789012', region: 'us-east-1' } });
  new GatewayFleetConfiguration(stack, 'Collectors', {
    sites: Array.from({ length: 2_000 }, (_, i) => ({
      siteId: `plant-${i + 1}`, gatewayId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, parameters: { plc: `10.${Math.floor(i / 250)}.${i % 250}.20` },
    })),
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: {
      configurationFor: (_scope, site) => OpcUaCollectorConfiguration.v3({ sources: [{ name: 'Line PLC', endpointUri: `opc.tcp://${site.parameters!.plc}:4840` }] }),
    },
  });
  const assembly = app.synth();
  const ms = Number(process.hrtime.bigint() - fleetStarted) / 1e6;
  const templates = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(assembly.directory, f), 'utf8')));
  const sizes = templates.map((t) => Buffer.byteLength(JSON.stringify(t)));
  const resources = templates.map((t) => Object.keys(t.Resources ?? {}).length);
  console.log('\nA 2,000-gateway fleet (GatewayFleetConfiguration, waves 1 / 10 % / rest, 200 sites per nested stack):\n');
  console.log(`  synth time ${ms.toFixed(0)} ms; ${templates.length} templates (the parent and ${templates.length - 1} nested stacks)`);
  console.log(`  largest template ${(Math.max(...sizes) / 1024).toFixed(1)} KiB (${(100 * Math.max(...sizes) / 1_000_000).toFixed(1)} % of 1 MB), `
    + `most resources in one template ${Math.max(...resources)} (of 500)`);
}
