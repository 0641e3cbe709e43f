import { CreateGatewayCommand, DeleteGatewayCommand, IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { ScaledClock } from './clock';
import { LocalAwsEndpoint } from './emulator';
import { CloudFormationHarness, ResourceProvider, StackEvent } from './harness';

/**
 * The local AWS endpoint and the CloudFormation harness on one simulated clock: what the
 * lifecycle tests, the demo and the benchmark deploy against. Handlers reach the endpoint only
 * through `AWS_ENDPOINT_URL`, as they would any other endpoint.
 */
export interface EdgeEnvironment {
  readonly clock: ScaledClock;
  readonly emulator: LocalAwsEndpoint;
  readonly harness: CloudFormationHarness;
  /** Disposes the harness's workers and stops the endpoint. */
  stop(): Promise<void>;
}

export interface EdgeEnvironmentOptions {
  /** Simulated speed-up. @default 60 */
  readonly scale?: number;
  readonly onProgress?: (event: StackEvent) => void;
  /** Print handler logs. @default false */
  readonly echoLogs?: boolean;
}

export async function startEdgeEnvironment(options: EdgeEnvironmentOptions = {}): Promise<EdgeEnvironment> {
  const clock = new ScaledClock(options.scale ?? 60);
  const emulator = await LocalAwsEndpoint.start({ clock });
  const harness = new CloudFormationHarness({
    clock,
    env: emulator.environment(),
    resourceProviders: {
      'AWS::IoTSiteWise::Gateway': siteWiseGatewayProvider(emulator),
      'AWS::KinesisVideo::Stream': kinesisVideoStreamProvider(emulator),
      'AWS::SecretsManager::Secret': secretProvider(emulator),
      'AWS::IoT::Thing': iotThingProvider(),
    },
    onProgress: options.onProgress,
    echoLogs: options.echoLogs,
  });
  return {
    clock,
    emulator,
    harness,
    stop: async () => {
      await harness.dispose();
      await emulator.stop();
    },
  };
}

/**
 * Creates `AWS::IoTSiteWise::Gateway` resources on the local endpoint through the SiteWise API,
 * so a stack's CfnGateway gets a real gateway id.
 */
export function siteWiseGatewayProvider(emulator: LocalAwsEndpoint): ResourceProvider {
  const client = new IoTSiteWiseClient(emulator.clientConfig());
  return {
    async create(properties) {
      const platform = properties.GatewayPlatform ?? {};
      const response = await client.send(new CreateGatewayCommand({
        gatewayName: properties.GatewayName,
        gatewayVersion: properties.GatewayVersion,
        gatewayPlatform: {
          greengrassV2: platform.GreengrassV2 && {
            coreDeviceThingName: platform.GreengrassV2.CoreDeviceThingName,
            coreDeviceOperatingSystem: platform.GreengrassV2.CoreDeviceOperatingSystem,
          },
          siemensIE: platform.SiemensIE && { iotCoreThingName: platform.SiemensIE.IotCoreThingName },
        },
      }));
      return { physicalId: response.gatewayId!, attributes: { GatewayId: response.gatewayId! } };
    },
    async delete(physicalId) {
      await client.send(new DeleteGatewayCommand({ gatewayId: physicalId })).catch((error) => {
        if (error.name !== 'ResourceNotFoundException') throw error;
      });
    },
  };
}

/** Creates `AWS::KinesisVideo::Stream` resources on the local endpoint (`Ref` is the name). */
export function kinesisVideoStreamProvider(emulator: LocalAwsEndpoint): ResourceProvider {
  return {
    async create(properties) {
      const arn = emulator.kinesisVideo.createStream({ name: properties.Name, dataRetentionInHours: Number(properties.DataRetentionInHours ?? 0) });
      return { physicalId: properties.Name, attributes: { Arn: arn } };
    },
    async delete(physicalId) {
      if (emulator.kinesisVideo.streamNames().includes(physicalId)) emulator.kinesisVideo.deleteStreamOutOfBand(physicalId);
    },
  };
}

/**
 * Creates `AWS::SecretsManager::Secret` resources on the local endpoint (`Ref` is the ARN). A
 * secret whose value the template leaves out gets a camera URI under `MediaURI`, standing in for
 * the value an operator sets outside the template.
 */
export function secretProvider(emulator: LocalAwsEndpoint): ResourceProvider {
  return {
    async create(properties, context) {
      const name = properties.Name ?? `${context.stackName}-${context.logicalId}`;
      const arn = properties.SecretString !== undefined
        ? emulator.secrets.create(name, properties.SecretString)
        : emulator.secrets.createMediaUri(name, 'rtsp://192.0.2.10:554/stream1');
      return { physicalId: arn };
    },
    async delete(physicalId) {
      if (emulator.secrets.exists(physicalId)) emulator.secrets.delete(physicalId);
    },
  };
}

/** `AWS::IoT::Thing`: only its name and ARN matter to the Edge Agent simulation. */
export function iotThingProvider(): ResourceProvider {
  return {
    async create(properties, context) {
      const name = properties.ThingName ?? `${context.stackName}-${context.logicalId}`;
      return { physicalId: name, attributes: { Arn: `arn:aws:iot:${context.region}:${context.accountId}:thing/${name}`, Id: name } };
    },
    async delete() {},
  };
}
