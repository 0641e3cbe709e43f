import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  DataflowEndpointGroupReadiness, GatewayCapabilityConfiguration, OpcUaCollectorConfiguration, OpcUaSourceProps, PublisherConfiguration,
  PublisherDestination, StreamEdgeConfiguration,
} from '../../src';

/** Ids that look like the real ones: lowercase UUIDs. */
export function uuid(kind: number, n: number): string {
  return `0a1b2c3d-4e5f-4a6b-8c7d-${kind.toString(16).padStart(4, '0')}${n.toString(16).padStart(8, '0')}`;
}

/** Options of {@link mixedStack}. */
export interface MixedStackOptions {
  /** How many of the OPC UA collectors have a document of about 300 KB (300 sources). @default 0 */
  readonly largeCollectors?: number;
}

/** Sources of an OPC UA collector document of about `kilobytes` KB: each source is about 1 KB. */
export function largeCollectorSources(kilobytes: number, line: number = 0): OpcUaSourceProps[] {
  return Array.from({ length: kilobytes }, (_, n) => ({
    name: `Line ${line} machine ${n}`,
    endpointUri: `opc.tcp://10.${line % 250}.${Math.floor(n / 250)}.${n % 250}:4840`,
    includePaths: Array.from({ length: 6 }, (__, k) => `/Plant/Hall${line}/Line/Machine${n}/Sensors${k}/Temperature/`),
  }));
}

/**
 * A stack with `count` edge-sync resources, a mix of every construct: per four resources, an
 * OPC UA collector and a publisher of one gateway, a camera stream's edge configuration and a
 * Ground Station readiness gate.
 */
export function mixedStack(count: number, options: MixedStackOptions = {}): Stack {
  const stack = new Stack(new App(), 'Scale', { env: { account: '123456789012', region: 'us-east-1' } });
  const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Camera', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:camera-AbCdEf');
  for (let i = 0; i < count / 4; i++) {
    const gatewayId = uuid(1, i);
    new GatewayCapabilityConfiguration(stack, `Collector${i}`, {
      gatewayId,
      configuration: OpcUaCollectorConfiguration.v3({
        sources: i < (options.largeCollectors ?? 0)
          ? largeCollectorSources(300, i)
          : [{ name: `Line ${i}`, endpointUri: `opc.tcp://10.0.${i % 250}.20:4840`, includePaths: [`/Line${i}/`] }],
      }),
    });
    new GatewayCapabilityConfiguration(stack, `Publisher${i}`, {
      gatewayId,
      configuration: PublisherConfiguration.v3({ destinations: [PublisherDestination.realtime({ name: 'SiteWise' })] }),
    });
    new StreamEdgeConfiguration(stack, `Camera${i}`, {
      streamName: `camera-${i}`,
      hubDeviceArn: `arn:aws:iot:us-east-1:123456789012:thing/hub-${i}`,
      recorder: { mediaUriSecret: secret },
    });
    new DataflowEndpointGroupReadiness(stack, `Receiver${i}`, { dataflowEndpointGroupId: uuid(2, i) });
  }
  return stack;
}
