import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { GetDataflowEndpointGroupCommand } from '@aws-sdk/client-groundstation';
import { agentEndpoints, groundStationClient } from '../../lambda/ground-station/ground-station';

// What the Ground Station SDK the handler bundle is built with (3.523, older than
// CreateDataflowEndpointGroupV2) makes of a V2 group's GetDataflowEndpointGroup answer: no mock,
// the real client and deserializer against a local server that answers the raw JSON a current
// service sends, with members and a union member (`dataflowDetails`) newer than the model.
const GROUP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ranged = { socketAddress: { name: '203.0.113.10', portRange: { minimum: 42000, maximum: 42100 } }, mtu: 1500 };
const customer = { socketAddress: { name: '10.0.0.10', port: 55000 } };
const ANSWER = {
  dataflowEndpointGroupId: GROUP_ID,
  dataflowEndpointGroupArn: `arn:aws:groundstation:us-east-1:123456789012:dataflow-endpoint-group/${GROUP_ID}`,
  endpointsDetails: [
    {
      uplinkAwsGroundStationAgentEndpoint: {
        name: 'uplink-1',
        dataflowDetails: { agentConnectionDetails: { ingressAddressAndPort: customer, agentIpAndPortAddress: ranged } },
        agentStatus: 'SUCCESS',
        auditResults: 'HEALTHY',
      },
      healthStatus: 'HEALTHY',
      healthReasons: ['HEALTHY'],
    },
    {
      downlinkAwsGroundStationAgentEndpoint: {
        name: 'downlink-1',
        // A union member no model has yet: a newer SDK built from a newer model would show it as `$unknown`.
        dataflowDetails: { someFutureConnectionDetails: { address: '203.0.113.11' } },
        agentStatus: 'FAILED',
        auditResults: 'UNHEALTHY',
        someFutureMember: 1,
      },
      healthStatus: 'UNHEALTHY',
      healthReasons: ['DATAPLANE_FAILURE'],
    },
  ],
  tags: {},
};

let server: Server;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((request, response) => {
    response.writeHead(request.url === `/dataflowEndpointGroup/${GROUP_ID}` ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(ANSWER));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
});
afterAll(async () => {
  groundStationClient().destroy();
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

test('the 3.523 deserializer passes the V2 members through as JSON, unknown union members included (no $unknown)', async () => {
  const group = await groundStationClient().send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: GROUP_ID }));
  expect(group.endpointsDetails).toEqual(ANSWER.endpointsDetails);
});

test('the handler reads the uplink and downlink endpoints with their agent status, audit results and health', async () => {
  expect(await agentEndpoints(GROUP_ID)).toEqual([
    { name: 'uplink-1', healthStatus: 'HEALTHY', healthReasons: ['HEALTHY'], agentStatus: 'SUCCESS', auditResults: 'HEALTHY' },
    { name: 'downlink-1', healthStatus: 'UNHEALTHY', healthReasons: ['DATAPLANE_FAILURE'], agentStatus: 'FAILED', auditResults: 'UNHEALTHY' },
  ]);
});
