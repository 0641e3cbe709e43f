import { Readable } from 'stream';
import { ClientLimitExceededException, DescribeEdgeConfigurationCommand, KinesisVideoClient } from '@aws-sdk/client-kinesis-video';
import { HttpResponse } from '@smithy/core/protocols';
import { withFakeTime } from './events';
import { KINESIS_VIDEO_BACKOFF } from '../../lambda/shared/backoff';
import { OutOfTimeError, withCallBudget } from '../../lambda/shared/call-budget';
import { budgetedClientOptions } from '../../lambda/shared/client-options';
import { isTransientAwsError } from '../../lambda/shared/errors';
import { BudgetedRetryStrategy } from '../../lambda/shared/retry-strategy';
import { isTransientKinesisVideoError } from '../../lambda/stream-edge/kinesis-video';

const START = Date.parse('2026-11-21T10:00:00Z');
const ATTEMPT_MS = 10_000;

beforeEach(() => jest.useFakeTimers({ now: START }));
afterEach(() => jest.useRealTimers());

describe('BudgetedRetryStrategy', () => {
  const strategy = new BudgetedRetryStrategy({ isTransient: (e) => isTransientAwsError(e, ['ClientLimitExceededException']), backoff: () => 1_500, attemptTimeoutMs: ATTEMPT_MS });
  const throttled = { errorType: 'CLIENT_ERROR', error: Object.assign(new Error('Rate exceeded'), { name: 'ClientLimitExceededException', $metadata: { httpStatusCode: 400 } }) };
  const until = (ms: number) => <T>(run: () => Promise<T>) => withCallBudget(START + ms, run);

  test('starts an attempt only if its request timeout ends within the budget', async () => {
    await expect(until(ATTEMPT_MS)(() => strategy.acquireInitialRetryToken(''))).resolves.toMatchObject({});
    await expect(until(ATTEMPT_MS - 1)(() => strategy.acquireInitialRetryToken(''))).rejects.toBeInstanceOf(OutOfTimeError);
  });

  test('retries a transient error (here the service\'s own throttling code) after the backoff, if the retry fits', async () => {
    const first = await until(60_000)(() => strategy.acquireInitialRetryToken(''));
    const retry = await until(60_000)(() => strategy.refreshRetryTokenForRetry(first, throttled as any));
    expect([retry.getRetryCount(), retry.getRetryDelay()]).toEqual([1, 1_500]);
    await expect(until(1_500 + ATTEMPT_MS - 1)(() => strategy.refreshRetryTokenForRetry(first, throttled as any))).rejects.toThrow();
  });

  test('does not retry errors that waiting cannot fix', async () => {
    const first = await until(60_000)(() => strategy.acquireInitialRetryToken(''));
    const invalid = { errorType: 'CLIENT_ERROR', error: Object.assign(new Error('bad'), { name: 'InvalidArgumentException', $metadata: { httpStatusCode: 400 } }) };
    await expect(until(60_000)(() => strategy.refreshRetryTokenForRetry(first, invalid as any))).rejects.toThrow();
  });

  test('without a budget (outside an invocation) a call gets one attempt', async () => {
    const first = await strategy.acquireInitialRetryToken('');
    await expect(strategy.refreshRetryTokenForRetry(first, throttled as any)).rejects.toThrow();
  });
});

describe('a Kinesis Video client with the budgeted strategy, through the SDK\'s retry middleware', () => {
  /** An HTTP handler that answers ClientLimitExceededException `throttled` times, then an edge configuration. */
  function service(throttled: number) {
    const sent: number[] = [];
    const handle = async () => {
      sent.push(Date.now());
      const ok = sent.length > throttled;
      const body = ok ? { StreamName: 'front-door', SyncStatus: 'IN_SYNC' } : { Message: 'Rate exceeded' };
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(ok ? {} : { 'x-amzn-errortype': 'ClientLimitExceededException' }) };
      return { response: new HttpResponse({ statusCode: ok ? 200 : 400, headers, body: Readable.from([Buffer.from(JSON.stringify(body))]) }) };
    };
    const client = new KinesisVideoClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      ...budgetedClientOptions(isTransientKinesisVideoError, KINESIS_VIDEO_BACKOFF, ATTEMPT_MS),
      requestHandler: { handle, destroy: () => {}, updateHttpClientConfig: () => {}, httpHandlerConfigs: () => ({}) } as any,
    });
    return { client, sent };
  }

  test('retries the throttled call in place, 1 to 3 s apart, until it gets through', async () => {
    const { client, sent } = service(5);
    const output = await withFakeTime(() => withCallBudget(START + 120_000, () => client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' }))));
    expect(output.SyncStatus).toBe('IN_SYNC');
    expect(sent).toHaveLength(6);
    const gaps = sent.slice(1).map((at, i) => at - sent[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(3_250);
  });

  test('stops before an attempt could end after the budget, and the throttling error reaches the caller', async () => {
    const { client, sent } = service(1_000);
    const call = withFakeTime(() => withCallBudget(START + 30_000, () => client.send(new DescribeEdgeConfigurationCommand({ StreamName: 'front-door' }))));
    await expect(call).rejects.toBeInstanceOf(ClientLimitExceededException);
    expect(Date.now() - START).toBeLessThanOrEqual(30_000 - ATTEMPT_MS);
    expect(sent.length).toBeGreaterThan(5);
  });
});
