/**
 * End to end: the drift monitor on a Ground Station readiness gate, when the agent that made the
 * deploy succeed stops reporting. Time runs 60x.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as groundstation from 'aws-cdk-lib/aws-groundstation';
import { DataflowEndpointGroupReadiness, EdgeSyncMonitor } from '../../src';
import { EdgeEnvironment, startEdgeEnvironment } from '../support/edge-environment';
import { DEFAULT_AGENT_SILENCE_MS, GroundStationAgentScripts } from '../support/emulator';
import { lifecycleTests } from '../support/lifecycle';

let env: EdgeEnvironment | undefined;
const lifecycleTest = lifecycleTests(() => env!);
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

function receiverStack(): Stack {
  const stack = new Stack(new App(), 'Receiver');
  EdgeSyncMonitor.enable(stack, { remediate: true });
  const group = new groundstation.CfnDataflowEndpointGroup(stack, 'EndpointGroup', {
    endpointDetails: [{
      awsGroundStationAgentEndpoint: {
        name: 'receiver-1',
        ingressAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000, maximum: 42050 } } },
        egressAddress: { socketAddress: { name: '127.0.0.1', port: 55000 } },
      },
    }],
  });
  new DataflowEndpointGroupReadiness(stack, 'AgentReady', { dataflowEndpointGroup: group });
  return stack;
}

lifecycleTest('an agent that stops reporting is reported: Ready 0, Drifted 1 and an event, never remediated', async () => {
  env = await startEdgeEnvironment({ scale: 60, groundStationAgent: () => GroundStationAgentScripts.healthyAfter(5_000, 10_000) });
  expect((await env.harness.deploy(receiverStack())).status).toBe('CREATE_COMPLETE');

  const [ready] = await env.harness.runSchedule();
  expect(ready.result).toMatchObject({ checked: 1, drifted: 0, outOfSync: 0 });
  const metric = (name: string) => env!.harness.metrics('EdgeSyncMonitorHandler').filter((m) => m.name === name).at(-1)?.value;
  expect(metric('Ready')).toBe(1);

  const agentId = env.emulator.groundStation.agents()[0].agentId;
  env.emulator.groundStation.silenceAgentOutOfBand(agentId);
  await env.agents[0].stop();
  await env.clock.sleep(DEFAULT_AGENT_SILENCE_MS + 1_000);

  const [silent] = await env.harness.runSchedule();
  expect(silent.result).toMatchObject({ checked: 1, drifted: 1, outOfSync: 1, remediated: {} });
  expect(metric('Ready')).toBe(0);
  expect(metric('Drifted')).toBe(1);
  const [event] = env.emulator.eventBridge.received();
  expect(event.detail).toMatchObject({
    constructPath: 'Receiver/AgentReady',
    remediation: 'none: Ground Station is never remediated',
    status: 'receiver-1: UNHEALTHY [NO_REGISTERED_AGENT]',
    paths: ['/endpoints/receiver-1'],
  });
});
