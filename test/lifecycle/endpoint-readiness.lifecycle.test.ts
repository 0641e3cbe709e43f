/**
 * End to end: the readiness gate's bundled handler against the local Ground Station endpoint,
 * while a simulated AWS Ground Station Agent registers and reports through the SDK. Time runs 60x.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as groundstation from 'aws-cdk-lib/aws-groundstation';
import { DataflowEndpointGroupReadiness } from '../../src';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { GroundStationAgentScript, GroundStationAgentScripts } from '../support/emulator';
import { StackEvent } from '../support/harness';
import { lifecycleTests } from '../support/lifecycle';
import { failureReason } from '../support/stack-events';

let env: EdgeEnvironment | undefined;
const lifecycleTest = lifecycleTests(() => env!);
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** The environment, with an agent following `script` for every endpoint group the stack creates. */
async function withAgent(script: GroundStationAgentScript | undefined): Promise<EdgeEnvironment> {
  env = await startEdgeEnvironment({ scale: 60, groundStationAgent: () => script });
  return env;
}

function receiverStack(timeout?: Duration, endpoints: number = 1): Stack {
  const stack = new Stack(new App(), 'Receiver');
  const group = new groundstation.CfnDataflowEndpointGroup(stack, 'EndpointGroup', {
    endpointDetails: Array.from({ length: endpoints }, (_, i) => ({
      awsGroundStationAgentEndpoint: {
        name: `receiver-${i + 1}`,
        ingressAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000 + i * 100, maximum: 42050 + i * 100 } } },
        egressAddress: { socketAddress: { name: '127.0.0.1', port: 55000 + i } },
      },
    })),
  });
  new DataflowEndpointGroupReadiness(stack, 'AgentReady', { dataflowEndpointGroup: group, timeout });
  return stack;
}

/** A receiver with a V2 group: one uplink and one downlink AWS Ground Station Agent endpoint. */
function receiverStackV2(timeout?: Duration): Stack {
  const stack = new Stack(new App(), 'Receiver');
  const group = new groundstation.CfnDataflowEndpointGroupV2(stack, 'EndpointGroup', {
    endpoints: [
      {
        uplinkAwsGroundStationAgentEndpoint: {
          name: 'uplink-1',
          dataflowDetails: {
            agentConnectionDetails: {
              ingressAddressAndPort: { socketAddress: { name: '127.0.0.1', port: 50000 } },
              agentIpAndPortAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000, maximum: 42050 } } },
            },
          },
        },
      },
      {
        downlinkAwsGroundStationAgentEndpoint: {
          name: 'downlink-1',
          dataflowDetails: {
            agentConnectionDetails: {
              agentIpAndPortAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 43000, maximum: 43050 } } },
              egressAddressAndPort: { socketAddress: { name: '127.0.0.1', port: 55000 } },
            },
          },
        },
      },
    ],
  });
  new DataflowEndpointGroupReadiness(stack, 'AgentReady', { dataflowEndpointGroup: group, timeout });
  return stack;
}

const reason = (events: readonly StackEvent[]) => failureReason(events, 'AgentReady');

lifecycleTest('an agent that registers after a delay and reports healthy releases the deploy', async () => {
  const { harness, emulator } = await withAgent(GroundStationAgentScripts.healthyAfter(20_000, 30_000));
  const result = await harness.deploy(receiverStack());

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(harness.resource('AgentReady').attributes).toEqual({ EndpointCount: '1', EndpointStatuses: '{"receiver-1":"HEALTHY/SUCCESS"}', OmittedEndpointCount: '0' });
  const healthy = emulator.eventsOf('groundstation').find((e) => e.to.startsWith('HEALTHY'))!;
  const response = harness.responses.find((r) => r.logicalResourceId.startsWith('AgentReady') && r.requestType === 'Create')!;
  expect(response.at).toBeGreaterThanOrEqual(healthy.at);
  // The agent went through the states the gate waits on.
  expect(emulator.eventsOf('groundstation').map((e) => e.to)).toEqual(expect.arrayContaining([
    'UNHEALTHY[INITIALIZING_DATAPLANE]', 'HEALTHY[HEALTHY]/SUCCESS',
  ]));
});

lifecycleTest('an agent that never registers fails at the timeout with NO_REGISTERED_AGENT per endpoint', async () => {
  const { harness } = await withAgent(undefined);
  const result = await harness.deploy(receiverStack(Duration.minutes(3), 2));

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toContain(
    'to be ready; last seen: receiver-1: UNHEALTHY [NO_REGISTERED_AGENT]; receiver-2: UNHEALTHY [NO_REGISTERED_AGENT]',
  );
  expect(reason(result.events)).toMatch(/Timed out after 3 minutes waiting for the AWS Ground Station Agent endpoints of dataflow endpoint group [0-9a-f-]{36}/);
});

lifecycleTest('a data plane failure fails the deploy at once', async () => {
  const { harness } = await withAgent(GroundStationAgentScripts.dataPlaneFailure(10_000));
  const result = await harness.deploy(receiverStack());

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toMatch(/cannot become ready: receiver-1: UNHEALTHY \[DATAPLANE_FAILURE\]/);
  const failed = result.events.find((e) => e.status === 'CREATE_FAILED')!;
  expect(failed.at - result.events[0].at).toBeLessThan(5 * 60_000);
});

lifecycleTest('an agent reporting FAILED fails the deploy at once', async () => {
  const { harness } = await withAgent(GroundStationAgentScripts.aggregateFailed(10_000));
  const result = await harness.deploy(receiverStack());

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toMatch(/cannot become ready: receiver-1: UNHEALTHY \[DATAPLANE_FAILURE\], agent FAILED, audit UNHEALTHY/);
});

lifecycleTest('an IP ownership the service cannot confirm keeps the gate waiting; an invalid one fails it', async () => {
  const { harness, emulator } = await withAgent(GroundStationAgentScripts.healthyAfter(5_000, 5_000));
  const deploy = harness.deploy(receiverStack(Duration.minutes(10)));
  // Once the group exists, the service reports the ingress address unverified, then invalid.
  while (emulator.groundStation.groupIds().length === 0) await emulator.clock.sleep(1_000);
  const [groupId] = emulator.groundStation.groupIds();
  emulator.groundStation.setEndpointHealthOverride(groupId, 'receiver-1', { healthReasons: ['UNVERIFIED_IP_OWNERSHIP'], durationMs: 60_000 });
  await emulator.clock.sleep(30_000);
  expect(harness.events.some((e) => e.status === 'CREATE_FAILED')).toBe(false);
  emulator.groundStation.setEndpointHealthOverride(groupId, 'receiver-1', { healthReasons: ['INVALID_IP_OWNERSHIP'] });
  const result = await deploy;

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toContain('cannot become ready: receiver-1: UNHEALTHY [INVALID_IP_OWNERSHIP]');
});

lifecycleTest('destroy does nothing in AWS for the gate: only the endpoint group resource is deleted', async () => {
  const { harness, emulator } = await withAgent(GroundStationAgentScripts.healthyAfter(1_000, 1_000));
  await harness.deploy(receiverStack());
  const gsCalls = () => emulator.requests.filter((r) => r.service === 'groundstation' && r.operation === 'GetDataflowEndpointGroup').length;
  const before = gsCalls();
  const result = await harness.destroy();

  expect(result.status).toBe('DELETE_COMPLETE');
  expect(gsCalls()).toBe(before);
});

lifecycleTest('a V2 group: the agent of its uplink and downlink endpoints reports healthy, and the deploy is released', async () => {
  const { harness, emulator } = await withAgent(GroundStationAgentScripts.healthyAfter(20_000, 30_000));
  const result = await harness.deploy(receiverStackV2());

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(emulator.groundStation.group(harness.resource('EndpointGroup').physicalId)?.createdWith).toBe('CreateDataflowEndpointGroupV2');
  expect(harness.resource('AgentReady').attributes).toEqual({
    EndpointCount: '2', EndpointStatuses: '{"uplink-1":"HEALTHY/SUCCESS","downlink-1":"HEALTHY/SUCCESS"}', OmittedEndpointCount: '0',
  });
  const healthy = emulator.eventsOf('groundstation').filter((e) => e.to.startsWith('HEALTHY'));
  expect(healthy.map((e) => e.endpointName).sort()).toEqual(['downlink-1', 'uplink-1']);
  const response = harness.responses.find((r) => r.logicalResourceId.startsWith('AgentReady') && r.requestType === 'Create')!;
  expect(response.at).toBeGreaterThanOrEqual(Math.max(...healthy.map((e) => e.at)));
});

lifecycleTest('a V2 group whose agent reports FAILED fails the deploy at once, naming its endpoints', async () => {
  const { harness } = await withAgent(GroundStationAgentScripts.aggregateFailed(10_000));
  const result = await harness.deploy(receiverStackV2());

  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(reason(result.events)).toMatch(
    /2 AWS Ground Station Agent endpoints of dataflow endpoint group [0-9a-f-]{36} cannot become ready: uplink-1: UNHEALTHY \[DATAPLANE_FAILURE\], agent FAILED, audit UNHEALTHY; downlink-1: UNHEALTHY \[DATAPLANE_FAILURE\], agent FAILED, audit UNHEALTHY/,
  );
  const failed = result.events.find((e) => e.status === 'CREATE_FAILED')!;
  expect(failed.at - result.events[0].at).toBeLessThan(5 * 60_000);
});
