import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, CfnWaitConditionHandle, Stack, type Environment } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { useHarness } from './helpers';
import { SCRIPTED_PROVIDER_CODE } from './scripted-app';
import { resolveAssetPlaceholders } from '../support/harness';

// Like `cdk deploy`, the harness uploads a stack's file assets to the asset store before the stack
// operation, at the bucket and key the template refers to.
const published = new Map<string, Buffer>();
let failPuts = false;
const harness = useHarness({
  region: 'eu-central-1',
  accountId: '210987654321',
  assetStore: {
    putObject(bucket, key, body) {
      if (failPuts) throw new Error('AccessDenied');
      published.set(`${bucket}/${key}`, body);
    },
  },
});

beforeEach(() => {
  published.clear();
  failPuts = false;
});

/** Binary bytes (not valid UTF-8), to show they travel unchanged. */
const DOCUMENT = Buffer.concat([Buffer.from('{"doc":"'), Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('"}')]);

/** A stack with a file asset whose bucket and key are outputs, and a Lambda function with directory (zip) code. */
function assetStack(env?: Environment): Stack {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harness-asset-')), 'document.json');
  fs.writeFileSync(file, DOCUMENT);
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'AssetFixture', { env });
  const asset = new s3assets.Asset(stack, 'Document', { path: file });
  new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.onEvent', code: lambda.Code.fromAsset(SCRIPTED_PROVIDER_CODE) });
  new CfnWaitConditionHandle(stack, 'Placeholder');
  new CfnOutput(stack, 'Bucket', { value: asset.s3BucketName });
  new CfnOutput(stack, 'Key', { value: asset.s3ObjectKey });
  new CfnOutput(stack, 'Url', { value: asset.s3ObjectUrl });
  return stack;
}

test('a stack without an env: the Fn::Sub bucket resolves to the harness\'s account and region, where the file is', async () => {
  const result = await harness().deploy(assetStack());
  expect(result.status).toBe('CREATE_COMPLETE');
  const { Bucket, Key, Url } = result.outputs as Record<string, string>;
  expect(Bucket).toBe('cdk-hnb659fds-assets-210987654321-eu-central-1');
  expect(Key).toMatch(/^[0-9a-f]{64}\.json$/);
  expect(Url).toBe(`s3://${Bucket}/${Key}`);
  expect(published.get(`${Bucket}/${Key}`)).toEqual(DOCUMENT);
  // The template is a file asset too; the Lambda code directory is not published.
  expect([...published.keys()].every((location) => location.startsWith(`${Bucket}/`) && location.endsWith('.json'))).toBe(true);
  expect(published.size).toBe(2);
});

test('a stack with an explicit env: the literal bucket of its asset manifest', async () => {
  const result = await harness().deploy(assetStack({ account: '111111111111', region: 'eu-west-1' }));
  expect(result.status).toBe('CREATE_COMPLETE');
  const { Bucket, Key } = result.outputs as Record<string, string>;
  expect(Bucket).toBe('cdk-hnb659fds-assets-111111111111-eu-west-1');
  expect(published.get(`${Bucket}/${Key}`)).toEqual(DOCUMENT);
});

test('a failing upload fails the deploy before the stack operation starts', async () => {
  failPuts = true;
  await expect(harness().deploy(assetStack())).rejects.toThrow('AccessDenied');
  expect(harness().status).toBeUndefined();
  expect(harness().events).toEqual([]);
});

test('resolveAssetPlaceholders substitutes account, region and partition', () => {
  expect(resolveAssetPlaceholders('arn:${AWS::Partition}:s3:::cdk-${AWS::AccountId}-${AWS::Region}/${AWS::Region}', {
    accountId: '1', region: 'r', partition: 'aws-cn',
  })).toBe('arn:aws-cn:s3:::cdk-1-r/r');
});
