import { EventBridgeClient, PutEventsCommand, type EventBridgeClientConfig, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { authorization, startEmulator } from './emulator-test-support';
import type { LocalAwsEndpoint, PolicyDocument, PolicyStatement } from '../support/emulator';

// EventBridge PutEvents over awsJson1_1 through the unmodified SDK client: per-entry results,
// request-level refusals, IAM on the bus ARN, and what a rule on the bus would have received.
const ACCOUNT = '123456789012';
const ROLE_KEY = 'ASIADRIFTMONITOR0002';

let emulator: LocalAwsEndpoint;
let client: EventBridgeClient;
let statements: PolicyStatement[];

function eventBridgeClient(overrides: EventBridgeClientConfig = {}): EventBridgeClient {
  return new EventBridgeClient({ ...emulator.clientConfig(), maxAttempts: 1, ...overrides });
}

beforeAll(async () => {
  emulator = await startEmulator();
  client = eventBridgeClient();
});
beforeEach(() => {
  statements = [];
  emulator.iam.registerRole(ROLE_KEY, {
    sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/DriftMonitor/monitor`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/DriftMonitor`,
    policies: (): PolicyDocument[] => [{ Version: '2012-10-17', Statement: statements }],
  });
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const drift = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'edge-sync.drift-monitor',
  DetailType: 'Edge Device Drift',
  Detail: JSON.stringify({ resource: 'gateway-1', expected: 'abc', actual: 'def' }),
  Resources: ['arn:aws:iotsitewise:us-east-1:123456789012:gateway/g-1'],
  ...overrides,
});

test('entries on the default bus are accepted with event ids and received in order, detail parsed', async () => {
  const before = emulator.clock.now();
  const answer = await client.send(new PutEventsCommand({ Entries: [drift(), drift({ Detail: '{"n":2}', Resources: undefined })] }));
  expect(answer.FailedEntryCount).toBe(0);
  expect(answer.Entries).toHaveLength(2);
  const ids = answer.Entries!.map((entry) => entry.EventId);
  expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id!))).toBe(true);
  const received = emulator.eventBridge.received();
  expect(received.map((event) => event.id)).toEqual(ids);
  expect(received[0]).toMatchObject({
    eventBusName: 'default',
    eventBusArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`,
    source: 'edge-sync.drift-monitor',
    detailType: 'Edge Device Drift',
    detail: { resource: 'gateway-1', expected: 'abc', actual: 'def' },
    resources: ['arn:aws:iotsitewise:us-east-1:123456789012:gateway/g-1'],
    account: ACCOUNT,
    region: 'us-east-1',
  });
  expect(received[1]).toMatchObject({ detail: { n: 2 }, resources: [] });
  expect(received[0].receivedAt).toBeGreaterThanOrEqual(before);
  expect(Date.parse(received[0].time)).toBe(Math.floor(received[0].receivedAt / 1000) * 1000);
  emulator.eventBridge.clearReceived();
  expect(emulator.eventBridge.received()).toEqual([]);
});

test('an entry Time is the event time', async () => {
  await client.send(new PutEventsCommand({ Entries: [drift({ Time: new Date('2026-03-01T12:00:00Z') })] }));
  expect(emulator.eventBridge.received()[0].time).toBe('2026-03-01T12:00:00Z');
});

test('a named bus by name or ARN; a bus that does not exist fails its entry only', async () => {
  const arn = emulator.eventBridge.createEventBus('edge-drift');
  const answer = await client.send(new PutEventsCommand({
    Entries: [drift({ EventBusName: 'edge-drift' }), drift({ EventBusName: arn }), drift({ EventBusName: 'nobody' })],
  }));
  expect(answer.FailedEntryCount).toBe(1);
  expect(answer.Entries![2]).toEqual({ ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nobody does not exist.' });
  expect(emulator.eventBridge.received().map((event) => event.eventBusName)).toEqual(['edge-drift', 'edge-drift']);
  expect(emulator.eventBridge.eventBusNames()).toEqual(['default', 'edge-drift']);
});

test.each([
  ['a missing DetailType', drift({ DetailType: undefined }), 'InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'],
  ['a Detail that is not JSON', drift({ Detail: '{nope' }), 'MalformedDetail', 'Detail is malformed.'],
  ['a Detail that is a JSON array', drift({ Detail: '[1,2]' }), 'MalformedDetail', 'Detail is malformed.'],
  ['a source reserved for AWS', drift({ Source: 'aws.iotsitewise' }), 'NotAuthorizedForSourceException', 'Not authorized for the source.'],
])('%s fails that entry, the others are put', async (_case, bad, code, message) => {
  const answer = await client.send(new PutEventsCommand({ Entries: [drift(), bad] }));
  expect(answer.FailedEntryCount).toBe(1);
  expect(answer.Entries![1]).toEqual({ ErrorCode: code, ErrorMessage: message });
  expect(answer.Entries![0].EventId).toBeDefined();
  expect(emulator.eventBridge.received()).toHaveLength(1);
});

test.each([
  ['no entries', [], "Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1"],
  ['11 entries', Array.from({ length: 11 }, () => drift()), 'Member must have length less than or equal to 10'],
  ['entries over 256 KB', [drift({ Detail: JSON.stringify({ x: 'x'.repeat(131_000) }) }), drift({ Detail: JSON.stringify({ x: 'x'.repeat(131_000) }) })],
    'Total size of the entries in the request is over the limit.'],
  ['no entry with Source, DetailType and Detail', [drift({ Source: undefined })], 'Parameters Source, DetailType and Detail must be specified in at least one entry.'],
])('%s: the whole request is ValidationException 400, nothing received', async (_case, entries, message) => {
  const error = await client.send(new PutEventsCommand({ Entries: entries })).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  expect((error as Error).message).toContain(message);
  expect(emulator.eventBridge.received()).toEqual([]);
});

test('256 KB exactly is accepted (Time counts 14 bytes)', async () => {
  const base = drift({ Resources: [], Time: new Date(), Detail: '{"x":""}' });
  const fixed = 14 + Buffer.byteLength(base.Source!) + Buffer.byteLength(base.DetailType!) + Buffer.byteLength(base.Detail!);
  const filler = 262_144 - fixed;
  const answer = await client.send(new PutEventsCommand({ Entries: [{ ...base, Detail: JSON.stringify({ x: 'x'.repeat(filler) }) }] }));
  expect(answer.FailedEntryCount).toBe(0);
});

test('IAM: events:PutEvents on the bus ARN; denied is AccessDeniedException 400 and nothing is received', async () => {
  const role = eventBridgeClient({ credentials: { accessKeyId: ROLE_KEY, secretAccessKey: 'x' } });
  emulator.eventBridge.createEventBus('edge-drift');
  statements = [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/edge-drift` }];
  const denied = await role.send(new PutEventsCommand({ Entries: [drift()] })).catch((e: unknown) => e);
  expect(denied).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
  await expect(role.send(new PutEventsCommand({ Entries: [drift({ EventBusName: 'edge-drift' })] }))).resolves.toMatchObject({ FailedEntryCount: 0 });
  // A second entry for a bus the role may not use denies the whole request.
  const mixed = await role.send(new PutEventsCommand({ Entries: [drift({ EventBusName: 'edge-drift' }), drift()] })).catch((e: unknown) => e);
  expect(mixed).toMatchObject({ name: 'AccessDeniedException' });
  expect(emulator.eventBridge.received()).toHaveLength(1);
  role.destroy();
});

test('throttling is ThrottlingException 400; the raw error body has __type and message, content type 1.1', async () => {
  emulator.faults.set({ throttleRate: 1, services: ['events'], firstN: 1 });
  const error = await client.send(new PutEventsCommand({ Entries: [drift()] })).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  const raw = await fetch(emulator.url, {
    method: 'POST',
    headers: { 'Authorization': authorization('events'), 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSEvents.PutEvents' },
    body: JSON.stringify({ Entries: [] }),
  });
  expect(raw.status).toBe(400);
  expect(raw.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  expect(await raw.json()).toEqual({ __type: 'ValidationException', message: expect.stringContaining("at 'entries'") });
  const unknown = await fetch(emulator.url, {
    method: 'POST',
    headers: { 'Authorization': authorization('events'), 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSEvents.PutRule' },
    body: '{}',
  });
  expect(unknown.status).toBe(400);
  expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });
});
