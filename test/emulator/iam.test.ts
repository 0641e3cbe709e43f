import { GetDataflowEndpointGroupCommand, GroundStationClient } from '@aws-sdk/client-groundstation';
import {
  AccessDeniedException as SiteWiseAccessDenied, DescribeGatewayCapabilityConfigurationCommand, IoTSiteWiseClient,
  ResourceNotFoundException as SiteWiseNotFound, UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import {
  AccessDeniedException as KinesisVideoAccessDenied, DescribeEdgeConfigurationCommand, KinesisVideoClient,
  ResourceNotFoundException as StreamNotFound, StartEdgeConfigurationUpdateCommand,
} from '@aws-sdk/client-kinesis-video';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { opcUaDocument, OPC_UA_NAMESPACE, startEmulator } from './emulator-test-support';
import { edgeConfig, streamWithSecret } from './kinesis-video-test-support';
import type { LocalAwsEndpoint, PolicyDocument, PolicyStatement } from '../support/emulator';

// IAM as the emulator applies it to role sessions the harness registers: every request of such a
// key is authorized against the role's policies at that moment, with the service's own
// access-denied error; administrators (the emulator's own keys) may do anything in their account.
const ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/EdgeSyncHandler`;
const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/EdgeSyncHandler/on-event`;
const ROLE_KEY = 'ASIAEDGESYNCHANDLER1';
const BUCKET = 'cdk-hnb659fds-assets-123456789012-us-east-1';

let emulator: LocalAwsEndpoint;
/** What the role may do; tests change it between requests. */
let statements: PolicyStatement[];

beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => {
  statements = [];
  emulator.iam.registerRole(ROLE_KEY, {
    sessionArn: SESSION_ARN,
    roleArn: ROLE_ARN,
    policies: (): PolicyDocument[] => [{ Version: '2012-10-17', Statement: statements }],
  });
});
afterEach(() => emulator.reset());
afterAll(async () => emulator.stop());

function roleConfig(region: string = 'us-east-1') {
  return { endpoint: emulator.url, region, credentials: { accessKeyId: ROLE_KEY, secretAccessKey: 'role-secret' }, maxAttempts: 1 };
}

const allow = (action: string, resource: string | string[], condition?: PolicyStatement['Condition']): PolicyStatement =>
  ({ Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) });

describe('IoT SiteWise', () => {
  const client = () => new IoTSiteWiseClient({ ...roleConfig(), disableHostPrefix: true });
  const update = (gatewayId: string) => client().send(new UpdateGatewayCapabilityConfigurationCommand({
    gatewayId, capabilityNamespace: OPC_UA_NAMESPACE, capabilityConfiguration: opcUaDocument(),
  }));
  const gatewayArn = (gatewayId: string) => `arn:aws:iotsitewise:us-east-1:${ACCOUNT}:gateway/${gatewayId}`;

  test('an update the policy allows on its gateway is applied; another gateway is AccessDeniedException 403 and stays untouched', async () => {
    const allowed = emulator.sitewise.createGateway();
    const other = emulator.sitewise.createGateway();
    statements = [allow('iotsitewise:UpdateGatewayCapabilityConfiguration', gatewayArn(allowed))];

    await expect(update(allowed)).resolves.toMatchObject({ capabilitySyncStatus: 'OUT_OF_SYNC' });
    const denied = await update(other).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(SiteWiseAccessDenied);
    expect(denied).toMatchObject({
      $metadata: { httpStatusCode: 403 },
      message: `User: ${SESSION_ARN} is not authorized to perform: iotsitewise:UpdateGatewayCapabilityConfiguration on resource: ${gatewayArn(other)} `
        + 'because no identity-based policy allows the iotsitewise:UpdateGatewayCapabilityConfiguration action',
    });
    expect(emulator.sitewise.gateway(other)!.namespaces).toEqual([]);
    expect(emulator.iam.denials).toEqual([expect.objectContaining({
      principal: SESSION_ARN, action: 'iotsitewise:UpdateGatewayCapabilityConfiguration', resource: gatewayArn(other), reason: 'implicit',
    })]);
    expect(emulator.requests.map((r) => [r.principal, r.status, r.errorCode])).toEqual([
      [SESSION_ARN, 201, undefined], [SESSION_ARN, 403, 'AccessDeniedException'],
    ]);
  });

  test('policies are read at every request: a grant added or removed between two requests applies to the next one', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    await expect(update(gatewayId)).rejects.toBeInstanceOf(SiteWiseAccessDenied);
    statements = [allow('iotsitewise:UpdateGatewayCapabilityConfiguration', gatewayArn(gatewayId))];
    emulator.sitewise.setUpdateProcessingWindow(gatewayId, 0);
    await expect(update(gatewayId)).resolves.toBeDefined();
    statements = [];
    await expect(update(gatewayId)).rejects.toBeInstanceOf(SiteWiseAccessDenied);
  });

  test('an explicit Deny wins and says so', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    statements = [allow('iotsitewise:*', '*'), { Effect: 'Deny', Action: 'iotsitewise:Update*', Resource: gatewayArn(gatewayId) }];
    await expect(update(gatewayId)).rejects.toMatchObject({ message: expect.stringContaining('with an explicit deny in an identity-based policy') });
    expect(emulator.iam.denials.map((d) => d.reason)).toEqual(['explicit']);
  });

  test('aws:ResourceTag conditions see the gateway\'s tags', async () => {
    const owned = emulator.sitewise.createGateway({ tags: { 'cdk-edge-sync:owner': 'Plant/Collector' } });
    const foreign = emulator.sitewise.createGateway({ tags: { 'cdk-edge-sync:owner': 'Other/Collector' } });
    const untagged = emulator.sitewise.createGateway();
    statements = [allow('iotsitewise:UpdateGatewayCapabilityConfiguration', `arn:aws:iotsitewise:us-east-1:${ACCOUNT}:gateway/*`,
      { StringEquals: { 'aws:ResourceTag/cdk-edge-sync:owner': 'Plant/Collector' } })];
    await expect(update(owned)).resolves.toBeDefined();
    await expect(update(foreign)).rejects.toBeInstanceOf(SiteWiseAccessDenied);
    await expect(update(untagged)).rejects.toBeInstanceOf(SiteWiseAccessDenied);
  });

  test('a gateway id that does not exist is authorized first (its ARN needs no lookup), then not found', async () => {
    const missing = '0a1b2c3d-0000-4000-8000-00000000000f';
    await expect(update(missing)).rejects.toBeInstanceOf(SiteWiseAccessDenied);
    statements = [allow('iotsitewise:UpdateGatewayCapabilityConfiguration', gatewayArn(missing))];
    await expect(update(missing)).rejects.toBeInstanceOf(SiteWiseNotFound);
  });
});

describe('Kinesis Video Streams', () => {
  const client = () => new KinesisVideoClient(roleConfig());

  test('an edge configuration the policy allows on the stream is started; another stream is AccessDeniedException 401', async () => {
    const { streamArn, secretArn } = streamWithSecret(emulator, 'front-door');
    const other = streamWithSecret(emulator, 'back-door');
    statements = [allow('kinesisvideo:StartEdgeConfigurationUpdate', `arn:aws:kinesisvideo:us-east-1:${ACCOUNT}:stream/front-door/*`)];

    await expect(client().send(new StartEdgeConfigurationUpdateCommand({ StreamName: 'front-door', EdgeConfig: edgeConfig(secretArn) })))
      .resolves.toMatchObject({ StreamARN: streamArn, SyncStatus: 'SYNCING' });
    const denied = await client()
      .send(new StartEdgeConfigurationUpdateCommand({ StreamARN: other.streamArn, EdgeConfig: edgeConfig(other.secretArn) }))
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KinesisVideoAccessDenied);
    expect(denied).toMatchObject({ $metadata: { httpStatusCode: 401 }, message: expect.stringContaining(`on resource: ${other.streamArn}`) });
    expect(emulator.kinesisVideo.edgeConfiguration('back-door')).toBeUndefined();
  });

  test('a stream given by name that does not exist cannot be authorized against an ARN: it is not found', async () => {
    await expect(client().send(new DescribeEdgeConfigurationCommand({ StreamName: 'nowhere' }))).rejects.toBeInstanceOf(StreamNotFound);
  });

  test('a stream ARN of another account is refused by IAM even with a policy that names it: no resource policy allows it', async () => {
    const foreignArn = 'arn:aws:kinesisvideo:us-east-1:999999999999:stream/front-door/1700000000000';
    statements = [allow('kinesisvideo:*', '*')];
    const denied = await client().send(new DescribeEdgeConfigurationCommand({ StreamARN: foreignArn })).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KinesisVideoAccessDenied);
    expect(denied).toMatchObject({ message: expect.stringContaining('because no resource-based policy allows') });
    expect(emulator.iam.denials.map((d) => d.reason)).toEqual(['cross-account']);
  });
});

describe('S3', () => {
  const client = () => new S3Client({ ...roleConfig(), forcePathStyle: true });
  const getObject = (key: string) => client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));

  test('GetObject on the granted object returns it; another object is AccessDenied 403 with S3\'s generic message', async () => {
    emulator.s3.putObject(BUCKET, 'granted.json', '{"a":1}');
    emulator.s3.putObject(BUCKET, 'other.json', '{"b":2}');
    statements = [allow('s3:GetObject', `arn:aws:s3:::${BUCKET}/granted.json`)];
    await expect((await getObject('granted.json')).Body!.transformToString()).resolves.toBe('{"a":1}');
    await expect(getObject('other.json')).rejects.toMatchObject({ name: 'AccessDenied', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
    expect(emulator.iam.denials).toMatchObject([{ action: 's3:GetObject', resource: `arn:aws:s3:::${BUCKET}/other.json` }]);
  });

  test('a missing key is AccessDenied 403 without s3:ListBucket on the bucket, NoSuchKey 404 with it', async () => {
    emulator.s3.createBucket(BUCKET);
    statements = [allow('s3:GetObject', `arn:aws:s3:::${BUCKET}/*`)];
    await expect(getObject('missing.json')).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    statements = [...statements, allow('s3:ListBucket', `arn:aws:s3:::${BUCKET}`)];
    await expect(getObject('missing.json')).rejects.toBeInstanceOf(NoSuchKey);
    // The ListBucket question is the operation's own, not a denied request.
    expect(emulator.iam.denials).toEqual([]);
  });

  test('a bucket owned by another account is denied to the role whatever its policy says', async () => {
    emulator.s3.createBucket('partner-bucket', { accountId: '999999999999' });
    emulator.s3.putObject('partner-bucket', 'doc.json', '{}');
    statements = [allow('s3:*', '*')];
    await expect(client().send(new GetObjectCommand({ Bucket: 'partner-bucket', Key: 'doc.json' })))
      .rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  });
});

describe('Ground Station', () => {
  const client = () => new GroundStationClient(roleConfig());

  test('GetDataflowEndpointGroup on the granted group answers; another group is AccessDeniedException 403', async () => {
    const granted = emulator.groundStation.createDataflowEndpointGroup();
    const other = emulator.groundStation.createDataflowEndpointGroup();
    statements = [allow('groundstation:GetDataflowEndpointGroup', granted.arn)];
    await expect(client().send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: granted.id })))
      .resolves.toMatchObject({ dataflowEndpointGroupArn: granted.arn });
    await expect(client().send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: other.id })))
      .rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 }, message: expect.stringContaining(other.arn) });
  });
});

test('Ground Station: service-specific condition keys (groundstation:DataflowEndpointGroupId) are in the request context', async () => {
  const granted = emulator.groundStation.createDataflowEndpointGroup();
  const other = emulator.groundStation.createDataflowEndpointGroup();
  const client = new GroundStationClient(roleConfig());
  statements = [allow('groundstation:GetDataflowEndpointGroup', '*', { StringEquals: { 'groundstation:DataflowEndpointGroupId': granted.id } })];
  await expect(client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: granted.id }))).resolves.toBeDefined();
  await expect(client.send(new GetDataflowEndpointGroupCommand({ dataflowEndpointGroupId: other.id }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
});

describe('access keys', () => {
  test('an access key AWS does not know is refused before anything else, in each service\'s terms', async () => {
    const unknown = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' }, maxAttempts: 1 };
    const gatewayId = emulator.sitewise.createGateway();
    await expect(new IoTSiteWiseClient({ ...unknown, disableHostPrefix: true })
      .send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId, capabilityNamespace: OPC_UA_NAMESPACE })))
      .rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 }, message: 'The security token included in the request is invalid.' });
    emulator.s3.putObject(BUCKET, 'a.json', '{}');
    await expect(new S3Client({ ...unknown, forcePathStyle: true }).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.json' })))
      .rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    expect(emulator.requests.every((r) => r.principal === undefined)).toBe(true);
  });

  test('the administrator of another account sees only that account\'s resources', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    const theirs = emulator.sitewise.createGateway({ accountId: '999999999999' });
    const admin = new IoTSiteWiseClient({
      endpoint: emulator.url, region: 'us-east-1', credentials: emulator.iam.administratorCredentials('999999999999'), disableHostPrefix: true, maxAttempts: 1,
    });
    const describe = (id: string) =>
      admin.send(new DescribeGatewayCapabilityConfigurationCommand({ gatewayId: id, capabilityNamespace: OPC_UA_NAMESPACE }));
    // Not AccessDenied: a gateway id names a gateway of the caller's own account, where there is none.
    await expect(describe(gatewayId)).rejects.toBeInstanceOf(SiteWiseNotFound);
    await expect(describe(theirs)).rejects.toMatchObject({ message: expect.stringContaining(`namespace ${OPC_UA_NAMESPACE} not found`) });
    expect(emulator.requests.map((r) => r.accountId)).toEqual(['999999999999', '999999999999']);
  });
});
