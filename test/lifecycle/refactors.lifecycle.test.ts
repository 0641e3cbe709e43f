/**
 * The changes real stacks go through most: renames, moves between gateways, streams and stacks,
 * rollbacks, removal policies and documents near the waiter's limit, replayed under CloudFormation's
 * rules and IAM as AWS applies them. Ownership is recorded in tags on the gateway or stream
 * (lambda/shared/ownership.ts); the handlers' policies reach targets this stack owns that the
 * template no longer names. Time runs 60x.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  CapabilityConfiguration, CapabilityNamespace, DataflowEndpointGroupReadiness, EdgeSchedule, GatewayCapabilityConfiguration, StreamEdgeConfiguration,
} from '../../src';
import { opcUaDocument } from '../support/documents';
import { DeviceBehaviours, EdgeAgentBehaviours } from '../support/emulator';
import { StackEvent } from '../support/harness';
import { useEdgeEnvironment } from '../support/lifecycle';
import { failureReason } from '../support/stack-events';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
const EMPTY = '{"sources":[]}';
const DOCUMENT_V1 = opcUaDocument('opc.tcp://10.0.1.20:4840');
const DOCUMENT_V2 = opcUaDocument('opc.tcp://10.0.1.21:4840');
/** Accepted by the API, rejected by the gateway: not an opc.tcp:// endpoint. */
const REJECTED_DOCUMENT = opcUaDocument('http://10.0.1.20:4840');
const HUB = 'arn:aws:iot:us-east-1:123456789012:thing/camera-hub-1';

const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

interface CollectorOptions {
  readonly gatewayId: string;
  readonly document?: string;
  /** Construct id of the configuration. @default 'Collector' */
  readonly id?: string;
  /** Wraps the configuration in a construct of this id (a refactor that changes its logical id). */
  readonly parent?: string;
  readonly stackName?: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly resetDocument?: string;
}

function collectorStack(options: CollectorOptions): Stack {
  const stack = new Stack(new App(), options.stackName ?? 'Plant');
  const scope = options.parent ? new Construct(stack, options.parent) : stack;
  new GatewayCapabilityConfiguration(scope, options.id ?? 'Collector', {
    gatewayId: options.gatewayId,
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromJson(options.document ?? DOCUMENT_V1),
    removalPolicy: options.removalPolicy,
    resetConfiguration: options.resetDocument === undefined ? undefined : CapabilityConfiguration.fromJson(options.resetDocument),
  });
  return stack;
}

const device = (gatewayId: string) => env.emulator.sitewise.device(gatewayId, COLLECTOR);

describe('IoT SiteWise gateway capability configurations', () => {
  // A new logical id is a replacement to CloudFormation: the new resource takes the namespace over
  // (the gateway already runs its document), so the old logical id's cleanup Delete leaves it.
  lifecycleTest('renaming the construct keeps the document on the gateway, in sync', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    await env.harness.deploy(collectorStack({ gatewayId }));
    const result = await env.harness.deploy(collectorStack({ gatewayId, id: 'OpcUaSources' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', cloudConfiguration: DOCUMENT_V1, appliedConfiguration: DOCUMENT_V1 });
  });

  lifecycleTest('with RemovalPolicy.RETAIN in force, a rename keeps the document (CloudFormation skips the Delete)', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    await env.harness.deploy(collectorStack({ gatewayId }));
    await env.harness.deploy(collectorStack({ gatewayId, removalPolicy: RemovalPolicy.RETAIN }));
    const renamed = await env.harness.deploy(collectorStack({ gatewayId, id: 'OpcUaSources', removalPolicy: RemovalPolicy.RETAIN }));
    expect(renamed.status).toBe('UPDATE_COMPLETE');
    expect(renamed.events.filter((e) => e.logicalId.startsWith('Collector')).map((e) => e.status)).toEqual(['DELETE_SKIPPED']);
    expect((await env.harness.deploy(collectorStack({ gatewayId, id: 'OpcUaSources' }))).status).toBe('UPDATE_COMPLETE');
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1 });
  });

  lifecycleTest('a rename rolled back (another resource failed) hands the namespace back: the document stays, owned by the old name', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    const rejecting = env.emulator.sitewise.createGateway();
    env.emulator.sitewise.scriptDevice(rejecting, COLLECTOR, [DeviceBehaviours.reject(30_000), DeviceBehaviours.apply(5_000)]);
    await env.harness.deploy(collectorStack({ gatewayId }));
    const renamedWithAFailure = collectorStack({ gatewayId, id: 'OpcUaSources' });
    new GatewayCapabilityConfiguration(renamedWithAFailure, 'Line2', {
      gatewayId: rejecting, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3, configuration: CapabilityConfiguration.fromJson(DOCUMENT_V2),
    });
    const result = await env.harness.deploy(renamedWithAFailure);

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1 });
    expect(env.emulator.sitewise.gateway(gatewayId)!.tags).toEqual({ [`cdk-edge-sync:owner:${COLLECTOR}`]: `Plant/${env.harness.resource('Collector').logicalId}` });
  });

  lifecycleTest('after a rename, destroying the stack resets the namespace and removes its tags', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    await env.harness.deploy(collectorStack({ gatewayId }));
    await env.harness.deploy(collectorStack({ gatewayId, id: 'OpcUaSources' }));
    expect((await env.harness.destroy()).status).toBe('DELETE_COMPLETE');
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: EMPTY });
    expect(env.emulator.sitewise.gateway(gatewayId)!.tags).toEqual({});
  });

  // The cancelled Create's waiter goes on polling in the background, as it would in AWS, until the
  // rollback deletes its state machine, before the handler's policy (the waiter depends on it).
  lifecycleTest('a Create CloudFormation cancelled (another resource failed) is deleted by an invented id: what it claimed is reset', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    const rejecting = env.emulator.sitewise.createGateway();
    env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, DeviceBehaviours.apply(300_000));
    // Late enough that the collector's onEvent has claimed and written: a Delete that CloudFormation
    // sends while that Create's onEvent still runs cannot see its claim (aws/aws-cdk#26139).
    env.emulator.sitewise.scriptDevice(rejecting, COLLECTOR, [DeviceBehaviours.reject(60_000), DeviceBehaviours.apply(5_000)]);
    const stack = collectorStack({ gatewayId });
    new GatewayCapabilityConfiguration(stack, 'Line2', {
      gatewayId: rejecting, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3, configuration: CapabilityConfiguration.fromJson(DOCUMENT_V2),
    });
    const result = await env.harness.deploy(stack);
    await env.harness.idle();

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const collector = result.events.filter((e) => e.logicalId.startsWith('Collector'));
    expect(collector.find((e) => e.status === 'CREATE_FAILED')?.reason).toBe('Resource creation cancelled');
    expect(collector.find((e) => e.status === 'DELETE_COMPLETE')?.physicalId).toMatch(/^Plant-Collector.*-[A-Z0-9]{12}$/);
    expect(device(gatewayId).cloudConfiguration).toBe(EMPTY);
    expect(env.emulator.sitewise.gateway(gatewayId)!.tags).toEqual({});
    const deleted = (match: (e: StackEvent) => boolean) => result.events.findIndex((e) => match(e) && e.status === 'DELETE_COMPLETE');
    const stateMachineDeleted = deleted((e) => e.resourceType === 'AWS::StepFunctions::StateMachine');
    const policyDeleted = deleted((e) => e.logicalId.startsWith('EdgeSyncProviderIsCompleteHandlerRoleDefaultPolicy'));
    expect(stateMachineDeleted).toBeGreaterThan(0);
    expect(stateMachineDeleted).toBeLessThan(policyDeleted);
  });

  // As the rename: wrapping the construct in a new parent changes its logical id too.
  lifecycleTest('wrapping the construct in a new parent keeps the document on the gateway, in sync', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    await env.harness.deploy(collectorStack({ gatewayId }));
    const result = await env.harness.deploy(collectorStack({ gatewayId, parent: 'LineOne' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1 });
  });

  // The new stack takes the namespace over (same document); the old stack's cleanup Delete then
  // only confirms the handover.
  lifecycleTest('moving the construct to another stack (deploy the new one, then remove it from the old) keeps the document', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    const other = env.newHarness();
    await env.harness.deploy(collectorStack({ gatewayId }));
    expect((await other.deploy(collectorStack({ gatewayId, stackName: 'PlantLine1' }))).status).toBe('CREATE_COMPLETE');
    // The old stack without the collector (CloudFormation needs one resource in a stack).
    const emptied = new Stack(new App(), 'Plant');
    new secretsmanager.CfnSecret(emptied, 'Placeholder', { name: 'placeholder' });
    const result = await env.harness.deploy(emptied);

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1 });
  });

  // Another document on a namespace another stack owns is refused before anything is written.
  lifecycleTest('a second stack configuring the same gateway and namespace fails its deploy, naming the owner', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    await env.harness.deploy(collectorStack({ gatewayId }));
    const second = await env.newHarness().deploy(collectorStack({ gatewayId, stackName: 'Intruder', document: DOCUMENT_V2 }));

    expect(second.status).toBe('ROLLBACK_COMPLETE');
    expect(failureReason(second.events, 'Collector')).toMatch(/Plant.*Collector/);
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1 });
  });

  // The old gateway is no longer in the template, but it is tagged as this stack's: the handler
  // policies allow the cleanup Delete to reset it.
  lifecycleTest('moving the configuration to another gateway resets the old gateway', async () => {
    const oldGateway = env.emulator.sitewise.createGateway();
    const newGateway = env.emulator.sitewise.createGateway();
    await env.harness.deploy(collectorStack({ gatewayId: oldGateway }));
    const result = await env.harness.deploy(collectorStack({ gatewayId: newGateway }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.events.filter((e) => e.status === 'DELETE_FAILED')).toEqual([]);
    expect(device(newGateway)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1 });
    expect(device(oldGateway)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: EMPTY });
  });

  // The rollback Update of the old gateway runs under the new policies, which reach it through its
  // owner tag; the new gateway, recorded from the failed update, is reset in the rollback cleanup.
  lifecycleTest('a move to a gateway that rejects the document rolls back: the old gateway keeps its document', async () => {
    const oldGateway = env.emulator.sitewise.createGateway();
    const newGateway = env.emulator.sitewise.createGateway();
    env.emulator.sitewise.scriptDevice(newGateway, COLLECTOR, [DeviceBehaviours.reject(5_000), DeviceBehaviours.apply(5_000)]);
    await env.harness.deploy(collectorStack({ gatewayId: oldGateway }));
    const result = await env.harness.deploy(collectorStack({ gatewayId: newGateway }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    // The rollback Update applied the previous document to the old gateway again, and waited for it.
    expect(device(oldGateway)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1, updates: 2 });
    // The new gateway's id, recorded from the failed update, was deleted in the rollback's cleanup: reset.
    expect(device(newGateway).cloudConfiguration).toBe(EMPTY);
    expect(env.emulator.sitewise.gateway(newGateway)!.tags).toEqual({});
  });

  // RETAIN_ON_UPDATE_OR_DELETE renders DeletionPolicy RetainExceptOnCreate: the one Delete
  // CloudFormation sends is the rollback of a failed Create, which removes what the Create wrote.
  lifecycleTest('RETAIN_ON_UPDATE_OR_DELETE: a Create the gateway rejects is rolled back and its document removed', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    const stack = collectorStack({ gatewayId, document: REJECTED_DOCUMENT, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    const result = await env.harness.deploy(stack);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(device(gatewayId).cloudConfiguration).toBe(EMPTY);
  });

  lifecycleTest('RETAIN_ON_UPDATE_OR_DELETE: a destroy after a successful create leaves the document', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    await env.harness.deploy(collectorStack({ gatewayId, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE }));
    const destroyed = await env.harness.destroy();

    expect(destroyed.status).toBe('DELETE_COMPLETE');
    expect(destroyed.events.find((e) => e.logicalId.startsWith('Collector'))?.status).toBe('DELETE_SKIPPED');
    expect(device(gatewayId)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V1 });
  });

  // Each document is just under 64 KiB, but together the configuration and reset documents are over
  // the resource's inline budget: one travels through S3, so an Update's waiter input (old and new
  // properties) and its rollback's stay under 262,144 bytes.
  lifecycleTest('two documents just under the carriage threshold, and a custom reset document, update and roll back', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    const { apply, reject } = DeviceBehaviours;
    env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, [apply(5_000), reject(5_000), apply(5_000)]);
    const nearThreshold = (endpoint: string) => documentOfSize(endpoint, 64 * 1024 - 512);
    const reset = nearThreshold('opc.tcp://10.0.9.9:4840');
    const first = nearThreshold('opc.tcp://10.0.1.20:4840');
    const created = await env.harness.deploy(collectorStack({ gatewayId, document: first, resetDocument: reset }));
    expect(created.status).toBe('CREATE_COMPLETE');
    const result = await env.harness.deploy(collectorStack({ gatewayId, document: nearThreshold('opc.tcp://10.0.1.21:4840'), resetDocument: reset }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(env.harness.waiterStarts.every((start) => start.accepted)).toBe(true);
  });

  // A document is measured as the resource event holds it: this one is 65,425 bytes of text, but
  // each of its 65,400 backslashes is escaped again in the event, so it travels through S3.
  lifecycleTest('a backslash-heavy document is carried so that its waiter input fits', async () => {
    const gatewayId = env.emulator.sitewise.createGateway();
    const backslashes = JSON.stringify({ sources: [], note: '\\'.repeat(32_700) });
    expect(Buffer.byteLength(backslashes)).toBeLessThanOrEqual(64 * 1024);
    const result = await env.harness.deploy(collectorStack({ gatewayId, document: backslashes, resetDocument: backslashes }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(env.harness.waiterStarts.every((start) => start.accepted)).toBe(true);
  });
});

interface CameraOptions {
  readonly id?: string;
  /** How the stream is given. @default 'name' */
  readonly by?: 'name' | 'arn';
  readonly streamName?: string;
  readonly schedule?: string;
  readonly removalPolicy?: RemovalPolicy;
  /** @default 'Cameras' */
  readonly stackName?: string;
}

function cameraStack(secretArn: string, options: CameraOptions = {}): Stack {
  const stack = new Stack(new App(), options.stackName ?? 'Cameras');
  const streamName = options.streamName ?? 'front-door';
  new StreamEdgeConfiguration(stack, options.id ?? 'FrontDoor', {
    ...(options.by === 'arn' ? { streamArn: env.emulator.kinesisVideo.stream(streamName)!.arn } : { streamName }),
    hubDeviceArn: HUB,
    recorder: {
      mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', secretArn),
      schedule: EdgeSchedule.cron(options.schedule ?? '0 0 8 ? * MON-FRI', Duration.hours(1)),
    },
    removalPolicy: options.removalPolicy,
  });
  return stack;
}

describe('Kinesis Video edge configurations', () => {
  let secretArn: string;
  beforeEach(() => {
    env.emulator.kinesisVideo.createStream({ name: 'front-door', dataRetentionInHours: 24 });
    env.emulator.kinesisVideo.createStream({ name: 'back-door', dataRetentionInHours: 24 });
    secretArn = env.emulator.secrets.createMediaUri('front-door-camera', 'rtsp://192.0.2.10:554/stream1');
  });
  const edge = (stream: string = 'front-door') => env.emulator.kinesisVideo.edgeConfiguration(stream);

  lifecycleTest('RETAIN_ON_UPDATE_OR_DELETE: a Create the Edge Agent rejects is rolled back and its edge configuration deleted', async () => {
    env.emulator.kinesisVideo.scriptAgent(HUB, { updates: EdgeAgentBehaviours.fail('H.265 is not supported') });
    const result = await env.harness.deploy(cameraStack(secretArn, { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(edge()).toBeUndefined();
  });

  // As for gateways: the renamed resource takes the stream over, and the old one's Delete leaves
  // the edge configuration (and the media on the hub) alone.
  lifecycleTest('renaming the construct keeps the edge configuration, in sync', async () => {
    await env.harness.deploy(cameraStack(secretArn));
    const result = await env.harness.deploy(cameraStack(secretArn, { id: 'Entrance' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(edge()).toMatchObject({ syncStatus: 'IN_SYNC' });
  });

  // The physical id is the stream's ARN however the stream is given, so a failed update that
  // switches from ARN to name records no other id, and the rollback's cleanup deletes nothing.
  lifecycleTest('switching from the stream\'s ARN to its name, with a configuration the agent rejects, rolls back and keeps it', async () => {
    await env.harness.deploy(cameraStack(secretArn, { by: 'arn' }));
    env.emulator.kinesisVideo.scriptAgent(HUB, { updates: [EdgeAgentBehaviours.fail('H.265 is not supported'), EdgeAgentBehaviours.sync()] });
    const result = await env.harness.deploy(cameraStack(secretArn, { by: 'name', schedule: '0 0 9 ? * MON-FRI' }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(edge()).toMatchObject({ syncStatus: 'IN_SYNC' });
    expect(env.harness.resource('FrontDoor').physicalId).toBe(env.emulator.kinesisVideo.stream('front-door')!.arn);
  });

  lifecycleTest('a second stack with another configuration for the same stream fails its deploy, naming the owner', async () => {
    await env.harness.deploy(cameraStack(secretArn));
    const result = await env.newHarness().deploy(cameraStack(secretArn, { stackName: 'Intruder', schedule: '0 0 20 ? * MON-FRI' }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(failureReason(result.events, 'FrontDoor')).toContain(`is configured by Cameras/${env.harness.resource('FrontDoor').logicalId}`);
    expect(edge()).toMatchObject({ syncStatus: 'IN_SYNC', updates: 1 });
  });

  // The old stream is no longer in the template, but tagged as this stack's: its cleanup Delete is allowed.
  lifecycleTest('moving the configuration to another stream deletes it from the old one', async () => {
    await env.harness.deploy(cameraStack(secretArn));
    const result = await env.harness.deploy(cameraStack(secretArn, { streamName: 'back-door' }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(edge('back-door')).toMatchObject({ syncStatus: 'IN_SYNC' });
    expect(edge('front-door')).toBeUndefined();
  });
});

describe('Ground Station readiness', () => {
  // A group whose endpoints are all dataflow endpoints (no AWS Ground Station Agent endpoint) has
  // nothing that could report it ready; such a group defined in the app is refused at synth.
  lifecycleTest('a readiness gate on a group without any AWS Ground Station Agent endpoint fails at once', async () => {
    const group = env.emulator.groundStation.createDataflowEndpointGroup({
      endpointDetails: [{
        endpoint: { name: 'downlink', address: { name: '10.0.0.5', port: 55888 }, mtu: 1500 },
        securityDetails: {
          roleArn: 'arn:aws:iam::123456789012:role/DataflowEndpointRole',
          subnetIds: ['subnet-0123456789abcdef0'],
          securityGroupIds: ['sg-0123456789abcdef0'],
        },
      }],
    });
    const stack = new Stack(new App(), 'Receiver');
    new DataflowEndpointGroupReadiness(stack, 'AgentReady', { dataflowEndpointGroupId: group.id });
    const result = await env.harness.deploy(stack);

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(failureReason(result.events, 'AgentReady')).toContain(`Dataflow endpoint group ${group.id} has no AWS Ground Station Agent endpoint`);
  });
});

/** An OPC UA collector document of about `bytes` characters: one source, padded with node filter rules. */
function documentOfSize(endpointUri: string, bytes: number): string {
  const base = JSON.parse(opcUaDocument(endpointUri));
  const rules: unknown[] = [];
  let text = JSON.stringify(base);
  for (let i = 0; text.length < bytes - 80; i++) {
    rules.push({ action: 'INCLUDE', definition: { type: 'OpcUaRootPath', rootPath: `/Plant/Area${i}/` } });
    base.sources[0].endpoint.nodeFilterRules = rules;
    text = JSON.stringify(base);
  }
  return text;
}
