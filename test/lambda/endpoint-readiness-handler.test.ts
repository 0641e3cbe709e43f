import {
  DependencyException,
  GetDataflowEndpointGroupCommand,
  GroundStationClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-groundstation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { context, customResourceRequest, runHandlers, useFakeClock } from './events';
import { onEvent } from '../../lambda';
import { agentEndpointViews } from '../../lambda/ground-station/ground-station';
import { endpointAttributes, judgeEndpoint } from '../../lambda/ground-station/readiness';
import { MAX_REASON_BYTES } from '../../lambda/shared/errors';
import { OnEventRequest } from '../../lambda/shared/types';

// The Ground Station client (3.523, the newest this registry has) predates the mock library's types.
const gs = mockClient(GroundStationClient as any);
const GetGroup = GetDataflowEndpointGroupCommand as any;
const START = Date.parse('2026-11-21T10:00:00Z');
const GROUP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function request(RequestType: OnEventRequest['RequestType'], overrides: Record<string, string> = {}): OnEventRequest {
  return customResourceRequest(RequestType, {
    ResourceType: 'Custom::EdgeSyncDataflowEndpointGroupReadiness',
    LogicalResourceId: 'Ready',
    ResourceProperties: { ServiceToken: 'arn', DataflowEndpointGroupId: GROUP_ID, RequireHealthyAudit: 'false', TimeoutSeconds: '1200', ...overrides },
    PhysicalResourceId: GROUP_ID,
  });
}

interface EndpointState {
  readonly name: string;
  readonly healthStatus?: string;
  readonly healthReasons?: string[];
  readonly agentStatus?: string;
  readonly auditResults?: string;
}

function group(...endpoints: EndpointState[]): any {
  return {
    dataflowEndpointGroupId: GROUP_ID,
    endpointsDetails: endpoints.map((e) => ({
      awsGroundStationAgentEndpoint: {
        name: e.name,
        egressAddress: { socketAddress: { name: '10.0.0.10', port: 55000 } },
        ingressAddress: { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000, maximum: 42100 } } },
        agentStatus: e.agentStatus as any,
        auditResults: e.auditResults as any,
      },
      healthStatus: e.healthStatus as any,
      healthReasons: e.healthReasons as any,
    })),
  };
}

/**
 * A V2 group (CreateDataflowEndpointGroupV2) as GetDataflowEndpointGroup answers it: the first
 * endpoint an uplink agent endpoint, the others downlink ones, in the members the 3.523 SDK has no
 * types for (its deserializer passes them through: see the SDK test below).
 */
function groupV2(...endpoints: EndpointState[]): any {
  const ranged = { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000, maximum: 42100 } } };
  const customer = { socketAddress: { name: '10.0.0.10', port: 55000 } };
  return {
    dataflowEndpointGroupId: GROUP_ID,
    endpointsDetails: endpoints.map((e, i) => ({
      [i === 0 ? 'uplinkAwsGroundStationAgentEndpoint' : 'downlinkAwsGroundStationAgentEndpoint']: {
        name: e.name,
        dataflowDetails: {
          agentConnectionDetails: i === 0
            ? { ingressAddressAndPort: customer, agentIpAndPortAddress: ranged }
            : { agentIpAndPortAddress: ranged, egressAddressAndPort: customer },
        },
        agentStatus: e.agentStatus,
        auditResults: e.auditResults,
      },
      healthStatus: e.healthStatus,
      healthReasons: e.healthReasons,
    })),
  };
}

const NO_AGENT = { name: 'rx-1', healthStatus: 'UNHEALTHY', healthReasons: ['NO_REGISTERED_AGENT'] };
const INITIALIZING = { name: 'rx-1', healthStatus: 'UNHEALTHY', healthReasons: ['INITIALIZING_DATAPLANE'] };
const HEALTHY = { name: 'rx-1', healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'], agentStatus: 'SUCCESS', auditResults: 'HEALTHY' };

useFakeClock(START, () => gs.reset());

const run = async (event: OnEventRequest, remainingMs?: number) => (await runHandlers(event, remainingMs)).complete;

test('waits through NO_REGISTERED_AGENT and INITIALIZING_DATAPLANE until every agent endpoint is ready', async () => {
  gs.on(GetGroup)
    .resolvesOnce(group(NO_AGENT, { ...NO_AGENT, name: 'rx-2' }))
    .resolvesOnce(group(INITIALIZING, { ...NO_AGENT, name: 'rx-2' }))
    .resolvesOnce(group(HEALTHY, { ...INITIALIZING, name: 'rx-2' }))
    .resolves(group(HEALTHY, { ...HEALTHY, name: 'rx-2', agentStatus: 'ACTIVE' }));
  const result = await run(request('Create'));
  expect(result).toEqual({
    IsComplete: true,
    Data: { EndpointCount: '2', EndpointStatuses: '{"rx-1":"HEALTHY/SUCCESS","rx-2":"HEALTHY/ACTIVE"}', OmittedEndpointCount: '0' },
  });
  expect(gs).toHaveReceivedCommandTimes(GetGroup, 4);
  expect(gs).toHaveReceivedCommandWith(GetGroup, { dataflowEndpointGroupId: GROUP_ID });
});

test('UNVERIFIED_IP_OWNERSHIP keeps waiting', async () => {
  gs.on(GetGroup)
    .resolvesOnce(group({ name: 'rx-1', healthStatus: 'UNHEALTHY', healthReasons: ['UNVERIFIED_IP_OWNERSHIP'] }))
    .resolves(group(HEALTHY));
  expect((await run(request('Create'))).IsComplete).toBe(true);
});

test.each(['INVALID_IP_OWNERSHIP', 'NOT_AUTHORIZED_TO_CREATE_SLR', 'DATAPLANE_FAILURE'])('%s fails at once, naming the endpoint', async (reason) => {
  gs.on(GetGroup).resolves(group(HEALTHY, { name: 'rx-2', healthStatus: 'UNHEALTHY', healthReasons: [reason] }));
  await expect(run(request('Create'))).rejects.toThrow(
    `1 AWS Ground Station Agent endpoint of dataflow endpoint group ${GROUP_ID} cannot become ready: rx-2: UNHEALTHY [${reason}]`,
  );
  expect(gs).toHaveReceivedCommandTimes(GetGroup, 1);
});

test('a group without any AWS Ground Station Agent endpoint fails at once: nothing can report it ready', async () => {
  gs.on(GetGroup).resolves({ dataflowEndpointGroupId: GROUP_ID, endpointsDetails: [{ endpoint: { name: 'downlink', status: 'created' } }] } as any);
  await expect(run(request('Create'))).rejects.toThrow(
    `Dataflow endpoint group ${GROUP_ID} has no AWS Ground Station Agent endpoint, so no agent can report it ready.`,
  );
  expect(gs).toHaveReceivedCommandTimes(GetGroup, 1);
});

test('an agent reporting FAILED fails at once', async () => {
  gs.on(GetGroup).resolves(group({ ...HEALTHY, agentStatus: 'FAILED', auditResults: 'UNHEALTHY' }));
  await expect(run(request('Create'))).rejects.toThrow('cannot become ready: rx-1: HEALTHY [HEALTHY], agent FAILED, audit UNHEALTHY');
});

test('an agent that never registers fails at the timeout with the reasons per endpoint', async () => {
  gs.on(GetGroup).resolves(group(NO_AGENT, { ...INITIALIZING, name: 'rx-2' }));
  await expect(run(request('Create', { TimeoutSeconds: '120' }), 900_000)).rejects.toThrow(
    `Timed out after 2 minutes waiting for the AWS Ground Station Agent endpoints of dataflow endpoint group ${GROUP_ID} to be ready; ` +
    'last seen: rx-1: UNHEALTHY [NO_REGISTERED_AGENT]; rx-2: UNHEALTHY [INITIALIZING_DATAPLANE]',
  );
});

test('configured agent statuses and a required healthy audit hold the gate', async () => {
  gs.on(GetGroup)
    .resolvesOnce(group({ ...HEALTHY, agentStatus: 'INACTIVE' }))
    .resolvesOnce(group({ ...HEALTHY, agentStatus: 'ACTIVE', auditResults: undefined }))
    .resolves(group({ ...HEALTHY, agentStatus: 'ACTIVE' }));
  const result = await run(request('Create', { ReadyAgentStatuses: '["ACTIVE"]', RequireHealthyAudit: 'true' }));
  expect(result.IsComplete).toBe(true);
  expect(gs).toHaveReceivedCommandTimes(GetGroup, 3);
});

test('a group that does not exist fails at once', async () => {
  gs.on(GetGroup).rejects(new ResourceNotFoundException({ message: 'Dataflow endpoint group not found', $metadata: { httpStatusCode: 434 } }));
  await expect(run(request('Create'))).rejects.toThrow(`Could not read dataflow endpoint group ${GROUP_ID}: ResourceNotFoundException: Dataflow endpoint group not found`);
});

test('DependencyException (531) and throttling are retried', async () => {
  gs.on(GetGroup)
    .rejectsOnce(new DependencyException({ message: 'Dependency failed', $metadata: { httpStatusCode: 531 } }))
    .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))
    .resolves(group(HEALTHY));
  expect((await run(request('Create'))).IsComplete).toBe(true);
  expect(gs).toHaveReceivedCommandTimes(GetGroup, 3);
});

test('delete does nothing to AWS', async () => {
  expect(await run(request('Delete'))).toEqual({ IsComplete: true });
  expect(gs.calls()).toHaveLength(0);
});

test.each([
  ['DataflowEndpointGroupId', 'group-1', 'Invalid property: dataflowEndpointGroupId must be a dataflow endpoint group id'],
  ['TimeoutSeconds', '3301', 'Invalid property: timeout must be a whole number of seconds from 1 second to 55 minutes, got 3301 seconds'],
  ['ReadyAgentStatuses', '["FAILED"]', 'Invalid property: readyAgentStatuses must be a list of SUCCESS, ACTIVE, INACTIVE, got ["FAILED"]'],
])('checks %s resolved from a token', async (name, value, message) => {
  await expect(onEvent(request('Create', { [name]: value }), context())).rejects.toThrow(message);
});

test('attributes for 500 endpoints stay within their budget, saying how many were left out', () => {
  const endpoints = Array.from({ length: 500 }, (_, i) => ({ name: `receiver-${String(i).padStart(3, '0')}`, healthStatus: 'HEALTHY', agentStatus: 'SUCCESS' }));
  const attributes = endpointAttributes(endpoints);
  const shown = Object.keys(JSON.parse(attributes.EndpointStatuses)).length;
  expect(Buffer.byteLength(attributes.EndpointStatuses)).toBeLessThanOrEqual(2_000);
  expect(Buffer.byteLength(JSON.stringify(attributes))).toBeLessThan(3_000);
  expect(attributes.EndpointCount).toBe('500');
  expect(Number(attributes.OmittedEndpointCount)).toBe(500 - shown);
  expect(shown).toBeGreaterThan(50);
});

test('a failure reason for 500 failing endpoints stays short', async () => {
  const endpoints = Array.from({ length: 500 }, (_, i) => ({ name: `receiver-${i}`, healthStatus: 'UNHEALTHY', healthReasons: ['DATAPLANE_FAILURE'] }));
  gs.on(GetGroup).resolves(group(...endpoints));
  const error: Error = await run(request('Create')).catch((e) => e);
  expect(error.message).toMatch(/^500 AWS Ground Station Agent endpoints .* cannot become ready: receiver-0: UNHEALTHY \[DATAPLANE_FAILURE\]; .*; and \d+ more$/);
  expect(Buffer.byteLength(error.message)).toBeLessThanOrEqual(MAX_REASON_BYTES);
});

describe('V2 groups: uplink and downlink AWS Ground Station Agent endpoints are judged like V1 ones', () => {
  const UPLINK = { ...HEALTHY, name: 'uplink-1' };
  const DOWNLINK = { ...HEALTHY, name: 'downlink-1' };

  test('waits through NO_REGISTERED_AGENT and INITIALIZING_DATAPLANE until both are ready', async () => {
    gs.on(GetGroup)
      .resolvesOnce(groupV2({ ...NO_AGENT, name: 'uplink-1' }, { ...NO_AGENT, name: 'downlink-1' }))
      .resolvesOnce(groupV2(UPLINK, { ...INITIALIZING, name: 'downlink-1' }))
      .resolves(groupV2(UPLINK, { ...DOWNLINK, agentStatus: 'ACTIVE' }));
    expect(await run(request('Create'))).toEqual({
      IsComplete: true,
      Data: { EndpointCount: '2', EndpointStatuses: '{"uplink-1":"HEALTHY/SUCCESS","downlink-1":"HEALTHY/ACTIVE"}', OmittedEndpointCount: '0' },
    });
    expect(gs).toHaveReceivedCommandTimes(GetGroup, 3);
  });

  test('UNVERIFIED_IP_OWNERSHIP keeps waiting', async () => {
    gs.on(GetGroup)
      .resolvesOnce(groupV2(UPLINK, { name: 'downlink-1', healthStatus: 'UNHEALTHY', healthReasons: ['UNVERIFIED_IP_OWNERSHIP'] }))
      .resolves(groupV2(UPLINK, DOWNLINK));
    expect((await run(request('Create'))).IsComplete).toBe(true);
    expect(gs).toHaveReceivedCommandTimes(GetGroup, 2);
  });

  test.each(['INVALID_IP_OWNERSHIP', 'NOT_AUTHORIZED_TO_CREATE_SLR', 'DATAPLANE_FAILURE'])('%s fails at once, naming the endpoint', async (reason) => {
    gs.on(GetGroup).resolves(groupV2(UPLINK, { name: 'downlink-1', healthStatus: 'UNHEALTHY', healthReasons: [reason] }));
    await expect(run(request('Create'))).rejects.toThrow(
      `1 AWS Ground Station Agent endpoint of dataflow endpoint group ${GROUP_ID} cannot become ready: downlink-1: UNHEALTHY [${reason}]`,
    );
    expect(gs).toHaveReceivedCommandTimes(GetGroup, 1);
  });

  test('an agent reporting FAILED on the uplink endpoint fails at once, with its status and audit', async () => {
    gs.on(GetGroup).resolves(groupV2({ ...UPLINK, agentStatus: 'FAILED', auditResults: 'UNHEALTHY' }, DOWNLINK));
    await expect(run(request('Create'))).rejects.toThrow('cannot become ready: uplink-1: HEALTHY [HEALTHY], agent FAILED, audit UNHEALTHY');
    expect(gs).toHaveReceivedCommandTimes(GetGroup, 1);
  });

  test('an agent that never registers fails at the timeout with the reasons per endpoint', async () => {
    gs.on(GetGroup).resolves(groupV2({ ...NO_AGENT, name: 'uplink-1' }, { ...INITIALIZING, name: 'downlink-1' }));
    await expect(run(request('Create', { TimeoutSeconds: '120' }), 900_000)).rejects.toThrow(
      'last seen: uplink-1: UNHEALTHY [NO_REGISTERED_AGENT]; downlink-1: UNHEALTHY [INITIALIZING_DATAPLANE]',
    );
  });

  test('configured agent statuses and a required healthy audit read the V2 agentStatus and auditResults', async () => {
    gs.on(GetGroup)
      .resolvesOnce(groupV2(UPLINK, { ...DOWNLINK, agentStatus: 'INACTIVE' }))
      .resolvesOnce(groupV2(UPLINK, { ...DOWNLINK, auditResults: undefined }))
      .resolves(groupV2(UPLINK, DOWNLINK));
    const result = await run(request('Create', { ReadyAgentStatuses: '["SUCCESS"]', RequireHealthyAudit: 'true' }));
    expect(result.IsComplete).toBe(true);
    expect(gs).toHaveReceivedCommandTimes(GetGroup, 3);
  });

  test('agentEndpointViews: every kind of agent endpoint, in group order; dataflow endpoints and unknown members left out', () => {
    const views = agentEndpointViews([
      { awsGroundStationAgentEndpoint: { name: 'v1', agentStatus: 'ACTIVE' }, healthStatus: 'HEALTHY' },
      { endpoint: { name: 'classic' } } as any,
      { uplinkAwsGroundStationAgentEndpoint: { name: 'up', auditResults: 'HEALTHY' }, healthStatus: 'UNHEALTHY', healthReasons: ['INITIALIZING_DATAPLANE'] },
      { futureAgentEndpoint: { name: 'future' } } as any,
      { downlinkAwsGroundStationAgentEndpoint: {} },
      { uplinkAwsGroundStationAgentEndpoint: null } as any,
    ]);
    expect(views).toEqual([
      { name: 'v1', healthStatus: 'HEALTHY', healthReasons: undefined, agentStatus: 'ACTIVE', auditResults: undefined },
      { name: 'up', healthStatus: 'UNHEALTHY', healthReasons: ['INITIALIZING_DATAPLANE'], agentStatus: undefined, auditResults: 'HEALTHY' },
      { name: 'downlink agent endpoint 3', healthStatus: undefined, healthReasons: undefined, agentStatus: undefined, auditResults: undefined },
    ]);
  });
});

test('judgeEndpoint: no status reported yet is ready by default once healthy', () => {
  const settings = { groupId: GROUP_ID, requireHealthyAudit: false, timeoutMs: 1 };
  expect(judgeEndpoint({ name: 'a', healthStatus: 'HEALTHY' }, settings).state).toBe('ready');
  expect(judgeEndpoint({ name: 'a', healthStatus: 'HEALTHY', auditResults: 'UNHEALTHY' }, settings).state).toBe('waiting');
  expect(judgeEndpoint({ name: 'a', healthStatus: 'HEALTHY' }, { ...settings, readyAgentStatuses: ['SUCCESS'] }).state).toBe('waiting');
});
