/**
 * End to end: a fleet of 300 emulated gateways in nested stacks of at most 100 sites (waves of 1,
 * 99 and 200, the last in two nested stacks), each nested stack with its own provider, deployed,
 * updated and destroyed in one go, and an update that one gateway of the last nested stack rejects
 * rolled back across all of them. Time runs 20x.
 */
import { App, Stack } from 'aws-cdk-lib';
import { CapabilityConfiguration, CapabilityNamespace, GatewayFleetConfiguration, GatewaySite, RolloutWaves } from '../../src';
import { opcUaDocument } from '../support/documents';
import { DeviceBehaviours, DeviceUpdate } from '../support/emulator';
import { useEdgeEnvironment } from '../support/lifecycle';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
const SITES = 300;
const { env, lifecycleTest } = useEdgeEnvironment({ scale: 20 });

function fleetStack(sites: readonly GatewaySite[], port: number): Stack {
  const stack = new Stack(new App(), 'BigFleet');
  new GatewayFleetConfiguration(stack, 'Collectors', {
    sites: [...sites],
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: { configurationFor: (_scope, site) => CapabilityConfiguration.fromJson(opcUaDocument(`opc.tcp://${site.parameters!.plc}:${port}`)) },
    waves: RolloutWaves.counts(1, 99),
    sitesPerStack: 100,
  });
  return stack;
}

function gatewaySites(): GatewaySite[] {
  return Array.from({ length: SITES }, (_, i) => ({
    siteId: `plant-${i + 1}`, gatewayId: env.emulator.sitewise.createGateway(), parameters: { plc: `10.${Math.floor(i / 250)}.${i % 250}.20` },
  }));
}

lifecycleTest(`${SITES} gateways in nested stacks: deploy, update to another document, destroy`, async () => {
  env.emulator.sitewise.setDefaultScript(() => DeviceBehaviours.apply(5_000));
  const sites = gatewaySites();

  const created = await env.harness.deploy(fleetStack(sites, 4840));
  expect(created.status).toBe('CREATE_COMPLETE');
  const nested = env.harness.nestedStacks();
  expect(nested.map((view) => view.logicalIdPath[0].replace(/NestedStack.*$/, '')))
    .toEqual(['CollectorsWave1Part1', 'CollectorsWave2Part1', 'CollectorsWave3Part1', 'CollectorsWave3Part2']);
  expect(nested.map((view) => view.status)).toEqual(Array(4).fill('CREATE_COMPLETE'));
  // Each nested stack's own provider ran its handlers, under its own roles.
  const handlerStacks = new Set(env.harness.invocations.map((invocation) => invocation.functionLogicalId.split('/')[0]));
  expect([...handlerStacks].sort()).toEqual(nested.map((view) => view.logicalIdPath[0]).sort());
  expect(nested.map((view) => view.resources.filter((resource) => resource.type === 'Custom::EdgeSyncGatewayCapabilityConfiguration').length))
    .toEqual([1, 99, 100, 100]);
  for (const site of sites) {
    const device = env.emulator.sitewise.device(site.gatewayId, COLLECTOR);
    expect(device.syncStatus).toBe('IN_SYNC');
    expect(device.cloudConfiguration).toContain(':4840');
  }

  const updated = await env.harness.deploy(fleetStack(sites, 4841));
  expect(updated.status).toBe('UPDATE_COMPLETE');
  expect(env.harness.nestedStacks().map((view) => view.status)).toEqual(Array(4).fill('UPDATE_COMPLETE'));
  for (const site of sites) {
    const device = env.emulator.sitewise.device(site.gatewayId, COLLECTOR);
    expect(device.syncStatus).toBe('IN_SYNC');
    expect(device.appliedConfiguration).toContain(':4841');
  }

  const destroyed = await env.harness.destroy();
  expect(destroyed.status).toBe('DELETE_COMPLETE');
  expect(env.harness.nestedStacks().map((view) => view.status)).toEqual(Array(4).fill('DELETE_COMPLETE'));
  for (const site of sites) {
    expect(env.emulator.sitewise.device(site.gatewayId, COLLECTOR)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: '{"sources":[]}' });
  }
}, 1_500_000);

lifecycleTest('a gateway of the last nested stack rejects: the parent rolls back every nested stack, every gateway ends on its previous document', async () => {
  const sites = gatewaySites();
  const rejecting = sites[249].gatewayId; // wave 3, second nested stack
  env.emulator.sitewise.setDefaultScript((update: DeviceUpdate) => (update.gatewayId === rejecting && update.document.includes(':4841')
    ? DeviceBehaviours.reject(5_000, 'connection refused') : DeviceBehaviours.apply(5_000)));
  expect((await env.harness.deploy(fleetStack(sites, 4840))).status).toBe('CREATE_COMPLETE');

  const result = await env.harness.deploy(fleetStack(sites, 4841));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  // The other part of wave 3, updating alongside, is cancelled (or had completed).
  const failed = result.events.filter((event) => event.status === 'UPDATE_FAILED' && event.reason !== 'Resource update cancelled');
  expect(failed.map((event) => event.logicalId.replace(/NestedStack.*$/, ''))).toEqual(['CollectorsWave3Part2']);
  expect(failed[0].reason).toMatch(/^Embedded stack arn:aws:cloudformation:.* was not successfully updated: .*Siteplant250/);
  // Every nested stack that updated (waves 1 to 3, the cancelled part too) is rolled back by the parent's rollback.
  expect(env.harness.nestedStacks().map((view) => view.status)).toEqual(Array(4).fill('UPDATE_ROLLBACK_COMPLETE'));
  for (const site of sites) {
    const device = env.emulator.sitewise.device(site.gatewayId, COLLECTOR);
    expect(device.syncStatus).toBe('IN_SYNC');
    expect(device.cloudConfiguration).toContain(':4840');
  }
}, 1_500_000);
