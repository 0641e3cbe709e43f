/**
 * End to end: a configuration rolled out in waves to 20 emulated gateways (waves of 1, 4 and 15)
 * and to 10 camera hubs (1, 3 and 6). Time runs 60x.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CameraSite, CapabilityConfiguration, CapabilityNamespace, EdgeSchedule, GatewayFleetConfiguration, GatewaySite, RolloutWaves,
  StreamEdgeFleetConfiguration,
} from '../../src';
import { opcUaDocument } from '../support/documents';
import { DeviceBehaviours, DeviceUpdate, EdgeAgentBehaviours, EdgeAgentUpdate } from '../support/emulator';
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

// When hub 3 fails, CloudFormation cancels the updates of hubs 2 and 4 in progress and rolls
// them back; their waiters keep running, and must not start their configuration again over the
// rollback's (stream-edge/ownership.ts, OPERATION_TAG).
lifecycleTest('10 camera hubs in waves: the third hub rejects, the last wave gets no call, the waves done roll back', async () => {
  const secretArn = env.emulator.secrets.createMediaUri('camera', 'rtsp://192.0.2.10:554/stream1');
  const sites: CameraSite[] = Array.from({ length: 10 }, (_, i) => {
    env.emulator.kinesisVideo.createStream({ name: `camera-${i + 1}`, dataRetentionInHours: 24 });
    return { siteId: `shop-${i + 1}`, streamName: `camera-${i + 1}`, hubDeviceArn: `arn:aws:iot:us-east-1:123456789012:thing/hub-${i + 1}`, parameters: { secretArn } };
  });
  // Hub 3 (wave 2) cannot record the new hours.
  env.emulator.kinesisVideo.setDefaultAgentScript((update: EdgeAgentUpdate) =>
    (update.hubDeviceArn === sites[2].hubDeviceArn && update.edgeConfig.RecorderConfig?.ScheduleConfig?.ScheduleExpression?.includes('6-21')
      ? EdgeAgentBehaviours.fail('recorder could not start: disk full', 1_000, 1_000)
      // The others take longer: CloudFormation cancels hubs 2 and 4 while they sync.
      : EdgeAgentBehaviours.sync(1_000, 30_000)));
  const cameras = (hours: string) => {
    const stack = new Stack(new App(), 'Cameras');
    new StreamEdgeFleetConfiguration(stack, 'Recorders', {
      sites,
      configuration: {
        edgeConfigurationFor: (scope, site) => ({
          recorder: {
            mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(scope, `Uri-${site.siteId}`, site.parameters!.secretArn),
            schedule: EdgeSchedule.cron(`0 0 ${hours} ? * MON-FRI`, Duration.hours(1)),
          },
        }),
      },
      waves: RolloutWaves.counts(1, 3, 6),
    });
    return stack;
  };
  expect((await env.harness.deploy(cameras('8-17'))).status).toBe('CREATE_COMPLETE');
  const starts = (stream: string) => env.emulator.requests.filter((r) => r.operation === 'StartEdgeConfigurationUpdate' && r.status === 200
    && (r.input?.StreamName === stream || String(r.input?.StreamARN ?? '').includes(`/${stream}/`))).length;
  const before = sites.map((site) => starts(site.streamName));

  const result = await env.harness.deploy(cameras('6-21'));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const started = sites.map((site, i) => starts(site.streamName) - before[i]);
  expect(started.slice(4)).toEqual(Array(6).fill(0));
  for (const site of sites.slice(0, 4)) {
    const edge = env.emulator.kinesisVideo.edgeConfiguration(site.streamName)!;
    expect(edge.syncStatus).toBe('IN_SYNC');
    expect(JSON.stringify(edge.appliedEdgeConfig)).toContain('0 0 8-17 ? * MON-FRI');
  }
  expect(failureReason(result.events, 'RecordersSiteshop3')).toContain('Message returned: site shop-3 (stream camera-3), wave 2 of 3: ');
  expect(failureReason(result.events, 'RecordersSiteshop3')).toContain('recorder could not start: disk full');
});
