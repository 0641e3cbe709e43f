/**
 * `npx projen demo`: deploys the README's example app (examples/plant-gateway.ts) against the
 * local AWS endpoint with simulated gateways, through the CloudFormation lifecycle harness.
 * No AWS account or credentials are needed. Shows a deploy that waits for the gateway, an update
 * the gateway rejects and CloudFormation rolls back, a drift the monitor finds and remediates, and
 * a destroy.
 */
import { App } from 'aws-cdk-lib';
import { GroundStationReceiverStack } from '../../examples/ground-station-receiver';
import { PlantGatewayStack } from '../../examples/plant-gateway';
import { SiteFleetStack } from '../../examples/site-fleet';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { DeviceBehaviours, DeviceUpdate, EdgeAgentBehaviours, GroundStationAgentScripts } from '../support/emulator';
import { CloudFormationHarness, StackEvent, StackOperationResult } from '../support/harness';

const SCALE = Number(process.env.DEMO_SCALE ?? 20);
const UNREACHABLE_OPC_UA_SERVER = 'opc.tcp://10.0.1.99:4840';
const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

let env: EdgeEnvironment;
/** Simulated time of the first stack event of the current step: its "+0.0s". */
let phaseStart: number | undefined;

function elapsed(at: number): string {
  phaseStart ??= at;
  return `+${((at - phaseStart) / 1000).toFixed(1).padStart(5)}s`;
}

function printEvent(event: StackEvent): void {
  const shown = ['Custom::', 'AWS::IoTSiteWise', 'AWS::KinesisVideo', 'AWS::GroundStation', 'AWS::EC2::Instance', 'AWS::CloudFormation::Stack'];
  if (!shown.some((prefix) => event.resourceType.startsWith(prefix))) return;
  const firstLine = event.reason?.split('\n')[0].replace(/^Received response status \[FAILED\] from custom resource\. Message returned: /, '');
  const reason = firstLine ? `  ${firstLine}` : '';
  console.log(`  ${elapsed(event.at)}  ${event.logicalId.padEnd(34)} ${event.status}${reason}`);
}

function printDeviceChanges(since: number): void {
  const changes = env.emulator.events.filter((e) => e.at >= since);
  if (changes.length === 0) return;
  console.log('  the edge reports:');
  for (const change of changes) {
    const why = 'reason' in change && change.reason ? ` (${change.reason})` : '';
    const subject = change.service === 'iotsitewise' ? `gateway ${change.namespace}`
      : change.service === 'kinesisvideo' ? `edge agent ${change.streamName}` : `endpoint ${change.endpointName}`;
    console.log(`  ${elapsed(change.at)}  ${subject.padEnd(42)} ${change.from ?? '-'} -> ${change.to}${why}`);
  }
}

async function phase(title: string, run: () => Promise<StackOperationResult>, harness: CloudFormationHarness = env.harness): Promise<string[]> {
  console.log(`\n${bold(title)}`);
  phaseStart = undefined;
  const since = env.clock.now();
  const requestsBefore = env.emulator.requests.length;
  const invocationsBefore = harness.invocations.length;
  const result = await run();
  printDeviceChanges(since);
  const calls = env.emulator.requests.length - requestsBefore;
  const invocations = harness.invocations.length - invocationsBefore;
  return [title, result.status, `${(result.durationMs / 1000).toFixed(1)} s`, String(invocations), String(calls)];
}

/**
 * Another writer changes the collector's OPC UA endpoint on the gateway; the monitor's schedule
 * fires once: it reports the drift (metric, event with the JSON path) and, with `remediate`,
 * applies the deployed document again and waits for the gateway.
 */
async function driftPhase(title: string, gatewayId: string): Promise<string[]> {
  console.log(`\n${bold(title)}`);
  phaseStart = undefined;
  const since = env.clock.now();
  const requestsBefore = env.emulator.requests.length;
  const namespace = 'iotsitewise:opcuacollector:3';
  const edited = env.emulator.sitewise.device(gatewayId, namespace).cloudConfiguration!.replace(/opc\.tcp:\/\/[^"]+/, 'opc.tcp://10.0.1.50:4840');
  env.emulator.sitewise.replaceDocumentOutOfBand(gatewayId, namespace, edited);
  await env.clock.sleep(30_000);
  console.log(`  gateway ${gatewayId} runs OPC UA endpoint ${collectorEndpoint(gatewayId)} (edited in the console)`);
  const [run] = await env.harness.runSchedule();
  const summary = run.result as { checked: number; drifted: number; remediated: Record<string, string> };
  const [event] = env.emulator.eventBridge.received();
  console.log(`  monitor: ${summary.checked} resources checked, ${summary.drifted} drifted; event "${event?.detailType}" at ${JSON.stringify((event?.detail as any)?.paths)}`);
  console.log(`  remediation: ${Object.values(summary.remediated).join(', ') || 'none'}`);
  printDeviceChanges(since);
  console.log(`  gateway ${gatewayId} runs OPC UA endpoint ${collectorEndpoint(gatewayId)} again`);
  const status = run.outcome === 'success' && summary.drifted === 1 && Object.values(summary.remediated).every((o) => o === 'IN_SYNC') ? 'REMEDIATED' : 'NOT REMEDIATED';
  return [title, status, `${(run.durationMs / 1000).toFixed(1)} s`, '1', String(env.emulator.requests.length - requestsBefore)];
}

/** UpdateGatewayCapabilityConfiguration calls the gateway received so far. */
function updatesOf(gatewayId: string): number {
  return env.emulator.requests.filter((r) => r.operation === 'UpdateGatewayCapabilityConfiguration' && r.path.includes(gatewayId)).length;
}

function collectorEndpoint(gatewayId: string): string {
  const device = env.emulator.sitewise.device(gatewayId, 'iotsitewise:opcuacollector:3');
  return JSON.parse(device.appliedConfiguration ?? '{"sources":[]}').sources[0]?.endpoint?.endpointUri ?? '(no sources)';
}

async function main(): Promise<void> {
  let iam = { evaluated: 0, denied: 0 };
  // The receiver instance's AWS Ground Station Agent starts 20 s after its endpoint group exists,
  // registers, initializes its data plane for 15 s and reports SUCCESS.
  env = await startEdgeEnvironment({
    scale: SCALE,
    onProgress: printEvent,
    groundStationAgent: () => GroundStationAgentScripts.healthyAfter(15_000, 20_000),
  });
  console.log(bold('cdk-edge-sync demo'));
  console.log(`Local AWS endpoint ${env.emulator.url} (IoT SiteWise, Kinesis Video Streams, Ground Station), simulated time at ${SCALE}x.`);
  console.log('No AWS account or credentials needed.');
  // The simulated gateway takes 20 s to apply an OPC UA collector document and 8 s for a publisher
  // document, and rejects OPC UA endpoints that are not opc.tcp:// URIs, as a real gateway would.
  // An OPC UA server the gateway cannot reach makes it reject the document, as a real gateway would.
  env.emulator.sitewise.setDefaultScript((update: DeviceUpdate) => {
    if (update.document.includes(UNREACHABLE_OPC_UA_SERVER)) {
      return DeviceBehaviours.reject(20_000, `cannot connect to ${UNREACHABLE_OPC_UA_SERVER}: connection timed out`);
    }
    return DeviceBehaviours.apply(update.namespace.includes('opcuacollector') ? 20_000 : 8_000);
  });
  // The camera hub's Edge Agent acknowledges in 2 s and is in sync 10 s later.
  env.emulator.kinesisVideo.setDefaultAgentScript(EdgeAgentBehaviours.sync(2_000, 10_000));

  const rows: string[][] = [];
  try {
    rows.push(await phase('1. cdk deploy PlantGateway: the deploy waits until the gateway and the camera hub are IN_SYNC', () =>
      env.harness.deploy(new PlantGatewayStack(new App(), 'PlantGateway'))));
    const [gatewayId] = env.emulator.sitewise.gatewayIds();
    console.log(`  gateway ${gatewayId} runs OPC UA endpoint ${collectorEndpoint(gatewayId)}`);

    rows.push(await phase('2. cdk deploy with an OPC UA server the gateway cannot reach: the gateway rejects it, CloudFormation rolls back', () =>
      env.harness.deploy(new PlantGatewayStack(new App(), 'PlantGateway', { opcUaEndpointUri: UNREACHABLE_OPC_UA_SERVER }))));
    console.log(`  gateway ${gatewayId} runs OPC UA endpoint ${collectorEndpoint(gatewayId)} again`);

    rows.push(await driftPhase('3. Someone edits the OPC UA source on the gateway, outside CloudFormation: the drift monitor finds it and re-applies the deployed document', gatewayId));

    rows.push(await phase('4. cdk destroy: the collector is reset to {"sources":[]}, the camera\'s edge configuration deleted', () => env.harness.destroy()));

    const receiver = env.newHarness();
    rows.push(await phase('5. cdk deploy GroundStationReceiver: the deploy waits until the agent registers and reports healthy', () =>
      receiver.deploy(new GroundStationReceiverStack(new App(), 'GroundStationReceiver')), receiver));
    rows.push(await phase('6. cdk destroy GroundStationReceiver', () => receiver.destroy(), receiver));

    // Five plants, each gateway reading its own PLC. The canary (plant-1) cannot reach its PLC on port 4841.
    const fleet = env.newHarness();
    const sites = [1, 2, 3, 4, 5].map((i) => ({ siteId: `plant-${i}`, gatewayId: env.emulator.sitewise.createGateway({ gatewayName: `plant-${i}` }), plc: `10.0.${i}.20` }));
    env.emulator.sitewise.setDefaultScript((update: DeviceUpdate) => (update.gatewayId === sites[0].gatewayId && update.document.includes(':4841')
      ? DeviceBehaviours.reject(20_000, 'cannot connect to the PLC on port 4841') : DeviceBehaviours.apply(20_000)));
    rows.push(await phase('7. cdk deploy SiteFleet: the canary syncs first, then the other four', () =>
      fleet.deploy(new SiteFleetStack(new App(), 'SiteFleet', { sites })), fleet));
    const writesBefore = sites.map((site) => updatesOf(site.gatewayId));
    rows.push(await phase('8. cdk deploy SiteFleet with port 4841: the canary rejects it, the rollout stops there', () =>
      fleet.deploy(new SiteFleetStack(new App(), 'SiteFleet', { sites, opcUaPort: 4841 })), fleet));
    console.log(`  updates per site in this deploy: ${sites.map((site, i) => `${site.siteId} ${updatesOf(site.gatewayId) - writesBefore[i]}`).join(', ')}`);
    rows.push(await phase('9. cdk destroy SiteFleet', () => fleet.destroy(), fleet));
    iam = { evaluated: env.emulator.iam.evaluations, denied: env.emulator.iam.denials.length };
  } finally {
    await env.stop();
  }

  console.log(`\n${bold('Summary')} (simulated durations)`);
  const header = ['step', 'stack status', 'duration', 'handler invocations', 'AWS API calls'];
  const table = [header, ...rows.map((r) => [r[0].split(':')[0], ...r.slice(1)])];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  table.forEach((row, i) => {
    console.log(`  ${row.map((c, j) => c.padEnd(widths[j])).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
  console.log(`\n  IAM: ${iam.evaluated} requests of the handlers' roles authorized against their policies as deployed at that moment, ${iam.denied} denied`);
  const expected = [
    'CREATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'REMEDIATED', 'DELETE_COMPLETE', 'CREATE_COMPLETE', 'DELETE_COMPLETE',
    'CREATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'DELETE_COMPLETE',
  ];
  if (rows.some((row, i) => row[1] !== expected[i]) || iam.denied > 0) {
    console.error('\nThe demo did not end as expected.');
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
