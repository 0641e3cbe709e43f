/**
 * End to end: a 300 KB OPC UA collector document travels as an S3 file asset. The harness
 * publishes the stack's file assets to the local endpoint's S3 before each deploy, as `cdk
 * deploy` does; the bundled onEvent handler reads the object over HTTP, puts the resolved secret
 * ARN back at its markers and applies the document to the simulated gateway.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { GatewayCapabilityConfiguration, OpcUaCollectorConfiguration, OpcUaIdentity } from '../../src';
import { DeviceBehaviours } from '../support/emulator';
import { synthesizeStack } from '../support/harness/cloud-assembly';
import { useEdgeEnvironment } from '../support/lifecycle';
import { largeCollectorSources } from '../support/scale-stack';
import { failureReason } from '../support/stack-events';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
/** The Step Functions input limit of the Provider framework's waiter, which carries every isComplete event. */
const WAITER_INPUT_LIMIT_BYTES = 256 * 1024;

interface PlantOptions {
  /** Sources of about 1 KB in the configuration. @default 300 */
  readonly kilobytes?: number;
  /** Sources of about 1 KB in a custom reset document. @default the namespace's empty document */
  readonly resetKilobytes?: number;
}

/** A stack whose collector has `kilobytes` sources of about 1 KB; the first logs in with the stack's secret. */
function plantStack(gatewayId: string, options: PlantOptions = {}): Stack {
  const stack = new Stack(new App(), 'Plant');
  const secret = new secretsmanager.Secret(stack, 'PlcUser');
  const [first, ...rest] = largeCollectorSources(options.kilobytes ?? 300);
  const configuration = OpcUaCollectorConfiguration.v3({ sources: [{ ...first, identity: OpcUaIdentity.username(secret) }, ...rest] });
  const resetConfiguration = options.resetKilobytes === undefined
    ? undefined
    : OpcUaCollectorConfiguration.v3({ sources: largeCollectorSources(options.resetKilobytes, 9) });
  new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId, configuration, resetConfiguration });
  return stack;
}

const { env, lifecycleTest } = useEdgeEnvironment({ scale: 60 });

function appliedSources(gatewayId: string): any[] {
  return JSON.parse(env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration ?? '{}').sources ?? [];
}

/** The largest event the waiter state machine carried (isComplete's input), in bytes. */
function largestWaiterInput(): number {
  const sizes = env.harness.invocations.filter((i) => i.handler.endsWith('isComplete')).map((i) => Buffer.byteLength(JSON.stringify(i.event)));
  expect(sizes.length).toBeGreaterThan(0);
  return Math.max(...sizes);
}

lifecycleTest('a 300 KB document is read from its S3 object with the secret ARN put back, and applied whole', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, [DeviceBehaviours.apply(10_000)]);
  const result = await env.harness.deploy(plantStack(gatewayId));

  expect(result.status).toBe('CREATE_COMPLETE');
  const properties = env.harness.resource('Collector').properties;
  expect(properties.CapabilityConfiguration).toBeUndefined();
  expect(properties.CapabilityConfigurationS3).toEqual({
    Bucket: 'cdk-hnb659fds-assets-123456789012-us-east-1',
    Key: expect.stringMatching(/^[0-9a-f]{64}\.json$/),
    TokenValues: [env.harness.resource('PlcUser').physicalId],
  });

  const device = env.emulator.sitewise.device(gatewayId, COLLECTOR);
  expect(device.syncStatus).toBe('IN_SYNC');
  expect(Buffer.byteLength(device.appliedConfiguration!)).toBeGreaterThan(300_000);
  const sources = appliedSources(gatewayId);
  expect(sources).toHaveLength(300);
  expect(sources[0].endpoint.identityProvider).toEqual({ type: 'Username', usernameSecretArn: env.harness.resource('PlcUser').physicalId });
  expect(device.appliedConfiguration).not.toContain('<<cdk-edge-sync:');

  const reads = env.emulator.requests.filter((r) => r.service === 's3');
  expect(reads.map((r) => [r.operation, r.status])).toEqual([['GetObject', 200]]);
  expect(largestWaiterInput()).toBeLessThan(WAITER_INPUT_LIMIT_BYTES / 16);
});

// The rollback Update runs before the policies are rolled back, under the new template's. The
// policy naming the previous object has a logical id of its own, deleted only in the cleanup.
lifecycleTest('an update the gateway rejects rolls back to the previous large document, read again from its object', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  const { apply, reject } = DeviceBehaviours;
  env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, [apply(5_000), reject(5_000), apply(5_000)]);
  expect((await env.harness.deploy(plantStack(gatewayId))).status).toBe('CREATE_COMPLETE');
  const original = env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration;

  const result = await env.harness.deploy(plantStack(gatewayId, { kilobytes: 310 }));
  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const device = env.emulator.sitewise.device(gatewayId, COLLECTOR);
  expect(device.appliedConfiguration).toBe(original);
  expect(device.syncStatus).toBe('IN_SYNC');
  // Create, the update and its rollback: each read its own object.
  const keys = env.emulator.requests.filter((r) => r.service === 's3' && r.status === 200).map((r) => r.path.split('/').pop());
  expect(keys).toHaveLength(3);
  expect(keys[2]).toBe(keys[0]);
  expect(keys[1]).not.toBe(keys[0]);
  // An update carries old and new properties: inline, two 300 KB documents would not fit.
  expect(largestWaiterInput()).toBeLessThan(WAITER_INPUT_LIMIT_BYTES / 16);
});

lifecycleTest('an update from a carried document to an inline one that the gateway rejects rolls back to the carried one', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  const { apply, reject } = DeviceBehaviours;
  env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, [apply(5_000), reject(5_000), apply(5_000)]);
  expect((await env.harness.deploy(plantStack(gatewayId))).status).toBe('CREATE_COMPLETE');
  // The new template carries nothing: its policy still lets onEvent read the previous object.
  const result = await env.harness.deploy(plantStack(gatewayId, { kilobytes: 10 }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(appliedSources(gatewayId)).toHaveLength(300);
});

// The cleanup Delete of the old gateway reads the reset document it was created with, under the new
// template's policies: the policy naming that object is deleted after it, in the same cleanup.
lifecycleTest('a move to another gateway with a new large reset document resets the old gateway with its previous one', async () => {
  const oldGateway = env.emulator.sitewise.createGateway();
  const newGateway = env.emulator.sitewise.createGateway();
  expect((await env.harness.deploy(plantStack(oldGateway, { resetKilobytes: 100 }))).status).toBe('CREATE_COMPLETE');
  const result = await env.harness.deploy(plantStack(newGateway, { resetKilobytes: 101 }));

  expect(result.status).toBe('UPDATE_COMPLETE');
  expect(result.events.filter((event) => event.status === 'DELETE_FAILED')).toEqual([]);
  expect(appliedSources(newGateway)).toHaveLength(300);
  expect(appliedSources(oldGateway)).toHaveLength(100);
});

// The rollback's cleanup deletes the new gateway's resource with the properties it was created
// with: its reset document is the new one, still readable until the new policy goes.
lifecycleTest('a move to a gateway that rejects the document rolls back, and the new gateway is reset with the new reset document', async () => {
  const oldGateway = env.emulator.sitewise.createGateway();
  const rejecting = env.emulator.sitewise.createGateway();
  env.emulator.sitewise.scriptDevice(rejecting, COLLECTOR, [DeviceBehaviours.reject(5_000), DeviceBehaviours.apply(5_000)]);
  expect((await env.harness.deploy(plantStack(oldGateway, { resetKilobytes: 100 }))).status).toBe('CREATE_COMPLETE');
  const result = await env.harness.deploy(plantStack(rejecting, { kilobytes: 301, resetKilobytes: 101 }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(result.events.filter((event) => event.status === 'DELETE_FAILED')).toEqual([]);
  expect(appliedSources(oldGateway)).toHaveLength(300);
  expect(appliedSources(rejecting)).toHaveLength(101);
});

lifecycleTest('moving between an inline and a carried document works both ways, and delete resets the gateway', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  env.emulator.sitewise.scriptDevice(gatewayId, COLLECTOR, [DeviceBehaviours.apply(5_000)]);
  expect((await env.harness.deploy(plantStack(gatewayId, { kilobytes: 10 }))).status).toBe('CREATE_COMPLETE');
  expect(env.harness.resource('Collector').properties.CapabilityConfigurationS3).toBeUndefined();
  expect(appliedSources(gatewayId)).toHaveLength(10);

  expect((await env.harness.deploy(plantStack(gatewayId))).status).toBe('UPDATE_COMPLETE');
  expect(appliedSources(gatewayId)).toHaveLength(300);

  expect((await env.harness.deploy(plantStack(gatewayId, { kilobytes: 10 }))).status).toBe('UPDATE_COMPLETE');
  expect(appliedSources(gatewayId)).toHaveLength(10);

  expect((await env.harness.destroy()).status).toBe('DELETE_COMPLETE');
  expect(env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration).toBe('{"sources":[]}');
});

lifecycleTest('an object missing from the bucket fails the create at once with the handler\'s reason', async () => {
  const gatewayId = env.emulator.sitewise.createGateway();
  const synthesized = synthesizeStack(plantStack(gatewayId));
  const collector = Object.values<any>(synthesized.template.Resources).find((r) => r.Type === 'Custom::EdgeSyncGatewayCapabilityConfiguration');
  const documentKey = collector.Properties.CapabilityConfigurationS3.Key;
  // As if the object had been removed since it was published (a lifecycle rule, `cdk gc`).
  const result = await env.harness.deploy({ ...synthesized, fileAssets: synthesized.fileAssets.filter((asset) => asset.objectKey !== documentKey) });

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  // S3 answers 403 AccessDenied, not 404 NoSuchKey, to a reader without s3:ListBucket on the bucket,
  // which the handler has no need for.
  expect(failureReason(result.events, 'Collector'))
    .toContain(`Could not read CapabilityConfigurationS3 from s3://cdk-hnb659fds-assets-123456789012-us-east-1/${documentKey}: AccessDenied`);
  expect(env.emulator.requests.filter((r) => r.operation === 'UpdateGatewayCapabilityConfiguration')).toHaveLength(0);
});
