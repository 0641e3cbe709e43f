import {
  DescribeGatewayCapabilityConfigurationCommand, IoTSiteWiseClient, UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  context, DOCUMENT, GATEWAY_ID, isCompleteRequest, mockGatewayTags, NAMESPACE, onEventRequest, properties, runHandlers, useFakeClock, withFakeTime,
} from './events';
import { isComplete, onEvent } from '../../lambda';

/**
 * Documents too large for the template reach the handler as S3 objects (CDK file assets) with
 * markers where their tokens were (GatewayCapabilityConfiguration's DocumentCarriage).
 */

const sitewise = mockClient(IoTSiteWiseClient);
const s3 = mockClient(S3Client);
const START = Date.parse('2026-11-22T10:00:00Z');
const BUCKET = 'cdk-hnb659fds-assets-123456789012-us-east-1';
const KEY = '3f2a9c0e5b7d4e1f8a6c2b9d0e3f5a7c1b8d4e6f2a0c9b7d5e3f1a8c6b4d2e0f.json';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:opcua-user-AbCdEf';

useFakeClock(START, () => {
  sitewise.reset();
  s3.reset();
  mockGatewayTags(sitewise);
});

/** An OPC UA collector document of `count` sources whose user name secret is marker 0. */
function collectorText(count: number): string {
  const sources = Array.from({ length: count }, (_, i) => ({
    name: `Line ${i}`,
    endpoint: {
      certificateTrust: { type: 'TrustAny' },
      endpointUri: `opc.tcp://10.0.0.${i % 250}:4840`,
      securityPolicy: 'NONE',
      messageSecurityMode: 'NONE',
      identityProvider: { type: 'Username', usernameSecretArn: '<<cdk-edge-sync:0>>' },
      nodeFilterRules: [],
    },
    measurementDataStreamPrefix: '',
  }));
  return JSON.stringify({ sources });
}

function objectHolds(text: string) {
  // The handler reads the body with transformToString, as the SDK's stream mixin provides it.
  s3.on(GetObjectCommand, { Bucket: BUCKET, Key: KEY }).resolves({ Body: { transformToString: async () => text } as any });
}

function carried(tokenValues?: string[], overrides: Record<string, unknown> = {}): Record<string, string> {
  const props: Record<string, unknown> = {
    ...properties({ CapabilityConfiguration: undefined, DocumentRules: 'opcua-collector' }),
    CapabilityConfigurationS3: { Bucket: BUCKET, Key: KEY, ...(tokenValues ? { TokenValues: tokenValues } : {}) },
    ...overrides,
  };
  return props as Record<string, string>;
}

/** Properties whose reset document is the object. */
function resetCarried(): Record<string, string> {
  const props = { ...properties({ ResetConfiguration: undefined }), ResetConfigurationS3: { Bucket: BUCKET, Key: KEY } };
  return props as unknown as Record<string, string>;
}

/** Updates are accepted; Describe answers IN_SYNC with the last document written (at first the resource's inline one). */
function acceptUpdates() {
  let stored = DOCUMENT;
  sitewise.on(UpdateGatewayCapabilityConfigurationCommand).callsFake((input) => {
    stored = input.capabilityConfiguration;
    return { capabilityNamespace: NAMESPACE, capabilitySyncStatus: 'OUT_OF_SYNC' };
  });
  sitewise.on(DescribeGatewayCapabilityConfigurationCommand).callsFake(() => ({
    gatewayId: GATEWAY_ID, capabilityNamespace: NAMESPACE, capabilityConfiguration: stored, capabilitySyncStatus: 'IN_SYNC',
  }));
}

describe('documents carried as S3 objects', () => {
  test('Create reads the object, puts the token values back at their markers and applies the whole document', async () => {
    const text = collectorText(300);
    expect(text.length).toBeGreaterThan(70_000);
    objectHolds(text);
    acceptUpdates();
    await onEvent(onEventRequest('Create', { ResourceProperties: carried([SECRET_ARN]) }), context());

    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: BUCKET, Key: KEY });
    const applied = sitewise.commandCalls(UpdateGatewayCapabilityConfigurationCommand)[0].args[0].input.capabilityConfiguration!;
    expect(applied).toBe(text.split('<<cdk-edge-sync:0>>').join(SECRET_ARN));
    expect(JSON.parse(applied).sources[299].endpoint.identityProvider.usernameSecretArn).toBe(SECRET_ARN);
  });

  test('a document without tokens is applied as stored', async () => {
    const text = collectorText(1).replace('<<cdk-edge-sync:0>>', SECRET_ARN);
    objectHolds(text);
    acceptUpdates();
    await onEvent(onEventRequest('Create', { ResourceProperties: carried() }), context());
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: text });
  });

  test('the rules of a typed document are checked on the document read, before calling SiteWise', async () => {
    objectHolds(collectorText(2).replace('opc.tcp://10.0.0.1:4840', 'http://10.0.0.1:4840'));
    acceptUpdates();
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: carried([SECRET_ARN]) }), context()))
      .rejects.toThrow('Invalid property: OPC UA source "Line 1": endpointUri must be an OPC UA TCP endpoint');
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });

  test('a missing object fails at once, naming the property and the object, without calling SiteWise', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));
    acceptUpdates();
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: carried([SECRET_ARN]) }), context()))
      .rejects.toThrow(`Could not read CapabilityConfigurationS3 from s3://${BUCKET}/${KEY}: NoSuchKey: The specified key does not exist.`);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });

  test('S3 throttling that outlasts onEvent\'s time leaves the carried document to isComplete, which reads it and writes it', async () => {
    const slowDown = () => new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } });
    s3.on(GetObjectCommand).rejects(slowDown());
    acceptUpdates();
    const request = onEventRequest('Create', { ResourceProperties: carried([SECRET_ARN]) });
    const response = await withFakeTime(() => onEvent(request, context()));
    expect(response.EdgeSyncWait).toMatchObject({ Mode: 'wait', Unfinished: true });
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);

    objectHolds(collectorText(1));
    const complete = await withFakeTime(() => isComplete(isCompleteRequest(request, response), context()));
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, {
      capabilityConfiguration: collectorText(1).replace('<<cdk-edge-sync:0>>', SECRET_ARN),
    });
  });

  test('a marker without a value fails with a reason naming the marker', async () => {
    objectHolds(collectorText(1).replace('}', ',"extra":"<<cdk-edge-sync:1>>"}'));
    acceptUpdates();
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: carried([SECRET_ARN]) }), context()))
      .rejects.toThrow(`Invalid property: CapabilityConfigurationS3.TokenValues has no value for <<cdk-edge-sync:1>> of s3://${BUCKET}/${KEY} (1 values)`);
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });

  test.each([
    ['both forms of the document', { CapabilityConfiguration: '{}' },
      'Invalid properties: give one of CapabilityConfiguration and CapabilityConfigurationS3, got both'],
    ['an object without a key', { CapabilityConfigurationS3: { Bucket: BUCKET } }, 'Property CapabilityConfigurationS3.Key is required, got undefined'],
    ['token values that are not a list', { CapabilityConfigurationS3: { Bucket: BUCKET, Key: KEY, TokenValues: 'x' } },
      'Property CapabilityConfigurationS3.TokenValues must be a list, got "x"'],
  ])('%s is refused before any AWS call', async (_, overrides, message) => {
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: carried([SECRET_ARN], overrides) }), context())).rejects.toThrow(message);
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 0);
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });

  test('isComplete only polls the gateway: it never reads the object', async () => {
    objectHolds(collectorText(1));
    acceptUpdates();
    const request = onEventRequest('Create', { ResourceProperties: carried([SECRET_ARN]) });
    const { complete } = await runHandlers(request);
    expect(complete).toEqual({ IsComplete: true, Data: { SyncStatus: 'IN_SYNC' } });
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    await isComplete(isCompleteRequest(request, {
      PhysicalResourceId: `${GATEWAY_ID}/${NAMESPACE}`,
      EdgeSyncWait: {
        Mode: 'wait', StartedAt: START, Deadline: START + 900_000,
      },
    }), context());
    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
  });

  test('Delete reads a large reset document from its object and writes it', async () => {
    const reset = JSON.stringify({ sources: [], note: 'x'.repeat(70_000) });
    objectHolds(reset);
    acceptUpdates();
    const props = resetCarried();
    await onEvent(onEventRequest('Delete', { ResourceProperties: props }), context());
    expect(sitewise).toHaveReceivedCommandWith(UpdateGatewayCapabilityConfigurationCommand, { capabilityConfiguration: reset });
  });

  test('Create checks a reset document carried as an object, so a bad one fails now rather than at the delete', async () => {
    objectHolds('{"sources": [');
    acceptUpdates();
    const props = resetCarried();
    await expect(onEvent(onEventRequest('Create', { ResourceProperties: props }), context())).rejects.toThrow(/Invalid property: resetConfiguration must be/);
    expect(sitewise).toHaveReceivedCommandTimes(UpdateGatewayCapabilityConfigurationCommand, 0);
  });
});
