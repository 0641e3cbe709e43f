import { calls, eventOf, statuses, useHarness } from './helpers';
import { scriptedStack } from './scripted-app';
import { CREATE_FAILED_PHYSICAL_ID_MARKER } from '../support/harness';

const harness = useHarness();

describe('failed create', () => {
  test('onEvent throws: FAILED with the marker id, and the rollback Delete never reaches the handler', async () => {
    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { OnEventFails: 'Create', FailureMessage: 'boom' } } } }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(statuses(result.events, 'Thing')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(calls(harness().invocations, 'Thing')).toEqual(['Create onEvent']);

    const [failed, rollback] = harness().responses;
    expect(failed.body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID_MARKER });
    expect(rollback).toMatchObject({ requestType: 'Delete', body: { Status: 'SUCCESS', PhysicalResourceId: CREATE_FAILED_PHYSICAL_ID_MARKER } });
    expect(eventOf(result.events, 'Thing', 'DELETE_IN_PROGRESS')!.physicalId).toBe(CREATE_FAILED_PHYSICAL_ID_MARKER);
    expect(eventOf(result.events, 'HarnessFixture', 'ROLLBACK_IN_PROGRESS')!.reason)
      .toBe('The following resource(s) failed to create: [Thing]. Rollback requested by user.');
  });

  test('the FAILED Reason is the framework message followed by the handler stack trace', async () => {
    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { OnEventFails: 'Create', FailureMessage: 'boom' } } } }));

    const reason = harness().responses[0].body.Reason!;
    const lines = reason.split('\n');
    expect(lines.slice(0, 4)).toEqual(['boom', '', expect.stringMatching(/^Logs: \/aws\/lambda\/OnEvent[0-9A-F]{8}$/), '']);
    // Lambda's trace minus its first line ("Error: boom"), with paths as in /var/task.
    expect(lines[4]).toMatch(/^ {4}at fail \(\/var\/task\/index\.js:\d+:\d+\)$/);
    expect(reason).not.toContain(__dirname);
    expect(eventOf(result.events, 'Thing', 'CREATE_FAILED')!.reason)
      .toBe(`Received response status [FAILED] from custom resource. Message returned: ${reason} (RequestId: ${harness().responses[0].requestId})`);
  });

  test('isComplete throws after onEvent succeeded: FAILED carries the real id, and the rollback Delete reaches the handler', async () => {
    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { IsCompleteFails: 'Create', PhysicalIdPrefix: 'real' } } } }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(harness().responses[0].body).toMatchObject({ Status: 'FAILED', PhysicalResourceId: 'real-Thing' });
    expect(calls(harness().invocations, 'Thing')).toEqual(['Create onEvent', 'Create isComplete', 'Delete onEvent', 'Delete isComplete']);
    expect(harness().invocations[2].event).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'real-Thing' });
  });

  test('Data returned while IsComplete is false fails the resource', async () => {
    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { DataWhileIncomplete: 'Create' } } } }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(harness().responses[0].body.Reason).toMatch(/^Error: "Data" is not allowed if "IsComplete" is "False"\n {4}at isComplete /);
    expect(calls(harness().invocations, 'Thing')).toEqual(['Create onEvent', 'Create isComplete', 'Delete onEvent', 'Delete isComplete']);
  });

  test('another resource failing cancels an in-flight create; its Delete comes with an invented physical id', async () => {
    const result = await harness().deploy(scriptedStack({
      resources: {
        Slow: { properties: { CompleteAfterSeconds: 120 } },
        Broken: { properties: { OnEventFails: 'Create' } },
      },
    }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(eventOf(result.events, 'Slow', 'CREATE_FAILED')!.reason).toBe('Resource creation cancelled');
    const rollbackDelete = harness().invocations.find((invocation) => invocation.logicalResourceId === 'Slow' && invocation.requestType === 'Delete')!;
    expect(rollbackDelete.event.PhysicalResourceId).toMatch(/^HarnessFixture-Slow-[A-Z0-9]{12}$/);

    // The rollback deleted the waiter state machine: its executions end at their next transition,
    // so the abandoned Create is polled no more and never answers.
    await harness().idle();
    const deleted = result.events.find((e) => e.resourceType === 'AWS::StepFunctions::StateMachine' && e.status === 'DELETE_COMPLETE')!;
    const slowPolls = harness().invocations.filter((i) => i.logicalResourceId === 'Slow' && i.handler === 'index.isComplete');
    expect(slowPolls.every((poll) => poll.startedAt <= deleted.at)).toBe(true);
    expect(harness().responses.filter((response) => response.logicalResourceId === 'Slow' && response.requestType === 'Create')).toEqual([]);
  });

  test('when the provider survives (an update rolled back), the abandoned Create keeps working and CloudFormation ignores its answer', async () => {
    await harness().deploy(scriptedStack({ resources: { Kept: {} } }));
    const result = await harness().deploy(scriptedStack({
      resources: {
        Kept: {},
        Slow: { properties: { CompleteAfterSeconds: 120 } },
        Broken: { properties: { OnEventFails: 'Create' } },
      },
    }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    await harness().idle();
    const lateAnswer = harness().responses.find((response) => response.logicalResourceId === 'Slow' && response.requestType === 'Create')!;
    expect(lateAnswer.accepted).toBe(false);
  });

  test('a response without an attribute the template reads fails the custom resource', async () => {
    const result = await harness().deploy(scriptedStack({ outputAttributes: ['Missing'], resources: { Thing: { properties: { PhysicalIdPrefix: 'real' } } } }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(eventOf(result.events, 'Thing', 'CREATE_FAILED')!.reason)
      .toMatch(/^CustomResource attribute error: Vendor response doesn't contain Missing key in object arn:aws:cloudformation:.*\|Thing\|real-Thing/);
    expect(calls(harness().invocations, 'Thing')).toContain('Delete onEvent');
  });
});

describe('failed update', () => {
  test('is rolled back with an Update whose ResourceProperties and OldResourceProperties are swapped', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { Version: 1 } } } }));
    const physicalId = harness().resource('Thing').physicalId;

    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { Version: 2, OnEventFails: 'Update' } } } }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(statuses(result.events, 'Thing')).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    const [forward, rollback] = harness().invocations.filter((invocation) => invocation.requestType === 'Update' && invocation.handler === 'index.onEvent');
    expect(forward.event).toMatchObject({ PhysicalResourceId: physicalId, ResourceProperties: { Version: '2' }, OldResourceProperties: { Version: '1' } });
    expect(rollback.event).toMatchObject({ PhysicalResourceId: physicalId, ResourceProperties: { Version: '1' }, OldResourceProperties: { Version: '2' } });
    expect(rollback.event.ResourceProperties.OnEventFails).toBeUndefined();
    expect(harness().resource('Thing').properties).toMatchObject({ Version: 1 });
  });

  test('every resource already updated is rolled back too, and resources created by the update are deleted', async () => {
    await harness().deploy(scriptedStack({ resources: { First: { properties: { Version: 1 } } } }));

    const result = await harness().deploy(scriptedStack({
      resources: {
        First: { properties: { Version: 2 } },
        Added: {},
        Broken: { dependsOn: ['First', 'Added'], properties: { OnEventFails: 'Create' } },
      },
    }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(statuses(result.events, 'First')).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect(statuses(result.events, 'Added')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(eventOf(result.events, 'Added', 'DELETE_IN_PROGRESS')!.at)
      .toBeGreaterThanOrEqual(eventOf(result.events, 'HarnessFixture', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS')!.at);
    expect(calls(harness().invocations, 'First').filter((call) => call.endsWith('onEvent'))).toEqual(['Create onEvent', 'Update onEvent', 'Update onEvent']);
    expect(harness().has('Added')).toBe(false);
    expect(harness().resource('First').properties).toMatchObject({ Version: 1 });
  });

  test('a replacement that must roll back deletes the new physical id and keeps the old one', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { PhysicalIdPrefix: 'v1' } } } }));

    const result = await harness().deploy(scriptedStack({
      resources: {
        Thing: { properties: { PhysicalIdPrefix: 'v2' } },
        Broken: { dependsOn: ['Thing'], properties: { OnEventFails: 'Create' } },
      },
    }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const deletes = harness().invocations.filter((invocation) => invocation.logicalResourceId === 'Thing' && invocation.requestType === 'Delete' && invocation.handler === 'index.onEvent');
    expect(deletes.map((invocation) => invocation.event.PhysicalResourceId)).toEqual(['v2-Thing']);
    expect(harness().resource('Thing').physicalId).toBe('v1-Thing');
  });

  test('a rollback Update that fails leaves UPDATE_ROLLBACK_FAILED', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { Version: 1, OnEventFails: 'Update' } } } }));

    const result = await harness().deploy(scriptedStack({ resources: { Thing: { properties: { Version: 2, OnEventFails: 'Update' } } } }));

    expect(result.status).toBe('UPDATE_ROLLBACK_FAILED');
    await expect(harness().deploy(scriptedStack({ resources: { Thing: {} } }))).rejects.toThrow(/UPDATE_ROLLBACK_FAILED state and can not be updated/);
  });

  test('a Delete may not change the physical id', async () => {
    await harness().deploy(scriptedStack({ resources: { Thing: { properties: { ChangeIdOnDelete: 'true', PhysicalIdPrefix: 'id' } } } }));

    const result = await harness().destroy();

    expect(result.status).toBe('DELETE_FAILED');
    expect(harness().responses.at(-1)!.body.Reason)
      .toMatch(/^Error: DELETE: cannot change the physical resource ID from "id-Thing" to "id-Thing-changed" during deletion\n/);
  });
});
