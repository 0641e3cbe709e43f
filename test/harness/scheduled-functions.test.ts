import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { startEdgeEnvironment, type EdgeEnvironment } from '../support/edge-environment';

// A scheduled monitor as the drift monitor will be deployed: a plain Lambda function with its own
// role, fired by an EventBridge schedule, reading a DynamoDB table of the stack and writing EMF
// metrics. runSchedule plays EventBridge; the function signs as its role on the local endpoint.
let env: EdgeEnvironment;

beforeEach(async () => {
  env = await startEdgeEnvironment();
});
afterEach(async () => env.stop());

const MONITOR_CODE = `
const { DynamoDBClient, ScanCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.monitor = async (event) => {
  const { Items } = await client.send(new ScanCommand({ TableName: process.env.TABLE }));
  const emf = {
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'EdgeSync', Dimensions: [['Resource'], []], Metrics: [{ Name: 'Records', Unit: 'Count' }] }] },
    Resource: 'all',
    Records: Items.length,
  };
  process.stdout.write(JSON.stringify(emf) + '\\n');
  // With the JSON log format Lambda wraps console output in its own object: CloudWatch extracts nothing from it.
  console.log({ ...emf, Records: 999 });
  return { records: Items.length, source: event.source, input: event.input };
};`;

function monitorStack(options: { withPermission?: boolean } = {}) {
  const stack = new Stack(new App(), 'MonitorStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const table = new dynamodb.Table(stack, 'Records', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const fn = new lambda.Function(stack, 'Monitor', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.monitor',
    code: lambda.Code.fromInline(MONITOR_CODE),
    timeout: Duration.minutes(15),
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: { TABLE: table.tableName },
  });
  table.grantReadData(fn);
  if (options.withPermission === false) {
    new events.CfnRule(stack, 'Every5Minutes', { scheduleExpression: 'rate(5 minutes)', targets: [{ id: 'monitor', arn: fn.functionArn }] });
  } else {
    new events.Rule(stack, 'Every5Minutes', { schedule: events.Schedule.rate(Duration.minutes(5)), targets: [new targets.LambdaFunction(fn)] });
    new events.Rule(stack, 'Hourly', {
      schedule: events.Schedule.expression('cron(0 * * * ? *)'),
      targets: [new targets.LambdaFunction(fn, { event: events.RuleTargetInput.fromObject({ source: 'custom', input: 42 }) })],
    });
    new events.Rule(stack, 'Paused', { enabled: false, schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
  }
  return stack;
}

test('the stack\'s table is created on the emulator with its key schema, and deleted with the stack', async () => {
  expect((await env.harness.deploy(monitorStack())).status).toBe('CREATE_COMPLETE');
  const tableName = env.harness.resource('Records').physicalId;
  expect(env.emulator.dynamodb.table(tableName)).toMatchObject({
    keySchema: { partitionKey: 'pk', partitionKeyType: 'S', sortKey: 'sk', sortKeyType: 'S' },
    tableArn: `arn:aws:dynamodb:us-east-1:123456789012:table/${tableName}`,
  });
  env.emulator.dynamodb.putItem(tableName, { pk: 'gateway#1', sk: 'opcua' });
  expect((await env.harness.destroy()).status).toBe('DELETE_COMPLETE');
  expect(env.emulator.dynamodb.tableNames()).toEqual([]);
});

test('runSchedule fires each enabled schedule once, with the Scheduled Event or the target Input, under the function\'s role', async () => {
  await env.harness.deploy(monitorStack());
  const tableName = env.harness.resource('Records').physicalId;
  env.emulator.dynamodb.putItem(tableName, { pk: 'gateway#1', sk: 'opcua' });
  env.emulator.dynamodb.putItem(tableName, { pk: 'stream#1', sk: 'edge' });

  const runs = await env.harness.runSchedule();
  expect(runs.map((run) => [run.ruleLogicalId.replace(/[0-9A-F]{8}$/, ''), run.outcome])).toEqual([['Every5Minutes', 'success'], ['Hourly', 'success']]);
  const [scheduled, hourly] = runs;
  expect(scheduled.result).toEqual({ records: 2, source: 'aws.events' });
  expect(scheduled.event).toEqual({
    'version': '0',
    'id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': '123456789012',
    'time': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    'region': 'us-east-1',
    'resources': [scheduled.ruleArn],
    'detail': {},
  });
  expect(scheduled.ruleArn).toBe(`arn:aws:events:us-east-1:123456789012:rule/${env.harness.resource('Every5Minutes').physicalId}`);
  expect(hourly.event).toEqual({ source: 'custom', input: 42 });
  expect(hourly.result).toEqual({ records: 2, source: 'custom', input: 42 });
  expect(scheduled.durationMs).toBeGreaterThanOrEqual(0);

  // The Scan was signed by the monitor's execution role session, and its policy allowed it.
  const scans = env.emulator.requests.filter((request) => request.operation === 'Scan');
  expect(scans).toHaveLength(2);
  expect(scans.every((request) => /assumed-role\/MonitorStack-MonitorServiceRole[0-9A-Z]+-[0-9A-Z]+\/Monitor/.test(request.principal!))).toBe(true);
  expect(env.emulator.iam.denials).toEqual([]);

  const only = await env.harness.runSchedule({ ruleLogicalId: 'Hourly' });
  expect(only.map((run) => run.targetId)).toHaveLength(1);
  expect(only[0].ruleLogicalId).toMatch(/^Hourly/);
});

test('harness.metrics reads the EMF lines written to stdout, one record per value and dimension set; console-wrapped EMF is not extracted', async () => {
  await env.harness.deploy(monitorStack());
  env.emulator.dynamodb.putItem(env.harness.resource('Records').physicalId, { pk: 'a', sk: 'b' });
  await env.harness.runSchedule({ ruleLogicalId: 'Every5Minutes' });
  const metrics = env.harness.metrics('Monitor');
  expect(metrics).toEqual([
    expect.objectContaining({ namespace: 'EdgeSync', name: 'Records', value: 1, unit: 'Count', dimensions: { Resource: 'all' }, functionLogicalId: expect.stringMatching(/^Monitor/) }),
    expect.objectContaining({ namespace: 'EdgeSync', name: 'Records', value: 1, unit: 'Count', dimensions: {} }),
  ]);
  expect(metrics[0].timestamp).toBeLessThanOrEqual(env.clock.now());
  // The console.log'ed copy is in the log, wrapped by the JSON log format, and yields nothing.
  expect(env.harness.logs('Monitor').some((line) => line.includes('"message":{"_aws"') && line.includes('999'))).toBe(true);
  expect(env.harness.metrics()).toHaveLength(2);
});

test('a target without a Lambda permission for events.amazonaws.com is not invoked', async () => {
  await env.harness.deploy(monitorStack({ withPermission: false }));
  const [run] = await env.harness.runSchedule();
  expect(run).toMatchObject({ outcome: 'not-invoked', reason: expect.stringContaining('no AWS::Lambda::Permission lets events.amazonaws.com invoke') });
  expect(env.harness.invocations).toEqual([]);
});
