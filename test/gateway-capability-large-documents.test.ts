import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CapabilityConfiguration, CapabilityNamespace, GatewayCapabilityConfiguration, OpcUaCollectorConfiguration, OpcUaIdentity, OpcUaSourceProps,
} from '../src';
import { uuid } from './support/scale-stack';

const GATEWAY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const RESOURCE_TYPE = 'Custom::EdgeSyncGatewayCapabilityConfiguration';
/** The budget of a resource's inline documents in its resource event, JSON-escaped (INLINE_DOCUMENTS_BUDGET_BYTES). */
const BUDGET = 64 * 1024;
const ENV = { account: '123456789012', region: 'eu-west-1' };
/** The default reset document of the OPC UA collector, `{"sources":[]}`, as a JSON string in the event. */
const EMPTY_RESET_IN_EVENT = Buffer.byteLength(JSON.stringify('{"sources":[]}'));

/** A JSON document that takes exactly `bytes` bytes in the resource event, as a JSON string. */
function documentOf(bytes: number): string {
  const overhead = Buffer.byteLength(JSON.stringify(JSON.stringify({ padding: '' })));
  return JSON.stringify({ padding: 'x'.repeat(bytes - overhead) });
}

function resourceProperties(stack: Stack): Record<string, any> {
  const resources = Template.fromStack(stack).findResources(RESOURCE_TYPE);
  const ids = Object.keys(resources);
  expect(ids).toHaveLength(1);
  return resources[ids[0]].Properties;
}

/** The text of the file asset the synthesized app uploads as `key`. */
function assetText(app: App, key: string): string {
  const directory = app.synth().directory;
  return fs.readFileSync(path.join(directory, `asset.${key}`), 'utf8');
}

function withDocument(json: string, props: { stack?: Stack } = {}) {
  const app = new App();
  const stack = props.stack ?? new Stack(app, 'Stack', { env: ENV });
  new GatewayCapabilityConfiguration(stack, 'Collector', {
    gatewayId: GATEWAY_ID,
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromJson(json),
  });
  return { app: stack.node.root as App, stack };
}

/** An OPC UA source with long node paths, about 1 KB rendered. */
function source(i: number, identity?: OpcUaIdentity): OpcUaSourceProps {
  return {
    name: `Line ${i}`,
    endpointUri: `opc.tcp://10.0.${Math.floor(i / 250)}.${i % 250}:4840`,
    includePaths: Array.from({ length: 6 }, (_, n) => `/Plant/Hall${i}/Line/Machine${n}/Sensors/Temperature/`),
    identity,
  };
}

describe('GatewayCapabilityConfiguration documents too large for the template', () => {
  test('documents that together take up to the budget of the resource event, JSON-escaped, stay inline', () => {
    const document = documentOf(BUDGET - EMPTY_RESET_IN_EVENT);
    const { stack } = withDocument(document);
    const properties = resourceProperties(stack);
    expect(properties.CapabilityConfiguration).toBe(document);
    expect(properties.ResetConfiguration).toBe('{"sources":[]}');
    expect(properties.CapabilityConfigurationS3).toBeUndefined();
  });

  test('one byte more travels as an S3 asset holding exactly the document', () => {
    const document = documentOf(BUDGET - EMPTY_RESET_IN_EVENT + 1);
    const { app, stack } = withDocument(document);
    const properties = resourceProperties(stack);
    expect(properties.CapabilityConfiguration).toBeUndefined();
    expect(properties.ResetConfiguration).toBe('{"sources":[]}');
    expect(properties.CapabilityConfigurationS3).toEqual({
      Bucket: 'cdk-hnb659fds-assets-123456789012-eu-west-1',
      Key: expect.stringMatching(/^[0-9a-f]{64}\.json$/),
    });
    expect(assetText(app, properties.CapabilityConfigurationS3.Key)).toBe(document);
  });

  test('the handlers may read exactly the carried objects, in a managed policy named by them that the resource depends on', () => {
    const { stack } = withDocument(documentOf(BUDGET + 1));
    const template = Template.fromStack(stack);
    const key = resourceProperties(stack).CapabilityConfigurationS3.Key;
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    expect(Object.keys(policies)).toEqual([expect.stringMatching(/^EdgeSyncDocumentReads[0-9A-F]{16}$/)]);
    const [[policyId, policy]] = Object.entries(policies) as Array<[string, any]>;
    // onEvent reads them; isComplete too, when it finishes what onEvent had no time for.
    expect(policy.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/OnEventHandlerRole/) }, { Ref: expect.stringMatching(/IsCompleteHandlerRole/) }]);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::cdk-hnb659fds-assets-123456789012-eu-west-1/${key}`]] }],
    }]);
    const [customResource] = Object.values(template.findResources(RESOURCE_TYPE)) as any[];
    expect(customResource.DependsOn).toContain(policyId);
    // No other grant on the bucket.
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toContain('s3:');
  });

  test('a stack without carried documents grants no S3 read', () => {
    const { stack } = withDocument(documentOf(100));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('s3:GetObject');
  });

  // The policy's logical id follows the objects: CloudFormation creates the new policy before the
  // update and deletes the old one in the cleanup, so a rollback can still read the old object.
  test('a changed document changes the policy\'s logical id; the same document keeps it', () => {
    const policyIdOf = (json: string) => Object.keys(Template.fromStack(withDocument(json).stack).findResources('AWS::IAM::ManagedPolicy'));
    const first = policyIdOf(documentOf(BUDGET + 1));
    expect(policyIdOf(documentOf(BUDGET + 1))).toEqual(first);
    const changed = policyIdOf(documentOf(BUDGET + 2));
    expect(changed).toHaveLength(1);
    expect(changed).not.toEqual(first);
  });

  test('a document is measured as the event holds it: escaped backslashes and quotes count twice', () => {
    // 30,000 backslashes are 60,000 bytes of JSON text, under the budget, but 120,000 bytes in the event.
    const backslashes = JSON.stringify({ note: '\\'.repeat(30_000) });
    expect(Buffer.byteLength(backslashes)).toBeLessThan(BUDGET);
    const { stack } = withDocument(backslashes);
    expect(resourceProperties(stack).CapabilityConfigurationS3).toBeDefined();
  });

  test('a configuration and a reset document that each fit but together do not: the larger travels, the other stays inline', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new GatewayCapabilityConfiguration(stack, 'Collector', {
      gatewayId: GATEWAY_ID,
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromJson(documentOf(40_000)),
      resetConfiguration: CapabilityConfiguration.fromJson(documentOf(30_000)),
    });
    const properties = resourceProperties(stack);
    expect(properties.CapabilityConfigurationS3).toBeDefined();
    expect(properties.CapabilityConfiguration).toBeUndefined();
    expect(properties.ResetConfiguration).toBe(documentOf(30_000));
  });

  test('multi-byte characters count in bytes, as S3 and the waiter input do', () => {
    const characters = Math.floor(BUDGET / 3) + 10; // fewer characters than the budget, more bytes
    const { stack } = withDocument(JSON.stringify({ name: '\u20ac'.repeat(characters) }));
    expect(resourceProperties(stack).CapabilityConfigurationS3).toBeDefined();
  });

  test('the bucket is the bootstrap bucket of the stack\'s environment, resolved by CloudFormation when the stack is environment-agnostic', () => {
    const app = new App();
    const { stack } = withDocument(documentOf(BUDGET + 1), { stack: new Stack(app, 'Agnostic') });
    expect(resourceProperties(stack).CapabilityConfigurationS3.Bucket).toEqual({ 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' });
  });

  test('tokens become markers in the object and their values stay in the template, one per distinct token', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const secret = new secretsmanager.Secret(stack, 'Credentials');
    const other = new secretsmanager.Secret(stack, 'OtherCredentials');
    const configuration = OpcUaCollectorConfiguration.v3({ sources: [] });
    new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId: GATEWAY_ID, configuration });
    // Sources added after the resource count: the choice is made at synthesis.
    for (let i = 0; i < 120; i++) configuration.addSource(source(i, OpcUaIdentity.username(i === 7 ? other : secret)));

    const properties = resourceProperties(stack);
    expect(properties.CapabilityConfigurationS3.TokenValues).toEqual([
      { Ref: stack.getLogicalId(secret.node.defaultChild as CfnElement) },
      { Ref: stack.getLogicalId(other.node.defaultChild as CfnElement) },
    ]);
    const text = assetText(app, properties.CapabilityConfigurationS3.Key);
    expect(text.split('<<cdk-edge-sync:0>>')).toHaveLength(120);
    expect(text.split('<<cdk-edge-sync:1>>')).toHaveLength(2);
    // With the values put back, the document is what would have been inline.
    const resolved = text.replace(/<<cdk-edge-sync:(\d)>>/g, (_, n) => ['arn:secret-1', 'arn:secret-2'][Number(n)]);
    const sources = JSON.parse(resolved).sources;
    expect(sources).toHaveLength(120);
    expect(sources[7].endpoint.identityProvider).toEqual({ type: 'Username', usernameSecretArn: 'arn:secret-2' });
    expect(sources[8].endpoint.identityProvider).toEqual({ type: 'Username', usernameSecretArn: 'arn:secret-1' });
  });

  test('a token from another stack becomes an import, as it would inline', () => {
    const app = new App();
    const secrets = new Stack(app, 'Secrets', { env: ENV });
    const secret = new secretsmanager.Secret(secrets, 'Credentials');
    const stack = new Stack(app, 'Stack', { env: ENV });
    const sources = Array.from({ length: 120 }, (_, i) => source(i, OpcUaIdentity.username(secret)));
    const configuration = OpcUaCollectorConfiguration.v3({ sources });
    new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId: GATEWAY_ID, configuration });

    expect(resourceProperties(stack).CapabilityConfigurationS3.TokenValues).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/^Secrets:ExportsOutputRefCredentials/) }]);
    expect(Object.keys(Template.fromStack(secrets).toJSON().Outputs)).toEqual([expect.stringMatching(/^ExportsOutputRefCredentials/)]);
  });

  test('a 300 KB OPC UA document leaves a small template', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const configuration = OpcUaCollectorConfiguration.v3({ sources: Array.from({ length: 300 }, (_, i) => source(i)) });
    new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId: GATEWAY_ID, configuration });

    const key = resourceProperties(stack).CapabilityConfigurationS3.Key;
    expect(Buffer.byteLength(assetText(app, key))).toBeGreaterThan(300_000);
    // The template of the same stack with a one-source document, and the carried document's few hundred bytes more.
    const small = new Stack(new App(), 'Stack', { env: ENV });
    new GatewayCapabilityConfiguration(small, 'Collector', { gatewayId: GATEWAY_ID, configuration: OpcUaCollectorConfiguration.v3({ sources: [source(0)] }) });
    const smallBytes = JSON.stringify(Template.fromStack(small).toJSON()).length;
    expect(JSON.stringify(Template.fromStack(stack).toJSON()).length).toBeLessThan(smallBytes + 2_000);
  });

  test('a large reset document travels as an S3 asset too', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    new GatewayCapabilityConfiguration(stack, 'Collector', {
      gatewayId: GATEWAY_ID,
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromObject({ sources: [] }),
      resetConfiguration: CapabilityConfiguration.fromJson(documentOf(BUDGET + 1)),
    });
    const properties = resourceProperties(stack);
    expect(properties.CapabilityConfiguration).toBe('{"sources":[]}');
    expect(properties.ResetConfiguration).toBeUndefined();
    expect(assetText(app, properties.ResetConfigurationS3.Key)).toBe(documentOf(BUDGET + 1));
  });

  test('a large document whose own text holds the marker prefix stays inline, with a warning', () => {
    const json = JSON.stringify({ note: '<<cdk-edge-sync:0>>', padding: 'x'.repeat(BUDGET) });
    const { stack } = withDocument(json);
    expect(resourceProperties(stack).CapabilityConfiguration).toBe(json);
    Annotations.fromStack(stack).hasWarning('/Stack/Collector', Match.stringLikeRegexp('stays in the template, because its text contains "<<cdk-edge-sync:"'));
  });

  test('a document that is a single token has no text to carry, so it stays inline', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const document = new CfnParameter(stack, 'Document');
    new GatewayCapabilityConfiguration(stack, 'Collector', {
      gatewayId: GATEWAY_ID,
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromJson(document.valueAsString),
    });
    const properties = resourceProperties(stack);
    expect(properties.CapabilityConfiguration).toEqual({ Ref: 'Document' });
    expect(properties.CapabilityConfigurationS3).toBeUndefined();
  });

  test('41 carried documents take two policies, each of at most 40 objects and under 6,144 characters resolved', () => {
    const stack = stackOfLargeDocuments(41);
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')) as any[];
    const resources = policies.map((policy) => [policy.Properties.PolicyDocument.Statement[0].Resource].flat());
    expect(resources.map((list) => list.length).sort()).toEqual([1, 40]);
    // Resolved in the longest partition and region, with a 10-character bootstrap qualifier.
    const resolve = (value: unknown) => JSON.stringify(value)
      .replace(/\{"Ref":"AWS::Partition"\}/g, '"aws-us-gov"')
      .replace(/cdk-hnb659fds-assets-123456789012-eu-west-1/g, 'cdk-qualifier1-assets-123456789012-ap-southeast-5');
    for (const policy of policies) {
      const document = JSON.parse(resolve(policy.Properties.PolicyDocument).replace(/\{"Fn::Join":\["",\[((?:"[^"]*",?)+)\]\]\}/g,
        (_: string, parts: string) => JSON.stringify((JSON.parse(`[${parts}]`) as string[]).join(''))));
      expect(JSON.stringify(document)).not.toContain('Fn::');
      expect(JSON.stringify(document).length).toBeLessThan(6_144);
    }
    const [customResource] = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE)) as any[];
    expect(customResource.DependsOn).toEqual(expect.arrayContaining(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))));
  });

  test('more than 200 carried documents in one stack are refused at synth, naming the limit', () => {
    expect(() => Template.fromStack(stackOfLargeDocuments(201)))
      .toThrow(/201 configuration documents travel through S3 in this stack; the handlers may read at most 200/);
  });
});

/** A stack of `count` collectors, each with its own document just over the inline budget. */
function stackOfLargeDocuments(count: number): Stack {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  for (let i = 0; i < count; i++) {
    new GatewayCapabilityConfiguration(stack, `Collector${i}`, {
      gatewayId: uuid(0, i),
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromJson(JSON.stringify({ n: i, padding: 'x'.repeat(BUDGET) })),
    });
  }
  return stack;
}

describe('a bootstrap bucket encrypted with a customer managed key', () => {
  test('the README\'s grant gives both handlers kms:Decrypt on the key', () => {
    const { stack } = withDocument(documentOf(BUDGET + 1));
    const bootstrapKey = new kms.Key(stack, 'BootstrapKey');
    // As the README has it.
    const provider = stack.node.findChild('EdgeSyncProvider');
    for (const handler of ['OnEventHandler', 'IsCompleteHandler']) {
      bootstrapKey.grantDecrypt(provider.node.findChild(handler) as lambda.IFunction);
    }
    for (const role of ['OnEventHandlerRole', 'IsCompleteHandlerRole']) {
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp(role) }],
        PolicyDocument: { Statement: Match.arrayWith([{ Action: 'kms:Decrypt', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BootstrapKey'), 'Arn'] } }]) },
      });
    }
  });
});
