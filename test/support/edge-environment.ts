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
    resourceProviders: { 'AWS::IoTSiteWise::Gateway': siteWiseGatewayProvider(emulator) },
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
