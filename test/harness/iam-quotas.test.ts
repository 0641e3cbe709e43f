import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { eventOf, useHarness } from './helpers';
import { IAM_QUOTAS, StackEvent } from '../support/harness';

// IAM refuses a role's policies beyond its quotas, and CloudFormation fails the resource that
// would cross one: a managed policy over 6,144 characters, inline policies of one role over
// 10,240 together, an eleventh managed policy on one role.
const harness = useHarness();

function roleStack(build: (stack: Stack, role: iam.Role) => void): Stack {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'IamQuotas');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  build(stack, role);
  return stack;
}

/** A statement of about `characters` characters: object ARNs of one bucket. */
function readStatement(characters: number, prefix = 'key'): iam.PolicyStatement {
  const arn = (i: number) => `arn:aws:s3:::quota-bucket/${prefix}-${String(i).padStart(6, '0')}`;
  const count = Math.ceil(characters / (arn(0).length + 3));
  return new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: Array.from({ length: count }, (_, i) => arn(i)) });
}

/** The logical id of the resource whose id starts with `prefix` (CDK appends a hash). */
function logicalIdOf(events: readonly StackEvent[], prefix: string): string {
  return events.find((event) => event.logicalId.startsWith(prefix))!.logicalId;
}

function managedPolicy(stack: Stack, id: string, role: iam.IRole, characters: number): iam.ManagedPolicy {
  return new iam.ManagedPolicy(stack, id, { roles: [role], statements: [readStatement(characters, id)] });
}

test('a managed policy within 6,144 characters is created; one above is refused, naming the quota', async () => {
  const fits = await harness().deploy(roleStack((stack, role) => managedPolicy(stack, 'Reads', role, IAM_QUOTAS.managedPolicySize - 300)));
  expect(fits.status).toBe('CREATE_COMPLETE');

  const result = await harness().deploy(roleStack((stack, role) => managedPolicy(stack, 'Reads', role, IAM_QUOTAS.managedPolicySize + 100)));
  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const failed = result.events.find((event) => event.status === 'UPDATE_FAILED');
  expect(failed?.reason).toContain('Cannot exceed quota for PolicySize: 6144');
});

test('the inline policies of one role count together against 10,240 characters', async () => {
  const fits = await harness().deploy(roleStack((_, role) => role.addToPrincipalPolicy(readStatement(IAM_QUOTAS.rolePolicySize - 400))));
  expect(fits.status).toBe('CREATE_COMPLETE');

  const result = await harness().deploy(roleStack((stack, role) => {
    role.addToPrincipalPolicy(readStatement(IAM_QUOTAS.rolePolicySize - 400));
    new iam.Policy(stack, 'More', { roles: [role], statements: [readStatement(1_000, 'more')] });
  }));
  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(eventOf(result.events, logicalIdOf(result.events, 'More'), 'CREATE_FAILED')?.reason)
    .toMatch(/Maximum policy size of 10240 bytes exceeded for role IamQuotas-Role/);
});

test('ten managed policies attach to one role; the eleventh is refused', async () => {
  const policies = (count: number) => roleStack((stack, role) => {
    for (let i = 0; i < count; i++) managedPolicy(stack, `Policy${i}`, role, 200);
  });
  expect((await harness().deploy(policies(IAM_QUOTAS.managedPoliciesPerRole))).status).toBe('CREATE_COMPLETE');

  const result = await harness().deploy(policies(IAM_QUOTAS.managedPoliciesPerRole + 1));
  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(result.events.find((event) => event.status === 'CREATE_FAILED')?.reason).toContain('Cannot exceed quota for PoliciesPerRole: 10');
});
