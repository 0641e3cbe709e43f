import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { eventOf, useHarness } from './helpers';
import { ruleProblem, scheduleExpressionProblem } from '../support/harness';

// AWS::Events::Rule is validated as EventBridge's PutRule validates it: a schedule expression
// EventBridge refuses fails the resource at deploy, and the stack rolls back.
const harness = useHarness();

test.each([
  'rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)',
  'cron(0 12 * * ? *)', 'cron(0/15 * * * ? *)', 'cron(0 18 ? * MON-FRI *)', 'cron(0 8 1 * ? *)', 'cron(0 10 ? * 6L 2026-2030)', 'cron(15 10 ? * 6#3 *)',
])('%s is valid', (expression) => {
  expect(scheduleExpressionProblem(expression)).toBeUndefined();
});

test.each([
  ['rate(1 minutes)', 'a value of 1 takes a singular unit'],
  ['rate(5 minute)', 'a value greater than 1 takes a plural unit'],
  ['rate(0 minutes)', 'positive whole number'],
  ['rate(5 seconds)', 'unit minute(s), hour(s) or day(s)'],
  ['rate(five minutes)', 'expected rate(value unit)'],
  ['cron(0 12 * * *)', 'expected 6 fields'],
  ['cron(0 12 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
  ['cron(0 12 ? * ? *)', 'exactly one of day-of-month and day-of-week must be ?'],
  ['cron(60 12 * * ? *)', 'minutes "60": 60 is outside 0..59'],
  ['cron(0 24 * * ? *)', 'hours "24"'],
  ['cron(0 12 * 13 ? *)', 'month "13"'],
  ['cron(0 12 ? * FUNDAY *)', 'day-of-week'],
  ['every 5 minutes', 'rate(value unit) or cron(fields)'],
])('%s is refused: %s', (expression, problem) => {
  expect(scheduleExpressionProblem(expression)).toContain(problem);
});

test('rule properties PutRule / PutTargets refuse', () => {
  expect(ruleProblem({})).toBe('Parameter(s) ScheduleExpression or EventPattern must be specified.');
  expect(ruleProblem({ ScheduleExpression: 'rate(5 minutes)', EventBusName: 'custom' })).toBe('ScheduleExpression is supported only on the default event bus.');
  expect(ruleProblem({ ScheduleExpression: 'rate(5 minutes)', State: 'PAUSED' })).toContain("at 'state' failed to satisfy constraint");
  const target = (id: number) => ({ Id: `t${id}`, Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' });
  expect(ruleProblem({ ScheduleExpression: 'rate(5 minutes)', Targets: [1, 2, 3, 4, 5, 6].map(target) })).toContain('Targets per rule: 5');
  expect(ruleProblem({ ScheduleExpression: 'rate(5 minutes)', Targets: [{ ...target(1), Input: '{not json' }] })).toContain('Valid JSON text required for Input');
  expect(ruleProblem({ ScheduleExpression: 'rate(5 minutes)', Targets: [target(1), target(1)] })).toBe('Target ids must be unique within a rule.');
  expect(ruleProblem({ ScheduleExpression: 'rate(5 minutes)', Targets: [1, 2, 3, 4, 5].map(target) })).toBeUndefined();
});

test('an invalid schedule expression fails the rule at deploy (CREATE_FAILED) and the stack rolls back', async () => {
  const stack = new Stack(new App(), 'BadSchedule');
  new events.CfnRule(stack, 'Every5Minutes', { scheduleExpression: 'rate(5 minute)' });
  const result = await harness().deploy(stack);
  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(eventOf(result.events, 'Every5Minutes', 'CREATE_FAILED')?.reason).toBe('Parameter ScheduleExpression is not valid. (Service: EventBridge, Status Code: 400)');
});

test('a valid rule deploys with its name as physical id and its ARN; a disabled rule is not fired', async () => {
  const stack = new Stack(new App(), 'GoodSchedule');
  new events.CfnRule(stack, 'Named', { name: 'edge-drift-monitor', scheduleExpression: 'cron(0/5 * * * ? *)', state: 'DISABLED' });
  expect((await harness().deploy(stack)).status).toBe('CREATE_COMPLETE');
  expect(harness().resource('Named')).toMatchObject({
    physicalId: 'edge-drift-monitor', attributes: { Arn: 'arn:aws:events:us-east-1:123456789012:rule/edge-drift-monitor' },
  });
  expect(await harness().runSchedule()).toEqual([]);
});
