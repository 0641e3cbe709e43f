// The example app of the README: an MQTT-enabled (V3) SiteWise Edge gateway with one OPC UA
// source and a publisher, and a camera hub recording a Kinesis video stream at the edge, deployed
// so that `cdk deploy` waits until the gateway and the Edge Agent are in sync.
// `npx projen demo` deploys it against the local AWS emulator.
import { App, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as iotsitewise from 'aws-cdk-lib/aws-iotsitewise';
import * as kinesisvideo from 'aws-cdk-lib/aws-kinesisvideo';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  CapabilityConfiguration, CapabilityNamespace, EdgeSchedule, EdgeSyncMonitor, GatewayCapabilityConfiguration, OpcUaCollectorConfiguration,
  OpcUaDeadband, StrategyOnFullSize, StreamEdgeConfiguration,
} from '../src'; // 'cdk-edge-sync' in your app

export interface PlantGatewayStackProps extends StackProps {
  /** The OPC UA server the gateway reads. */
  readonly opcUaEndpointUri?: string;
}

export class PlantGatewayStack extends Stack {
  public readonly collector: GatewayCapabilityConfiguration;
  public readonly publisher: GatewayCapabilityConfiguration;
  public readonly camera: StreamEdgeConfiguration;

  constructor(scope: Construct, id: string, props: PlantGatewayStackProps = {}) {
    super(scope, id, props);

    const gateway = new iotsitewise.CfnGateway(this, 'Gateway', {
      gatewayName: 'plant-1',
      gatewayVersion: '3',
      gatewayPlatform: { greengrassV2: { coreDeviceThingName: 'plant-1-core', coreDeviceOperatingSystem: 'LINUX_AMD64' } },
    });

    // The OPC UA sources of the gateway, typed and checked at synth time. The deploy succeeds
    // only once the gateway runs them.
    const opcUa = OpcUaCollectorConfiguration.v3({
      sources: [{
        name: 'Line 1 PLC',
        endpointUri: props.opcUaEndpointUri ?? 'opc.tcp://10.0.1.20:4840',
        includePaths: ['/Line1/'],
        measurementDataStreamPrefix: 'line1',
        propertyGroups: [{ name: 'Temperatures', rootPaths: ['/Line1/Temperatures/'], deadband: OpcUaDeadband.percent(2) }],
      }],
    });
    this.collector = new GatewayCapabilityConfiguration(this, 'OpcUaCollector', {
      gateway, // the namespace, iotsitewise:opcuacollector:3, comes from the configuration
      configuration: opcUa,
      syncTimeout: Duration.minutes(10),
    });

    // The publisher: where the gateway sends its data.
    this.publisher = new GatewayCapabilityConfiguration(this, 'Publisher', {
      gateway,
      namespace: CapabilityNamespace.PUBLISHER_V3,
      configuration: CapabilityConfiguration.fromJson(JSON.stringify({
        sources: [{ type: 'MQTT' }],
        destinations: [{ type: 'SITEWISE_REALTIME', name: 'SiteWise real time', config: { publishingOrder: 'TIME_ORDER', maxBatchWaitTime: '10s' } }],
      })),
    });

    // A camera recorded at the edge by the Kinesis Video Edge Agent on a hub device. The secret
    // holds the camera's RTSP URL under the key MediaURI (set its value outside the template).
    const cameraUri = new secretsmanager.Secret(this, 'FrontDoorCameraUri', { description: 'JSON {"MediaURI": "rtsp://..."}' });
    const stream = new kinesisvideo.CfnStream(this, 'FrontDoorStream', { name: 'plant-1-front-door', dataRetentionInHours: 24 });
    const hub = new iot.CfnThing(this, 'CameraHub', { thingName: 'plant-1-camera-hub' });
    this.camera = new StreamEdgeConfiguration(this, 'FrontDoorCamera', {
      stream,
      hubDevice: hub,
      recorder: {
        mediaUriSecret: cameraUri,
        // Record during working hours, one hour at a time.
        schedule: EdgeSchedule.cron('0 0 6-21 ? * MON-FRI', Duration.hours(1)),
      },
      uploader: { schedule: EdgeSchedule.cron('0 30 * ? * *', Duration.minutes(15)) },
      deletion: {
        edgeRetention: Duration.hours(72),
        maxLocalMediaSize: Size.gibibytes(64),
        strategyOnFullSize: StrategyOnFullSize.DELETE_OLDEST_MEDIA,
      },
    });

    // The role the Edge Agent assumes through the hub device's IoT role alias reads the secret.
    const edgeAgentRole = new iam.Role(this, 'EdgeAgentRole', { assumedBy: new iam.ServicePrincipal('credentials.iot.amazonaws.com') });
    this.camera.grantMediaUriRead(edgeAgentRole);

    // Every 15 minutes, check that the gateway and the hub still run what this stack deployed;
    // re-apply a configuration changed outside CloudFormation; graph deploys and drift.
    EdgeSyncMonitor.enable(this, { remediate: true }).addDashboard();
  }
}

if (require.main === module) {
  const app = new App();
  new PlantGatewayStack(app, 'PlantGateway');
  app.synth();
}
