import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesisvideo from 'aws-cdk-lib/aws-kinesisvideo';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CapabilityConfiguration, CapabilityNamespace, EdgeSchedule, EdgeSyncMonitor, GatewayCapabilityConfiguration, StreamEdgeConfiguration } from '../src';

const GATEWAY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function stackWithResources(): { stack: Stack; collector: GatewayCapabilityConfiguration; camera: StreamEdgeConfiguration } {
  const stack = new Stack(new App(), 'Plant', { env: { account: '123456789012', region: 'us-east-1' } });
  const collector = new GatewayCapabilityConfiguration(stack, 'Collector', {
    gatewayId: GATEWAY_ID,
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromObject({ sources: [] }),
  });
  const camera = new StreamEdgeConfiguration(stack, 'Camera', {
    stream: new kinesisvideo.CfnStream(stack, 'Stream', { dataRetentionInHours: 24 }),
    hubDeviceArn: 'arn:aws:iot:us-east-1:123456789012:thing/hub',
    recorder: {
      mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Uri', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cam-AbCdEf'),
      schedule: EdgeSchedule.cron('0 0 8 ? * MON-FRI', Duration.hours(1)),
    },
  });
  return { stack, collector, camera };
}

describe('EdgeSyncMonitor', () => {
  test('without a monitor the resources carry no monitor properties and the stack has no table', () => {
    const { stack } = stackWithResources();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.hasResourceProperties('Custom::EdgeSyncGatewayCapabilityConfiguration', { EdgeSyncMonitorTable: Match.absent(), ConstructPath: Match.absent() });
  });

  test('a monitor added after the resources: every resource names its table and construct path, the schedule runs the monitor every 15 minutes', () => {
    const { stack } = stackWithResources();
    EdgeSyncMonitor.of(stack);
    const template = Template.fromStack(stack);
    const tableRef = { Ref: Match.stringLikeRegexp('^EdgeSyncMonitorRecords') };
    template.hasResourceProperties('Custom::EdgeSyncGatewayCapabilityConfiguration', { EdgeSyncMonitorTable: tableRef, ConstructPath: 'Plant/Collector' });
    template.hasResourceProperties('Custom::EdgeSyncStreamEdgeConfiguration', { EdgeSyncMonitorTable: tableRef, ConstructPath: 'Plant/Camera' });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)', State: 'ENABLED' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.monitor',
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: { EDGE_SYNC_REMEDIATE: 'false', EDGE_SYNC_EVENT_BUS: 'default', EDGE_SYNC_RECORDS_TABLE: tableRef } },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: { BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'LogicalId', KeyType: 'HASH' }] } });
  });

  test('the monitor reads exactly the targets of the stack, and writes only with remediate', () => {
    const { stack } = stackWithResources();
    EdgeSyncMonitor.enable(stack, { remediate: true });
    const template = Template.fromStack(stack);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p.Properties.Roles).includes('EdgeSyncMonitorRole'));
    const statements = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((s: any) => [s.Action].flat()).sort();
    expect(actions).toEqual([
      'dynamodb:Scan', 'events:PutEvents',
      'iotsitewise:DescribeGatewayCapabilityConfiguration', 'iotsitewise:ListTagsForResource', 'iotsitewise:UpdateGatewayCapabilityConfiguration',
      'kinesisvideo:DescribeEdgeConfiguration', 'kinesisvideo:ListTagsForStream', 'kinesisvideo:StartEdgeConfigurationUpdate',
      'logs:CreateLogStream', 'logs:PutLogEvents',
    ].sort());
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
  });

  test('without remediate the monitor gets no write action', () => {
    const { stack } = stackWithResources();
    EdgeSyncMonitor.of(stack);
    const text = JSON.stringify(Template.fromStack(stack).toJSON());
    const monitorPolicy = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('EdgeSyncMonitorRole'));
    expect(JSON.stringify(monitorPolicy)).not.toContain('UpdateGatewayCapabilityConfiguration');
    expect(JSON.stringify(monitorPolicy)).not.toContain('StartEdgeConfigurationUpdate');
    expect(text).toContain('DescribeEdgeConfiguration');
  });

  test.each([['before', true], ['after', false]])('a monitor created %s the resources keeps every handler statement in the roles\' default policies', (_when, first) => {
    const stack = new Stack(new App(), 'Plant', { env: { account: '123456789012', region: 'us-east-1' } });
    if (first) EdgeSyncMonitor.of(stack);
    new GatewayCapabilityConfiguration(stack, 'Collector', {
      gatewayId: GATEWAY_ID, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3, configuration: CapabilityConfiguration.fromObject({ sources: [] }),
    });
    if (!first) EdgeSyncMonitor.of(stack);
    // Separate policies would have no dependent: a destroy deletes them before the resources' Deletes.
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter((id) => id.includes('inlinePolicyAddedToExecutionRole'))).toEqual([]);
  });

  test('the deploy handlers may record in the table: put, get and delete, nothing else', () => {
    const { stack } = stackWithResources();
    EdgeSyncMonitor.of(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^EdgeSyncProviderOnEventHandlerRole') }],
      PolicyDocument: { Statement: Match.arrayWith([{ Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'], Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^EdgeSyncMonitorRecords'), 'Arn'] }] }]) },
    });
  });

  test.each([
    [Duration.seconds(30), 'interval must be whole minutes from 1 minute to 1 day, got 30 seconds'],
    [Duration.seconds(90), 'interval must be whole minutes from 1 minute to 1 day, got 1 minute 30 seconds'],
    [Duration.days(2), 'interval must be whole minutes from 1 minute to 1 day, got 2 days'],
  ])('interval %s is refused', (interval, message) => {
    const { stack } = stackWithResources();
    expect(() => EdgeSyncMonitor.enable(stack, { interval })).toThrow(`Plant/EdgeSyncMonitor: ${message}`);
  });

  test('remediationTimeout above 12 minutes is refused, naming the value', () => {
    const { stack } = stackWithResources();
    expect(() => EdgeSyncMonitor.enable(stack, { remediationTimeout: Duration.minutes(13) })).toThrow('remediationTimeout must be from 1 second to 12 minutes, got 13 minutes');
  });

  test('enable twice is refused', () => {
    const { stack } = stackWithResources();
    EdgeSyncMonitor.of(stack);
    expect(() => EdgeSyncMonitor.enable(stack)).toThrow('has an EdgeSyncMonitor already');
  });

  test('alarms: two stack-wide ones and one per alarmOnDrift, notifying the topic', () => {
    const { stack, collector } = stackWithResources();
    const topic = new sns.Topic(stack, 'Alerts');
    const monitor = EdgeSyncMonitor.enable(stack, { interval: Duration.minutes(5), alarmTopic: topic });
    monitor.alarmOnDrift(collector, { evaluationPeriods: 2 });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkEdgeSync',
      MetricName: 'Drifted',
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: Match.arrayWith([{ Name: 'ConstructPath', Value: 'Plant/Collector' }, { Name: 'Target', Value: `${GATEWAY_ID}/iotsitewise:opcuacollector:3` }]),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alerts') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Drifted', Statistic: 'Sum', Dimensions: [{ Name: 'Stack', Value: { Ref: 'AWS::StackName' } }] });
  });

  test('alarmOnDrift of a construct that is not an edge-sync resource is refused', () => {
    const { stack } = stackWithResources();
    const monitor = EdgeSyncMonitor.of(stack);
    expect(() => monitor.alarmOnDrift(new sns.Topic(stack, 'Other'))).toThrow('Plant/Other is not an edge-sync resource of stack Plant');
  });
});
