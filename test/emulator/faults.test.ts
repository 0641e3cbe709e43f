import {
  DescribeGatewayCommand, InternalFailureException, IoTSiteWiseClient, ListGatewaysCommand, ThrottlingException,
} from '@aws-sdk/client-iotsitewise';
import { siteWiseClient, startEmulator } from './emulator-test-support';
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
