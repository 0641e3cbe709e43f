import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  CameraSite, CapabilityConfiguration, CapabilityNamespace, EdgeSchedule, GatewayFleetConfiguration, GatewaySite, OpcUaCertificateTrust,
  OpcUaCollectorConfiguration, RolloutWave, RolloutWaves, StreamEdgeFleetConfiguration,
} from '../src';

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const sitesOf = (count: number): GatewaySite[] => Array.from({ length: count }, (_, i) => ({ siteId: `plant-${i + 1}`, gatewayId: uuid(i + 1), parameters: { plc: `10.0.${i + 1}.20` } }));
const collector = (trust?: OpcUaCertificateTrust) => ({
  configurationFor: (_scope: unknown, site: GatewaySite) => OpcUaCollectorConfiguration.v3({
    sources: [{ name: 'PLC', endpointUri: `opc.tcp://${site.parameters!.plc}:4840`, certificateTrust: trust ?? OpcUaCertificateTrust.x509('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----') }],
  }),
});

function fleet(sites: GatewaySite[], extra: Partial<ConstructorParameters<typeof GatewayFleetConfiguration>[2]> = {}) {
  const stack = new Stack(new App(), 'Fleet', { env: { account: '123456789012', region: 'us-east-1' } });
  const construct = new GatewayFleetConfiguration(stack, 'Collectors', { sites, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3, configuration: collector(), ...extra });
  return { stack, construct, template: () => Template.fromStack(stack).toJSON() };
}

/** The logical ids a resource depends on, without the provider's. */
function dependsOn(template: any, prefix: string): string[] {
  const [, resource] = Object.entries<any>(template.Resources).find(([id]) => id.startsWith(prefix))!;
  return [resource.DependsOn ?? []].flat().filter((id: string) => !id.startsWith('EdgeSync')).sort();
}

describe('RolloutWaves', () => {
  test.each([
    [RolloutWaves.counts(1, 4, 15), 20, [1, 4, 15]],
    [RolloutWaves.counts(1, 4), 20, [1, 4, 15]],
    [RolloutWaves.counts(1, 4, 15), 3, [1, 2]],
    [RolloutWaves.CANARY_THEN_TEN_PERCENT, 50, [1, 5, 44]],
    [RolloutWaves.CANARY_THEN_TEN_PERCENT, 1, [1]],
    [RolloutWaves.of(RolloutWave.fraction(0.5), RolloutWave.rest()), 5, [3, 2]],
    [RolloutWaves.ALL_AT_ONCE, 7, [7]],
  ])('%# splits a fleet into waves', (waves, size, expected) => {
    expect(waves.sizes(size)).toEqual(expected);
  });

  test.each([
    [() => RolloutWave.count(0), 'RolloutWave.count(targets) must be a whole number of at least 1, got 0'],
    [() => RolloutWave.fraction(1.5), 'RolloutWave.fraction(fraction) must be above 0 and at most 1, got 1.5'],
    [() => RolloutWaves.of(RolloutWave.rest(), RolloutWave.count(1)), 'RolloutWave.rest() must be the last wave, got it as wave 1 of 2'],
    [() => RolloutWaves.of(), 'RolloutWaves.of(...waves) needs at least one wave, got none'],
  ])('%# refuses bad waves, naming the rule', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('GatewayFleetConfiguration', () => {
  test('one resource per site, labelled with its site and wave for failure reasons', () => {
    const { template, construct } = fleet(sitesOf(3), { waves: RolloutWaves.counts(1, 2) });
    const resources = Object.values<any>(template().Resources).filter((r) => r.Type === 'Custom::EdgeSyncGatewayCapabilityConfiguration');
    expect(resources.map((r) => r.Properties.RolloutLabel)).toEqual([
      `site plant-1 (gateway ${uuid(1)}), wave 1 of 2`, `site plant-2 (gateway ${uuid(2)}), wave 2 of 2`, `site plant-3 (gateway ${uuid(3)}), wave 2 of 2`,
    ]);
    expect(construct.waveOfSite).toEqual({ 'plant-1': 1, 'plant-2': 2, 'plant-3': 2 });
  });

  test('a wave depends on a barrier after the previous wave; within a wave, at most maxConcurrent apply at once', () => {
    const { template } = fleet(sitesOf(7), { waves: RolloutWaves.counts(1, 6), maxConcurrent: 2 });
    const t = template();
    expect(dependsOn(t, 'CollectorsAfterWave1')).toEqual([expect.stringMatching(/^CollectorsSiteplant1/)]);
    expect(dependsOn(t, 'CollectorsSiteplant1')).toEqual([]);
    expect(dependsOn(t, 'CollectorsSiteplant2')).toEqual([expect.stringMatching(/^CollectorsAfterWave1/)]);
    expect(dependsOn(t, 'CollectorsSiteplant3')).toEqual([expect.stringMatching(/^CollectorsAfterWave1/)]);
    expect(dependsOn(t, 'CollectorsSiteplant4')).toEqual([expect.stringMatching(/^CollectorsAfterWave1/), expect.stringMatching(/^CollectorsSiteplant2/)].sort());
    expect(Object.values<any>(t.Resources).filter((r) => r.Type === 'AWS::CloudFormation::WaitConditionHandle')).toHaveLength(1);
  });

  test.each([
    [{ sites: [] }, 'Fleet/Collectors: sites must list at least one site, got none'],
    [{ sites: [...sitesOf(2), { siteId: 'plant-1', gatewayId: uuid(9) }] }, 'siteId plant-1 is listed twice'],
    [{ sites: [...sitesOf(2), { siteId: 'plant-9', gatewayId: uuid(2), parameters: { plc: '10.0.9.20' } }] }, `sites plant-2 and plant-9 both name gateway ${uuid(2)}`],
    [{ sites: [{ siteId: 'plant 1', gatewayId: uuid(1) }] }, 'siteId must be 1 to 64 letters, digits and hyphens, got "plant 1"'],
    [{ sites: sitesOf(2), maxConcurrent: 0 }, 'maxConcurrent must be a whole number of at least 1, got 0'],
  ])('%# refuses a bad fleet at synth, naming the rule', (props, message) => {
    expect(() => fleet(props.sites as GatewaySite[], props as any)).toThrow(message);
  });

  test('a site whose typed document breaks a rule fails synth naming the site', () => {
    const sites = [...sitesOf(2), { siteId: 'plant-3', gatewayId: uuid(3), parameters: { plc: 'not an address/' } }];
    expect(() => fleet(sites)).toThrow(/Fleet\/Collectors: site plant-3: .*endpointUri/);
  });

  test('forbidTrustAnyCertificates refuses a site trusting any server certificate, naming it', () => {
    const sites = sitesOf(2);
    const { stack } = fleet(sites, { forbidTrustAnyCertificates: true, configuration: collector(OpcUaCertificateTrust.trustAny()) });
    expect(() => Template.fromStack(stack)).toThrow(/site plant-1: an OPC UA source trusts any server certificate \(TrustAny\), and forbidTrustAnyCertificates is set/);
  });

  test('forbidTrustAnyCertificates accepts X.509 trust', () => {
    const { stack } = fleet(sitesOf(2), { forbidTrustAnyCertificates: true });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('a plain JSON document per site is accepted too', () => {
    const { template } = fleet(sitesOf(2), { configuration: { configurationFor: () => CapabilityConfiguration.fromObject({ sources: [] }) } });
    expect(Object.values<any>(template().Resources).filter((r) => r.Type === 'Custom::EdgeSyncGatewayCapabilityConfiguration')).toHaveLength(2);
  });
});

describe('StreamEdgeFleetConfiguration', () => {
  const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:camera-AbCdEf';
  const cameras = (count: number): CameraSite[] => Array.from({ length: count }, (_, i) => ({
    siteId: `shop-${i + 1}`, streamName: `camera-${i + 1}`, hubDeviceArn: `arn:aws:iot:us-east-1:123456789012:thing/hub-${i + 1}`,
  }));
  const recorder = (schedule: string) => ({
    edgeConfigurationFor: (scope: Construct, site: CameraSite) => ({
      recorder: {
        mediaUriSecret: secretsmanager.Secret.fromSecretCompleteArn(scope, `Uri-${site.siteId}`, SECRET),
        schedule: EdgeSchedule.cron(schedule, Duration.hours(1)),
      },
    }),
  });
  const fleetOf = (sites: CameraSite[], schedule = '0 0 8 ? * MON-FRI') => {
    const stack = new Stack(new App(), 'Cameras', { env: { account: '123456789012', region: 'us-east-1' } });
    return { stack, fleet: new StreamEdgeFleetConfiguration(stack, 'Recorders', { sites, configuration: recorder(schedule), waves: RolloutWaves.counts(1, 2) }) };
  };

  test('one resource per site in waves, each labelled with its site and wave', () => {
    const { stack, fleet: construct } = fleetOf(cameras(4));
    const labels = Object.values<any>(Template.fromStack(stack).toJSON().Resources)
      .filter((r) => r.Type === 'Custom::EdgeSyncStreamEdgeConfiguration').map((r) => r.Properties.RolloutLabel);
    expect(labels).toEqual(['site shop-1 (stream camera-1), wave 1 of 3', 'site shop-2 (stream camera-2), wave 2 of 3',
      'site shop-3 (stream camera-3), wave 2 of 3', 'site shop-4 (stream camera-4), wave 3 of 3']);
    expect(construct.waveOfSite).toEqual({ 'shop-1': 1, 'shop-2': 2, 'shop-3': 2, 'shop-4': 3 });
  });

  test('two sites on one stream fail synth', () => {
    expect(() => fleetOf([...cameras(2), { siteId: 'shop-9', streamName: 'camera-2', hubDeviceArn: 'arn:aws:iot:us-east-1:123456789012:thing/hub-9' }]))
      .toThrow('sites shop-2 and shop-9 both name stream camera-2; one stream takes one configuration');
  });

  test('a site whose configuration breaks a rule fails synth naming the site', () => {
    expect(() => fleetOf(cameras(2), 'not a cron')).toThrow(/Cameras\/Recorders: site shop-1: .*recorder\.schedule/);
  });
});

test('snapshot: the wave structure of a 12-site fleet (waves 1, 10 %, rest; 3 at a time)', () => {
  const { template } = fleet(sitesOf(12), { maxConcurrent: 3 });
  const structure = Object.fromEntries(Object.entries<any>(template().Resources)
    .filter(([, r]) => r.Type === 'Custom::EdgeSyncGatewayCapabilityConfiguration' || r.Type === 'AWS::CloudFormation::WaitConditionHandle')
    .map(([id, r]) => [id, { type: r.Type, label: r.Properties?.RolloutLabel, dependsOn: [r.DependsOn ?? []].flat().filter((d: string) => !d.startsWith('EdgeSync')).sort() }]));
  expect(structure).toMatchSnapshot();
});

test('cdk-nag AwsSolutions finds nothing in the fleet itself', () => {
  const { stack } = fleet(sitesOf(5));
  const report = new AwsSolutionsChecks(stack).validateScope(stack);
  expect(report.violations.flatMap((v) => v.violatingResources.map((r) => r.constructPath)).filter((p) => p?.includes('/Collectors/'))).toEqual([]);
});

describe('a fleet larger than a stack', () => {
  test('is split into nested stacks by wave, each under CloudFormation\'s limits with its own provider, in wave order', () => {
    const app = new App();
    const stack = new Stack(app, 'Fleet', { env: { account: '123456789012', region: 'us-east-1' } });
    const sites = sitesOf(450);
    const construct = new GatewayFleetConfiguration(stack, 'Collectors', { sites, namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3, configuration: collector(), sitesPerStack: 200 });
    const assembly = app.synth();
    const parent = assembly.getStackByName(stack.stackName).template;
    const nested = Object.entries<any>(parent.Resources).filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack');
    // Waves 1 (1 site), 10 % (45) and the rest (404, in parts of 200, 200 and 4).
    expect(nested.map(([id]) => id.replace(/NestedStack.*$/, ''))).toEqual([
      'CollectorsWave1Part1', 'CollectorsWave2Part1', 'CollectorsWave3Part1', 'CollectorsWave3Part2', 'CollectorsWave3Part3',
    ]);
    const [wave1, wave2, ...wave3] = nested;
    expect([wave2[1].DependsOn].flat()).toEqual([wave1[0]]);
    for (const [, part] of wave3) expect([part.DependsOn].flat()).toEqual([wave2[0]]);
    expect(Object.values<any>(parent.Resources).filter((r) => r.Type.startsWith('Custom::EdgeSync'))).toEqual([]);

    const templates = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.nested.template.json'));
    expect(templates).toHaveLength(5);
    const counts = templates.map((file) => {
      const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, file), 'utf8'));
      const resources = Object.values<any>(template.Resources);
      expect(resources.length).toBeLessThan(500);
      expect(Buffer.byteLength(JSON.stringify(template))).toBeLessThan(1_000_000);
      expect(resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
      return resources.filter((r) => r.Type === 'Custom::EdgeSyncGatewayCapabilityConfiguration').length;
    });
    expect(counts.sort((a, b) => a - b)).toEqual([1, 4, 45, 200, 200]);
    expect(construct.waveOfSite['plant-450']).toBe(3);
  });

  test.each([0, 401])('sitesPerStack %s is refused', (sitesPerStack) => {
    expect(() => fleet(sitesOf(2), { sitesPerStack })).toThrow(`sitesPerStack must be a whole number from 1 to 400, got ${sitesPerStack}`);
  });
});
