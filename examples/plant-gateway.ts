// The example app of the README: an MQTT-enabled (V3) SiteWise Edge gateway with one OPC UA
// source and a publisher, deployed so that `cdk deploy` waits until the gateway is in sync.
// `npx projen demo` deploys it against the local AWS emulator.
import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iotsitewise from 'aws-cdk-lib/aws-iotsitewise';
import { Construct } from 'constructs';
import { CapabilityConfiguration, CapabilityNamespace, GatewayCapabilityConfiguration } from '../src'; // 'cdk-edge-sync' in your app

export interface PlantGatewayStackProps extends StackProps {
  /** The OPC UA server the gateway reads. */
  readonly opcUaEndpointUri?: string;
}

export class PlantGatewayStack extends Stack {
  public readonly collector: GatewayCapabilityConfiguration;
  public readonly publisher: GatewayCapabilityConfiguration;

  constructor(scope: Construct, id: string, props: PlantGatewayStackProps = {}) {
    super(scope, id, props);

    const gateway = new iotsitewise.CfnGateway(this, 'Gateway', {
      gatewayName: 'plant-1',
      gatewayVersion: '3',
      gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'plant-1-core', coreDeviceOperatingSystem: 'LINUX_AMD64' } },
    });

    // The OPC UA sources of the gateway: the deploy succeeds only once the gateway runs them.
    this.collector = new GatewayCapabilityConfiguration(this, 'OpcUaCollector', {
      gateway,
      namespace: CapabilityNamespace.OPC_UA_COLLECTOR_V3,
      configuration: CapabilityConfiguration.fromObject({
        sources: [{
          name: 'Line 1 PLC',
          endpoint: {
            certificateTrust: { type: 'TrustAny' },
            endpointUri: props.opcUaEndpointUri ?? 'opc.tcp://10.0.1.20:4840',
            securityPolicy: 'NONE',
            messageSecurityMode: 'NONE',
            identityProvider: { type: 'Anonymous' },
            nodeFilterRules: [{ action: 'INCLUDE', definition: { type: 'OpcUaRootPath', rootPath: '/Line1/' } }],
          },
          measurementDataStreamPrefix: 'line1',
          destination: { type: 'MQTT' },
        }],
      }),
      syncTimeout: Duration.minutes(10),
    });

    // The publisher: where the gateway sends its data.
    this.publisher = new GatewayCapabilityConfiguration(this, 'Publisher', {
      gateway,
      namespace: CapabilityNamespace.PUBLISHER_V3,
      configuration: CapabilityConfiguration.fromJson(JSON.stringify({
        sources: [{ type: 'MQTT' }],
        destinations: [{ type: 'SITEWISE_REALTIME', name: 'SiteWise real time', config: { publishingOrder: 'TIME_ORDER', enableCompression: true, maxBatchWaitTime: '10s' } }],
      })),
    });
  }
}

if (require.main === module) {
  const app = new App();
  new PlantGatewayStack(app, 'PlantGateway');
  app.synth();
}
