/**
 * End to end: the drift monitor as its schedule runs it, against the local endpoint, after a
 * deploy through the harness. Devices change out of band (another writer, a deleted edge
 * configuration, an agent that stops reporting); the monitor's EMF metrics and EventBridge events
 * are what the test reads. Time runs 60 times faster.
 */
import { IoTSiteWiseClient, TagResourceCommand } from '@aws-sdk/client-iotsitewise';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CapabilityConfiguration, CapabilityNamespace, EdgeSchedule, EdgeSyncMonitor, EdgeSyncMonitorProps, GatewayCapabilityConfiguration, StreamEdgeConfiguration } from '../../src';
import { opcUaDocument } from '../support/documents';
import { EdgeAgentBehaviours } from '../support/emulator';
import { useEdgeEnvironment } from '../support/lifecycle';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
const DOCUMENT = opcUaDocument('opc.tcp://10.0.1.20:4840');
const EDITED = opcUaDocument('opc.tcp://10.0.1.99:4840');
const HUB = 'arn:aws:iot:us-east-1:123456789012:thing/camera-hub-1';
const STREAM = 'front-door';

const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

interface PlantOptions {
  readonly gatewayId: string;
  readonly monitor?: EdgeSyncMonitorProps;
  readonly camera?: { readonly secretArn: string };
  /** The gateway configuration's construct id. @default Collector */
  readonly collectorId?: string;
  /** Leave the gateway configuration out (removed from the stack). */
  readonly withoutCollector?: boolean;
}

function plantStack(options: PlantOptions): Stack {
  const stack = new Stack(new App(), 'Plant');
  EdgeSyncMonitor.enable(stack, options.monitor);
  if (!options.withoutCollector) {
    new GatewayCapabilityConfiguration(stack, options.collectorId ?? 'Collector', {
      gatewayId: options.gatewayId,
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromJson(DOCUMENT),
    });
  }
  if (options.camera) {
    new StreamEdgeConfiguration(stack, 'FrontDoor', {
      streamName: STREAM,
      hubDeviceArn: HUB,
      recorder: {
        mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', options.camera.secretArn),
        schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', Duration.hours(1)),
      },
    });
  }
  return stack;
}

/** Runs the monitor once, as its schedule would, and returns its summary. */
async function runMonitor(): Promise<any> {
  const [run] = await env.harness.runSchedule();
  expect(run.outcome).toBe('success');
  return run.result;
}

/** The last value of a monitor metric for one construct path. */
function lastMetric(name: string, constructPath: string): number | undefined {
  return env.harness.metrics('EdgeSyncMonitorHandler')
    .filter((m) => m.name === name && m.dimensions.ConstructPath === constructPath).at(-1)?.value;
}

const writes = (operation: string) => env.emulator.requests.filter((r) => r.operation === operation).length;

lifecycleTest('a clean stack: Drifted 0 and InSync 1 for every resource, no event and no write call', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  expect((await env.harness.deploy(plantStack({ gatewayId }))).status).toBe('CREATE_COMPLETE');
  const updatesBefore = writes('UpdateGatewayCapabilityConfiguration');

  const summary = await runMonitor();

  expect(summary).toMatchObject({ checked: 1, drifted: 0, outOfSync: 0, deploying: 0, errors: {} });
  expect(lastMetric('Drifted', 'Plant/Collector')).toBe(0);
  expect(lastMetric('InSync', 'Plant/Collector')).toBe(1);
  expect(env.harness.metrics('EdgeSyncMonitorHandler').find((m) => m.name === 'Drifted')?.dimensions).toEqual({
    Stack: 'Plant', ConstructPath: 'Plant/Collector', Target: `${gatewayId}/${COLLECTOR}`,
  });
  expect(env.emulator.eventBridge.received()).toEqual([]);
  expect(writes('UpdateGatewayCapabilityConfiguration')).toBe(updatesBefore);
});

lifecycleTest('an out-of-band SiteWise edit: Drifted 1 with the edited path, and one event; without remediate the document stays', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId }));
  env.emulator.sitewise.replaceDocumentOutOfBand(gatewayId, COLLECTOR, EDITED);
  env.emulator.sitewise.settleAll();

  const summary = await runMonitor();

  expect(summary).toMatchObject({ checked: 1, drifted: 1, remediated: {} });
  expect(lastMetric('Drifted', 'Plant/Collector')).toBe(1);
  expect(lastMetric('InSync', 'Plant/Collector')).toBe(0);
  const events = env.emulator.eventBridge.received();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    source: 'cdk-edge-sync',
    detailType: 'Edge Configuration Drift Detected',
    detail: { stackName: 'Plant', constructPath: 'Plant/Collector', target: `${gatewayId}/${COLLECTOR}`, remediation: 'none: remediate is off' },
  });
  expect(events[0].detail.paths).toEqual(['/sources/0/endpoint/endpointUri']);
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).cloudConfiguration).toBe(EDITED);
});

lifecycleTest('with remediate, the deployed document is applied again and the gateway is in sync by the next run', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId, monitor: { remediate: true } }));
  env.emulator.sitewise.replaceDocumentOutOfBand(gatewayId, COLLECTOR, EDITED);
  env.emulator.sitewise.settleAll();

  const summary = await runMonitor();
  expect(Object.values(summary.remediated)).toEqual(['IN_SYNC']);
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ cloudConfiguration: DOCUMENT, syncStatus: 'IN_SYNC' });

  const next = await runMonitor();
  expect(next).toMatchObject({ drifted: 0, outOfSync: 0 });
  expect(lastMetric('Drifted', 'Plant/Collector')).toBe(0);
});

lifecycleTest('a target another resource owns now is reported, never changed, even with remediate', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId, monitor: { remediate: true } }));
  env.emulator.sitewise.replaceDocumentOutOfBand(gatewayId, COLLECTOR, EDITED);
  env.emulator.sitewise.settleAll();
  const sitewise = new IoTSiteWiseClient(env.emulator.clientConfig());
  await sitewise.send(new TagResourceCommand({
    resourceArn: `arn:aws:iotsitewise:us-east-1:123456789012:gateway/${gatewayId}`,
    tags: { [`cdk-edge-sync:owner:${COLLECTOR}`]: 'Other/Collector' },
  }));

  const summary = await runMonitor();

  expect(summary).toMatchObject({ drifted: 1, remediated: {} });
  expect(env.emulator.eventBridge.received()[0].detail).toMatchObject({ ownedBy: 'Other/Collector', remediation: 'none: Other/Collector owns the target now' });
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).cloudConfiguration).toBe(EDITED);
});

lifecycleTest('a deleted edge configuration is drift: Drifted 1 and an event naming the stream', async () => {
  env.emulator.kinesisVideo.createStream({ name: STREAM, dataRetentionInHours: 24 });
  const secretArn = env.emulator.secrets.createMediaUri('front-door-camera', 'rtsp://192.0.2.10:554/stream1');
  env.emulator.kinesisVideo.scriptAgent(HUB, EdgeAgentBehaviours.sync(2_000, 20_000));
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId, camera: { secretArn } }));
  env.emulator.kinesisVideo.deleteEdgeConfigurationOutOfBand(STREAM);

  const summary = await runMonitor();

  expect(summary).toMatchObject({ checked: 2, drifted: 1 });
  expect(lastMetric('Drifted', 'Plant/FrontDoor')).toBe(1);
  expect(lastMetric('Drifted', 'Plant/Collector')).toBe(0);
  const [event] = env.emulator.eventBridge.received();
  expect(event.detail).toMatchObject({ constructPath: 'Plant/FrontDoor', status: 'the stream has no edge configuration', paths: ['/'] });
});

lifecycleTest('the deploy handlers record each resource, and a rename moves the record: the old one goes with the old logical id', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId }));
  const [table] = env.emulator.dynamodb.tableNames();
  expect(env.emulator.dynamodb.items(table)).toEqual([expect.objectContaining({
    LogicalId: expect.stringMatching(/^Collector/), Status: 'deployed', PhysicalId: `${gatewayId}/${COLLECTOR}`, ConstructPath: 'Plant/Collector',
  })]);

  expect((await env.harness.deploy(plantStack({ gatewayId, collectorId: 'Line1' }))).status).toBe('UPDATE_COMPLETE');
  expect(env.emulator.dynamodb.items(table)).toEqual([expect.objectContaining({ LogicalId: expect.stringMatching(/^Line1/), ConstructPath: 'Plant/Line1' })]);
  expect(await runMonitor()).toMatchObject({ checked: 1, drifted: 0 });
});

// The provider stays (the monitor, or a camera configuration, keeps it) while the last gateway
// configuration goes: the owned-target grants of the namespace must outlive it for its cleanup
// Delete (provider/owned-targets.ts).
lifecycleTest('removing the last gateway configuration of a stack that keeps its provider resets the gateway and removes the record', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId }));
  const [table] = env.emulator.dynamodb.tableNames();

  expect((await env.harness.deploy(plantStack({ gatewayId, withoutCollector: true }))).status).toBe('UPDATE_COMPLETE');
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).cloudConfiguration).toBe('{"sources":[]}');
  expect(env.emulator.dynamodb.items(table)).toEqual([]);
});

lifecycleTest('a destroy removes every record before the table goes', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId }));
  const result = await env.harness.destroy();
  expect(result.status).toBe('DELETE_COMPLETE');
  expect(env.emulator.dynamodb.tableNames()).toEqual([]);
});

lifecycleTest('removing the last gateway configuration while a camera configuration stays resets the gateway', async () => {
  env.emulator.kinesisVideo.createStream({ name: STREAM, dataRetentionInHours: 24 });
  const secretArn = env.emulator.secrets.createMediaUri('front-door-camera', 'rtsp://192.0.2.10:554/stream1');
  env.emulator.kinesisVideo.scriptAgent(HUB, EdgeAgentBehaviours.sync(2_000, 20_000));
  const gatewayId = env.emulator.sitewise.createGateway();
  await env.harness.deploy(plantStack({ gatewayId, camera: { secretArn } }));

  expect((await env.harness.deploy(plantStack({ gatewayId, camera: { secretArn }, withoutCollector: true }))).status).toBe('UPDATE_COMPLETE');
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).cloudConfiguration).toBe('{"sources":[]}');
  expect(env.emulator.kinesisVideo.edgeConfiguration(STREAM)?.syncStatus).toBe('IN_SYNC');
});
