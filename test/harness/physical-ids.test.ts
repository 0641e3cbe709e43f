import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import { calls, eventOf, useHarness } from './helpers';
import { scriptedStack } from './scripted-app';

// CloudFormation records the PhysicalResourceId of a FAILED Update response (aws/aws-cdk#13527,
// #30012). With the Provider framework, a failure in isComplete answers FAILED with the id
// onEvent returned. The rollback Update is sent with the recorded id; if it answers another one,
// the recorded id is deleted in the rollback's cleanup phase.
const harness = useHarness();

/** A resource whose onEvent answers `<prefix>-<Name>` when PhysicalIdPrefix is set, and whose isComplete fails on Update if asked. */
const stack = (properties: Record<string, unknown>) => scriptedStack({ resources: { Res: { properties } } });

test('the rollback Update goes to the recorded id; answering the old one gets the recorded id deleted in the rollback cleanup', async () => {
  await harness().deploy(stack({ PhysicalIdPrefix: 'p', Name: 'one' }));
  expect(harness().resource('Res').physicalId).toBe('p-one');

  const result = await harness().deploy(stack({ PhysicalIdPrefix: 'p', Name: 'two', IsCompleteFails: 'Update' }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  // The failed Update's response carried p-two: CloudFormation shows and keeps it.
  expect(eventOf(result.events, 'Res', 'UPDATE_FAILED')?.physicalId).toBe('p-two');
  const onEvents = harness().invocations.filter((i) => i.handler === 'index.onEvent' && i.requestType !== 'Create');
  expect(onEvents.map((i) => [i.requestType, i.event.PhysicalResourceId, i.event.ResourceProperties.Name])).toEqual([
    ['Update', 'p-one', 'two'],
    // The rollback: old properties, the recorded id.
    ['Update', 'p-two', 'one'],
    // It answered p-one, so the recorded p-two is deleted, with the properties it was made with.
    ['Delete', 'p-two', 'two'],
  ]);
  const cleanup = result.events.findIndex((e) => e.status === 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  const deleted = result.events.findIndex((e) => e.logicalId === 'Res' && e.status === 'DELETE_COMPLETE');
  expect(cleanup).toBeGreaterThan(0);
  expect(deleted).toBeGreaterThan(cleanup);
  expect(eventOf(result.events, 'Res', 'DELETE_COMPLETE')?.physicalId).toBe('p-two');
  expect(harness().resource('Res').physicalId).toBe('p-one');
});

test('a rollback that answers the recorded id keeps it: nothing is deleted, and the stack now names it', async () => {
  // Without a prefix onEvent returns nothing, so the framework answers the id of the request.
  await harness().deploy(stack({ Name: 'one' }));
  const original = harness().resource('Res').physicalId;

  const result = await harness().deploy(stack({ PhysicalIdPrefix: 'p', Name: 'two', IsCompleteFails: 'Update' }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(eventOf(result.events, 'Res', 'UPDATE_FAILED')?.physicalId).toBe('p-two');
  expect(calls(harness().invocations, 'Res').filter((c) => c.startsWith('Delete'))).toEqual([]);
  // The resource the stack had before is no longer the one it names: CloudFormation lost track of it.
  expect(harness().resource('Res').physicalId).toBe('p-two');
  expect(original).not.toBe('p-two');
});

test('a FAILED Update in onEvent answers the request\'s own id, so the rollback goes to the unchanged id', async () => {
  await harness().deploy(stack({ PhysicalIdPrefix: 'p', Name: 'one' }));
  const result = await harness().deploy(stack({ PhysicalIdPrefix: 'p', Name: 'two', OnEventFails: 'Update' }));

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(eventOf(result.events, 'Res', 'UPDATE_FAILED')?.physicalId).toBe('p-one');
  const rollback = harness().invocations.filter((i) => i.handler === 'index.onEvent' && i.requestType === 'Update')[1];
  expect(rollback.event.PhysicalResourceId).toBe('p-one');
  expect(calls(harness().invocations, 'Res').filter((c) => c.startsWith('Delete'))).toEqual([]);
});

// The recorded id was created from the failed update's template: its Delete runs before the
// resources it depends on there are deleted (in the rollback cleanup too).
test('the recorded id is deleted before what it depended on in the failed update\'s template', async () => {
  await harness().deploy(stack({ PhysicalIdPrefix: 'p', Name: 'one' }));
  const failing = stack({ PhysicalIdPrefix: 'p', Name: 'two', IsCompleteFails: 'Update' });
  const needed = new CfnWaitConditionHandle(failing, 'NeededByTwo');
  failing.node.findChild('Res').node.addDependency(needed);

  const result = await harness().deploy(failing);

  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const deletions = result.events.filter((e) => e.status === 'DELETE_COMPLETE').map((e) => `${e.logicalId} ${e.physicalId}`);
  expect(deletions).toEqual(['Res p-two', expect.stringMatching(/^NeededByTwo /)]);
});
