import { calls, eventOf, TEST_SCALE } from './helpers';
import { scriptedStack } from './scripted-app';
import { ScaledClock } from '../support/clock';
import { CloudFormationHarness, CREATE_FAILED_PHYSICAL_ID_MARKER, MAX_EXECUTION_INPUT_BYTES } from '../support/harness';

// The Provider framework's onEvent starts its Step Functions waiter with the whole resource event
// (ResourceProperties, OldResourceProperties, whatever the user onEvent returned) as input, and
// StartExecution refuses more than 262,144 bytes of UTF-8. By then the user onEvent has already
// run; the framework answers FAILED with the error.

const harnesses: CloudFormationHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.dispose()));
});

/** A fresh stack (and harness) whose one resource's request is padded with `padding` characters. */
async function deployPadded(padding: number) {
  const harness = new CloudFormationHarness({ clock: new ScaledClock(TEST_SCALE) });
  harnesses.push(harness);
  const result = await harness.deploy(scriptedStack({ resources: { Res: { properties: { Padding: 'x'.repeat(padding) } } } }));
  return { harness, result };
}

test('the limit is 262,144 bytes', () => {
  expect(MAX_EXECUTION_INPUT_BYTES).toBe(262_144);
});

test('an input of exactly 262,144 bytes starts the waiter; 262,145 bytes fails the resource after onEvent ran', async () => {
  // The size of everything but the padding, measured on a small request (the event's other fields have fixed lengths).
  const measured = await deployPadded(1_000);
  const overhead = measured.harness.waiterStarts[0].bytes - 1_000;

  const fits = await deployPadded(MAX_EXECUTION_INPUT_BYTES - overhead);
  expect(fits.harness.waiterStarts).toEqual([expect.objectContaining({ logicalResourceId: 'Res', requestType: 'Create', bytes: 262_144, accepted: true })]);
  expect(fits.result.status).toBe('CREATE_COMPLETE');

  const tooLarge = await deployPadded(MAX_EXECUTION_INPUT_BYTES - overhead + 1);
  expect(tooLarge.harness.waiterStarts).toEqual([expect.objectContaining({ bytes: 262_145, accepted: false })]);
  expect(tooLarge.result.status).toBe('ROLLBACK_COMPLETE');
  const reason = eventOf(tooLarge.result.events, 'Res', 'CREATE_FAILED')?.reason;
  expect(reason).toContain('ValidationException: 1 validation error detected: Value at \'input\' failed to satisfy constraint: '
    + 'Member must have length less than or equal to 262144 (the input is 262145 bytes)');
  // The user onEvent ran (whatever it did stays done); isComplete never did.
  expect(calls(tooLarge.harness.invocations, 'Res')).toEqual(['Create onEvent']);
  // A Create that failed before onEvent answered an id carries the framework's marker, so the
  // rollback's Delete is answered by the framework alone and never reaches the handler.
  const failed = tooLarge.harness.responses.find((r) => r.requestType === 'Create')!;
  expect(failed.body.PhysicalResourceId).toBe(CREATE_FAILED_PHYSICAL_ID_MARKER);
  expect(tooLarge.harness.responses.map((r) => [r.requestType, r.body.Status])).toEqual([['Create', 'FAILED'], ['Delete', 'SUCCESS']]);
});

test('an Update carries old and new properties: two halves that each fit a Create overflow it, and the rollback overflows too', async () => {
  const harness = new CloudFormationHarness({ clock: new ScaledClock(TEST_SCALE) });
  harnesses.push(harness);
  const half = 140_000;
  const stack = (padding: string) => scriptedStack({ resources: { Res: { properties: { Padding: padding } } } });
  expect((await harness.deploy(stack('a'.repeat(half)))).status).toBe('CREATE_COMPLETE');

  const result = await harness.deploy(stack('b'.repeat(half)));

  expect(result.status).toBe('UPDATE_ROLLBACK_FAILED');
  expect(harness.waiterStarts.map((start) => [start.requestType, start.accepted])).toEqual([['Create', true], ['Update', false], ['Update', false]]);
  expect(harness.waiterStarts[1].bytes).toBeGreaterThan(2 * half);
  // Both the update and its rollback reached onEvent before failing.
  expect(calls(harness.invocations, 'Res').filter((c) => c === 'Update onEvent')).toHaveLength(2);
});
