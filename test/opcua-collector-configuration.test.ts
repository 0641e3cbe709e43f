import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  CapabilityNamespace, GatewayCapabilityConfiguration, OpcUaCertificateTrust, OpcUaCollectorConfiguration, OpcUaDataChangeTrigger,
  OpcUaDeadband, OpcUaDestination, OpcUaIdentity, OpcUaMessageSecurityMode, OpcUaScanMode, OpcUaSecurityPolicy, OpcUaSourceProps,
  OpcUaTimestampToReturn,
} from '../src';

const GATEWAY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const RESOURCE_TYPE = 'Custom::EdgeSyncGatewayCapabilityConfiguration';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
}

/** The document a configuration renders, as the gateway would receive it (tokens resolved by the stack). */
function rendered(configuration: OpcUaCollectorConfiguration, stack: Stack = newStack()): any {
  new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId: GATEWAY_ID, configuration });
  const resource = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE))[0];
  const json = resource.Properties.CapabilityConfiguration;
  return typeof json === 'string' ? JSON.parse(json) : json;
}

const windFarm: OpcUaSourceProps = { name: 'Wind Farm #1', endpointUri: 'opc.tcp://203.0.113.0:49320' };

describe('OpcUaCollectorConfiguration', () => {
  test('renders the user guide\'s minimal V2 source', () => {
    expect(rendered(OpcUaCollectorConfiguration.v2({ sources: [windFarm] }))).toEqual({
      sources: [{
        name: 'Wind Farm #1',
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
    });
  });

  test('V3 sources send to MQTT; the namespace comes from the configuration', () => {
    const stack = newStack();
    const document = rendered(OpcUaCollectorConfiguration.v3({ sources: [windFarm] }), stack);
    expect(document.sources[0].destination).toEqual({ type: 'MQTT' });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      CapabilityNamespace: 'iotsitewise:opcuacollector:3',
      ResetConfiguration: '{"sources":[]}',
      // The handler checks the document's rules again once tokens are resolved.
      DocumentRules: 'opcua-collector',
    });
  });

  test('renders every option of a source', () => {
    const document = rendered(OpcUaCollectorConfiguration.v3({
      sources: [{
        name: 'Line 1',
        endpointUri: 'opc.tcp://10.0.1.20:4840/line1',
        certificateTrust: OpcUaCertificateTrust.x509('-----BEGIN CERTIFICATE-----\nMII...', '-----BEGIN CERTIFICATE-----\nMIJ...'),
        securityPolicy: OpcUaSecurityPolicy.BASIC256_SHA256,
        messageSecurityMode: OpcUaMessageSecurityMode.SIGN_AND_ENCRYPT,
        includePaths: ['/Line1/**', '/Line2/Temp*'],
        measurementDataStreamPrefix: 'plant1',
        convertArraysToJson: true,
        convertDatetimesToIso8601: true,
        propertyGroups: [
          {
            name: 'Temperatures',
            rootPaths: ['/Line1/Temperatures/'],
            deadband: OpcUaDeadband.percent(5, { eguMin: -20, eguMax: 120, timeout: Duration.seconds(60) }),
            scanMode: OpcUaScanMode.poll(Duration.seconds(1), OpcUaTimestampToReturn.SOURCE_TIME),
            dataQuality: { allowGoodQuality: true, allowBadQuality: false, allowUncertainQuality: true },
          },
          {
            name: 'Counters',
            rootPaths: ['/Line1/Counters/'],
            deadband: OpcUaDeadband.absolute(10),
            scanMode: OpcUaScanMode.exception(),
            subscription: {
              dataChangeTrigger: OpcUaDataChangeTrigger.STATUS_VALUE,
              queueSize: 10,
              publishingInterval: Duration.millis(500),
              snapshotFrequency: Duration.minutes(1),
            },
          },
        ],
        discovery: {
          enableNodeTraversal: true,
          avoidNodeTreeLoops: true,
          maxConcurrentBrowseRequests: 10,
          maxNodesPerBrowseRequest: 1000,
          periodicDiscovery: { interval: Duration.minutes(90), maxNodesDiscoveredPerInterval: 1000 },
        },
        defaultDataChangeTrigger: OpcUaDataChangeTrigger.STATUS_VALUE_TIMESTAMP,
      }],
    }));
    expect(document.sources[0]).toEqual({
      name: 'Line 1',
      endpoint: {
        certificateTrust: { type: 'X509', certificateBody: '-----BEGIN CERTIFICATE-----\nMII...', certificateChain: '-----BEGIN CERTIFICATE-----\nMIJ...' },
        endpointUri: 'opc.tcp://10.0.1.20:4840/line1',
        securityPolicy: 'BASIC256_SHA256',
        messageSecurityMode: 'SIGN_AND_ENCRYPT',
        identityProvider: { type: 'Anonymous' },
        nodeFilterRules: [
          { action: 'INCLUDE', definition: { type: 'OpcUaRootPath', rootPath: '/Line1/**' } },
          { action: 'INCLUDE', definition: { type: 'OpcUaRootPath', rootPath: '/Line2/Temp*' } },
        ],
      },
      measurementDataStreamPrefix: 'plant1',
      typeConversions: { array: 'JsonArray', datetime: 'ISO8601String' },
      destination: { type: 'MQTT' },
      propertyGroups: [
        {
          name: 'Temperatures',
          nodeFilterRuleDefinitions: [{ type: 'OpcUaRootPath', rootPath: '/Line1/Temperatures/' }],
          deadband: { type: 'PERCENT', value: 5, eguMin: -20, eguMax: 120, timeoutMilliseconds: 60000 },
          scanMode: { type: 'POLL', rate: 1000, timestampToReturn: 'SOURCE_TIME' },
          dataQuality: { allowGoodQuality: true, allowBadQuality: false, allowUncertainQuality: true },
        },
        {
          name: 'Counters',
          nodeFilterRuleDefinitions: [{ type: 'OpcUaRootPath', rootPath: '/Line1/Counters/' }],
          deadband: { type: 'ABSOLUTE', value: 10 },
          scanMode: { type: 'EXCEPTION' },
          subscription: { dataChangeTrigger: 'STATUS_VALUE', queueSize: 10, publishingIntervalMilliseconds: 500, snapshotFrequencyMilliseconds: 60000 },
        },
      ],
      discoveryConfig: {
        enableNodeTraversal: true,
        avoidNodeTreeLoops: true,
        maxConcurrentBrowseRequests: 10,
        maxNodesPerBrowseRequest: 1000,
        periodicDiscovery: { interval: '90m', maxNodesDiscoveredPerInterval: 1000 },
      },
      defaultPropertyGroupConfig: { dataChangeTrigger: 'STATUS_VALUE_TIMESTAMP' },
    });
  });

  test('V2 sources send to a Stream Manager stream', () => {
    const document = rendered(OpcUaCollectorConfiguration.v2({ sources: [{ ...windFarm, destination: OpcUaDestination.streamManager('SiteWise_Stream_1', 10) }] }));
    expect(document.sources[0].destination).toEqual({ type: 'StreamManager', streamName: 'SiteWise_Stream_1', streamBufferSize: 10 });
  });

  test('sources added after the resource was defined are in the document, from several parts of an app', () => {
    const stack = newStack();
    const collector = OpcUaCollectorConfiguration.v3({ sources: [windFarm] });
    new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId: GATEWAY_ID, configuration: collector });
    collector.addSource({ name: 'Line 2', endpointUri: 'opc.tcp://10.0.1.21:4840' });
    const resource = Object.values(Template.fromStack(stack).findResources(RESOURCE_TYPE))[0];
    expect(JSON.parse(resource.Properties.CapabilityConfiguration).sources.map((s: any) => s.name)).toEqual(['Wind Farm #1', 'Line 2']);
  });

  test('user name identities reference their secret, and the gateway role may read every one of them', () => {
    const stack = newStack();
    const first = new secretsmanager.Secret(stack, 'Line1User');
    const second = new secretsmanager.Secret(stack, 'Line2User');
    const collector = OpcUaCollectorConfiguration.v3({ sources: [{ ...windFarm, identity: OpcUaIdentity.username(first) }] });
    const gatewayRole = new iam.Role(stack, 'GatewayRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    collector.grantSecretsRead(gatewayRole);
    collector.addSource({ name: 'Line 2', endpointUri: 'opc.tcp://10.0.1.21:4840', identity: OpcUaIdentity.username(second) });
    new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId: GATEWAY_ID, configuration: collector });

    const template = Template.fromStack(stack);
    const resource = Object.values(template.findResources(RESOURCE_TYPE))[0];
    expect(resource.Properties.CapabilityConfiguration['Fn::Join'][1]).toContainEqual({ Ref: expect.stringMatching(/^Line1User/) });
    const policy = JSON.stringify(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('GatewayRole') }] } }));
    expect(policy).toContain('Line1User');
    expect(policy).toContain('Line2User');
  });

  test('a deprecated security policy is warned about', () => {
    const stack = newStack();
    rendered(OpcUaCollectorConfiguration.v3({
      sources: [{ ...windFarm, securityPolicy: OpcUaSecurityPolicy.BASIC256, messageSecurityMode: OpcUaMessageSecurityMode.SIGN }],
    }), stack);
    Annotations.fromStack(stack).hasWarning('/Stack/Collector', Match.stringLikeRegexp('OPC UA source "Wind Farm #1" uses security policy BASIC256, which the OPC Foundation deprecated'));
  });

  test('a V3 configuration refuses the V2 namespace', () => {
    expect(() => new GatewayCapabilityConfiguration(newStack(), 'Collector', {
      gatewayId: GATEWAY_ID,
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V2,
      configuration: OpcUaCollectorConfiguration.v3({ sources: [windFarm] }),
    })).toThrow('namespace iotsitewise:opcuacollector:2 does not match the configuration, which is written for iotsitewise:opcuacollector:3');
  });
});

/**
 * The user guide's examples ("Configure an OPC UA source (AWS CLI)", additional examples for
 * Classic streams, V2 gateways), saved verbatim in test/fixtures/sitewise-user-guide/. The guide
 * has no complete V3 example.
 */
describe('OpcUaCollectorConfiguration renders the user guide examples key for key', () => {
  const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sitewise-user-guide', name), 'utf8'));

  test('minimal source', () => {
    expect(rendered(OpcUaCollectorConfiguration.v2({ sources: [windFarm] }))).toEqual(fixture('opcua-v2-minimal.json'));
  });

  test('property groups with deadbands and polling', () => {
    const collector = OpcUaCollectorConfiguration.v2({
      sources: [{
        name: 'source1',
        endpointUri: 'opc.tcp://10.0.0.9:49320',
        includePaths: ['/Utilities/Tank'],
        measurementDataStreamPrefix: 'propertyGroups',
        propertyGroups: [
          {
            name: 'Deadband_Abs_5',
            rootPaths: ['/Utilities/Tank/Temperature/TT-001', '/Utilities/Tank/Temperature/TT-002'],
            deadband: OpcUaDeadband.absolute(5, { timeout: Duration.minutes(2) }),
          },
          { name: 'Polling_10s', rootPaths: ['/Utilities/Tank/Pressure/PT-001'], scanMode: OpcUaScanMode.poll(Duration.seconds(10)) },
          {
            name: 'Percent_Deadband_Timeout_90s',
            rootPaths: ['/Utilities/Tank/Flow/FT-*'],
            deadband: OpcUaDeadband.percent(5, { eguMin: -100, eguMax: 100, timeout: Duration.seconds(90) }),
          },
        ],
      }],
    });
    expect(rendered(collector)).toEqual(fixture('opcua-v2-property-groups.json'));
  });

  test('user name identity from a secret', () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Auth', 'arn:aws:secretsmanager:region:123456789012:secret:greengrass-windfarm2-auth-1ABCDE');
    const collector = OpcUaCollectorConfiguration.v2({
      sources: [{
        name: 'Wind Farm #2',
        endpointUri: 'opc.tcp://203.0.113.1:49320',
        securityPolicy: OpcUaSecurityPolicy.BASIC256,
        messageSecurityMode: OpcUaMessageSecurityMode.SIGN_AND_ENCRYPT,
        identity: OpcUaIdentity.username(secret),
        includePaths: ['/WindFarm/2/WindTurbine/'],
        measurementDataStreamPrefix: '/Washington',
      }],
    });
    expect(rendered(collector, stack)).toEqual(fixture('opcua-v2-username-identity.json'));
  });

  test('X.509 certificate trust', () => {
    const expected = fixture('opcua-v2-x509-certificate-trust.json');
    const trust = expected.sources[0].endpoint.certificateTrust;
    const collector = OpcUaCollectorConfiguration.v2({
      sources: [{
        name: 'Wind Farm #3',
        endpointUri: 'opc.tcp://203.0.113.2:49320',
        certificateTrust: OpcUaCertificateTrust.x509(trust.certificateBody, trust.certificateChain),
        securityPolicy: OpcUaSecurityPolicy.BASIC256,
        messageSecurityMode: OpcUaMessageSecurityMode.SIGN_AND_ENCRYPT,
      }],
    });
    expect(rendered(collector)).toEqual(expected);
  });
});

describe('OpcUaCollectorConfiguration validation', () => {
  const v3 = (source: Partial<OpcUaSourceProps>) => () => OpcUaCollectorConfiguration.v3({ sources: [{ ...windFarm, ...source }] });
  const v2 = (source: Partial<OpcUaSourceProps>) => () => OpcUaCollectorConfiguration.v2({ sources: [{ ...windFarm, ...source }] });
  const group = (props: Partial<import('../src').OpcUaPropertyGroupProps> = {}) => ({ name: 'G', rootPaths: ['/A/'], ...props });

  test.each([
    ['an http endpoint', v3({ endpointUri: 'http://203.0.113.0:49320' }), 'OPC UA source "Wind Farm #1": endpointUri must be an OPC UA TCP endpoint, opc.tcp://host:port, got "http://203.0.113.0:49320"'],
    ['a port above 65535', v3({ endpointUri: 'opc.tcp://host:70000' }), 'endpointUri must be an OPC UA TCP endpoint'],
    ['an empty name', v3({ name: ' ' }), 'OPC UA source " ": name must not be empty'],
    ['policy NONE with SIGN', v3({ messageSecurityMode: OpcUaMessageSecurityMode.SIGN }),
      'OPC UA source "Wind Farm #1": securityPolicy NONE cannot be used with messageSecurityMode SIGN: NONE goes only with NONE'],
    ['a policy with mode NONE', v3({ securityPolicy: OpcUaSecurityPolicy.AES256_SHA256_RSAPSS }),
      'securityPolicy AES256_SHA256_RSAPSS cannot be used with messageSecurityMode NONE'],
    ['a path without a leading slash', v3({ includePaths: ['Line1/'] }), 'includePaths[0] must be a node path starting with \'/\''],
    ['a partial ** wildcard', v3({ includePaths: ['/Line**/x'] }), 'includePaths[0] must be a node path starting with \'/\', with \'*\' inside a name and \'**\' only as a whole level, got "/Line**/x"'],
    ['MQTT on a V2 gateway', v2({ destination: OpcUaDestination.mqtt() }), 'destination MQTT needs an MQTT-enabled (V3) gateway'],
    ['Stream Manager on a V3 gateway', v3({ destination: OpcUaDestination.streamManager('s') }), 'destination StreamManager needs a Classic streams (V2) gateway'],
    ['discovery on a V2 gateway', v2({ discovery: { maxConcurrentBrowseRequests: 1 } }), 'discovery and defaultDataChangeTrigger need an MQTT-enabled (V3) gateway'],
    ['501 concurrent browse requests', v3({ discovery: { maxConcurrentBrowseRequests: 501 } }), 'discovery maxConcurrentBrowseRequests must be a whole number from 1 to 500, got 501'],
    ['1001 nodes per browse', v3({ discovery: { maxNodesPerBrowseRequest: 1001 } }), 'discovery maxNodesPerBrowseRequest must be a whole number from 1 to 1000, got 1001'],
    ['a 29 s discovery interval', v3({ discovery: { periodicDiscovery: { interval: Duration.seconds(29) } } }),
      'discovery periodicDiscovery interval must be at least 30 seconds, got 29 seconds'],
    ['overlapping property groups', v3({ propertyGroups: [group({ name: 'A', rootPaths: ['/Line1/'] }), group({ name: 'B', rootPaths: ['/Line1/Temp/'] })] }),
      'OPC UA source "Wind Farm #1": property group "B": rootPaths[0] "/Line1/Temp/" overlaps "/Line1/" of property group "A"'],
    ['an all-nodes group beside another', v3({ propertyGroups: [group({ name: 'All', rootPaths: undefined }), group()] }),
      'property group "All" has no rootPaths, so it covers every node and must be the source\'s only group'],
    ['a path under a wildcard path', v3({ propertyGroups: [group({ name: 'A', rootPaths: ['/Flow/FT-*'] }), group({ name: 'B', rootPaths: ['/Flow/FT-001'] })] }),
      'property group "B": rootPaths[0] "/Flow/FT-001" overlaps "/Flow/FT-*" of property group "A"'],
    ['two groups of one name', v3({ propertyGroups: [group({ rootPaths: ['/A/'] }), group({ rootPaths: ['/B/'] })] }), 'property group "G": name must be unique within the source'],
    ['a 0 % deadband', v3({ propertyGroups: [group({ deadband: OpcUaDeadband.percent(0) })] }), 'property group "G": deadband percent value must be from 1 to 100, got 0'],
    ['a 101 % deadband', v3({ propertyGroups: [group({ deadband: OpcUaDeadband.percent(101) })] }), 'deadband percent value must be from 1 to 100, got 101'],
    ['a negative absolute deadband', v3({ propertyGroups: [group({ deadband: OpcUaDeadband.absolute(-1) })] }), 'deadband absolute value must be 0 or more, got -1'],
    ['eguMin above eguMax', v3({ propertyGroups: [group({ deadband: OpcUaDeadband.percent(5, { eguMin: 10, eguMax: 0 }) })] }), 'deadband eguMin must be below eguMax, got 10 and 0'],
    ['a 99 ms deadband timeout', v3({ propertyGroups: [group({ deadband: OpcUaDeadband.absolute(1, { timeout: Duration.millis(99) }) })] }),
      'deadband timeout must be a whole number of milliseconds, at least 100 ms, got 99 millis'],
    ['a queue size of 0', v3({ propertyGroups: [group({ subscription: { queueSize: 0 } })] }), 'subscription queueSize must be a whole number of at least 1, got 0'],
  ])('rejects %s', (_, build, message) => {
    expect(build).toThrow(message);
  });

  test('rejects a second source with the same name', () => {
    const collector = OpcUaCollectorConfiguration.v3({ sources: [windFarm] });
    expect(() => collector.addSource({ ...windFarm, endpointUri: 'opc.tcp://10.0.0.1:4840' })).toThrow(
      'OPC UA source "Wind Farm #1": name must be unique within the gateway, and another source has it',
    );
  });

  test('accepts the documented wildcards and a policy with SIGN', () => {
    expect(v3({ includePaths: ['/', '/Line1/**', '/Line*/Temp', '/**'], securityPolicy: OpcUaSecurityPolicy.BASIC256_SHA256, messageSecurityMode: OpcUaMessageSecurityMode.SIGN })).not.toThrow();
  });
});
