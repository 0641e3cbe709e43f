/**
 * Integration test (integ-runner): a capability configuration on a real, running SiteWise Edge
 * gateway, and an assertion that SiteWise reports the deployed document IN_SYNC. Give the
 * gateway with `-c gatewayId=<uuid>` when running against an account (see README, "Maintainers").
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { GatewayCapabilityConfiguration, OpcUaCollectorConfiguration } from '../src';

const app = new App();
const gatewayId: string = app.node.tryGetContext('gatewayId') ?? '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const stack = new Stack(app, 'EdgeSyncGatewayCapabilityInteg');

const collector = OpcUaCollectorConfiguration.v3({
  sources: [{ name: 'integ', endpointUri: 'opc.tcp://10.0.1.20:4840', includePaths: ['/Integ/'], measurementDataStreamPrefix: 'integ' }],
});
const configuration = new GatewayCapabilityConfiguration(stack, 'Collector', { gatewayId, configuration: collector });

const integ = new IntegTest(app, 'GatewayCapabilityConfiguration', { testCases: [stack] });
integ.assertions
  .awsApiCall('IoTSiteWise', 'describeGatewayCapabilityConfiguration', { gatewayId, capabilityNamespace: configuration.namespace })
  .expect(ExpectedResult.objectLike({ capabilitySyncStatus: 'IN_SYNC' }));
