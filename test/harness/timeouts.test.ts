import { Duration } from 'aws-cdk-lib';
import { calls, eventOf, useHarness } from './helpers';
import { scriptedStack } from './scripted-app';
import { ScaledClock } from '../support/clock';
import { MAX_RESPONSE_BYTES } from '../support/harness';
import { CustomResourceEndpoint } from '../support/harness/custom-resource-endpoint';
import { CustomResourceRequest } from '../support/harness/types';

const harness = useHarness();

describe('waiter timeout (totalTimeout / queryInterval)', () => {
  test('fails with "Operation timed out" after 1 + MaxAttempts isComplete calls, carrying the real id', async () => {
    const result = await harness().deploy(scriptedStack({
      queryInterval: Duration.seconds(10),
      totalTimeout: Duration.seconds(60),
      resources: { Thing: { properties: { NeverComplete: 'Create', PhysicalIdPrefix: 'real' } } },
    }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const polls = harness().invocations.filter((invocation) => invocation.requestType === 'Create' && invocation.handler === 'index.isComplete');
    expect(polls).toHaveLength(1 + 6);
    expect(polls.at(-1)!.startedAt - polls[0].startedAt).toBeGreaterThanOrEqual(60_000);
    expect(harness().responses[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: 'Operation timed out',
      PhysicalResourceId: 'real-Thing',
      // onEvent's Data travels with the timed-out event.
      Data: { Name: 'Thing' },
    });
    expect(eventOf(result.events, 'Thing', 'CREATE_FAILED')!.reason).toMatch(/Message returned: Operation timed out \(RequestId: /);
    expect(calls(harness().invocations, 'Thing')).toContain('Delete onEvent');
  });
});

describe('ServiceTimeout', () => {
  test('CloudFormation gives up when no response arrives within ServiceTimeout', async () => {
    const result = await harness().deploy(scriptedStack({
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.minutes(30),
      resources: { Thing: { serviceTimeout: Duration.seconds(120), properties: { NeverComplete: 'Create' } } },
    }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const started = eventOf(result.events, 'Thing', 'CREATE_IN_PROGRESS')!;
    const failed = eventOf(result.events, 'Thing', 'CREATE_FAILED')!;
    expect(failed.reason).toMatch(/^CloudFormation did not receive a response from your Custom Resource\. Please check your logs for requestId \[[0-9a-f-]+\]/);
    expect(failed.at - started.at).toBeGreaterThanOrEqual(120_000);
    expect(failed.at - started.at).toBeLessThan(300_000);
    // No physical id ever came back: the rollback Delete carries one CloudFormation made up.
    const rollbackDelete = harness().invocations.find((invocation) => invocation.requestType === 'Delete')!;
    expect(rollbackDelete.event.PhysicalResourceId).toMatch(/^HarnessFixture-Thing-[A-Z0-9]{12}$/);
  });
});

describe('Lambda timeout', () => {
  test('a handler running past its Timeout fails the request, and the next invocation starts a new container', async () => {
    const onEventTimeout = Duration.seconds(5);
    await harness().deploy(scriptedStack({ onEventTimeout, resources: { Thing: {} } }));

    const result = await harness().deploy(scriptedStack({ onEventTimeout, resources: { Thing: { properties: { SleepSeconds: 60 } } } }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const [timedOut, rollback] = harness().invocations.filter((invocation) => invocation.requestType === 'Update' && invocation.handler === 'index.onEvent');
    expect(timedOut.outcome).toBe('timeout');
    expect(timedOut.endedAt - timedOut.startedAt).toBeGreaterThanOrEqual(5_000);
    // Cut short, not run to the end of its 60 s sleep.
    expect(timedOut.endedAt - timedOut.startedAt).toBeLessThan(30_000);
    expect(harness().responses.find((response) => response.requestType === 'Update')!.body.Reason)
      .toMatch(/^Error: RequestId: [0-9a-f-]+ Error: Task timed out after 5\.00 seconds\n\nLogs: \/aws\/lambda\/OnEvent[0-9A-F]{8}\n/);
    expect(rollback).toMatchObject({ coldStart: true, outcome: 'success' });
    expect(rollback.payload.Data.OnEventInvocations).toBe(1);
    expect(harness().logs('OnEvent')).toContainEqual(expect.stringMatching(/Task timed out after 5\.00 seconds$/));
  });
});

describe('4 KB response limit', () => {
  test('a response body over 4096 bytes fails the resource', async () => {
    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { DataBytes: 4000 } } } }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(harness().responses[0].bytes).toBeGreaterThan(MAX_RESPONSE_BYTES);
    expect(eventOf(result.events, 'Thing', 'CREATE_FAILED')!.reason).toBe('Response object is too long.');
  });

  test('a long error message (the Reason) counts too', async () => {
    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { OnEventFails: 'Create', FailureMessage: 'e'.repeat(5000) } } } }));

    expect(eventOf(result.events, 'Thing', 'CREATE_FAILED')!.reason).toBe('Response object is too long.');
  });

  test('the limit is on the whole JSON body, in bytes', () => {
    const clock = new ScaledClock(600);
    const endpoint = new CustomResourceEndpoint(clock);
    const request = (id: string): CustomResourceRequest => ({
      RequestType: 'Create',
      ServiceToken: 'x',
      ResponseURL: `https://response/${id}`,
      StackId: 's',
      RequestId: id,
      LogicalResourceId: 'Thing',
      ResourceType: 'Custom::X',
      ResourceProperties: {},
    });
    const bodyOfSize = (bytes: number) => {
      const empty = JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: 'p', Data: { V: '' } });
      const remaining = bytes - empty.length;
      // Two-byte characters: the limit counts UTF-8 bytes, not characters.
      return JSON.stringify({ Status: 'SUCCESS', PhysicalResourceId: 'p', Data: { V: 'é'.repeat(Math.floor(remaining / 2)) + 'x'.repeat(remaining % 2) } });
    };

    const fits = endpoint.send(request('a'), 60, () => endpoint.put('https://response/a', bodyOfSize(4096)));
    const tooLong = endpoint.send(request('b'), 60, () => endpoint.put('https://response/b', bodyOfSize(4098)));

    expect(endpoint.responses.map((response) => response.bytes)).toEqual([4096, 4098]);
    return Promise.all([
      expect(fits.outcome).resolves.toMatchObject({ status: 'SUCCESS' }),
      expect(tooLong.outcome).resolves.toEqual({ status: 'FAILED', reason: 'Response object is too long.' }),
    ]);
  });
});
