import { IntrinsicContext, referencedLogicalIds, resolveIntrinsics, TemplateError } from '../support/harness/intrinsics';
import { TemplateModel } from '../support/harness/template';

const context: IntrinsicContext = {
  pseudoParameters: { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws', 'AWS::StackName': 'S' },
  parameters: { Stage: 'prod' },
  mappings: { Runtimes: { 'us-east-1': { value: 'nodejs24.x' } } },
  condition: (name) => name === 'IsProd',
  ref: (logicalId) => `${logicalId}-id`,
  getAtt: (logicalId, attribute) => (attribute === 'List' ? ['a', 'b'] : `${logicalId}.${attribute}`),
};
const resolve = (value: unknown) => resolveIntrinsics(value, context);

test('Ref of resources, parameters and pseudo parameters', () => {
  expect(resolve({ Ref: 'Bucket' })).toBe('Bucket-id');
  expect(resolve({ Ref: 'Stage' })).toBe('prod');
  expect(resolve({ Ref: 'AWS::Region' })).toBe('us-east-1');
});

test('Fn::GetAtt in list and dotted form', () => {
  expect(resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('Fn.Arn');
  expect(resolve({ 'Fn::GetAtt': 'Fn.Arn' })).toBe('Fn.Arn');
});

test('Fn::Join, Fn::Select, Fn::Split', () => {
  expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] })).toBe('arn:aws:x');
  expect(resolve({ 'Fn::Select': [1, { 'Fn::GetAtt': ['X', 'List'] }] })).toBe('b');
  expect(resolve({ 'Fn::Select': ['0', { 'Fn::Split': [':', 'a:b:c'] }] })).toBe('a');
});

test('Fn::Sub with references, attributes, variables and escapes', () => {
  expect(resolve({ 'Fn::Sub': 'cdk-${AWS::AccountId}-${AWS::Region}' })).toBe('cdk-123456789012-us-east-1');
  expect(resolve({ 'Fn::Sub': '${Bucket}/${Fn.Arn}' })).toBe('Bucket-id/Fn.Arn');
  expect(resolve({ 'Fn::Sub': ['${Greeting}, ${Stage}', { Greeting: { 'Fn::Join': ['', ['hel', 'lo']] } }] })).toBe('hello, prod');
  expect(resolve({ 'Fn::Sub': '${!Literal}' })).toBe('${Literal}');
});

test('Fn::If with AWS::NoValue drops the property', () => {
  expect(resolve({ A: { 'Fn::If': ['IsProd', 'yes', 'no'] }, B: { 'Fn::If': ['IsDev', 'yes', { Ref: 'AWS::NoValue' }] } })).toEqual({ A: 'yes' });
  expect(resolve([1, { 'Fn::If': ['IsDev', 2, { Ref: 'AWS::NoValue' }] }])).toEqual([1]);
});

test('Fn::FindInMap, Fn::Base64, Fn::GetAZs', () => {
  expect(resolve({ 'Fn::FindInMap': ['Runtimes', { Ref: 'AWS::Region' }, 'value'] })).toBe('nodejs24.x');
  expect(resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
  expect(resolve({ 'Fn::GetAZs': '' })).toContain('us-east-1a');
});

test('a property merely called Condition is not an intrinsic', () => {
  expect(resolve({ Condition: { StringEquals: { 'aws:x': 'y' } } })).toEqual({ Condition: { StringEquals: { 'aws:x': 'y' } } });
});

test('unsupported intrinsics are template errors', () => {
  expect(() => resolve({ 'Fn::ImportValue': 'Other' })).toThrow(TemplateError);
});

test('dependencies come from Ref, GetAtt and Sub, not from parameters or pseudo parameters', () => {
  const value = {
    A: { Ref: 'Bucket' },
    B: { 'Fn::GetAtt': ['Fn', 'Arn'] },
    C: { 'Fn::Sub': ['${Role.Arn}-${AWS::Region}-${Var}-${Stage}', { Var: { Ref: 'Queue' } }] },
  };
  expect([...referencedLogicalIds(value, (id) => ['Bucket', 'Fn', 'Role', 'Queue'].includes(id))].sort()).toEqual(['Bucket', 'Fn', 'Queue', 'Role']);
});

test('template conditions select resources and dependencies include DependsOn', () => {
  const model = new TemplateModel({
    Parameters: { Stage: { Default: 'prod' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
    Resources: {
      Always: { Type: 'AWS::SNS::Topic' },
      ProdOnly: { Type: 'AWS::SNS::Topic', Condition: 'IsProd', DependsOn: 'Always' },
      DevOnly: { Type: 'AWS::SNS::Topic', Condition: 'IsDev' },
    },
  }, { ...context, parameters: { Stage: 'prod' } });

  expect(model.resourceIds()).toEqual(['Always', 'ProdOnly']);
  expect(model.dependencies('ProdOnly')).toEqual(['Always']);
});
