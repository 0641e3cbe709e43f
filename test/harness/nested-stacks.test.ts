import { Duration, NestedStack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { statuses, useHarness } from './helpers';
import { scriptedNestedStacks } from './scripted-app';
import { NestedStackView, StackEvent } from '../support/harness';

const harness = useHarness();

/** The parent's `AWS::CloudFormation::Stack` resource of a CDK NestedStack `id`. */
function nestedResourceId(id: string): string {
  const resource = harness().resources().find((candidate) => candidate.type === 'AWS::CloudFormation::Stack' && candidate.logicalId.startsWith(id));
  if (!resource) throw new Error(`No nested stack resource ${id}`);
  return resource.logicalId;
}

/** The current (not deleted) nested stack of parent resource `id`. */
function child(id: string): NestedStackView {
  const physicalId = harness().resource(nestedResourceId(id)).physicalId;
  return harness().nestedStacks().find((view) => view.stackId === physicalId)!;
}

function childStatuses(events: readonly StackEvent[], stackName: string): string[] {
  return events.filter((event) => event.stackName === stackName && event.logicalId === stackName).map((event) => event.status);
}

describe('nested stacks', () => {
  test('a parent with two nested stacks deploys, updates and destroys them, each with its own resources', async () => {
    const created = await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: { properties: { Version: 1 } } } },
      Second: { resources: { Beta: { properties: { Version: 1 } } } },
    }));
    expect(created.status).toBe('CREATE_COMPLETE');
    const [first, second] = [child('First'), child('Second')];
    expect(first.status).toBe('CREATE_COMPLETE');
    expect(second.status).toBe('CREATE_COMPLETE');
    expect(first.stackName).toMatch(/^HarnessNestedFixture-First.*NestedStackResource[0-9A-F]{8}-[A-Z0-9]{12}$/);
    expect(first.resources.map((resource) => resource.logicalId)).toContain('Alpha');
    expect(second.resources.map((resource) => resource.logicalId)).toContain('Beta');
    // Each nested stack's Provider ran for its own resource, with the child's stack id in the request.
    const alphaCreate = harness().invocations.find((invocation) => invocation.logicalResourceId === 'Alpha' && invocation.requestType === 'Create')!;
    expect(alphaCreate.event.StackId).toBe(first.stackId);
    expect(alphaCreate.functionLogicalId.startsWith(`${nestedResourceId('First')}/`)).toBe(true);
    // The second waits for the first (DependsOn): it is created after the first completed.
    const firstDone = created.events.find((event) => event.logicalId === nestedResourceId('First') && event.status === 'CREATE_COMPLETE')!;
    const secondStart = created.events.find((event) => event.logicalId === nestedResourceId('Second') && event.status === 'CREATE_IN_PROGRESS')!;
    expect(created.events.indexOf(secondStart)).toBeGreaterThan(created.events.indexOf(firstDone));
    // The children's events are the harness's events too, named by their stack.
    expect(childStatuses(harness().events, first.stackName)).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(statuses(first.events, 'Alpha')).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);

    const updated = await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: { properties: { Version: 2 } } } },
      Second: { resources: { Beta: { properties: { Version: 2 } }, Gamma: {} } },
    }));
    expect(updated.status).toBe('UPDATE_COMPLETE');
    expect(child('First').stackId).toBe(first.stackId); // updated in place
    expect(child('First').status).toBe('UPDATE_COMPLETE');
    expect(child('Second').status).toBe('UPDATE_COMPLETE');
    expect(child('First').resources.find((resource) => resource.logicalId === 'Alpha')!.properties).toMatchObject({ Version: 2 });
    expect(child('Second').resources.map((resource) => resource.logicalId)).toEqual(expect.arrayContaining(['Beta', 'Gamma']));
    expect(statuses(updated.events, nestedResourceId('Second'))).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    // The child's cleanup runs in the parent's cleanup.
    expect(childStatuses(harness().events, second.stackName).slice(-3))
      .toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);

    const deleteCountBefore = harness().invocations.filter((invocation) => invocation.requestType === 'Delete').length;
    const destroyed = await harness().destroy();
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    const views = harness().nestedStacks();
    expect(views.map((view) => view.status)).toEqual(['DELETE_COMPLETE', 'DELETE_COMPLETE']);
    expect(views.every((view) => view.resources.length === 0)).toBe(true);
    const deletes = harness().invocations.filter((invocation) => invocation.requestType === 'Delete' && invocation.handler === 'index.onEvent')
      .map((invocation) => invocation.logicalResourceId);
    expect(deletes).toEqual(expect.arrayContaining(['Alpha', 'Beta', 'Gamma']));
    expect(deleteCountBefore).toBe(0);
  });

  test('a failed custom resource fails the parent update; the parent rollback rolls back the failed nested stack and its updated sibling', async () => {
    expect((await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: { properties: { Version: 1 } } } },
      Second: { resources: { Beta: { properties: { Version: 1 } } } },
    }))).status).toBe('CREATE_COMPLETE');
    const [first, second] = [child('First'), child('Second')];

    const result = await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: { properties: { Version: 2 } }, Added: {} } },
      Second: { resources: { Beta: { properties: { Version: 2, OnEventFails: 'Update', FailureMessage: 'beta broke' } } } },
    }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const secondId = nestedResourceId('Second');
    const failed = result.events.find((event) => event.logicalId === secondId && event.status === 'UPDATE_FAILED')!;
    expect(failed.reason).toMatch(new RegExp(`^Embedded stack ${escape(second.stackId)} was not successfully updated: .*\\[Beta\\]`));
    // The sibling completed its update before, and is rolled back by the parent's rollback.
    expect(statuses(result.events, nestedResourceId('First'))).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect(statuses(result.events, secondId)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);

    // The failed child waited for the parent's rollback, which began after the failure.
    const secondStack = childStatuses(harness().events, second.stackName);
    expect(secondStack.slice(-4)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
    const parentRollback = harness().events.findIndex((event) => event.stackName === undefined && event.status === 'UPDATE_ROLLBACK_IN_PROGRESS');
    const childRollback = harness().events.findIndex((event) => event.stackName === second.stackName && event.status === 'UPDATE_ROLLBACK_IN_PROGRESS');
    expect(childRollback).toBeGreaterThan(parentRollback);
    // The sibling never cleaned up: it went from the update straight to the rollback.
    expect(childStatuses(harness().events, first.stackName).slice(-5))
      .toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);

    // Both children are back to their previous state: old properties, the added resource deleted.
    expect(child('First').status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(child('Second').status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(child('First').resources.find((resource) => resource.logicalId === 'Alpha')!.properties).toMatchObject({ Version: 1 });
    expect(child('First').resources.map((resource) => resource.logicalId)).not.toContain('Added');
    expect(child('Second').resources.find((resource) => resource.logicalId === 'Beta')!.properties).toMatchObject({ Version: 1 });
    const alphaUpdates = harness().invocations.filter((invocation) => invocation.logicalResourceId === 'Alpha'
      && invocation.requestType === 'Update' && invocation.handler === 'index.onEvent');
    expect(alphaUpdates.map((invocation) => invocation.event.ResourceProperties.Version)).toEqual(['2', '1']);
    const addedDeletes = harness().invocations.filter((invocation) => invocation.logicalResourceId === 'Added' && invocation.requestType === 'Delete');
    expect(addedDeletes.length).toBeGreaterThan(0);

    // And the parent deploys again from there.
    expect((await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: { properties: { Version: 3 } } } },
      Second: { resources: { Beta: { properties: { Version: 3 } } } },
    }))).status).toBe('UPDATE_COMPLETE');
  });

  test('a sibling\'s failure cancels a nested stack\'s update in flight; the parent\'s rollback rolls it back', async () => {
    const app = (alpha: Record<string, unknown>, beta: Record<string, unknown>) => scriptedNestedStacks({
      First: { resources: { Alpha: { properties: alpha } }, totalTimeout: Duration.hours(1) },
      Second: { resources: { Beta: { properties: beta } } },
    }, [], { parallel: true });
    expect((await harness().deploy(app({ Version: 1 }, { Version: 1 }))).status).toBe('CREATE_COMPLETE');
    const first = child('First');

    // Alpha's update does not end (until its waiter times out in an hour); Beta's fails at once.
    const result = await harness().deploy(app({ Version: 2, NeverComplete: 'Update' }, { Version: 2, OnEventFails: 'Update' }));

    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const firstId = nestedResourceId('First');
    expect(result.events.find((event) => event.logicalId === firstId && event.status === 'UPDATE_FAILED')?.reason).toBe('Resource update cancelled');
    expect(result.events.find((event) => event.stackName === undefined && event.status === 'UPDATE_ROLLBACK_IN_PROGRESS')?.reason)
      .toBe(`The following resource(s) failed to update: [${nestedResourceId('Second')}]. `);
    expect(statuses(first.events, 'Alpha').slice(-4)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect(first.events.find((event) => event.logicalId === 'Alpha' && event.status === 'UPDATE_FAILED')?.reason).toBe('Resource update cancelled');
    expect(childStatuses(harness().events, first.stackName).slice(-4))
      .toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
    expect(child('First').resources.find((resource) => resource.logicalId === 'Alpha')!.properties).toMatchObject({ Version: 1 });
  });

  test('a sibling\'s failure cancels a nested stack\'s create in flight: it rolls itself back', async () => {
    const result = await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: { properties: { NeverComplete: 'Create' } } }, totalTimeout: Duration.hours(1) },
      Second: { resources: { Beta: { properties: { OnEventFails: 'Create' } } } },
    }, [], { parallel: true }));

    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.events.find((event) => event.status === 'ROLLBACK_IN_PROGRESS')?.reason)
      .toMatch(/^The following resource\(s\) failed to create: \[SecondNestedStack\w+\]\. Rollback requested by user\.$/);
    const [first] = harness().nestedStacks();
    expect(result.events.find((event) => event.logicalId.startsWith('FirstNestedStack') && event.status === 'CREATE_FAILED')?.reason).toBe('Resource creation cancelled');
    expect(childStatuses(harness().events, first.stackName)).toEqual(['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE']);
    expect(first.events.find((event) => event.logicalId === first.stackName && event.status === 'ROLLBACK_IN_PROGRESS')?.reason).toBe('Resource creation cancelled');
    expect(first.resources).toEqual([]);
  });

  test('nested stack outputs reach the parent', async () => {
    const result = await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: {} } },
      Second: { resources: { Beta: {} } },
    }, [{ nested: 'First', resource: 'Alpha', attribute: 'Name' }, { nested: 'Second', resource: 'Beta', attribute: 'Name' }]));

    expect(result.status).toBe('CREATE_COMPLETE');
    expect(result.outputs).toEqual({ FirstAlphaName: 'Alpha', SecondBetaName: 'Beta' });
    const outputNames = Object.keys(child('First').outputs);
    expect(outputNames).toHaveLength(1);
    expect(harness().resource(nestedResourceId('First')).attributes[`Outputs.${outputNames[0]}`]).toBe('Alpha');
  });

  test('a nested stack resolves its parameters from the parent\'s values', async () => {
    const result = await harness().deploy(scriptedNestedStacks({
      First: {
        resources: {
          Alpha: {
            properties: (nested) => ({ TopicArn: new sns.Topic((nested as NestedStack).nestedStackParent!, 'Topic').topicArn }),
          },
        },
      },
    }));

    expect(result.status).toBe('CREATE_COMPLETE');
    const topicArn = harness().resource('Topic').physicalId;
    expect(Object.values(child('First').parameters)).toEqual([topicArn]);
    expect(child('First').resources.find((resource) => resource.logicalId === 'Alpha')!.properties).toMatchObject({ TopicArn: topicArn });
  });

  test('a nested stack whose create fails rolls itself back, and the parent rolls back', async () => {
    const result = await harness().deploy(scriptedNestedStacks({
      First: { resources: { Alpha: {} } },
      Second: { resources: { Beta: { properties: { OnEventFails: 'Create' } } } },
    }));
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const [first, second] = harness().nestedStacks();
    expect(second.status).toBe('DELETE_COMPLETE');
    expect(childStatuses(harness().events, second.stackName))
      .toEqual(['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(first.status).toBe('DELETE_COMPLETE');
    const secondFailure = result.events.find((event) => event.status === 'CREATE_FAILED')!;
    expect(secondFailure.reason).toMatch(/^Embedded stack .* was not successfully created: .*\[Beta\]/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
