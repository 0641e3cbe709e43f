/**
 * Throttling that outlasts onEvent's Lambda timeout (3 minutes) but not the sync timeout: a
 * transient error must not fail a deploy while the sync timeout has time left, so what onEvent
 * cannot finish in its own time (ownership tags, the write) is finished by isComplete. Every
 * call of the service is throttled for six minutes from the first one. Time runs 60x.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CapabilityConfiguration, CapabilityNamespace, EdgeSchedule, GatewayCapabilityConfiguration, OpcUaCollectorConfiguration, StreamEdgeConfiguration,
} from '../../src';
import { SimulatedTimer } from '../support/clock';
import { opcUaDocument } from '../support/documents';
import { DeviceBehaviours } from '../support/emulator';
import { useEdgeEnvironment } from '../support/lifecycle';
import { largeCollectorSources } from '../support/scale-stack';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
const DOCUMENT = opcUaDocument('opc.tcp://10.0.1.20:4840');
const EMPTY_DOCUMENT = '{"sources":[]}';
const HUB = 'arn:aws:iot:us-east-1:123456789012:thing/camera-hub-1';
const STREAM = 'front-door';
/** Longer than onEvent's 3 minute Lambda timeout, shorter than the sync timeouts (15 and 25 minutes). */
const STORM_MS = 6 * 60_000;
const ON_EVENT_TIMEOUT_MS = 3 * 60_000;

const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

let stormEnd: SimulatedTimer | undefined;
afterEach(() => stormEnd?.cancel());

/**
 * Throttles every call of `service` (its ThrottlingException or ClientLimitExceededException) for
 * STORM_MS from the first one, which comes after CloudFormation has created what the resource
 * depends on (the provider's functions and roles).
 */
function throttlingStorm(service: 'iotsitewise' | 'kinesisvideo'): void {
  // This test's emulator and clock: a timer must not reach the next test's environment.
  const { clock, emulator } = env;
  emulator.faults.set({ throttleRate: 1, services: [service] });
  const watch = () => {
    const first = emulator.requests.find((r) => r.service === service);
    stormEnd = first
      ? clock.setTimeout(() => emulator.faults.clear(), first.at + STORM_MS - clock.now())
      : clock.setTimeout(watch, 1_000);
  };
  watch();
}

/** Simulated ms from the first to the last throttled call of `service`. */
function stormObserved(service: string): number {
  const throttled = env.emulator.requests.filter((r) => r.service === service && r.fault === 'throttle');
  return throttled.length === 0 ? 0 : throttled[throttled.length - 1].at - throttled[0].at;
}

const onEventTimeouts = () => env.harness.invocations.filter((i) => i.handler === 'index.onEvent' && i.outcome === 'timeout');

describe('IoT SiteWise', () => {
  const ownerKey = `cdk-edge-sync:owner:${COLLECTOR}`;

  function plantStack(gatewayId: string): Stack {
    const stack = new Stack(new App(), 'Plant');
    new GatewayCapabilityConfiguration(stack, 'Collector', {
      gatewayId,
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromJson(DOCUMENT),
      syncTimeout: Duration.minutes(15),
    });
    return stack;
  }

  function gateway(): string {
    const gatewayId = env.emulator.sitewise.createGateway();
    env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, DeviceBehaviours.apply(5_000));
    return gatewayId;
  }

  // onEvent's time runs out after about 3 minutes; isComplete claims the namespace and writes the document.
  lifecycleTest('throttling of the tag calls and the write that outlasts onEvent: the create succeeds, in sync and owned', async () => {
    const gatewayId = gateway();
    throttlingStorm('iotsitewise');
    const result = await env.harness.deploy(plantStack(gatewayId));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT, updates: 1 });
    expect(env.emulator.sitewise.gateway(gatewayId)!.tags).toEqual({ [ownerKey]: `Plant/${env.harness.resource('Collector').logicalId}` });
    expect(stormObserved('iotsitewise')).toBeGreaterThan(ON_EVENT_TIMEOUT_MS);
    expect(onEventTimeouts()).toEqual([]);
  });

  // The document travels as an S3 object: isComplete reads it again (it may read the carried objects too).
  lifecycleTest('a document carried through S3, under throttling that outlasts onEvent: isComplete reads and writes it', async () => {
    const gatewayId = gateway();
    throttlingStorm('iotsitewise');
    const stack = new Stack(new App(), 'Plant');
    new GatewayCapabilityConfiguration(stack, 'Collector', {
      gatewayId, configuration: OpcUaCollectorConfiguration.v3({ sources: largeCollectorSources(100) }), syncTimeout: Duration.minutes(15),
    });
    const result = await env.harness.deploy(stack);

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(env.harness.resource('Collector').properties.CapabilityConfigurationS3).toBeDefined();
    expect(JSON.parse(env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration!).sources).toHaveLength(100);
    const readers = env.emulator.requests.filter((r) => r.operation === 'GetObject' && r.status === 200).map((r) => r.principal);
    expect(readers).toEqual(expect.arrayContaining([expect.stringContaining('OnEventHandler'), expect.stringContaining('IsCompleteHandler')]));
    expect(stormObserved('iotsitewise')).toBeGreaterThan(ON_EVENT_TIMEOUT_MS);
  });

  // isComplete checks the owner, writes the empty document, waits and releases the namespace.
  lifecycleTest('a delete under throttling that outlasts onEvent resets the namespace and releases it', async () => {
    const gatewayId = gateway();
    await env.harness.deploy(plantStack(gatewayId));
    throttlingStorm('iotsitewise');
    const result = await env.harness.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: EMPTY_DOCUMENT });
    expect(env.emulator.sitewise.gateway(gatewayId)!.tags).toEqual({});
    expect(stormObserved('iotsitewise')).toBeGreaterThan(ON_EVENT_TIMEOUT_MS);
  });
});

describe('Kinesis Video', () => {
  let secretArn: string;
  beforeEach(() => {
    env.emulator.kinesisVideo.createStream({ name: STREAM, dataRetentionInHours: 24 });
    secretArn = env.emulator.secrets.createMediaUri('front-door-camera', 'rtsp://192.0.2.10:554/stream1');
  });

  function cameraStack(): Stack {
    const stack = new Stack(new App(), 'Cameras');
    new StreamEdgeConfiguration(stack, 'FrontDoor', {
      streamName: STREAM,
      hubDeviceArn: HUB,
      recorder: {
        mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', secretArn),
        schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', Duration.hours(1)),
      },
    });
    return stack;
  }

  // isComplete claims the stream, then starts the configuration and waits as always.
  lifecycleTest('throttling that outlasts onEvent: the create succeeds, in sync and owned', async () => {
    throttlingStorm('kinesisvideo');
    const result = await env.harness.deploy(cameraStack());

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(env.emulator.kinesisVideo.edgeConfiguration(STREAM)).toMatchObject({ syncStatus: 'IN_SYNC', hubDeviceArn: HUB, updates: 1 });
    expect(env.emulator.kinesisVideo.stream(STREAM)?.tags).toEqual({
      'cdk-edge-sync:owner': `Cameras/${env.harness.resource('FrontDoor').logicalId}`, 'cdk-edge-sync:operation': expect.any(String),
    });
    expect(stormObserved('kinesisvideo')).toBeGreaterThan(ON_EVENT_TIMEOUT_MS);
    expect(onEventTimeouts()).toEqual([]);
  });

  // isComplete checks the owner, deletes the configuration, waits and releases the stream.
  lifecycleTest('a delete under throttling that outlasts onEvent deletes the configuration and releases the stream', async () => {
    await env.harness.deploy(cameraStack());
    throttlingStorm('kinesisvideo');
    const result = await env.harness.destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(env.emulator.kinesisVideo.edgeConfiguration(STREAM)).toBeUndefined();
    expect(env.emulator.kinesisVideo.stream(STREAM)?.tags).toEqual({});
    expect(stormObserved('kinesisvideo')).toBeGreaterThan(ON_EVENT_TIMEOUT_MS);
  });
});
