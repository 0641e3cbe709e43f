/**
 * Requests AWS applied but whose answer never arrived (a 5xx or a dropped connection after the
 * change was stored), and gateways busy with another update (ConflictingOperationException), as
 * a deploy meets them: the handlers retry, and a retry must not undo or double what was applied.
 * Time runs 60x.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CapabilityConfiguration, CapabilityNamespace, EdgeSchedule, GatewayCapabilityConfiguration, OpcUaCollectorConfiguration, StreamEdgeConfiguration,
} from '../../src';
import { opcUaDocument } from '../support/documents';
import { DeviceBehaviours } from '../support/emulator';
import { useEdgeEnvironment } from '../support/lifecycle';
import { largeCollectorSources } from '../support/scale-stack';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
const PUBLISHER = 'iotsitewise:publisher:3';
const DOCUMENT = opcUaDocument('opc.tcp://10.0.1.20:4840');
const PUBLISHER_DOCUMENT = JSON.stringify({ sources: [{ type: 'MQTT' }], destinations: [] });
const HUB = 'arn:aws:iot:us-east-1:123456789012:thing/camera-hub-1';

const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

function plantStack(gatewayId: string, configurations: Record<string, [CapabilityNamespace, string]>): Stack {
  const stack = new Stack(new App(), 'Plant');
  for (const [id, [namespace, document]] of Object.entries(configurations)) {
    new GatewayCapabilityConfiguration(stack, id, { gatewayId, namespace, configuration: CapabilityConfiguration.fromJson(document) });
  }
  return stack;
}

const updates = (operation: string) => env.emulator.requests.filter((r) => r.operation === operation);

describe('IoT SiteWise', () => {
  for (const fault of ['serverErrorAfterApplyRate', 'dropAfterApplyRate'] as const) {
    lifecycleTest(`an update applied whose answer is lost (${fault}) is retried, and the deploy succeeds`, async () => {
      const gatewayId = env.emulator.sitewise.createGateway();
      env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, DeviceBehaviours.apply(5_000));
      env.emulator.faults.set({ [fault]: 1, firstN: 1, operations: ['UpdateGatewayCapabilityConfiguration'] });
      const result = await env.harness.deploy(plantStack(gatewayId, { Collector: [CapabilityNamespace.OPC_UA_COLLECTOR_V3, DOCUMENT] }));

      expect(result.status).toBe('CREATE_COMPLETE');
      expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT });
      // The first attempt was applied; the retry (after the gateway's processing window) applied it again.
      expect(updates('UpdateGatewayCapabilityConfiguration')[0].fault).toBe(fault === 'serverErrorAfterApplyRate' ? 'serverErrorAfterApply' : 'dropAfterApply');
    });
  }

  lifecycleTest('two namespaces of one gateway deployed in parallel meet ConflictingOperationException, retry, and both sync', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    env.emulator.sitewise.setUpdateProcessingWindow(gatewayId, 30_000);
    const result = await env.harness.deploy(plantStack(gatewayId, {
      Collector: [CapabilityNamespace.OPC_UA_COLLECTOR_V3, DOCUMENT],
      Publisher: [CapabilityNamespace.PUBLISHER_V3, PUBLISHER_DOCUMENT],
    }));

    expect(result.status).toBe('CREATE_COMPLETE');
    const conflicts = updates('UpdateGatewayCapabilityConfiguration').filter((r) => r.errorCode === 'ConflictingOperationException');
    expect(conflicts.length).toBeGreaterThan(0);
    expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ syncStatus: 'IN_SYNC', updates: 1 });
    expect(env.emulator.sitewise.device(gatewayId, PUBLISHER)).toMatchObject({ syncStatus: 'IN_SYNC', updates: 1 });
    const accepted = updates('UpdateGatewayCapabilityConfiguration').filter((r) => r.status === 201).map((r) => r.at);
    expect(accepted[1] - accepted[0]).toBeGreaterThanOrEqual(30_000);
  });

  lifecycleTest('an S3 read of a carried document whose answer is lost is read again', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    const stack = new Stack(new App(), 'Plant');
    new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId, configuration: OpcUaCollectorConfiguration.v3({ sources: largeCollectorSources(300) }) });
    env.emulator.faults.set({ dropAfterApplyRate: 1, firstN: 1, services: ['s3'] });
    const result = await env.harness.deploy(stack);

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(updates('GetObject').map((r) => [r.status, r.fault])).toEqual([[0, 'dropAfterApply'], [200, undefined]]);
  });
});

describe('Kinesis Video', () => {
  let secretArn: string;
  beforeEach(() => {
    env.emulator.kinesisVideo.createStream({ name: 'front-door', dataRetentionInHours: 24 });
    secretArn = env.emulator.secrets.createMediaUri('front-door-camera', 'rtsp://192.0.2.10:554/stream1');
  });

  function cameraStack(): Stack {
    const stack = new Stack(new App(), 'Cameras');
    new StreamEdgeConfiguration(stack, 'FrontDoor', {
      streamName: 'front-door',
      hubDeviceArn: HUB,
      recorder: {
        mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', secretArn),
        schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', Duration.hours(1)),
      },
    });
    return stack;
  }

  lifecycleTest('a StartEdgeConfigurationUpdate applied whose answer is lost: the sync it started is waited for, not started twice', async () => {
    env.emulator.faults.set({ serverErrorAfterApplyRate: 1, firstN: 1, operations: ['StartEdgeConfigurationUpdate'] });
    const result = await env.harness.deploy(cameraStack());

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(env.emulator.kinesisVideo.edgeConfiguration('front-door')).toMatchObject({ syncStatus: 'IN_SYNC', updates: 1 });
  });

  lifecycleTest('a DeleteEdgeConfiguration applied whose answer is lost: the deletion it started is waited for', async () => {
    await env.harness.deploy(cameraStack());
    env.emulator.faults.set({ dropAfterApplyRate: 1, firstN: 1, operations: ['DeleteEdgeConfiguration'] });
    const result = await env.harness.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(env.emulator.kinesisVideo.edgeConfiguration('front-door')).toBeUndefined();
    expect(updates('DeleteEdgeConfiguration')[0]).toMatchObject({ status: 0, fault: 'dropAfterApply' });
  });
});
