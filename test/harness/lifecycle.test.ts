import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { calls, eventOf, statuses, useHarness } from './helpers';
import { scriptedStack } from './scripted-app';
import { ScaledClock } from '../support/clock';
import { CloudFormationHarness } from '../support/harness';

const harness = useHarness();

describe('create', () => {
  test('runs onEvent, then isComplete immediately and every queryInterval until done; Data becomes GetAtt', async () => {
    const result = await harness().deploy(scriptedStack({
      // Wide margins: at 600x one real millisecond of load is 0.6 simulated seconds.
      queryInterval: Duration.seconds(30),
      resources: { Thing: { properties: { CompleteAfterSeconds: 45 } } },
      outputAttributes: ['Name'],
    }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(statuses(result.events, 'Thing')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(calls(harness().invocations, 'Thing')).toEqual(['Create onEvent', 'Create isComplete', 'Create isComplete', 'Create isComplete']);

    const [onEvent, ...polls] = harness().invocations.filter((invocation) => invocation.logicalResourceId === 'Thing');
    // The first poll follows onEvent at once, the next ones queryInterval (30 s) apart. The upper
    // bounds only separate "at once" from "one interval later" from "two intervals later": at
    // 600x, 30 simulated seconds are 50 real ms, which a busy machine can spend between hops.
    expect(polls[0].startedAt - onEvent.endedAt).toBeLessThan(30_000);
    expect(polls[1].startedAt - polls[0].endedAt).toBeGreaterThanOrEqual(30_000);
    expect(polls[1].startedAt - polls[0].endedAt).toBeLessThan(60_000);

    const thing = harness().resource('Thing');
    expect(thing.physicalId).toBe(onEvent.event.RequestId); // default physical id of a Create
    expect(thing.attributes).toMatchObject({ Name: 'Thing', OnEventInvocations: 1, Polls: 3 });
    expect(result.outputs).toEqual({ ThingName: 'Thing' });
  });

  test('sends the request CloudFormation sends: stringified scalars, ServiceToken, no ServiceTimeout', async () => {
    await harness().deploy(scriptedStack({
      resources: { Thing: { serviceTimeout: Duration.minutes(10), properties: { Count: 42, Flag: true, Nested: { List: [1, false] } } } },
    }));

    const { event } = harness().invocations[0];
    expect(event).toMatchObject({
      RequestType: 'Create',
      LogicalResourceId: 'Thing',
      ResourceType: 'Custom::Scripted',
      StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/HarnessFixture\//),
      ResponseURL: expect.stringMatching(/^https:\/\/cloudformation-custom-resource-response-useast1\.s3\.amazonaws\.com\//),
      RequestId: expect.any(String),
    });
    expect(event.PhysicalResourceId).toBeUndefined();
    expect(event.ResourceProperties).toEqual({
      ServiceToken: expect.stringMatching(/^arn:aws:lambda:us-east-1:123456789012:function:ProviderframeworkonEvent/),
      Name: 'Thing',
      Count: '42',
      Flag: 'true',
      Nested: { List: ['1', 'false'] },
    });
  });

  test('isComplete gets the onEvent result merged into the event', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: {} } }));

    const [onEvent, isComplete] = harness().invocations;
    expect(isComplete.event).toMatchObject({
      ...onEvent.event,
      StartedAt: onEvent.payload.StartedAt,
      PhysicalResourceId: onEvent.event.RequestId,
      Data: onEvent.payload.Data,
    });
  });

  test('a synchronous Provider answers with the onEvent result', async () => {
    const result = await harness().deploy(scriptedStack({ synchronous: true, resources: { Thing: { properties: { PhysicalIdPrefix: 'sync' } } } }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(calls(harness().invocations, 'Thing')).toEqual(['Create onEvent']);
    expect(harness().resource('Thing').physicalId).toBe('sync-Thing');
  });

  test('independent custom resources run concurrently, dependent ones in order', async () => {
    await harness().deploy(scriptedStack({
      resources: {
        First: { properties: { CompleteAfterSeconds: 30 } },
        Second: { properties: { CompleteAfterSeconds: 30 } },
        Third: { properties: { CompleteAfterSeconds: 30 }, dependsOn: ['First'] },
      },
    }));

    const span = (id: string) => {
      const own = harness().invocations.filter((invocation) => invocation.logicalResourceId === id);
      return { start: own[0].startedAt, end: own[own.length - 1].endedAt };
    };
    expect(span('Second').start).toBeLessThan(span('First').end);
    expect(span('Third').start).toBeGreaterThanOrEqual(span('First').end);
  });
});

describe('after a failed create', () => {
  test('deploying again creates a new stack, as the CDK CLI does after ROLLBACK_COMPLETE', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { OnEventFails: 'Create' } } } }));
    const failedStackId = harness().stackId;

    const result = await harness().deploy(scriptedStack({ resources: { Thing: {} } }));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(harness().stackId).not.toBe(failedStackId);
    expect(harness().invocations.at(-1)!.event.StackId).toBe(harness().stackId);
  });
});

describe('update', () => {
  test('sends Update with the old properties and keeps the physical id', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { Version: 1 } } } }));
    const physicalId = harness().resource('Thing').physicalId;

    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { Version: 2 } } } }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(statuses(result.events, 'Thing')).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    const update = harness().invocations.find((invocation) => invocation.requestType === 'Update')!;
    expect(update.event).toMatchObject({
      PhysicalResourceId: physicalId,
      ResourceProperties: { Version: '2' },
      OldResourceProperties: { Version: '1' },
    });
    expect(harness().resource('Thing')).toMatchObject({ physicalId, properties: { Version: 2 } });
  });

  test('an unchanged template is "no updates to be performed"', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: {} } }));
    const before = harness().invocations.length;

    const result = await harness().deploy(scriptedStack({ resources: { Thing: {} } }));

    expect(result).toMatchObject({ status: 'CREATE_COMPLETE', events: [] });
    expect(harness().invocations).toHaveLength(before);
  });

  test('a new physical id is a replacement: the old one is deleted in the cleanup phase', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { PhysicalIdPrefix: 'v1' } } } }));

    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { PhysicalIdPrefix: 'v2' } } } }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.events.map((event) => `${event.logicalId} ${event.status} ${event.physicalId ?? ''}`.trim())).toEqual(expect.arrayContaining([
      'Thing UPDATE_COMPLETE v2-Thing',
      'Thing DELETE_COMPLETE v1-Thing',
    ]));
    const cleanupStarted = eventOf(result.events, 'HarnessFixture', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')!;
    expect(eventOf(result.events, 'Thing', 'DELETE_IN_PROGRESS')!.at).toBeGreaterThanOrEqual(cleanupStarted.at);
    const deleteEvent = harness().invocations.find((invocation) => invocation.requestType === 'Delete')!.event;
    expect(deleteEvent).toMatchObject({ PhysicalResourceId: 'v1-Thing', ResourceProperties: { PhysicalIdPrefix: 'v1' } });
    expect(harness().resource('Thing').physicalId).toBe('v2-Thing');
  });

  test('UpdateReplacePolicy Retain keeps the replaced resource', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { removalPolicy: RemovalPolicy.RETAIN, properties: { PhysicalIdPrefix: 'v1' } } } }));

    const result = await harness().deploy(scriptedStack({ resources: { Thing: { removalPolicy: RemovalPolicy.RETAIN, properties: { PhysicalIdPrefix: 'v2' } } } }));

    expect(statuses(result.events, 'Thing')).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'DELETE_SKIPPED']);
    expect(harness().invocations.some((invocation) => invocation.requestType === 'Delete')).toBe(false);
  });

  test('a resource removed from the template is deleted after the update succeeded', async () => {
    await harness().deploy(scriptedStack({ resources: { Kept: {}, Removed: {} } }));

    const result = await harness().deploy(scriptedStack({ resources: { Kept: { properties: { Version: 2 } } } }));

    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(statuses(result.events, 'Removed')).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(eventOf(result.events, 'Removed', 'DELETE_IN_PROGRESS')!.at)
      .toBeGreaterThanOrEqual(eventOf(result.events, 'HarnessFixture', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')!.at);
    expect(harness().has('Removed')).toBe(false);
  });
});

describe('destroy', () => {
  test('deletes custom resources before the functions that serve them', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: {} } }));
    const physicalId = harness().resource('Thing').physicalId;

    const result = await harness().destroy();

    expect(result.status).toBe('DELETE_COMPLETE');
    expect(calls(harness().invocations, 'Thing').slice(-2)).toEqual(['Delete onEvent', 'Delete isComplete']);
    expect(harness().invocations.at(-2)!.event).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: physicalId });
    const thingDeleted = eventOf(result.events, 'Thing', 'DELETE_COMPLETE')!;
    const functionDeleting = result.events.find((event) => event.logicalId.startsWith('OnEvent') && event.status === 'DELETE_IN_PROGRESS')!;
    expect(functionDeleting.at).toBeGreaterThanOrEqual(thingDeleted.at);
    expect(result.events.indexOf(functionDeleting)).toBeGreaterThan(result.events.indexOf(thingDeleted));
    expect(harness().status).toBe('DELETE_COMPLETE');
  });

  test('DeletionPolicy Retain skips the Delete', async () => {
    await harness().deploy(scriptedStack({ resources: { Kept: { removalPolicy: RemovalPolicy.RETAIN }, Gone: {} } }));

    const result = await harness().destroy();

    expect(statuses(result.events, 'Kept')).toEqual(['DELETE_SKIPPED']);
    expect(statuses(result.events, 'Gone')).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(calls(harness().invocations, 'Kept')).not.toContain('Delete onEvent');
  });

  test('a failing Delete leaves the stack DELETE_FAILED with the resource still in it', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { OnEventFails: 'Delete', FailureMessage: 'cannot delete' } } } }));

    const result = await harness().destroy();

    expect(result.status).toBe('DELETE_FAILED');
    expect(eventOf(result.events, 'Thing', 'DELETE_FAILED')!.reason).toMatch(/^Received response status \[FAILED\] from custom resource\. Message returned: cannot delete\n/);
    expect(harness().has('Thing')).toBe(true);
    // What the custom resource needs stays too.
    expect(harness().has('OnEvent')).toBe(true);
  });
});

describe('harness', () => {
  test('reports progress live and keeps every event', async () => {
    const seen: string[] = [];
    const live = new CloudFormationHarness({
      clock: new ScaledClock(600),
      onProgress: (event) => seen.push(`${event.logicalId} ${event.status}`),
    });
    try {
      await live.deploy(scriptedStack({ resources: { Thing: {} } }));
    } finally {
      await live.dispose();
    }

    expect(seen[0]).toBe('HarnessFixture CREATE_IN_PROGRESS');
    expect(seen).toContain('Thing CREATE_COMPLETE');
    expect(seen.at(-1)).toBe('HarnessFixture CREATE_COMPLETE');
    expect(live.events).toHaveLength(seen.length);
  });

  test('dispose stops a deployment that is still waiting', async () => {
    const deployment = harness().deploy(scriptedStack({ totalTimeout: Duration.minutes(30), resources: { Thing: { properties: { NeverComplete: 'Create' } } } }));
    const stopped = expect(deployment).rejects.toThrow('CloudFormation harness disposed');
    await new Promise((resolve) => setTimeout(resolve, 200));

    await harness().dispose();

    await stopped;
  });
});
