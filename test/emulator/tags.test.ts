import {
  IoTSiteWiseClient, ListTagsForResourceCommand, ResourceNotFoundException, TagResourceCommand, TooManyTagsException, UntagResourceCommand,
} from '@aws-sdk/client-iotsitewise';
import {
  KinesisVideoClient, ListTagsForStreamCommand, TagsPerResourceExceededLimitException, TagStreamCommand, UntagStreamCommand,
} from '@aws-sdk/client-kinesis-video';
import { siteWiseClient, startEmulator } from './emulator-test-support';
import type { LocalAwsEndpoint, PolicyStatement } from '../support/emulator';

// Tags on SiteWise gateways (TagResource, UntagResource, ListTagsForResource by ARN) and Kinesis
// Video streams (TagStream, UntagStream, ListTagsForStream by name or ARN), and the IAM condition
// keys of tagging requests: aws:ResourceTag/<key>, aws:RequestTag/<key> and aws:TagKeys.
let emulator: LocalAwsEndpoint;
let sitewise: IoTSiteWiseClient;
let kvs: KinesisVideoClient;

beforeAll(async () => {
  emulator = await startEmulator();
  sitewise = siteWiseClient(emulator);
  kvs = new KinesisVideoClient({ ...emulator.clientConfig(), maxAttempts: 1 });
});
afterEach(() => emulator.reset());
afterAll(async () => {
  sitewise.destroy();
  kvs.destroy();
  await emulator.stop();
});

describe('IoT SiteWise gateway tags', () => {
  test('TagResource adds or overwrites, UntagResource removes, ListTagsForResource lists', async () => {
    const gatewayId = emulator.sitewise.createGateway({ tags: { site: 'plant-1' } });
    const resourceArn = emulator.sitewise.gateway(gatewayId)!.gatewayArn;
    await sitewise.send(new TagResourceCommand({ resourceArn, tags: { 'cdk-edge-sync:owner:iotsitewise:opcuacollector:3': 'Plant/Collector', 'site': 'plant-2' } }));
    expect((await sitewise.send(new ListTagsForResourceCommand({ resourceArn }))).tags)
      .toEqual({ 'site': 'plant-2', 'cdk-edge-sync:owner:iotsitewise:opcuacollector:3': 'Plant/Collector' });
    await sitewise.send(new UntagResourceCommand({ resourceArn, tagKeys: ['site', 'absent'] }));
    expect(emulator.sitewise.gateway(gatewayId)!.tags).toEqual({ 'cdk-edge-sync:owner:iotsitewise:opcuacollector:3': 'Plant/Collector' });
    expect(emulator.requests.map((r) => [r.operation, r.method, r.status])).toEqual([
      ['TagResource', 'POST', 200], ['ListTagsForResource', 'GET', 200], ['UntagResource', 'DELETE', 200],
    ]);
  });

  test('an ARN that names no gateway of the caller is ResourceNotFoundException; more than 50 tags is TooManyTagsException', async () => {
    const gatewayId = emulator.sitewise.createGateway();
    const resourceArn = emulator.sitewise.gateway(gatewayId)!.gatewayArn;
    await expect(sitewise.send(new ListTagsForResourceCommand({ resourceArn: resourceArn.replace('us-east-1', 'eu-west-1') })))
      .rejects.toBeInstanceOf(ResourceNotFoundException);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await expect(sitewise.send(new TagResourceCommand({ resourceArn, tags: many }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    await sitewise.send(new TagResourceCommand({ resourceArn, tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }));
    const error = await sitewise.send(new TagResourceCommand({ resourceArn, tags: { one: 'more' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyTagsException);
    expect(error).toMatchObject({ resourceName: resourceArn, $metadata: { httpStatusCode: 400 } });
  });
});

describe('Kinesis Video stream tags', () => {
  test('TagStream, UntagStream and ListTagsForStream by name or ARN', async () => {
    const streamArn = emulator.kinesisVideo.createStream({ name: 'front-door', tags: { team: 'security' } });
    await kvs.send(new TagStreamCommand({ StreamName: 'front-door', Tags: { 'cdk-edge-sync:owner': 'Cameras/FrontDoor' } }));
    expect((await kvs.send(new ListTagsForStreamCommand({ StreamARN: streamArn }))).Tags).toEqual({ 'team': 'security', 'cdk-edge-sync:owner': 'Cameras/FrontDoor' });
    await kvs.send(new UntagStreamCommand({ StreamARN: streamArn, TagKeyList: ['team'] }));
    expect(emulator.kinesisVideo.stream('front-door')!.tags).toEqual({ 'cdk-edge-sync:owner': 'Cameras/FrontDoor' });
  });

  test('more than 50 tags is TagsPerResourceExceededLimitException', async () => {
    emulator.kinesisVideo.createStream({ name: 'front-door', tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) });
    await expect(kvs.send(new TagStreamCommand({ StreamName: 'front-door', Tags: { one: 'more' } }))).rejects.toBeInstanceOf(TagsPerResourceExceededLimitException);
  });
});

describe('IAM condition keys of tagging requests', () => {
  const ROLE_KEY = 'ASIATAGGINGROLE00001';
  let statements: PolicyStatement[] = [];
  beforeEach(() => {
    statements = [];
    emulator.iam.registerRole(ROLE_KEY, {
      sessionArn: 'arn:aws:sts::123456789012:assumed-role/Tagger/fn',
      roleArn: 'arn:aws:iam::123456789012:role/Tagger',
      policies: () => [{ Statement: statements }],
    });
  });
  const roleClient = () => new IoTSiteWiseClient({ ...emulator.clientConfig(), credentials: { accessKeyId: ROLE_KEY, secretAccessKey: 'x' }, maxAttempts: 1 });

  test('aws:TagKeys limits which keys a role may remove; aws:RequestTag which values it may set; aws:ResourceTag which gateways it may touch', async () => {
    const owned = emulator.sitewise.createGateway({ tags: { 'cdk-edge-sync:handover:ns': 'Plant/Collector', 'cdk-edge-sync:owner:ns': 'Other/Collector' } });
    const resourceArn = emulator.sitewise.gateway(owned)!.gatewayArn;
    statements = [
      {
        Effect: 'Allow',
        Action: 'iotsitewise:UntagResource',
        Resource: '*',
        Condition: { 'StringLike': { 'aws:ResourceTag/cdk-edge-sync:handover:ns': 'Plant/*' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['cdk-edge-sync:handover:ns'] } },
      },
      { Effect: 'Allow', Action: 'iotsitewise:TagResource', Resource: '*', Condition: { StringLike: { 'aws:RequestTag/cdk-edge-sync:owner:ns': 'Plant/*' } } },
    ];
    const client = roleClient();
    await expect(client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['cdk-edge-sync:owner:ns'] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['cdk-edge-sync:handover:ns'] }))).resolves.toBeDefined();
    await expect(client.send(new TagResourceCommand({ resourceArn, tags: { 'cdk-edge-sync:owner:ns': 'Thief/X' } }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(client.send(new TagResourceCommand({ resourceArn, tags: { 'cdk-edge-sync:owner:ns': 'Plant/Collector' } }))).resolves.toBeDefined();
    expect(emulator.sitewise.gateway(owned)!.tags).toEqual({ 'cdk-edge-sync:owner:ns': 'Plant/Collector' });
    client.destroy();
  });
});
