import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { eventOf, statuses, TEST_SCALE } from './helpers';
import { scriptedStack } from './scripted-app';
import { ScaledClock } from '../support/clock';
import { LocalAwsEndpoint } from '../support/emulator';
import { CloudFormationHarness } from '../support/harness';
import { rolePolicies } from '../support/harness/iam-policies';

// IAM as CloudFormation puts it in force: each function signs as its execution role's session,
// and the local endpoint authorizes every request against the role's policies as the stack has
// them at that moment of the operation. The scripted provider reads an S3 object (ProbeObject) on
// every request, so which object its role may read decides whether the request succeeds.
const BUCKET = 'harness-probes';
let emulator: LocalAwsEndpoint;

beforeAll(async () => {
  emulator = await LocalAwsEndpoint.start({ clock: new ScaledClock(TEST_SCALE) });
});
let harness: CloudFormationHarness;
beforeEach(() => {
  emulator.reset();
  emulator.s3.putObject(BUCKET, 'a.json', '"object a"');
  emulator.s3.putObject(BUCKET, 'b.json', '"object b"');
  harness = new CloudFormationHarness({ clock: new ScaledClock(TEST_SCALE), env: { AWS_ENDPOINT_URL: emulator.url }, iam: emulator.iam });
});
afterEach(async () => harness.dispose());
afterAll(async () => emulator.stop());

const read = (...keys: string[]) => new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: keys.map((key) => `arn:aws:s3:::${BUCKET}/${key}`) });

/** One scripted resource (or several) probing `probe`, whose onEvent role may read `readable`. */
function probeStack(resources: Record<string, { probe: string; failIsComplete?: string; retain?: boolean }>, readable: string[]) {
  return scriptedStack({
    resources: Object.fromEntries(Object.entries(resources).map(([id, { probe, failIsComplete, retain }]) => [id, {
      properties: { ProbeObject: `${BUCKET}/${probe}`, ...(failIsComplete ? { IsCompleteFails: failIsComplete } : {}) },
      removalPolicy: retain ? RemovalPolicy.RETAIN : undefined,
    }])),
    onEventStatements: [read(...readable)],
  });
}

const onEventRequests = () => emulator.requests.filter((r) => r.operation === 'GetObject');

test('a handler signs as its execution role\'s session: what its policy allows succeeds, anything else is AccessDenied', async () => {
  const created = await harness.deploy(probeStack({ Allowed: { probe: 'a.json' } }, ['a.json']));
  expect(created.status).toBe('CREATE_COMPLETE');
  expect(harness.resource('Allowed').attributes.Probe).toBe('"object a"');
  const [request] = onEventRequests();
  expect(request.principal).toMatch(/^arn:aws:sts::123456789012:assumed-role\/HarnessFixture-OnEventServiceRole[0-9A-Z]+-[0-9A-Z]+\/OnEvent[0-9A-F]{8}$/);
  expect(request.status).toBe(200);

  const denied = await harness.deploy(probeStack({ Allowed: { probe: 'a.json' }, Denied: { probe: 'b.json' } }, ['a.json']));
  expect(denied.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(eventOf(denied.events, 'Denied', 'CREATE_FAILED')?.reason).toContain('Access Denied');
  expect(emulator.iam.denials).toMatchObject([{ principal: request.principal, action: 's3:GetObject', resource: `arn:aws:s3:::${BUCKET}/b.json` }]);
});

test('without the endpoint\'s IAM, the sessions\' keys are known nowhere and every request a handler signs is refused', async () => {
  const bare = new CloudFormationHarness({ clock: new ScaledClock(TEST_SCALE), env: { AWS_ENDPOINT_URL: emulator.url } });
  try {
    expect((await bare.deploy(probeStack({ Allowed: { probe: 'a.json' } }, ['a.json']))).status).toBe('ROLLBACK_COMPLETE');
  } finally {
    await bare.dispose();
  }
  expect(onEventRequests().map((r) => r.errorCode)).toEqual(['InvalidAccessKeyId']);
});

test('update phase: the role\'s policy is updated before the custom resource that depends on it', async () => {
  await harness.deploy(probeStack({ Probe: { probe: 'a.json' } }, ['a.json']));
  // The new template reads only b.json, and lets the role read only b.json.
  const updated = await harness.deploy(probeStack({ Probe: { probe: 'b.json' } }, ['b.json']));

  expect(updated.status).toBe('UPDATE_COMPLETE');
  expect(harness.resource('Probe').attributes.Probe).toBe('"object b"');
  const policy = updated.events.findIndex((e) => e.logicalId.startsWith('OnEventServiceRoleDefaultPolicy') && e.status === 'UPDATE_COMPLETE');
  const resource = updated.events.findIndex((e) => e.logicalId === 'Probe' && e.status === 'UPDATE_IN_PROGRESS');
  expect(policy).toBeGreaterThanOrEqual(0);
  expect(policy).toBeLessThan(resource);
  expect(emulator.iam.denials).toEqual([]);
});

test('cleanup phase: the Delete of a removed resource runs under the updated policies', async () => {
  await harness.deploy(probeStack({ Old: { probe: 'a.json' } }, ['a.json']));
  const renamed = await harness.deploy(probeStack({ New: { probe: 'b.json' } }, ['b.json']));

  // CloudFormation reports the failed cleanup Delete and completes the update anyway: Old is abandoned.
  expect(renamed.status).toBe('UPDATE_COMPLETE');
  expect(statuses(renamed.events, 'Old')).toEqual(['DELETE_IN_PROGRESS', 'DELETE_FAILED']);
  expect(eventOf(renamed.events, 'Old', 'DELETE_FAILED')?.reason).toContain('Access Denied');
  expect(emulator.iam.denials).toMatchObject([{ resource: `arn:aws:s3:::${BUCKET}/a.json` }]);
});

test('cleanup phase: with a policy that still covers the old resource, its Delete succeeds', async () => {
  await harness.deploy(probeStack({ Old: { probe: 'a.json' } }, ['a.json', 'b.json']));
  const renamed = await harness.deploy(probeStack({ New: { probe: 'b.json' } }, ['a.json', 'b.json']));
  expect(renamed.status).toBe('UPDATE_COMPLETE');
  expect(statuses(renamed.events, 'Old')).toEqual(['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
  expect(emulator.iam.denials).toEqual([]);
});

test('rollback: a custom resource\'s rollback Update runs before its handler\'s policy is rolled back, so under the new policy', async () => {
  await harness.deploy(probeStack({ Probe: { probe: 'a.json' } }, ['a.json']));
  const failed = await harness.deploy(probeStack({ Probe: { probe: 'b.json', failIsComplete: 'Update' } }, ['b.json']));

  expect(failed.status).toBe('UPDATE_ROLLBACK_FAILED');
  const rollback = failed.events.slice(failed.events.findIndex((e) => e.status === 'UPDATE_ROLLBACK_IN_PROGRESS'));
  expect(statuses(rollback, 'Probe')).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_FAILED']);
  expect(eventOf(rollback, 'Probe', 'UPDATE_FAILED')?.reason).toContain('Access Denied');
  // Nothing the custom resource depends on was rolled back before it (nor, once it failed, after).
  expect(rollback.some((e) => e.logicalId.startsWith('OnEventServiceRoleDefaultPolicy'))).toBe(false);
  expect(emulator.iam.denials).toMatchObject([{ resource: `arn:aws:s3:::${BUCKET}/a.json` }]);
});

test('rollback: with a new policy that still allows the old state, the rollback completes and then the policy is rolled back', async () => {
  await harness.deploy(probeStack({ Probe: { probe: 'a.json' } }, ['a.json']));
  const failed = await harness.deploy(probeStack({ Probe: { probe: 'b.json', failIsComplete: 'Update' } }, ['a.json', 'b.json']));

  expect(failed.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  const rollback = failed.events.slice(failed.events.findIndex((e) => e.status === 'UPDATE_ROLLBACK_IN_PROGRESS'));
  const resourceDone = rollback.findIndex((e) => e.logicalId === 'Probe' && e.status === 'UPDATE_COMPLETE');
  const policyStarted = rollback.findIndex((e) => e.logicalId.startsWith('OnEventServiceRoleDefaultPolicy') && e.status === 'UPDATE_IN_PROGRESS');
  expect(resourceDone).toBeGreaterThanOrEqual(0);
  expect(policyStarted).toBeGreaterThan(resourceDone);
  expect(harness.resource('Probe').attributes.Probe).toBe('"object a"');
});

test('wildcardGrants lists Allow statements on * (and NotResource) in any role or policy of the stack', async () => {
  await harness.deploy(scriptedStack({
    resources: { Probe: {} },
    onEventStatements: [read('a.json'), new iam.PolicyStatement({ actions: ['s3:ListAllMyBuckets'], resources: ['*'] })],
  }));
  expect(harness.wildcardGrants()).toEqual([{ logicalId: expect.stringMatching(/^OnEventServiceRoleDefaultPolicy/), actions: ['s3:ListAllMyBuckets'] }]);
});

describe('rolePolicies: what a role may do, read from the stack as it stands', () => {
  const resource = (logicalId: string, type: string, physicalId: string, properties: Record<string, unknown>) =>
    ({ logicalId, type, physicalId, properties, attributes: {}, definition: { Type: type }, dependencies: [] });
  const document = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

  test('inline policies, AWS::IAM::Policy, RolePolicy and ManagedPolicy (by Roles or ManagedPolicyArns) of that role, and no other', () => {
    const managedArn = 'arn:aws:iam::123456789012:policy/Shared';
    const resources = [
      resource('Role', 'AWS::IAM::Role', 'HandlerRole', { Policies: [{ PolicyName: 'inline', PolicyDocument: document('a:Inline') }], ManagedPolicyArns: [managedArn, 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] }),
      resource('Other', 'AWS::IAM::Role', 'OtherRole', { Policies: [{ PolicyName: 'inline', PolicyDocument: document('b:OtherInline') }] }),
      resource('Policy', 'AWS::IAM::Policy', 'Stack-Policy', { PolicyDocument: document('a:Policy'), Roles: ['HandlerRole', 'OtherRole'] }),
      resource('OtherPolicy', 'AWS::IAM::Policy', 'Stack-OtherPolicy', { PolicyDocument: document('b:Policy'), Roles: ['OtherRole'] }),
      resource('RolePolicy', 'AWS::IAM::RolePolicy', 'Stack-RolePolicy', { PolicyDocument: document('a:RolePolicy'), RoleName: 'HandlerRole' }),
      resource('Attached', 'AWS::IAM::ManagedPolicy', managedArn, { PolicyDocument: document('a:AttachedByArn') }),
      resource('ByRoles', 'AWS::IAM::ManagedPolicy', 'arn:aws:iam::123456789012:policy/ByRoles', { PolicyDocument: document('a:AttachedByRoles'), Roles: ['HandlerRole'] }),
    ];
    const actions = rolePolicies(resources, 'HandlerRole').map((policy) => (policy.Statement as Array<{ Action: string }>)[0].Action);
    expect(actions.sort()).toEqual(['a:AttachedByArn', 'a:AttachedByRoles', 'a:Inline', 'a:Policy', 'a:RolePolicy']);
    expect(rolePolicies(resources, 'NoSuchRole')).toEqual([]);
  });
});
