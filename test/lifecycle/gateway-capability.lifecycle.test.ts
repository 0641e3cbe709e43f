/**
 * End to end: the bundled handlers, as deployed (the cloud assembly's asset), driven through
 * CloudFormation's lifecycle by the harness, talking to the local SiteWise endpoint over HTTP
 * through AWS_ENDPOINT_URL, with simulated gateways. Time runs 60 times faster.
 */
import { IoTSiteWiseClient, UpdateGatewayCapabilityConfigurationCommand } from '@aws-sdk/client-iotsitewise';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iotsitewise from 'aws-cdk-lib/aws-iotsitewise';
import { CapabilityConfiguration, CapabilityNamespace, GatewayCapabilityConfiguration } from '../../src';
import { opcUaDocument } from '../support/documents';
import { DeviceBehaviour, DeviceBehaviours } from '../support/emulator';
import { useEdgeEnvironment } from '../support/lifecycle';
import { failureReason } from '../support/stack-events';

const COLLECTOR = 'iotsitewise:opcuacollector:3';

const DOCUMENT_V1 = opcUaDocument('opc.tcp://10.0.1.20:4840');
const DOCUMENT_V2 = opcUaDocument('opc.tcp://10.0.1.21:4840');
/** Accepted by the API, rejected by the gateway: not an opc.tcp:// endpoint. */
const REJECTED_DOCUMENT = opcUaDocument('http://10.0.1.20:4840');

interface StackOptions {
  readonly gatewayId: string;
  readonly document?: string;
  readonly namespace?: CapabilityNamespace;
  readonly removalPolicy?: RemovalPolicy;
  readonly syncTimeout?: Duration;
  readonly failOnNotApplicable?: boolean;
}

function plantStack(options: StackOptions): Stack {
  const stack = new Stack(new App(), 'Plant');
  new GatewayCapabilityConfiguration(stack, 'Collector', {
    gatewayId: options.gatewayId,
    namespace: options.namespace ?? CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromJson(options.document ?? DOCUMENT_V1),
    removalPolicy: options.removalPolicy,
    syncTimeout: options.syncTimeout,
    failOnNotApplicable: options.failOnNotApplicable,
  });
  return stack;
}

const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

/** A gateway on the local endpoint whose collector device follows `script`. */
function gatewayWith(...script: DeviceBehaviour[]): string {
  const gatewayId = env.emulator.sitewise.createGateway();
  if (script.length > 0) env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, script);
  return gatewayId;
}


function describeCalls(gatewayId: string, until: number = Infinity): number {
  return env.emulator.requests
    .filter((r) => r.operation === 'DescribeGatewayCapabilityConfiguration' && r.path.includes(gatewayId) && r.at <= until)
    .length;
}

lifecycleTest('create waits until the gateway is IN_SYNC, and never answers before', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(30_000));
  const result = await env.harness.deploy(plantStack({ gatewayId }));

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(env.harness.resource('Collector').attributes).toEqual({ SyncStatus: 'IN_SYNC' });
  expect(env.harness.resource('Collector').physicalId).toBe(`${gatewayId}/${COLLECTOR}`);
  const device = env.emulator.sitewise.device(gatewayId, COLLECTOR);
  expect(device.syncStatus).toBe('IN_SYNC');
  expect(device.appliedConfiguration).toBe(DOCUMENT_V1);
  const inSync = env.emulator.eventsOf('iotsitewise').find((e) => e.gatewayId === gatewayId && e.to === 'IN_SYNC')!;
  const response = env.harness.responses.find((r) => r.logicalResourceId.startsWith('Collector') && r.requestType === 'Create')!;
  expect(response.body.Status).toBe('SUCCESS');
  expect(response.at).toBeGreaterThanOrEqual(inSync.at);
  expect(response.bytes).toBeLessThan(1024);
});

lifecycleTest('a CfnGateway of the same stack is created first and configured by its id', async () => {
  env.emulator.sitewise.setDefaultScript(DeviceBehaviours.apply(5_000));
  const stack = new Stack(new App(), 'Plant');
  const gateway = new iotsitewise.CfnGateway(stack, 'Gateway', {
    gatewayName: 'plant-1',
    gatewayVersion: '3',
    gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'plant-1-core', coreDeviceOperatingSystem: 'LINUX_AMD64' } },
  });
  new GatewayCapabilityConfiguration(stack, 'Collector', { gateway, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3, configuration: CapabilityConfiguration.fromJson(DOCUMENT_V1) });

  expect((await env.harness.deploy(stack)).status).toBe('CREATE_COMPLETE');
  const [gatewayId] = env.emulator.sitewise.gatewayIds();
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration).toBe(DOCUMENT_V1);
});

// The physical id names the gateway and namespace, however the gateway is given: switching from
// `gateway` to `gatewayId` for the same gateway changes nothing CloudFormation sends.
lifecycleTest('switching from gateway (a CfnGateway) to its gatewayId is no update and no replacement', async () => {
  env.emulator.sitewise.setDefaultScript(DeviceBehaviours.apply(5_000));
  const plant = (by: 'gateway' | 'gatewayId') => {
    const stack = new Stack(new App(), 'Plant');
    const gateway = new iotsitewise.CfnGateway(stack, 'Gateway', {
      gatewayName: 'plant-1',
      gatewayVersion: '3',
      gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'plant-1-core', coreDeviceOperatingSystem: 'LINUX_AMD64' } },
    });
    const target = by === 'gateway' ? { gateway } : { gatewayId: env.emulator.sitewise.gatewayIds()[0] };
    new GatewayCapabilityConfiguration(stack, 'Collector', { ...target, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3, configuration: CapabilityConfiguration.fromJson(DOCUMENT_V1) });
    return stack;
  };
  expect((await env.harness.deploy(plant('gateway'))).status).toBe('CREATE_COMPLETE');
  const physicalId = env.harness.resource('Collector').physicalId;
  const writes = () => env.emulator.requests.filter((r) => r.operation === 'UpdateGatewayCapabilityConfiguration').length;
  const before = writes();

  const result = await env.harness.deploy(plant('gatewayId'));

  expect(result.status).toBe('UPDATE_COMPLETE');
  expect(result.events.filter((e) => e.logicalId.startsWith('Collector'))).toEqual([]);
  expect(env.harness.resource('Collector').physicalId).toBe(physicalId);
  expect(writes()).toBe(before);
});

lifecycleTest('update re-applies the document and waits again', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(10_000));
  await env.harness.deploy(plantStack({ gatewayId }));
  const result = await env.harness.deploy(plantStack({ gatewayId, document: DOCUMENT_V2 }));

  expect(result.status).toBe('UPDATE_COMPLETE');
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: DOCUMENT_V2, updates: 2 });
});

lifecycleTest('an update the gateway rejects fails and is rolled back: the gateway ends on the old document', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(10_000));
  await env.harness.deploy(plantStack({ gatewayId }));
  const result = await env.harness.deploy(plantStack({ gatewayId, document: REJECTED_DOCUMENT }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(failureReason(result.events, 'Collector')).toContain(`Gateway ${gatewayId} rejected the configuration of ${COLLECTOR} (capabilitySyncStatus SYNC_FAILED)`);
  const device = env.emulator.sitewise.device(gatewayId, COLLECTOR);
  expect(device.cloudConfiguration).toBe(DOCUMENT_V1);
  expect(device.appliedConfiguration).toBe(DOCUMENT_V1);
  expect(device.syncStatus).toBe('IN_SYNC');
  expect(device.history.map((h) => h.status)).toEqual(['OUT_OF_SYNC', 'IN_SYNC', 'OUT_OF_SYNC', 'SYNC_FAILED', 'OUT_OF_SYNC', 'IN_SYNC']);
  // The rollback was an Update with the old properties, answered only once the gateway was back in sync.
  const rollback = env.harness.invocations.filter((i) => i.requestType === 'Update' && i.handler === 'index.onEvent')[1];
  expect(rollback.event.ResourceProperties.CapabilityConfiguration).toBe(DOCUMENT_V1);
  expect(rollback.event.OldResourceProperties.CapabilityConfiguration).toBe(REJECTED_DOCUMENT);
});

lifecycleTest('an offline gateway fails the create at the sync timeout with the last status, well before the service timeout', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.offline('OUT_OF_SYNC'));
  const result = await env.harness.deploy(plantStack({ gatewayId, syncTimeout: Duration.minutes(3) }));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  const failed = result.events.find((e) => e.logicalId.startsWith('Collector') && e.status === 'CREATE_FAILED')!;
  expect(failed.reason).toContain(`Timed out after 3 minutes waiting for gateway ${gatewayId} to sync the configuration of ${COLLECTOR}; last seen: capabilitySyncStatus OUT_OF_SYNC.`);
  const started = result.events.find((e) => e.logicalId.startsWith('Collector') && e.status === 'CREATE_IN_PROGRESS')!;
  expect(failed.at - started.at).toBeGreaterThanOrEqual(3 * 60_000);
  expect(failed.at - started.at).toBeLessThan(4 * 60_000);
  // Polling backed off: at most 60 calls in the first minute, 60 in the next two.
  expect(describeCalls(gatewayId, failed.at)).toBeLessThanOrEqual(60 + 60 + 1);
});

lifecycleTest('NOT_APPLICABLE succeeds by default', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.notApplicable());
  const result = await env.harness.deploy(plantStack({ gatewayId }));

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(env.harness.resource('Collector').attributes).toEqual({ SyncStatus: 'NOT_APPLICABLE' });
});

lifecycleTest('NOT_APPLICABLE fails with failOnNotApplicable', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.notApplicable());
  const result = await env.harness.deploy(plantStack({ gatewayId, failOnNotApplicable: true }));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(failureReason(result.events, 'Collector')).toContain('NOT_APPLICABLE (the capability is not supported) and failOnNotApplicable is set');
});

lifecycleTest('a gateway that does not exist fails the create at once, naming the gateway and the AWS error', async () => {
  const gatewayId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const result = await env.harness.deploy(plantStack({ gatewayId }));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(failureReason(result.events, 'Collector')).toContain(
    `Message returned: Could not apply the configuration of ${COLLECTOR} of gateway ${gatewayId}: ResourceNotFoundException: Gateway ${gatewayId} does not exist`,
  );
  expect(result.durationMs).toBeLessThan(30_000);
  // The failed create's rollback Delete never reaches the handler (the framework answers it).
  expect(env.harness.invocations.filter((i) => i.requestType === 'Delete')).toHaveLength(0);
});

lifecycleTest('throttling and 500 storms are retried and the deploy still succeeds', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(20_000));
  env.emulator.faults.set({ throttleRate: 0.3, serverErrorRate: 0.2, dropRate: 0.05, services: ['iotsitewise'] });
  const result = await env.harness.deploy(plantStack({ gatewayId }));

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration).toBe(DOCUMENT_V1);
  const faults = env.emulator.requests.filter((r) => r.fault).map((r) => r.errorCode ?? r.fault);
  expect(faults).toEqual(expect.arrayContaining(['ThrottlingException', 'InternalFailureException']));
});

lifecycleTest('one throttled Update does not fail the deploy', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(5_000));
  env.emulator.faults.set({ throttleRate: 1, operations: ['UpdateGatewayCapabilityConfiguration'], firstN: 1 });
  const result = await env.harness.deploy(plantStack({ gatewayId }));

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(env.emulator.requests.filter((r) => r.operation === 'UpdateGatewayCapabilityConfiguration').map((r) => r.status)).toEqual([429, 201]);
});

lifecycleTest('destroy with the default removal policy writes the empty document and waits for the gateway', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(5_000));
  await env.harness.deploy(plantStack({ gatewayId }));
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ syncStatus: 'IN_SYNC', appliedConfiguration: '{"sources":[]}' });
});

lifecycleTest('destroy with RETAIN leaves the document on the gateway', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(5_000));
  await env.harness.deploy(plantStack({ gatewayId, removalPolicy: RemovalPolicy.RETAIN }));
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR)).toMatchObject({ appliedConfiguration: DOCUMENT_V1, updates: 1 });
});

lifecycleTest('destroy succeeds when the gateway was deleted out of band', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(5_000));
  await env.harness.deploy(plantStack({ gatewayId }));
  env.emulator.sitewise.deleteGatewayOutOfBand(gatewayId);
  const result = await env.harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
});

lifecycleTest('a namespace change replaces the resource: the new namespace is configured, then the old one reset', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(5_000));
  env.emulator.sitewise.scriptDevice(gatewayId, 'iotsitewise:opcuacollector:2', DeviceBehaviours.apply(5_000));
  await env.harness.deploy(plantStack({ gatewayId }));
  const v2Document = JSON.stringify({ sources: [] });
  const result = await env.harness.deploy(plantStack({ gatewayId, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V2, document: v2Document }));

  expect(result.status).toBe('UPDATE_COMPLETE');
  expect(env.harness.resource('Collector').physicalId).toBe(`${gatewayId}/iotsitewise:opcuacollector:2`);
  expect(env.emulator.sitewise.device(gatewayId, 'iotsitewise:opcuacollector:2').appliedConfiguration).toBe(v2Document);
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration).toBe('{"sources":[]}');
  // The old one was deleted in the cleanup phase, after the new one was in sync.
  const deletes = result.events.filter((e) => e.status === 'DELETE_COMPLETE' && e.physicalId === `${gatewayId}/${COLLECTOR}`);
  expect(deletes).toHaveLength(1);
});

lifecycleTest('handlers reach the endpoint only through AWS_ENDPOINT_URL, with SigV4 and no api. host prefix', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(1_000));
  await env.harness.deploy(plantStack({ gatewayId }));
  const calls = env.emulator.requests.filter((r) => r.service === 'iotsitewise');
  expect(calls.length).toBeGreaterThan(1);
  for (const call of calls) expect(call.host).toBe(new URL(env.emulator.url).host);
  expect(calls.map((r) => `${r.method} ${r.path.replace(gatewayId, '{gatewayId}')}`)).toEqual(expect.arrayContaining([
    'POST /20200301/gateways/{gatewayId}/capability',
    'GET /20200301/gateways/{gatewayId}/capability/iotsitewise%3Aopcuacollector%3A3',
  ]));
});

// The document in sync must be the one this deploy applied: a console edit (or any other writer)
// while the deploy waits is reported, and the rollback's Delete leaves that writer's document.
lifecycleTest('another writer replacing the document while the create waits fails it; the rollback leaves their document', async () => {
  const gatewayId = gatewayWith(DeviceBehaviours.apply(300_000), DeviceBehaviours.apply(5_000));
  const deploying = env.harness.deploy(plantStack({ gatewayId }));
  // Once the handler has written its document, another writer writes theirs.
  const written = () => env.emulator.requests.some((r) => r.operation === 'UpdateGatewayCapabilityConfiguration' && r.status < 300);
  while (!written()) await new Promise((resolve) => setTimeout(resolve, 5));
  const otherWriter = new IoTSiteWiseClient(env.emulator.clientConfig());
  const write = new UpdateGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: COLLECTOR, capabilityConfiguration: DOCUMENT_V2 });
  // The gateway processes one update at a time: wait until it has taken the handler's.
  for (;;) {
    try {
      await otherWriter.send(write);
      break;
    } catch (error) {
      if ((error as Error).name !== 'ConflictingOperationException') throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  const result = await deploying;

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(failureReason(result.events, 'Collector')).toContain(
    `Gateway ${gatewayId} stores another document for ${COLLECTOR} than the one this deploy applied`,
  );
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).cloudConfiguration).toBe(DOCUMENT_V2);
  // The handler wrote once; the rollback's Delete wrote nothing.
  const writers = env.emulator.requests.filter((r) => r.operation === 'UpdateGatewayCapabilityConfiguration' && r.status < 300).map((r) => r.principal);
  expect(writers).toEqual([expect.stringContaining(':assumed-role/Plant-EdgeSyncProviderOnEventHandlerRole'), 'arn:aws:iam::123456789012:root']);
  expect(env.emulator.sitewise.gateway(gatewayId)!.tags).toEqual({});
});
