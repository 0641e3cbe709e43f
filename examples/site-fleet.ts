// A fleet of plants: the same OPC UA collector on every site's gateway, each reading its own PLC,
// rolled out in waves: a canary, then the rest. `npx projen demo` rolls a change out to it that
// the canary rejects, and the rollout stops there.
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  CapabilityConfiguration, CapabilityNamespace, GatewayFleetConfiguration, GatewaySite, IGatewaySiteConfiguration, OpcUaCollectorConfiguration,
  RolloutWaves,
} from '../src'; // 'cdk-edge-sync' in your app

export interface SiteFleetStackProps extends StackProps {
  /** Site id and gateway id of each plant. */
  readonly sites: ReadonlyArray<{ readonly siteId: string; readonly gatewayId: string; readonly plc: string }>;
  /** The port every site's PLC serves OPC UA on. @default 4840 */
  readonly opcUaPort?: number;
}

/** Each site's collector: one source, the site's PLC. */
class SiteCollector implements IGatewaySiteConfiguration {
  constructor(private readonly port: number) {}

  public configurationFor(_scope: Construct, site: GatewaySite): CapabilityConfiguration {
    return OpcUaCollectorConfiguration.v3({
      sources: [{ name: 'Line PLC', endpointUri: `opc.tcp://${site.parameters!.plc}:${this.port}`, includePaths: ['/Line/'] }],
    });
  }
}

export class SiteFleetStack extends Stack {
  public readonly fleet: GatewayFleetConfiguration;

  constructor(scope: Construct, id: string, props: SiteFleetStackProps) {
    super(scope, id, props);
    this.fleet = new GatewayFleetConfiguration(this, 'Collectors', {
      sites: props.sites.map((site) => ({ siteId: site.siteId, gatewayId: site.gatewayId, parameters: { plc: site.plc } })),
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: new SiteCollector(props.opcUaPort ?? 4840),
      // A canary, then every other site.
      waves: RolloutWaves.counts(1),
    });
  }
}

if (require.main === module) {
  const app = new App();
  new SiteFleetStack(app, 'SiteFleet', {
    sites: [1, 2, 3, 4, 5].map((i) => ({ siteId: `plant-${i}`, gatewayId: `00000000-0000-4000-8000-00000000000${i}`, plc: `10.0.${i}.20` })),
  });
  app.synth();
}
