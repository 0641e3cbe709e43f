import { Template } from 'aws-cdk-lib/assertions';
import { mixedStack } from './support/scale-stack';
import { MAX_EXACT_ARNS } from '../src/provider/edge-sync-provider';

/** CloudFormation's and IAM's limits (CloudFormation and IAM quotas pages). */
const MAX_TEMPLATE_BYTES = 1_000_000;
const MAX_RESOURCES = 500;
const MAX_ROLE_INLINE_POLICY_CHARS = 10_240;

describe('a stack with 400 edge-sync resources', () => {
  const stack = mixedStack(400);
  const template = Template.fromStack(stack).toJSON();
  const resources = Object.values<any>(template.Resources);

  test('stays within CloudFormation\'s template limits', () => {
    expect(resources.filter((r) => r.Type.startsWith('Custom::EdgeSync'))).toHaveLength(400);
    expect(resources.length).toBeLessThanOrEqual(MAX_RESOURCES);
    expect(Buffer.byteLength(JSON.stringify(template))).toBeLessThan(MAX_TEMPLATE_BYTES);
  });

  test('shares one provider', () => {
    expect(resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    expect(resources.filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(5);
  });

  test('keeps every role\'s inline policies under IAM\'s size limit, scoping wildcards to the service, account and region', () => {
    const byRole = new Map<string, number>();
    for (const policy of resources.filter((r) => r.Type === 'AWS::IAM::Policy')) {
      const size = JSON.stringify(stack.resolve(policy.Properties.PolicyDocument)).replace(/\s/g, '').length;
      for (const role of policy.Properties.Roles) byRole.set(JSON.stringify(role), (byRole.get(JSON.stringify(role)) ?? 0) + size);
    }
    for (const size of byRole.values()) expect(size).toBeLessThan(MAX_ROLE_INLINE_POLICY_CHARS);

    const isComplete = JSON.stringify(Object.entries<any>(template.Resources).find(([id]) => id.startsWith('EdgeSyncProviderIsCompleteHandlerRoleDefaultPolicy'))![1]);
    expect(isComplete).toContain(':iotsitewise:us-east-1:123456789012:gateway/*');
    expect(isComplete).toContain(':kinesisvideo:us-east-1:123456789012:stream/*');
    expect(isComplete).toContain(':groundstation:us-east-1:123456789012:dataflow-endpoint-group/*');
    expect(isComplete).not.toMatch(/"Resource":"\*"/);
  });

  test('ten 300 KB OPC UA documents travel as S3 assets and leave the template within its limit', () => {
    const withLarge = Template.fromStack(mixedStack(400, { largeCollectors: 10 })).toJSON();
    const carried = Object.values<any>(withLarge.Resources).filter((r) => r.Properties?.CapabilityConfigurationS3);
    expect(carried).toHaveLength(10);
    const bytes = Buffer.byteLength(JSON.stringify(withLarge));
    expect(bytes).toBeLessThan(MAX_TEMPLATE_BYTES);
    // Each carried document costs the template about as much as a small inline one.
    expect(bytes - Buffer.byteLength(JSON.stringify(template))).toBeLessThan(10 * 1_000);
  });

  test(`up to ${MAX_EXACT_ARNS} resources of a kind are named one by one`, () => {
    const small = Template.fromStack(mixedStack(4 * MAX_EXACT_ARNS)).toJSON();
    const statements: any[] = Object.entries<any>(small.Resources)
      .find(([id]) => id.startsWith('EdgeSyncProviderIsCompleteHandlerRoleDefaultPolicy'))![1].Properties.PolicyDocument.Statement;
    // All gateways of the account and region only where the owner tag narrows them to this stack's.
    const unconditioned = JSON.stringify(statements.filter((statement) => statement.Condition === undefined));
    expect(unconditioned).not.toContain('gateway/*');
    expect(unconditioned).toContain('stream/camera-0/*');
  });
});
