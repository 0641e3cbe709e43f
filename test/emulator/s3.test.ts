import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { isThrottlingError } from '@smithy/core/retry';
import { App, CfnOutput, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { authorization, startEmulator } from './emulator-test-support';
import { startEdgeEnvironment } from '../support/edge-environment';
import type { LocalAwsEndpoint } from '../support/emulator';

// The unmodified SDK v3 S3Client against the emulated S3 (restXml): raw object bytes on success,
// XML <Error> documents on failure, path-style addressing as the handler uses with a local endpoint.
const BUCKET = 'cdk-hnb659fds-assets-123456789012-us-east-1';
let emulator: LocalAwsEndpoint;
let client: S3Client;

function s3Client(overrides: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...emulator.clientConfig(), forcePathStyle: true, maxAttempts: 1, ...overrides });
}

const getObject = (key: string, bucket: string = BUCKET) => client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));

beforeAll(async () => {
  emulator = await startEmulator();
  client = s3Client();
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

test('GetObject returns the stored bytes and metadata for a key with slashes and spaces', async () => {
  const key = 'documents/gateway 1/opc-ua+config.json';
  const document = JSON.stringify({ sources: [{ name: 'Température', endpoint: 'opc.tcp://10.0.0.5:4840' }] });
  emulator.s3.putObject(BUCKET, key, document);

  const response = await getObject(key);
  expect(await response.Body!.transformToString('utf-8')).toBe(document);
  expect(response).toMatchObject({
    ContentType: 'application/json',
    ContentLength: Buffer.byteLength(document),
    ETag: emulator.s3.getObject(BUCKET, key)!.etag,
    LastModified: new Date(Math.floor(emulator.s3.getObject(BUCKET, key)!.lastModified / 1000) * 1000),
  });
  expect(emulator.requests).toMatchObject([{
    service: 's3',
    operation: 'GetObject',
    method: 'GET',
    path: `/${BUCKET}/documents/gateway%201/opc-ua%2Bconfig.json`,
    status: 200,
    input: { Bucket: BUCKET, Key: key },
  }]);
});

test('GetObject returns a ~300 KB binary body byte for byte', async () => {
  const body = randomBytes(300 * 1024);
  emulator.s3.putObject(BUCKET, 'large/asset.bin', body);
  const response = await getObject('large/asset.bin');
  expect(response.ContentType).toBe('application/octet-stream');
  expect(response.ContentLength).toBe(body.length);
  expect(Buffer.from(await response.Body!.transformToByteArray()).equals(body)).toBe(true);
});

test('a missing key is NoSuchKey 404, a missing bucket NoSuchBucket 404', async () => {
  emulator.s3.createBucket(BUCKET);
  const missingKey = await getObject('nope.json').catch((e: unknown) => e);
  expect(missingKey).toBeInstanceOf(NoSuchKey);
  expect(missingKey).toMatchObject({ name: 'NoSuchKey', message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });

  const missingBucket = await getObject('nope.json', 'other-bucket').catch((e: unknown) => e);
  expect(missingBucket).toBeInstanceOf(S3ServiceException);
  expect(missingBucket).toMatchObject({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } });
  expect(emulator.requests.map((r) => [r.status, r.errorCode])).toEqual([[404, 'NoSuchKey'], [404, 'NoSuchBucket']]);
});

test('errors are XML <Error> documents with the code, message, modeled members and request id', async () => {
  emulator.s3.createBucket(BUCKET);
  const response = await fetch(`${emulator.url}/${BUCKET}/a/b.json?x-id=GetObject`, { headers: { authorization: authorization('s3') } });
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toBe('application/xml');
  const requestId = response.headers.get('x-amz-request-id');
  expect(requestId).toMatch(/^[0-9A-F]{16}$/);
  expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
    + `<Message>The specified key does not exist.</Message><Key>a/b.json</Key><RequestId>${requestId}</RequestId>`
    + `<HostId>${response.headers.get('x-amz-id-2')}</HostId></Error>`);
});

test('injected throttling is SlowDown 503, which the SDK classifies as throttling and retries', async () => {
  emulator.s3.putObject(BUCKET, 'doc.json', '{}');
  emulator.faults.set({ throttleRate: 1, services: ['s3'], firstN: 1 });
  const throttled = await getObject('doc.json').catch((e: unknown) => e);
  expect(throttled).toMatchObject({ name: 'SlowDown', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } });
  expect(isThrottlingError(throttled as Parameters<typeof isThrottlingError>[0])).toBe(true);

  emulator.faults.set({ throttleRate: 1, services: ['s3'], firstN: 1 });
  const retrying = s3Client({ maxAttempts: 2 });
  try {
    const response = await retrying.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doc.json' }));
    expect(response.$metadata.attempts).toBe(2);
    expect(await response.Body!.transformToString()).toBe('{}');
  } finally {
    retrying.destroy();
  }
  expect(emulator.requests.map((r) => [r.status, r.errorCode, r.fault])).toEqual([
    [503, 'SlowDown', 'throttle'], [503, 'SlowDown', 'throttle'], [200, undefined, undefined],
  ]);
});

test('injected server errors are InternalError 500; drops destroy the connection', async () => {
  emulator.s3.putObject(BUCKET, 'doc.json', '{}');
  emulator.faults.set({ serverErrorRate: 1, operations: ['GetObject'] });
  await expect(getObject('doc.json')).rejects.toMatchObject({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
  emulator.faults.set({ dropRate: 1, services: ['s3'] });
  await expect(getObject('doc.json')).rejects.toThrow(/socket hang up|ECONNRESET/);
  expect(emulator.requests.map((r) => [r.status, r.fault])).toEqual([[500, 'serverError'], [0, 'drop']]);
});

test('the store keeps copies, replaces objects on put, deletes out of band, and reset clears it', async () => {
  const body = Buffer.from('first');
  emulator.s3.putObject(BUCKET, 'k', body, { contentType: 'text/plain' });
  body.write('XXXXX');
  expect(emulator.s3.getObject(BUCKET, 'k')).toMatchObject({ bucket: BUCKET, key: 'k', contentType: 'text/plain', body: Buffer.from('first') });
  emulator.s3.putObject(BUCKET, 'k', 'second');
  expect(emulator.s3.objects().map((o) => [o.key, o.body.toString()])).toEqual([['k', 'second']]);
  expect(emulator.s3.has(BUCKET, 'k')).toBe(true);

  expect(emulator.s3.deleteObject(BUCKET, 'k')).toBe(true);
  await expect(getObject('k')).rejects.toBeInstanceOf(NoSuchKey);

  emulator.s3.putObject(BUCKET, 'k', 'third');
  emulator.reset();
  expect(emulator.s3.objects()).toEqual([]);
  expect(emulator.s3.bucketNames()).toEqual([]);
  await expect(getObject('k')).rejects.toMatchObject({ name: 'NoSuchBucket' });
});

test('the edge environment publishes a stack\'s file assets to the emulated S3 before deploying', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 's3-asset-')), 'document.json');
  fs.writeFileSync(file, JSON.stringify({ large: 'x'.repeat(100_000) }));
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'AssetStack');
  const asset = new s3assets.Asset(stack, 'Document', { path: file });
  new CfnWaitConditionHandle(stack, 'Placeholder'); // a template needs a resource
  new CfnOutput(stack, 'Bucket', { value: asset.s3BucketName });
  new CfnOutput(stack, 'Key', { value: asset.s3ObjectKey });

  const environment = await startEdgeEnvironment({ scale: 600 });
  try {
    const result = await environment.harness.deploy(stack);
    expect(result.status).toBe('CREATE_COMPLETE');
    const { Bucket, Key } = result.outputs as { Bucket: string; Key: string };
    expect(Bucket).toBe(`cdk-hnb659fds-assets-${environment.emulator.sitewise.accountId}-${environment.emulator.sitewise.region}`);

    const reader = new S3Client({ ...environment.emulator.clientConfig(), forcePathStyle: true, maxAttempts: 1 });
    try {
      const response = await reader.send(new GetObjectCommand({ Bucket, Key }));
      expect(await response.Body!.transformToString()).toBe(fs.readFileSync(file, 'utf8'));
    } finally {
      reader.destroy();
    }
  } finally {
    await environment.stop();
  }
});
