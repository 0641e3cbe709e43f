import { GetDataflowEndpointGroupCommand, GroundStationClient } from '@aws-sdk/client-groundstation';
import {
  DescribeGatewayCapabilityConfigurationCommand, IoTSiteWiseClient, ListGatewaysCommand, ResourceNotFoundException as GatewayNotFound,
  UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import {
  DescribeEdgeConfigurationCommand, KinesisVideoClient, ResourceNotFoundException as StreamNotFound, StartEdgeConfigurationUpdateCommand,
} from '@aws-sdk/client-kinesis-video';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { opcUaDocument, OPC_UA_NAMESPACE, startEmulator } from './emulator-test-support';
import { edgeConfig, streamWithSecret } from './kinesis-video-test-support';
import type { LocalAwsEndpoint } from '../support/emulator';

// AWS keeps resources per account and region: a client sees those of its own account (its
// credentials) in the region it signs for. The emulator's helpers create in its home region,
// us-east-1; these clients sign for eu-west-1.
const BUCKET = 'cdk-hnb659fds-assets-123456789012-us-east-1';
let emulator: LocalAwsEndpoint;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.reset());
afterAll(async () => emulator.stop());

function config(region: string) {
  return { ...emulator.clientConfig(), region, maxAttempts: 1 };
}

test('SiteWise: a gateway of us-east-1 is not found by a client in eu-west-1, nor listed there', async () => {
  const gatewayId = emulator.sitewise.createGateway();
  const home = new IoTSiteWiseClient(config('us-east-1'));
  const away = new IoTSiteWiseClient(config('eu-west-1'));
  await home.send(new UpdateGatewayCapabilityConfigurationCommand({
    gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
  }));

  await expect(away.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE })))
    .rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `Gateway ${gatewayId} does not exist` });
  await expect(away.send(new UpdateGatewayCapabilityConfigurationCommand({
    gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument('opc.tcp://10.9.9.9:4840'),
  }))).rejects.toBeInstanceOf(GatewayNotFound);
  expect((await away.send(new ListGatewaysCommand({}))).gatewaySummaries).toEqual([]);
  expect((await home.send(new ListGatewaysCommand({}))).gatewaySummaries).toHaveLength(1);
  // The refused update changed nothing.
  expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).updates).toBe(1);
});

test('SiteWise: a gateway created through the API in eu-west-1 has an eu-west-1 ARN and lives there', async () => {
  const gatewayId = emulator.sitewise.createGateway({ region: 'eu-west-1' });
  expect(emulator.sitewise.gateway(gatewayId)).toMatchObject({ region: 'eu-west-1', gatewayArn: expect.stringContaining(':iotsitewise:eu-west-1:123456789012:') });
  await expect(new IoTSiteWiseClient(config('us-east-1')).send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE })))
    .rejects.toMatchObject({ message: `Gateway ${gatewayId} does not exist` });
});

test('Kinesis Video: a stream of us-east-1 is not found in eu-west-1, by name or by its ARN', async () => {
  const { streamArn, secretArn } = streamWithSecret(emulator, 'front-door');
  const away = new KinesisVideoClient(config('eu-west-1'));
  await expect(away.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' }))).rejects.toBeInstanceOf(StreamNotFound);
  // An ARN of another region names no stream of this one.
  await expect(away.send(new StartEdgeConfigurationUpdateCommand({ StreamARN: streamArn, EdgeConfig: edgeConfig(secretArn) })))
    .rejects.toBeInstanceOf(StreamNotFound);
  expect(emulator.kinesisVideo.edgeConfiguration(streamArn)).toBeUndefined();
  // Names are unique per account and region only: eu-west-1 can have its own front-door.
  const euArn = emulator.kinesisVideo.createStream({ name: 'front-door', region: 'eu-west-1' });
  expect(euArn).toMatch(/^arn:aws:kinesisvideo:eu-west-1:123456789012:stream\/front-door\//);
  await expect(away.send(new StartEdgeConfigurationUpdateCommand({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) })))
    .resolves.toMatchObject({ StreamARN: euArn });
  expect(emulator.kinesisVideo.edgeConfiguration(streamArn)).toBeUndefined();
});

test('Ground Station: a dataflow endpoint group of us-east-1 is not found in eu-west-1', async () => {
  const group = emulator.groundStation.createDataflowEndpointGroup();
  const away = new GroundStationClient(config('eu-west-1'));
  await expect(away.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: group.id })))
    .rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 434 } });
  await expect(new GroundStationClient(config('us-east-1')).send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: group.id })))
    .resolves.toMatchObject({ dataflowEndpointGroupArn: group.arn });
});

test('S3: a request signed for another region than the bucket\'s is AuthorizationHeaderMalformed 400 naming the right region', async () => {
  emulator.s3.putObject(BUCKET, 'doc.json', '{}');
  const away = new S3Client({ ...config('eu-west-1'), forcePathStyle: true });
  await expect(away.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doc.json' }))).rejects.toMatchObject({
    name: 'AuthorizationHeaderMalformed',
    $metadata: { httpStatusCode: 400 },
    message: 'The authorization header is malformed; the region \'eu-west-1\' is wrong; expecting \'us-east-1\'',
  });
});
