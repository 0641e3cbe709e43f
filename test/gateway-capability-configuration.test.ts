import { App, CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iotsitewise from 'aws-cdk-lib/aws-iotsitewise';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CapabilityConfiguration, CapabilityNamespace, GatewayCapabilityConfiguration, GatewayCapabilityConfigurationProps, OpcUaCollectorConfiguration,
  PublisherConfiguration, PublisherDestination,
} from '../src';
import { uuid } from './support/scale-stack';
import { stableTemplate } from './support/templates';

const GATEWAY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OTHER_GATEWAY_ID = '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
const RESOURCE_TYPE = 'Custom::EdgeSyncGatewayCapabilityConfiguration';
const COLLECTOR_DOCUMENT = {
  sources: [{
    name: 'Line 1',
    endpoint: {
      certificateTrust: { type: 'TrustAny' },
      endpointUri: 'opc.tcp://203.0.113.0:49320',
      securityPolicy: 'NONE',
      messageSecurityMode: 'NONE',
      identityProvider: { type: 'Anonymous' },
      nodeFilterRules: [],
    },
    measurementDataStreamPrefix: '',
  }],
};

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
}

function collector(stack: Stack, id: string = 'Collector', props: Partial<GatewayCapabilityConfigurationProps> = {}): GatewayCapabilityConfiguration {
  return new GatewayCapabilityConfiguration(stack, id, {
    gatewayId: GATEWAY_ID,
    namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
    configuration: CapabilityConfiguration.fromObject(COLLECTOR_DOCUMENT),
    ...props,
  });
}

describe('GatewayCapabilityConfiguration', () => {
  test('synthesizes a custom resource with the document, the sync options and the service timeout', () => {
    const stack = newStack();
    collector(stack);
    const template = Template.fromStack(stack);
    template.hasResource(RESOURCE_TYPE, {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('EdgeSyncProviderframeworkonEvent'), 'Arn'] },
        GatewayId: GATEWAY_ID,
        CapabilityNamespace: 'iotsitewise:opcuacollector:3',
        CapabilityConfiguration: JSON.stringify(COLLECTOR_DOCUMENT),
        ResetConfiguration: '{"sources":[]}',
        OnDelete: 'reset',
        WaitForSync: 'true',
        SyncTimeoutSeconds: '900',
        FailOnNotApplicable: 'false',
        ServiceTimeout: '3600',
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    expect(stableTemplate(stack)).toMatchSnapshot();
  });

  test('handlers run on the newest Node.js runtime with JSON logs and a bounded timeout', () => {
    const stack = newStack();
    collector(stack);
    const template = Template.fromStack(stack);
    for (const handler of ['index.onEvent', 'index.isComplete']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: handler,
        Runtime: 'nodejs24.x',
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
        Timeout: handler === 'index.onEvent' ? 180 : 300,
      });
    }
    // The waiter polls every 5 s for at most 55 minutes: below the 60 minute service timeout.
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('"IntervalSeconds":5,"MaxAttempts":660,"BackoffRate":1')])] },
    });
  });

  test('fifty configurations in one stack share one provider', () => {
    const stack = newStack();
    for (let i = 0; i < 50; i++) {
      const gatewayId = uuid(0, i);
      collector(stack, `Collector${i}`, { gatewayId });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs(RESOURCE_TYPE, 50);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::Lambda::Function', 5); // onEvent, isComplete and the framework's three
  });

  test('each handler may call only its SiteWise actions (isComplete makes onEvent\'s calls when throttling outlasts onEvent): on the gateways used, and on gateways whose owner tag names this stack', () => {
    const stack = newStack();
    collector(stack, 'A');
    collector(stack, 'B', { gatewayId: OTHER_GATEWAY_ID, namespace: CapabilityNamespace.PUBLISHER_V3, configuration: CapabilityConfiguration.fromJson('{"sources":[{"type":"MQTT"}],"destinations":[]}') });
    const template = Template.fromStack(stack);
    const arn = (id: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iotsitewise:eu-west-1:123456789012:gateway/${id}`]] });
    const onEventActions = [
      'iotsitewise:UpdateGatewayCapabilityConfiguration', 'iotsitewise:DescribeGatewayCapabilityConfiguration',
      'iotsitewise:ListTagsForResource', 'iotsitewise:TagResource', 'iotsitewise:UntagResource',
    ];
    const isCompleteActions = onEventActions;
    const ownedBy = (namespace: string) => ({ StringLike: { [`aws:ResourceTag/cdk-edge-sync:owner:${namespace}`]: { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '/*']] } } });
    const statementsOf = (role: string) => Object.values(template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp(`${role}RoleDefaultPolicy`) },
    })).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statementsOf('OnEventHandler')).toEqual(expect.arrayContaining([
      { Action: onEventActions, Effect: 'Allow', Resource: [arn(GATEWAY_ID), arn(OTHER_GATEWAY_ID)] },
      { Action: onEventActions, Effect: 'Allow', Resource: [arn('*')], Condition: ownedBy('iotsitewise:opcuacollector:3') },
      { Action: onEventActions, Effect: 'Allow', Resource: [arn('*')], Condition: ownedBy('iotsitewise:publisher:3') },
      {
        Action: 'iotsitewise:UntagResource',
        Effect: 'Allow',
        Resource: [arn('*')],
        Condition: {
          'StringLike': { 'aws:ResourceTag/cdk-edge-sync:handover:iotsitewise:opcuacollector:3': { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '/*']] } },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['cdk-edge-sync:handover:iotsitewise:opcuacollector:3'] },
        },
      },
    ]));
    expect(statementsOf('IsCompleteHandler')).toEqual(expect.arrayContaining([
      { Action: isCompleteActions, Effect: 'Allow', Resource: [arn(GATEWAY_ID), arn(OTHER_GATEWAY_ID)] },
      { Action: isCompleteActions, Effect: 'Allow', Resource: [arn('*')], Condition: ownedBy('iotsitewise:opcuacollector:3') },
      {
        Action: 'iotsitewise:UntagResource',
        Effect: 'Allow',
        Resource: [arn('*')],
        Condition: {
          'StringLike': { 'aws:ResourceTag/cdk-edge-sync:handover:iotsitewise:opcuacollector:3': { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, '/*']] } },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['cdk-edge-sync:handover:iotsitewise:opcuacollector:3'] },
        },
      },
    ]));
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    // gateway/* only where a condition narrows it to this stack's gateways.
    const wide = statements.filter((st: any) => JSON.stringify(st.Resource).includes('gateway/*') && st.Condition === undefined);
    expect(wide).toEqual([]);
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"[^}]*iotsitewise|iotsitewise:\*/);
  });

  test('takes the gateway id from a CfnGateway', () => {
    const stack = newStack();
    const gateway = new iotsitewise.CfnGateway(stack, 'Gateway', {
      gatewayName: 'plant-1',
      gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'plant-1-core' } },
      gatewayVersion: '3',
    });
    const config = collector(stack, 'Collector', { gatewayId: undefined, gateway });
    expect(stack.resolve(config.gatewayId)).toEqual({ 'Fn::GetAtt': ['Gateway', 'GatewayId'] });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { GatewayId: { 'Fn::GetAtt': ['Gateway', 'GatewayId'] } });
  });

  test('exposes the final sync status as an attribute', () => {
    const stack = newStack();
    const config = collector(stack);
    const resource = config.node.findChild('Resource').node.defaultChild as CfnResource;
    expect(stack.resolve(config.attrSyncStatus)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(resource), 'SyncStatus'] });
  });

  test('waitForSync, syncTimeout and failOnNotApplicable reach the handler', () => {
    const stack = newStack();
    collector(stack, 'Collector', { waitForSync: false, syncTimeout: Duration.minutes(55), failOnNotApplicable: true });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { WaitForSync: 'false', SyncTimeoutSeconds: '3300', FailOnNotApplicable: 'true' });
  });

  test('RETAIN keeps the configuration: CloudFormation and the handler both leave it', () => {
    const stack = newStack();
    collector(stack, 'Collector', { removalPolicy: RemovalPolicy.RETAIN });
    const template = Template.fromStack(stack);
    template.hasResource(RESOURCE_TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { OnDelete: 'retain', ResetConfiguration: Match.absent() } });
  });

  test('RETAIN_ON_UPDATE_OR_DELETE renders RetainExceptOnCreate, and the one Delete CloudFormation then sends (a failed create\'s) resets', () => {
    const stack = newStack();
    collector(stack, 'Collector', { removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    Template.fromStack(stack).hasResource(RESOURCE_TYPE, {
      DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain', Properties: { OnDelete: 'reset', ResetConfiguration: '{"sources":[]}' },
    });
  });

  test('a namespace without a documented empty document is left on delete, and says so', () => {
    const stack = newStack();
    collector(stack, 'Publisher', { namespace: CapabilityNamespace.PUBLISHER_V2, configuration: CapabilityConfiguration.fromJson('{"SiteWisePublisherConfiguration":{"publishingOrder":"TIME_ORDER"}}') });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { OnDelete: 'reset', ResetConfiguration: Match.absent() });
    Annotations.fromStack(stack).hasInfo('/Stack/Publisher', Match.stringLikeRegexp('No empty document is known for namespace iotsitewise:publisher:2'));
  });

  test('a given resetConfiguration replaces the namespace default', () => {
    const stack = newStack();
    collector(stack, 'Publisher', {
      namespace: CapabilityNamespace.of('iotsitewise:publisher:2'),
      configuration: CapabilityConfiguration.fromJson('{"SiteWisePublisherConfiguration":{"publishingOrder":"RECENT_DATA"}}'),
      resetConfiguration: CapabilityConfiguration.fromObject({ SiteWisePublisherConfiguration: { publishingOrder: 'TIME_ORDER' } }),
    });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { ResetConfiguration: '{"SiteWisePublisherConfiguration":{"publishingOrder":"TIME_ORDER"}}' });
  });

  test('tokens inside a document resolve at deploy time with correct quoting', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'OpcUaUser');
    collector(stack, 'Collector', {
      configuration: CapabilityConfiguration.fromObject({ sources: [{ name: 'a', endpoint: { identityProvider: { type: 'Username', usernameSecretArn: secret.secretArn } } }] }),
    });
    const resource = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE))[0];
    expect(JSON.stringify(resource.Properties.CapabilityConfiguration)).toContain('{"Ref":"OpcUaUser');
    expect(resource.Properties.CapabilityConfiguration['Fn::Join']).toBeDefined();
  });

  test('known namespaces come back from of() with their empty document', () => {
    expect(CapabilityNamespace.of('iotsitewise:opcuacollector:2')).toBe(CapabilityNamespace.OPC_UA_COLLECTOR_V2);
    expect(CapabilityNamespace.OPC_UA_COLLECTOR_V3.emptyConfiguration).toBe('{"sources":[]}');
    expect(CapabilityNamespace.of('partner:modbus:1').emptyConfiguration).toBeUndefined();
    expect(CapabilityNamespace.of('partner:modbus:1').value).toBe('partner:modbus:1');
  });

  test('values that are tokens at synth time are left for the handler to check', () => {
    const stack = newStack();
    const gatewayId = Token.asString({ Ref: 'GatewayIdParameter' });
    expect(() => collector(stack, 'Collector', {
      gatewayId,
      namespace: CapabilityNamespace.of(Token.asString({ Ref: 'NamespaceParameter' })),
      configuration: CapabilityConfiguration.fromJson(Token.asString({ Ref: 'DocumentParameter' })),
      syncTimeout: Duration.seconds(Token.asNumber({ Ref: 'TimeoutParameter' })),
    })).not.toThrow();
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { GatewayId: { Ref: 'GatewayIdParameter' }, SyncTimeoutSeconds: { Ref: 'TimeoutParameter' } });
  });
});

describe('GatewayCapabilityConfiguration validation', () => {
  test.each([
    ['not a UUID', 'gateway-1', /Stack\/Collector: gatewayId must be a gateway UUID .* got "gateway-1"/],
    ['upper case', GATEWAY_ID.toUpperCase(), /gatewayId must be a gateway UUID/],
    ['the reserved all-zero id', '00000000-0000-0000-0000-000000000000', /gatewayId must be a gateway UUID/],
  ])('rejects a gateway id that is %s', (_, gatewayId, message) => {
    expect(() => collector(newStack(), 'Collector', { gatewayId })).toThrow(message);
  });

  test('requires exactly one of gatewayId and gateway', () => {
    const stack = newStack();
    const gateway = new iotsitewise.CfnGateway(stack, 'Gateway', { gatewayName: 'g', gatewayPlatform: { siemensIe: { iotCoreThingName: 't' } } });
    expect(() => collector(stack, 'Both', { gateway })).toThrow('Stack/Both: give exactly one of gatewayId and gateway, got both');
    expect(() => collector(stack, 'Neither', { gatewayId: undefined })).toThrow('Stack/Neither: give exactly one of gatewayId and gateway, got neither');
  });

  test.each([
    ['iotsitewise:opcuacollector', /must have the form service:capability:version .* got "iotsitewise:opcuacollector"/],
    ['iot-sitewise:publisher:3', /must have the form service:capability:version/],
    ['', /capabilityNamespace must be 1 to 512 characters, got 0/],
    [`a:b:${'1'.repeat(509)}`, /capabilityNamespace must be 1 to 512 characters, got 513/],
  ])('rejects the namespace %j', (namespace, message) => {
    expect(() => CapabilityNamespace.of(namespace)).toThrow(message);
  });

  test.each([
    ['not JSON', '{"sources": [', /Stack\/Collector: configuration must be a JSON document: /],
    ['empty', '', /configuration must be 1 to 10,000,000 characters, got 0/],
    ['longer than 10,000,000 characters', `"${'x'.repeat(9_999_999)}"`, /configuration must be 1 to 10,000,000 characters, got 10,000,001/],
  ])('rejects a configuration that is %s', (_, json, message) => {
    expect(() => collector(newStack(), 'Collector', { configuration: CapabilityConfiguration.fromJson(json) })).toThrow(message);
  });

  test('rejects an object that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => collector(newStack(), 'Collector', { configuration: CapabilityConfiguration.fromObject(cyclic) }))
      .toThrow(/Stack\/Collector: configuration must be JSON-serialisable: .*circular/);
  });

  test('rejects an invalid reset document', () => {
    expect(() => collector(newStack(), 'Collector', { resetConfiguration: CapabilityConfiguration.fromJson('nope') }))
      .toThrow(/configuration must be a JSON document/);
  });

  test.each([
    [Duration.minutes(56), /syncTimeout must be a whole number of seconds from 1 second to 55 minutes, got 56 minutes/],
    [Duration.seconds(0), /syncTimeout must be a whole number of seconds from 1 second to 55 minutes, got 0 seconds/],
    [Duration.millis(1500), /syncTimeout must be a whole number of seconds from 1 second to 55 minutes, got 1 second 500 millis/],
  ])('rejects a sync timeout of %s', (syncTimeout, message) => {
    expect(() => collector(newStack(), 'Collector', { syncTimeout })).toThrow(message);
  });

  test('rejects the SNAPSHOT removal policy', () => {
    expect(() => collector(newStack(), 'Collector', { removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow('Stack/Collector: removalPolicy must be DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE, got snapshot: a capability configuration has no snapshot');
  });

  test('requires a namespace when the configuration does not name one', () => {
    expect(() => collector(newStack(), 'Collector', { namespace: undefined })).toThrow(
      'Stack/Collector: namespace is required: a configuration from CapabilityConfiguration.fromObject or fromJson does not say which namespace it is for',
    );
  });

  test('takes the namespace from a configuration that knows it, and refuses another', () => {
    class PublisherV3Document extends CapabilityConfiguration {
      public bind() {
        return { json: '{"sources":[{"type":"MQTT"}],"destinations":[]}', namespace: CapabilityNamespace.PUBLISHER_V3 };
      }
    }
    const stack = newStack();
    expect(collector(stack, 'Publisher', { namespace: undefined, configuration: new PublisherV3Document() }).namespace).toBe('iotsitewise:publisher:3');
    expect(() => collector(stack, 'Other', { namespace: CapabilityNamespace.PUBLISHER_V2, configuration: new PublisherV3Document() })).toThrow(
      'Stack/Other: namespace iotsitewise:publisher:2 does not match the configuration, which is written for iotsitewise:publisher:3',
    );
  });

  test('typed configurations ask the handler to check their rules again once tokens resolve', () => {
    const stack = newStack();
    const publisher = PublisherConfiguration.v3({ destinations: [PublisherDestination.realtime({ name: 'a' })] });
    collector(stack, 'Publisher', { namespace: undefined, configuration: publisher });
    collector(stack, 'Collector', { namespace: undefined, configuration: OpcUaCollectorConfiguration.v3() });
    collector(stack, 'Plain', { gatewayId: OTHER_GATEWAY_ID });
    const template = Template.fromStack(stack);
    const resources = Object.entries(template.findResources(RESOURCE_TYPE));
    const rulesOf = (id: string) => resources.find(([logicalId]) => logicalId.startsWith(id))![1].Properties.DocumentRules;
    expect(rulesOf('Publisher')).toBe('publisher');
    expect(rulesOf('Collector')).toBe('opcua-collector');
    expect(rulesOf('Plain')).toBeUndefined();
  });

  test('rejects two resources for the same gateway and namespace in one stack', () => {
    const stack = newStack();
    collector(stack, 'First');
    expect(() => collector(stack, 'Second')).toThrow(
      `Stack/Second: capability namespace iotsitewise:opcuacollector:3 of gateway ${GATEWAY_ID} is already configured by Stack/First in this stack`,
    );
    // Another namespace of the same gateway is fine.
    expect(() => collector(stack, 'Publisher', { namespace: CapabilityNamespace.PUBLISHER_V3 })).not.toThrow();
  });

  test('rejects two resources for the same CfnGateway and namespace', () => {
    const stack = newStack();
    const gateway = new iotsitewise.CfnGateway(stack, 'Gateway', { gatewayName: 'g', gatewayPlatform: { siemensIe: { iotCoreThingName: 't' } } });
    collector(stack, 'First', { gatewayId: undefined, gateway });
    expect(() => collector(stack, 'Second', { gatewayId: undefined, gateway })).toThrow(/is already configured by Stack\/First/);
  });
});
