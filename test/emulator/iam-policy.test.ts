import { evaluatePolicies, resourceMatchesPattern, UnsupportedPolicyError, type PolicyDocument, type PolicyStatement } from '../support/emulator';

const GATEWAY = 'arn:aws:iotsitewise:us-east-1:123456789012:gateway/0a1b2c3d-0000-4000-8000-000000000001';
const UPDATE = 'iotsitewise:UpdateGatewayCapabilityConfiguration';

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function decide(policies: PolicyDocument[], resource: string = GATEWAY, action: string = UPDATE, keys: Record<string, string | string[]> = {}) {
  return evaluatePolicies(policies, { action, resource, keys }).effect;
}

describe('evaluation order', () => {
  test('without any applicable statement the request is implicitly denied', () => {
    expect(decide([])).toBe('ImplicitDeny');
    expect(decide([policy({ Effect: 'Allow', Action: 'iotsitewise:DescribeGatewayCapabilityConfiguration', Resource: GATEWAY })])).toBe('ImplicitDeny');
  });

  test('an explicit Deny wins over an Allow, in any policy and any order', () => {
    const allow = policy({ Effect: 'Allow', Action: UPDATE, Resource: '*' });
    const deny = policy({ Effect: 'Deny', Action: 'iotsitewise:*', Resource: GATEWAY });
    expect(decide([allow])).toBe('Allow');
    expect(decide([allow, deny])).toBe('ExplicitDeny');
    expect(decide([deny, allow])).toBe('ExplicitDeny');
  });

  test('a single statement object (not a list) is read too', () => {
    expect(decide([{ Statement: { Effect: 'Allow', Action: UPDATE, Resource: GATEWAY } }])).toBe('Allow');
  });

  test('an Effect other than Allow or Deny is refused, not ignored', () => {
    expect(() => decide([policy({ Effect: 'Maybe' as 'Allow', Action: UPDATE, Resource: GATEWAY })])).toThrow(UnsupportedPolicyError);
  });
});

describe('Action and NotAction', () => {
  test('actions match case-insensitively, with * and ? wildcards', () => {
    expect(decide([policy({ Effect: 'Allow', Action: 'IoTSiteWise:updategateway*', Resource: '*' })])).toBe('Allow');
    expect(decide([policy({ Effect: 'Allow', Action: 'iotsitewise:Update?atewayCapabilityConfiguration', Resource: '*' })])).toBe('Allow');
    expect(decide([policy({ Effect: 'Allow', Action: 'kinesisvideo:*', Resource: '*' })])).toBe('ImplicitDeny');
  });

  test('NotAction applies a statement to every other action', () => {
    const denyAllButDescribe = policy(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', NotAction: 'iotsitewise:Describe*', Resource: '*' },
    );
    expect(decide([denyAllButDescribe])).toBe('ExplicitDeny');
    expect(decide([denyAllButDescribe], GATEWAY, 'iotsitewise:DescribeGatewayCapabilityConfiguration')).toBe('Allow');
  });
});

describe('Resource and NotResource', () => {
  test.each([
    ['*', GATEWAY, true],
    [GATEWAY, GATEWAY, true],
    ['arn:aws:iotsitewise:us-east-1:123456789012:gateway/*', GATEWAY, true],
    ['arn:aws:iotsitewise:us-east-1:123456789012:gateway/0a1b2c3d-0000-4000-8000-00000000000?', GATEWAY, true],
    ['arn:aws:iotsitewise:us-east-1:123456789012:gateway/0a1b2c3d-0000-4000-8000-0000000000?', GATEWAY, false],
    ['arn:aws:iotsitewise:eu-west-1:123456789012:gateway/*', GATEWAY, false],
    ['arn:aws:iotsitewise:*:123456789012:gateway/*', GATEWAY, true],
    // A * that ends a segment may expand beyond the colons (IAM User Guide, Resource element).
    ['arn:aws:iotsitewise:*', GATEWAY, true],
    // One inside a segment may not.
    ['arn:aws:iotsitewise:us-*-1:123456789012:gateway/*', GATEWAY, true],
    ['arn:aws:iotsitewise:us*123456789012:gateway/*', GATEWAY, false],
    // Kinesis Video stream given by name: any creation time.
    ['arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/*', 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/1700000000000', true],
    ['arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/*', 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door-2/1700000000000', false],
    ['arn:aws:s3:::assets/*', 'arn:aws:s3:::assets/a/b.json', true],
    ['arn:aws:s3:::assets/a/*.json', 'arn:aws:s3:::assets/a/b/c.json', true],
  ])('%s matches %s: %s', (pattern, arn, matches) => {
    expect(resourceMatchesPattern(pattern, arn)).toBe(matches);
  });

  test('ARNs are case-sensitive', () => {
    expect(resourceMatchesPattern('arn:aws:s3:::Assets/*', 'arn:aws:s3:::assets/a')).toBe(false);
  });

  test('NotResource applies a statement to every other resource', () => {
    const onlyOneGateway = policy({ Effect: 'Allow', Action: UPDATE, NotResource: 'arn:aws:iotsitewise:*:*:gateway/0a1b2c3d-0000-4000-8000-000000000001' });
    expect(decide([onlyOneGateway])).toBe('ImplicitDeny');
    expect(decide([onlyOneGateway], GATEWAY.replace(/1$/, '2'))).toBe('Allow');
  });
});

describe('Condition', () => {
  const tagged = (operator: string, key: string, value: unknown) =>
    [policy({ Effect: 'Allow', Action: UPDATE, Resource: '*', Condition: { [operator]: { [key]: value } } })];

  test('StringEquals on aws:ResourceTag: the tag must be there with that value; key names are case-insensitive', () => {
    const policies = tagged('StringEquals', 'aws:ResourceTag/cdk-edge-sync:owner', 'Plant/Collector');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/cdk-edge-sync:owner': 'Plant/Collector' })).toBe('Allow');
    expect(decide(policies, GATEWAY, UPDATE, { 'AWS:RESOURCETAG/cdk-edge-sync:owner': 'Plant/Collector' })).toBe('Allow');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/cdk-edge-sync:owner': 'Other/Collector' })).toBe('ImplicitDeny');
    expect(decide(policies)).toBe('ImplicitDeny');
  });

  test('StringLike takes wildcards; a list of values is any-of; several keys are all-of', () => {
    const policies = [policy({
      Effect: 'Allow',
      Action: UPDATE,
      Resource: '*',
      Condition: { StringLike: { 'aws:ResourceTag/owner': ['Plant/*', 'Lab/*'], 'aws:RequestedRegion': 'us-*' } },
    })];
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Lab/Collector', 'aws:RequestedRegion': 'us-east-1' })).toBe('Allow');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Lab/Collector', 'aws:RequestedRegion': 'eu-west-1' })).toBe('ImplicitDeny');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Home/Collector', 'aws:RequestedRegion': 'us-east-1' })).toBe('ImplicitDeny');
  });

  test('operators in one Condition block must all hold', () => {
    const policies = [policy({
      Effect: 'Allow',
      Action: UPDATE,
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceTag/owner': 'Plant' }, StringNotEquals: { 'aws:ResourceTag/stage': 'frozen' } },
    })];
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Plant' })).toBe('Allow');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Plant', 'aws:ResourceTag/stage': 'frozen' })).toBe('ImplicitDeny');
  });

  test('ArnLike and ArnEquals compare each of the six ARN parts on its own', () => {
    const policies = tagged('ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/EdgeSync*');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/EdgeSyncOnEvent' })).toBe('Allow');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/Other' })).toBe('ImplicitDeny');
    expect(decide(tagged('ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::123456789012:role/EdgeSyncOnEvent'), GATEWAY, UPDATE,
      { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/EdgeSyncOnEvent' })).toBe('Allow');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:PrincipalArn': 'not-an-arn' })).toBe('ImplicitDeny');
  });

  test('a missing key fails a positive operator, satisfies a negated one, and ...IfExists makes it hold', () => {
    expect(decide(tagged('StringEquals', 'aws:ResourceTag/owner', 'Plant'))).toBe('ImplicitDeny');
    expect(decide(tagged('StringNotEquals', 'aws:ResourceTag/owner', 'Plant'))).toBe('Allow');
    expect(decide(tagged('StringEqualsIfExists', 'aws:ResourceTag/owner', 'Plant'))).toBe('Allow');
    expect(decide(tagged('StringEqualsIfExists', 'aws:ResourceTag/owner', 'Plant'), GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Lab' })).toBe('ImplicitDeny');
  });

  test('Null tests whether a key is present', () => {
    expect(decide(tagged('Null', 'aws:ResourceTag/owner', 'true'))).toBe('Allow');
    expect(decide(tagged('Null', 'aws:ResourceTag/owner', 'false'))).toBe('ImplicitDeny');
    expect(decide(tagged('Null', 'aws:ResourceTag/owner', 'false'), GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'x' })).toBe('Allow');
  });

  test('ForAnyValue and ForAllValues compare a multivalued key', () => {
    const any = tagged('ForAnyValue:StringEquals', 'aws:TagKeys', ['owner', 'stage']);
    const all = tagged('ForAllValues:StringEquals', 'aws:TagKeys', ['owner', 'stage']);
    expect(decide(any, GATEWAY, UPDATE, { 'aws:TagKeys': ['owner', 'cost'] })).toBe('Allow');
    expect(decide(any, GATEWAY, UPDATE, { 'aws:TagKeys': ['cost'] })).toBe('ImplicitDeny');
    expect(decide(all, GATEWAY, UPDATE, { 'aws:TagKeys': ['owner', 'cost'] })).toBe('ImplicitDeny');
    expect(decide(all, GATEWAY, UPDATE, { 'aws:TagKeys': ['owner'] })).toBe('Allow');
  });

  test('a Deny with a condition denies only where it holds', () => {
    const policies = [policy(
      { Effect: 'Allow', Action: UPDATE, Resource: '*' },
      { Effect: 'Deny', Action: UPDATE, Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/owner': 'Plant' } } },
    )];
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Plant' })).toBe('Allow');
    expect(decide(policies, GATEWAY, UPDATE, { 'aws:ResourceTag/owner': 'Lab' })).toBe('ExplicitDeny');
    expect(decide(policies)).toBe('ExplicitDeny');
  });

  test('operators and policy variables the evaluator does not implement throw instead of being ignored', () => {
    expect(() => decide(tagged('NumericLessThan', 'aws:MultiFactorAuthAge', '3600'))).toThrow(/NumericLessThan/);
    expect(() => decide(tagged('StringEquals', 'aws:ResourceTag/owner', '${aws:PrincipalTag/team}'))).toThrow(/policy variables/);
    expect(() => decide([policy({ Effect: 'Allow', Action: UPDATE, Resource: 'arn:aws:iotsitewise:*:*:gateway/${aws:username}' })])).toThrow(/policy variables/);
  });
});
