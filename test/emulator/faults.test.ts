import {
  DescribeGatewayCapabilityConfigurationCommand, DescribeGatewayCommand, InternalFailureException, IoTSiteWiseClient, ListGatewaysCommand,
  ThrottlingException, UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import { DeleteEdgeConfigurationCommand, KinesisVideoClient, StartEdgeConfigurationUpdateCommand } from '@aws-sdk/client-kinesis-video';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { opcUaDocument, OPC_UA_NAMESPACE, siteWiseClient, startEmulator } from './emulator-test-support';
import { edgeConfig, streamWithSecret } from './kinesis-video-test-support';
import type { LocalAwsEndpoint } from '../support/emulator';

let emulator: LocalAwsEndpoint;
let client: IoTSiteWiseClient;
let gatewayId: string;

beforeAll(async () => {
  emulator = await startEmulator();
  client = siteWiseClient(emulator);
});
beforeEach(() => {
  gatewayId = emulator.sitewise.createGateway();
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const describeGateway = () => client.send(new DescribeGatewayCommand({ gatewayId }));

test('throttleRate 1 answers ThrottlingException 429, only for the listed operations', async () => {
  emulator.faults.set({ throttleRate: 1, operations: ['DescribeGateway'] });
  const error = await describeGateway().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ThrottlingException);
  expect(error).toMatchObject({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
  await expect(client.send(new ListGatewaysCommand({}))).resolves.toBeDefined();
  expect(emulator.requests.map((r) => [r.operation, r.status, r.errorCode, r.fault])).toEqual([
    ['DescribeGateway', 429, 'ThrottlingException', 'throttle'],
    ['ListGateways', 200, undefined, undefined],
  ]);
});

test('serverErrorRate 1 answers InternalFailureException 500', async () => {
  emulator.faults.set({ serverErrorRate: 1 });
  const error = await describeGateway().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InternalFailureException);
  expect(error).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
});

test('dropRate 1 destroys the connection without a response', async () => {
  emulator.faults.set({ dropRate: 1 });
  // Under jest the SDK's retry middleware wraps the cross-realm Node error, hence the matching on the message.
  await expect(describeGateway()).rejects.toThrow(/socket hang up|ECONNRESET/);
  expect(emulator.requests).toMatchObject([{ operation: 'DescribeGateway', status: 0, fault: 'drop' }]);
});

test('latencyMs delays the answer by that much simulated time', async () => {
  emulator.faults.set({ latencyMs: 5_000 });
  const start = emulator.clock.now();
  await expect(describeGateway()).resolves.toMatchObject({ gatewayId });
  expect(emulator.clock.now() - start).toBeGreaterThanOrEqual(5_000);
  expect(emulator.requests).toMatchObject([{ status: 200, fault: 'latency' }]);
});

test('firstN limits a rule to the next N matching requests, so SDK retries get through', async () => {
  emulator.faults.set({ serverErrorRate: 1, firstN: 1 });
  const retrying = siteWiseClient(emulator, { maxAttempts: 2 });
  try {
    const described = await retrying.send(new DescribeGatewayCommand({ gatewayId }));
    expect(described.$metadata.attempts).toBe(2);
  } finally {
    retrying.destroy();
  }
  expect(emulator.requests.map((r) => r.status)).toEqual([500, 200]);
});

test('rates draw from the seeded PRNG: the same seed gives the same fault pattern', async () => {
  const pattern = async (endpoint: LocalAwsEndpoint): Promise<string> => {
    const id = endpoint.sitewise.createGateway();
    const endpointClient = siteWiseClient(endpoint);
    endpoint.faults.set({ throttleRate: 0.3, serverErrorRate: 0.2 });
    let result = '';
    for (let i = 0; i < 40; i++) {
      const outcome = await endpointClient.send(new DescribeGatewayCommand({ gatewayId: id })).then(() => '.', (e: Error) => e.name[0]);
      result += outcome;
    }
    endpointClient.destroy();
    return result;
  };
  const twin = await startEmulator();
  try {
    const first = await pattern(emulator);
    expect(await pattern(twin)).toBe(first);
    const count = (letter: string) => first.split('').filter((c) => c === letter).length;
    expect(count('T')).toBeGreaterThan(4);
    expect(count('I')).toBeGreaterThan(2);
    expect(count('.')).toBeGreaterThan(10);
  } finally {
    await twin.stop();
  }
});

test('rules are validated and clear() removes them', async () => {
  expect(() => emulator.faults.set({ throttleRate: 0.7, dropRate: 0.7 })).toThrow(/add up to at most 1/);
  expect(() => emulator.faults.set({ serverErrorRate: 2 })).toThrow(/between 0 and 1/);
  emulator.faults.set({ throttleRate: 1 });
  emulator.faults.clear();
  await expect(describeGateway()).resolves.toBeDefined();
});

describe('faults after the state change: the request is applied, then its response is lost', () => {
  test('SiteWise: serverErrorAfterApplyRate stores the update and answers InternalFailureException 500', async () => {
    emulator.faults.set({ serverErrorAfterApplyRate: 1, operations: ['UpdateGatewayCapabilityConfiguration'] });
    const document = opcUaDocument();
    const error = await client.send(new UpdateGatewayCapabilityConfigurationCommand({
      gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: document,
    })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalFailureException);
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE)).toMatchObject({ cloudConfiguration: document, updates: 1 });
    expect(emulator.requests).toMatchObject([{ operation: 'UpdateGatewayCapabilityConfiguration', status: 500, fault: 'serverErrorAfterApply' }]);
  });

  test('SiteWise: dropAfterApplyRate stores the update and destroys the connection; the SDK\'s retry applies it a second time', async () => {
    emulator.faults.set({ dropAfterApplyRate: 1, firstN: 1, operations: ['UpdateGatewayCapabilityConfiguration'] });
    // The retry's jittered delay may be shorter than the gateway's processing window; this test is about the lost response only.
    emulator.sitewise.setUpdateProcessingWindow(gatewayId, 0);
    const retrying = siteWiseClient(emulator, { maxAttempts: 2 });
    try {
      await expect(retrying.send(new UpdateGatewayCapabilityConfigurationCommand({
        gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
      }))).resolves.toMatchObject({ $metadata: { attempts: 2 } });
    } finally {
      retrying.destroy();
    }
    expect(emulator.sitewise.device(gatewayId, OPC_UA_NAMESPACE).updates).toBe(2);
    expect(emulator.requests.map((r) => [r.status, r.fault])).toEqual([[0, 'dropAfterApply'], [201, undefined]]);
  });

  test('an operation that fails on its own answers its own error, not the injected one', async () => {
    emulator.faults.set({ serverErrorAfterApplyRate: 1 });
    await expect(client.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(emulator.requests).toMatchObject([{ status: 404, errorCode: 'ResourceNotFoundException' }]);
    expect(emulator.requests[0].fault).toBeUndefined();
  });

  test('Kinesis Video: Start and Delete are applied before the lost response', async () => {
    const { secretArn } = streamWithSecret(emulator, 'front-door');
    const kvs = new KinesisVideoClient({ ...emulator.clientConfig(), maxAttempts: 1 });
    emulator.faults.set({ serverErrorAfterApplyRate: 1, operations: ['StartEdgeConfigurationUpdate', 'DeleteEdgeConfiguration'] });
    await expect(kvs.send(new StartEdgeConfigurationUpdateCommand({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) })))
      .rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(emulator.kinesisVideo.edgeConfiguration('front-door')).toMatchObject({ syncStatus: 'SYNCING', updates: 1 });
    await emulator.clock.sleep(10_000);
    expect(emulator.kinesisVideo.edgeConfiguration('front-door')!.syncStatus).toBe('IN_SYNC');

    emulator.faults.set({ dropAfterApplyRate: 1, operations: ['DeleteEdgeConfiguration'] });
    await expect(kvs.send(new DeleteEdgeConfigurationCommand({ StreamName: 'front-door' }))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emulator.kinesisVideo.edgeConfiguration('front-door')!.syncStatus).toBe('DELETING');
    kvs.destroy();
  });

  test('S3: a GetObject whose response is lost was still served (and counted)', async () => {
    emulator.s3.putObject('assets', 'doc.json', '{}');
    const s3 = new S3Client({ ...emulator.clientConfig(), forcePathStyle: true, maxAttempts: 1 });
    emulator.faults.set({ dropAfterApplyRate: 1, services: ['s3'] });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'assets', Key: 'doc.json' }))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(emulator.requests).toMatchObject([{ operation: 'GetObject', status: 0, fault: 'dropAfterApply' }]);
    s3.destroy();
  });

  test('after-apply rates share the one draw and the at-most-1 rule with the others', () => {
    expect(() => emulator.faults.set({ serverErrorRate: 0.6, dropAfterApplyRate: 0.6 })).toThrow(/add up to at most 1/);
  });
});
