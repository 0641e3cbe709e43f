import {
  DescribeGatewayCapabilityConfigurationCommand, IoTSiteWiseClient, UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import { mockClient } from 'aws-sdk-client-mock';
import { DOCUMENT, GATEWAY_ID, mockGatewayTags, NAMESPACE, onEventRequest, properties, runHandlers, useFakeClock } from './events';
import { OutOfTimeError, withCallBudget } from '../../lambda/shared/call-budget';
import { isTransientAwsError } from '../../lambda/shared/errors';
import { isThrottling, METRICS_NAMESPACE, withInvocationCounters, writeMetrics } from '../../lambda/shared/metrics';
import { BudgetedRetryStrategy } from '../../lambda/shared/retry-strategy';

const sitewise = mockClient(IoTSiteWiseClient);
const START = Date.parse('2026-11-21T10:00:00Z');
let stdout: string[];

useFakeClock(START, () => {
  sitewise.reset();
  mockGatewayTags(sitewise);
});
beforeEach(() => {
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    stdout.push(String(chunk));
    return true;
  });
});

/** The EMF documents written to stdout. */
function emfLines(): any[] {
  return stdout.flatMap((chunk) => chunk.split('\n')).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
}

function deviceAnswers(...statuses: string[]) {
  let stored: string | undefined;
  let calls = 0;
  sitewise.on(UpdateGatewayCapabilityConfigurationCommand).callsFake((input) => {
    stored = input.capabilityConfiguration;
    return { capabilityNamespace: NAMESPACE, capabilitySyncStatus: 'OUT_OF_SYNC' };
  });
  sitewise.on(DescribeGatewayCapabilityConfigurationCommand).callsFake(() => ({
    gatewayId: GATEWAY_ID,
    capabilityNamespace: NAMESPACE,
    capabilityConfiguration: stored ?? DOCUMENT,
    capabilitySyncStatus: statuses[Math.min(calls++, statuses.length - 1)],
  }));
}

describe('writeMetrics', () => {
  test('writes one EMF line to stdout, not through console (which Lambda\'s JSON log format would wrap)', () => {
    const info = jest.spyOn(console, 'info');
    writeMetrics({ ResourceType: 'StreamEdgeConfiguration' }, [{ name: 'Drifted', value: 1, unit: 'Count' }], { paths: ['/a'] }, 1234);
    expect(info).not.toHaveBeenCalled();
    expect(stdout).toHaveLength(1);
    expect(stdout[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(stdout[0])).toEqual({
      _aws: { Timestamp: 1234, CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['ResourceType']], Metrics: [{ Name: 'Drifted', Unit: 'Count' }] }] },
      ResourceType: 'StreamEdgeConfiguration',
      Drifted: 1,
      paths: ['/a'],
    });
  });

  test('writes nothing without values', () => {
    writeMetrics({ A: 'b' }, []);
    expect(stdout).toEqual([]);
  });
});

describe('deploy metrics', () => {
  test('an operation that syncs writes SyncSeconds from the start of onEvent, and no failure', async () => {
    deviceAnswers('OUT_OF_SYNC', 'OUT_OF_SYNC', 'IN_SYNC');
    await runHandlers(onEventRequest('Create'));
    const [onEventLine, isCompleteLine] = emfLines();
    expect(onEventLine).toMatchObject({ ResourceType: 'GatewayCapabilityConfiguration', RequestType: 'Create', Throttles: 0 });
    expect(onEventLine.SyncSeconds).toBeUndefined();
    expect(isCompleteLine).toMatchObject({ ResourceType: 'GatewayCapabilityConfiguration', RequestType: 'Create', SyncFailures: 0, SyncTimeouts: 0 });
    // Polled at 0, 1 and 2 s after the write (the fake clock steps 250 ms between onEvent and isComplete).
    expect(isCompleteLine.SyncSeconds).toBeGreaterThanOrEqual(2);
    expect(isCompleteLine.SyncSeconds).toBeLessThan(2.5);
    expect(isCompleteLine._aws.CloudWatchMetrics[0].Dimensions).toEqual([['ResourceType', 'RequestType']]);
  });

  test('a rejection counts as a failure, not a timeout', async () => {
    deviceAnswers('OUT_OF_SYNC', 'SYNC_FAILED');
    await expect(runHandlers(onEventRequest('Update'))).rejects.toThrow(/SYNC_FAILED/);
    expect(emfLines().at(-1)).toMatchObject({ RequestType: 'Update', SyncFailures: 1, SyncTimeouts: 0 });
    expect(emfLines().at(-1).SyncSeconds).toBeUndefined();
  });

  test('the sync timeout counts as a failure and a timeout', async () => {
    deviceAnswers('OUT_OF_SYNC');
    await expect(runHandlers(onEventRequest('Create', { ResourceProperties: properties({ SyncTimeoutSeconds: '60' }) }), 900_000)).rejects.toThrow(/Timed out/);
    expect(emfLines().at(-1)).toMatchObject({ SyncFailures: 1, SyncTimeouts: 1 });
  });

  test('a refusal in onEvent is a failure of the request type', async () => {
    await expect(runHandlers(onEventRequest('Create', { ResourceProperties: properties({ CapabilityNamespace: 'nope' }) }))).rejects.toThrow();
    expect(emfLines()).toEqual([expect.objectContaining({ RequestType: 'Create', SyncFailures: 1, SyncTimeouts: 0 })]);
  });
});

describe('throttles', () => {
  const strategy = new BudgetedRetryStrategy({ isTransient: (e) => isTransientAwsError(e, ['ClientLimitExceededException']), backoff: () => 1_000, attemptTimeoutMs: 1_000 });
  const failed = (name: string, httpStatusCode: number) => ({ error: Object.assign(new Error(name), { name, $metadata: { httpStatusCode } }) });

  test('every throttled attempt the retry strategy sees is counted in its invocation, other errors are not', async () => {
    const counted = await withInvocationCounters(async (counts) => {
      await withCallBudget(START + 60_000, async () => {
        const first = await strategy.acquireInitialRetryToken('');
        await strategy.refreshRetryTokenForRetry(first, failed('ClientLimitExceededException', 400) as any);
        await strategy.refreshRetryTokenForRetry(first, failed('ThrottlingException', 429) as any);
        await strategy.refreshRetryTokenForRetry(first, failed('InternalFailureException', 500) as any);
        await expect(strategy.refreshRetryTokenForRetry(first, failed('InvalidRequestException', 400) as any)).rejects.toThrow();
      });
      return counts.throttles;
    });
    expect(counted).toBe(2);
    await expect(withCallBudget(START, () => strategy.acquireInitialRetryToken(''))).rejects.toBeInstanceOf(OutOfTimeError);
  });

  test.each([
    ['ClientLimitExceededException', true],
    ['ThrottlingException', true],
    ['SlowDown', true],
    ['LimitExceededException', false],
    ['InternalFailureException', false],
  ])('%s is throttling: %s', (name, expected) => {
    expect(isThrottling(Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } }))).toBe(expected);
  });
});
