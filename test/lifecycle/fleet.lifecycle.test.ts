/**
 * End to end: a configuration rolled out to 20 emulated gateways in waves of 1, 4 and 15. Time runs 60x.
 */
import { App, Stack } from 'aws-cdk-lib';
import { CapabilityConfiguration, CapabilityNamespace, GatewayFleetConfiguration, GatewaySite, RolloutWaves } from '../../src';
import { opcUaDocument } from '../support/documents';
import { DeviceBehaviours, DeviceUpdate } from '../support/emulator';
import { useEdgeEnvironment } from '../support/lifecycle';
import { failureReason } from '../support/stack-events';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

/** The fleet's stack: every site's collector reads the site's PLC on `port`. */
function fleetStack(sites: readonly GatewaySite[], port: number): Stack {
  const stack = new Stack(new App(), 'Fleet');
  new GatewayFleetConfiguration(stack, 'Collectors', {
    sites: [...sites],
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: { configurationFor: (_scope, site) => CapabilityConfiguration.fromJson(opcUaDocument(`opc.tcp://${site.parameters!.plc}:${port}`)) },
    waves: RolloutWaves.counts(1, 4, 15),
    maxConcurrent: 5,
  });
  return stack;
}

lifecycleTest('the first rejection stops the rollout: later waves get no call, the waves done roll back, the reason names the site and wave', async () => {
  const sites: GatewaySite[] = Array.from({ length: 20 }, (_, i) => ({
    siteId: `plant-${i + 1}`, gatewayId: env.emulator.sitewise.createGateway(), parameters: { plc: `10.0.${i + 1}.20` },
  }));
  // Gateway 3 (wave 2) cannot reach its PLC on the new port.
  env.emulator.sitewise.setDefaultScript((update: DeviceUpdate) =>
    (update.gatewayId === sites[2].gatewayId && update.document.includes(':4841') ? DeviceBehaviours.reject(10_000, 'connection refused') : DeviceBehaviours.apply(10_000)));
  expect((await env.harness.deploy(fleetStack(sites, 4840))).status).toBe('CREATE_COMPLETE');
  const updatesBefore = (gatewayId: string) => env.emulator.requests.filter((r) => r.operation === 'UpdateGatewayCapabilityConfiguration' && r.path.includes(gatewayId)).length;
  const before = sites.map((site) => updatesBefore(site.gatewayId));

  const result = await env.harness.deploy(fleetStack(sites, 4841));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const updates = sites.map((site, i) => updatesBefore(site.gatewayId) - before[i]);
  // Wave 3 (sites 6 to 20): no call at all.
  expect(updates.slice(5)).toEqual(Array(15).fill(0));
  // Waves 1 and 2: applied, then rolled back; every one ends on its previous document, in sync.
  for (const [i, site] of sites.slice(0, 5).entries()) {
    expect(updates[i]).toBeGreaterThanOrEqual(1);
    const device = env.emulator.sitewise.device(site.gatewayId, COLLECTOR);
    expect(device.cloudConfiguration).toContain(':4840');
    expect(device.syncStatus).toBe('IN_SYNC');
  }
  const reason = failureReason(result.events, 'CollectorsSiteplant3');
  expect(reason).toMatch(new RegExp(`Message returned: site plant-3 \\(gateway ${sites[2].gatewayId}\\), wave 2 of 3: Gateway ${sites[2].gatewayId} rejected the configuration`));
});
