/**
 * End to end: exact S3 grants at scale. 41 carried documents take two managed policies; an update
 * and its rollback attach the old and the new ones at once, within IAM's quotas, which the
 * harness enforces. Time runs only 10x: 41 handlers run at once, each reading and writing a
 * 70 KB document, and their Lambda timeouts are simulated time.
 */
import { App, Stack } from 'aws-cdk-lib';
import { GatewayCapabilityConfiguration, OpcUaCollectorConfiguration } from '../../src';
import { DeviceBehaviours } from '../support/emulator';
import { useEdgeEnvironment } from '../support/lifecycle';
import { largeCollectorSources } from '../support/scale-stack';

const COLLECTOR = 'iotsitewise:opcuacollector:3';
const { env, lifecycleTest } = useEdgeEnvironment({ scale: 10 });

function appliedSources(gatewayId: string): any[] {
  return JSON.parse(env.emulator.sitewise.device(gatewayId, COLLECTOR).appliedConfiguration ?? '{}').sources ?? [];
}

/** A stack of one collector per gateway, each with its own document of about 70 KB (carried); `changed` gets one source more. */
function fleetStack(gatewayIds: readonly string[], changed?: string): Stack {
  const stack = new Stack(new App(), 'Plant');
  gatewayIds.forEach((gatewayId, line) => {
    const configuration = OpcUaCollectorConfiguration.v3({ sources: largeCollectorSources(gatewayId === changed ? 71 : 70, line) });
    new GatewayCapabilityConfiguration(stack, `Collector${line}`, { gatewayId, configuration });
  });
  return stack;
}

lifecycleTest('41 carried documents: an update the gateway rejects rolls back, reading every previous object under exact grants', async () => {
  const gatewayIds = Array.from({ length: 41 }, () => env.emulator.sitewise.createGateway());
  const rejecting = gatewayIds[17];
  const { apply, reject } = DeviceBehaviours;
  env.emulator.sitewise.scriptDevice(rejecting, COLLECTOR, [apply(2_000), reject(2_000), apply(2_000)]);
  expect((await env.harness.deploy(fleetStack(gatewayIds))).status).toBe('CREATE_COMPLETE');
  const managedPolicies = () => env.harness.resources().filter((r) => r.type === 'AWS::IAM::ManagedPolicy');
  expect(managedPolicies()).toHaveLength(2);
  const before = managedPolicies().map((r) => r.logicalId).sort();

  const result = await env.harness.deploy(fleetStack(gatewayIds, rejecting));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(appliedSources(rejecting)).toHaveLength(70);
  expect(managedPolicies().map((r) => r.logicalId).sort()).toEqual(before);
  const statements = managedPolicies().flatMap((r) => (r.properties as any).PolicyDocument.Statement);
  expect(statements.flatMap((statement) => statement.Resource)).toHaveLength(41);
  expect(statements.flatMap((statement) => statement.Resource).every((arn: string) => /\/[0-9a-f]{64}\.json$/.test(arn))).toBe(true);
});
