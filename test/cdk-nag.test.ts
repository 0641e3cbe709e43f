import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EdgeSyncMonitor } from '../src';
import { mixedStack } from './support/scale-stack';

/**
 * Findings acknowledged, each with its reason: the resources of aws-cdk-lib's Provider framework,
 * which this library does not configure, the handlers' log streams, a stream given by name and
 * the targets this stack owns (tag-conditioned).
 */
function acknowledge(stack: Stack): void {
  const provider = stack.node.findChild('EdgeSyncProvider');
  const framework = provider.node.findChild('Provider');
  Validations.of(framework).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The Provider framework\'s own three Lambda functions use the basic execution role; aws-cdk-lib offers no way to replace it.',
  });
  for (const fn of ['OnEventHandler796303F4', 'IsCompleteHandlerE5286578', 'frameworkisComplete22962247', 'frameworkonTimeoutFB439A2D']) {
    Validations.of(framework).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<EdgeSyncProvider${fn}.Arn>:*]`,
      reason: 'The Provider framework invokes the handler functions and its own functions by qualified ARN (any version), as aws-cdk-lib grants it.',
    });
  }
  Validations.of(framework).acknowledge({
    id: 'AwsSolutions-SF1',
    reason: 'The framework\'s waiter state machine is not logged by default: its input holds the pre-signed CloudFormation response URL.',
  });
  Validations.of(framework).acknowledge({ id: 'AwsSolutions-SF2', reason: 'aws-cdk-lib\'s Provider offers no X-Ray tracing for its waiter state machine.' });

  for (const handler of ['OnEventHandler', 'IsCompleteHandler']) {
    Validations.of(provider.node.findChild(`${handler}Role`)).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:<EdgeSyncProvider${handler}Logs${handler === 'OnEventHandler' ? 'C9B7BC66' : 'AB100553'}>:log-stream:*]`,
      reason: 'Lambda names the log streams of the handler\'s own log group at run time; the grant is confined to that one log group.',
    });
  }
  for (const handler of ['OnEventHandler', 'IsCompleteHandler']) {
    const role = provider.node.findChild(`${handler}Role`);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kinesisvideo:us-east-1:123456789012:stream/camera-0/*]',
      reason: 'A stream given by name only: its ARN ends with the stream\'s creation time, unknown at synth. Give streamArn to avoid it.',
    });
    for (const kind of ['iotsitewise:us-east-1:123456789012:gateway/*', 'kinesisvideo:us-east-1:123456789012:stream/*']) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${kind}]`,
        reason: 'Only under the condition that the target\'s owner (or handover) tag names a resource of this stack: targets this stack '
          + 'configured that the template no longer names, whose cleanup Delete and rollback Update run under this template\'s policies.',
      });
    }
  }
}

/**
 * Every construct, one OPC UA document large enough to travel as an S3 asset (so onEvent reads
 * it), synthesized so that aspects have run.
 */
function everyConstruct(): Stack {
  const stack = mixedStack(4, { largeCollectors: 1 });
  Template.fromStack(stack);
  return stack;
}

describe('cdk-nag AwsSolutions', () => {
  test('a stack with every construct has no unacknowledged finding', () => {
    const stack = everyConstruct();
    acknowledge(stack);
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    const findings = report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`);
    expect(findings).toEqual([]);
    const onEventPolicy = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('OnEventHandlerRole') }] },
    }));
    expect(onEventPolicy).not.toContain('s3:');
    // The carried document is read under a managed policy naming its object, which cdk-nag finds nothing to say about.
    const documentReads = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(documentReads).toMatch(/"s3:GetObject".*cdk-hnb659fds-assets-123456789012-us-east-1\/[0-9a-f]{64}\.json"/);
  });

  test('without acknowledgements, the only findings are the framework\'s, the log streams, a stream given by name and the owned targets', () => {
    const stack = everyConstruct();
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    const outsideFramework = report.violations.flatMap((v) => v.violatingResources
      .filter((r) => !r.constructPath?.includes('/EdgeSyncProvider/Provider/'))
      .map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(outsideFramework.sort()).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:iotsitewise:.*:gateway\/\*\] Scale\/EdgeSyncProvider\/IsCompleteHandlerRole/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:iotsitewise:.*:gateway\/\*\] Scale\/EdgeSyncProvider\/OnEventHandlerRole/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:kinesisvideo:.*:stream\/\*\] Scale\/EdgeSyncProvider\/IsCompleteHandlerRole/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:kinesisvideo:.*:stream\/\*\] Scale\/EdgeSyncProvider\/OnEventHandlerRole/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:kinesisvideo:.*:stream\/camera-0\/\*\] Scale\/EdgeSyncProvider\/IsCompleteHandlerRole/),
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:kinesisvideo:.*:stream\/camera-0\/\*\] Scale\/EdgeSyncProvider\/OnEventHandlerRole/),
      expect.stringMatching(/^AwsSolutions-IAM5\[.*:log-group:<EdgeSyncProviderIsCompleteHandlerLogs.*>:log-stream:\*\] Scale\/EdgeSyncProvider\/IsCompleteHandlerRole/),
      expect.stringMatching(/^AwsSolutions-IAM5\[.*:log-group:<EdgeSyncProviderOnEventHandlerLogs.*>:log-stream:\*\] Scale\/EdgeSyncProvider\/OnEventHandlerRole/),
    ]);
  });
});

describe('cdk-nag AwsSolutions with the drift monitor', () => {
  function monitoredStack(): Stack {
    const stack = mixedStack(4, { largeCollectors: 1 });
    EdgeSyncMonitor.enable(stack, { remediate: true }).addDashboard();
    Template.fromStack(stack);
    return stack;
  }

  test('the monitor adds only acknowledged findings: its log streams, a stream given by name, and its table\'s backups', () => {
    const stack = monitoredStack();
    acknowledge(stack);
    acknowledgeMonitor(stack);
    const report = new AwsSolutionsChecks(stack).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

/** The monitor's findings, each with its reason. */
function acknowledgeMonitor(stack: Stack): void {
  const monitor = stack.node.findChild('EdgeSyncMonitor');
  const role = monitor.node.findChild('Role');
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:<EdgeSyncMonitorLogsEA2A7C36>:log-stream:*]',
    reason: 'Lambda names the log streams of the monitor\'s own log group at run time; the grant is confined to that one log group.',
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kinesisvideo:us-east-1:123456789012:stream/camera-0/*]',
    reason: 'A stream given by name only: its ARN ends with the stream\'s creation time, unknown at synth. Give streamArn to avoid it.',
  });
  Validations.of(monitor.node.findChild('Records')).acknowledge({
    id: 'AwsSolutions-DDB3',
    reason: 'The records are derived state: every deploy writes them again, so point-in-time recovery would restore nothing of value.',
  });
}
