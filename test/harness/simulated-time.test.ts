import * as fs from 'fs';
import * as path from 'path';
import { App, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { TEST_SCALE, useHarness } from './helpers';
import { synthesizeStack } from '../support/harness/cloud-assembly';

const PROBE_CODE = path.join(__dirname, 'fixtures', 'time-probe');

interface ProbeOptions {
  /** Code.fromInline (Code.ZipFile) instead of Code.fromAsset. */
  readonly inline?: boolean;
  readonly outdir?: string;
}

function probeStack(version: number, options: ProbeOptions = {}): Stack {
  const { inline, outdir } = options;
  const app = new App({ builtinCloudFormationValidation: false, outdir });
  const stack = new Stack(app, 'TimeProbe');
  const onEvent = new lambda.Function(stack, 'Probe', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.onEvent',
    code: inline ? lambda.Code.fromInline(fs.readFileSync(path.join(PROBE_CODE, 'index.js'), 'utf8')) : lambda.Code.fromAsset(PROBE_CODE),
    timeout: Duration.minutes(2),
    environment: { FROM_TEMPLATE: `region is ${stack.region}` },
  });
  const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent });
  new CustomResource(stack, 'Measured', { serviceToken: provider.serviceToken, properties: { Version: version } });
  return stack;
}

const harness = useHarness({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } });

test('handlers run on simulated time: 90 simulated seconds of sleeping pass in less real time', async () => {
  const synthesized = synthesizeStack(probeStack(1));
  const realStart = Date.now();
  const result = await harness().deploy(synthesized);
  const realElapsed = Date.now() - realStart;

  expect(result.status).toBe('CREATE_COMPLETE');
  const data = harness().resource('Measured').attributes;
  expect(Number(data.After) - Number(data.Before)).toBeGreaterThanOrEqual(90_000);
  // Late by at most a real second of scheduling delay on a busy machine.
  expect(Number(data.After) - Number(data.Before)).toBeLessThan(90_000 + TEST_SCALE * 1_000);
  // Not a speed target: only that the sleep was simulated (at scale 600 it takes 150 real ms).
  expect(realElapsed).toBeLessThan(30_000);
  // The handler's clock is the harness's clock.
  const invocation = harness().invocations[0];
  expect(Number(data.Before)).toBeGreaterThanOrEqual(invocation.startedAt - 1_000);
  expect(Number(data.After)).toBeLessThanOrEqual(invocation.endedAt + 1_000);
  expect(data).toMatchObject({ NewDateIsNow: true, DateIsADate: true });
});

test('the Lambda context counts down the Timeout in simulated milliseconds', async () => {
  await harness().deploy(probeStack(1));

  const data = harness().resource('Measured').attributes;
  expect(Number(data.RemainingBefore)).toBeGreaterThan(115_000);
  expect(Number(data.RemainingBefore)).toBeLessThanOrEqual(120_000);
  expect(Number(data.RemainingAfter)).toBeLessThanOrEqual(Number(data.RemainingBefore) - 90_000);
  expect(data.FunctionName).toMatch(/^Probe[0-9A-F]{8}$/);
  expect(data.InvokedFunctionArn).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${data.FunctionName}`);
});

test('handlers get the template environment, the harness environment and their role session\'s credentials only', async () => {
  const realSecret = process.env.AWS_SECRET_ACCESS_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = 'a-real-secret-that-must-not-leak';
  try {
    await harness().deploy(probeStack(1));
  } finally {
    if (realSecret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = realSecret;
  }

  expect(harness().resource('Measured').attributes).toMatchObject({
    Region: 'us-east-1',
    FromTemplate: 'region is us-east-1',
    Endpoint: 'http://127.0.0.1:4566',
    // The execution role session's (see iam-policies.ts), never the test process's.
    SecretAccessKey: expect.stringMatching(/^[0-9a-f]{40}$/),
  });
});

test('inline code (Code.ZipFile) runs too', async () => {
  const result = await harness().deploy(probeStack(1, { inline: true }));

  expect(result.status).toBe('CREATE_COMPLETE');
  expect(harness().resource('Probe').properties.Code).toHaveProperty('ZipFile');
  expect(harness().resource('Measured').attributes.Region).toBe('us-east-1');
});

test('the AWS SDK resolves like in the Lambda runtime; other modules must be bundled', async () => {
  await harness().deploy(probeStack(1));

  expect(harness().resource('Measured').attributes).toMatchObject({ SdkClient: 'function', NotBundled: 'MODULE_NOT_FOUND' });
});

test('even with the cloud assembly inside the repository, only bundled code and the SDK resolve', async () => {
  const outdir = path.join(__dirname, '.tmp', `assembly-${process.pid}`);
  try {
    await harness().deploy(probeStack(1, { outdir }));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
    if (fs.readdirSync(path.dirname(outdir)).length === 0) fs.rmdirSync(path.dirname(outdir));
  }

  expect(harness().resource('Measured').attributes).toMatchObject({ SdkClient: 'function', NotBundled: 'MODULE_NOT_FOUND' });
});

test('a warm container keeps its module state between invocations', async () => {
  await harness().deploy(probeStack(1));
  await harness().deploy(probeStack(2));

  expect(harness().resource('Measured').attributes.Invocations).toBe(2);
  expect(harness().invocations.map((invocation) => invocation.coldStart)).toEqual([true, false]);
  expect(harness().logs('Probe')[0]).toMatch(/^START RequestId: [0-9a-f-]+ Version: \$LATEST$/);
});
