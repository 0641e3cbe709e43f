/**
 * Local AWS endpoint for tests: a restJson1 server that unmodified AWS SDK v3 clients reach via
 * `endpoint` or `AWS_ENDPOINT_URL`, with IoT SiteWise gateways and simulated gateway devices.
 *
 *   const emulator = await LocalAwsEndpoint.start({ clock: new ScaledClock(100) });
 *   const client = new IoTSiteWiseClient({ ...emulator.clientConfig(), maxAttempts: 1 });
 *   const gatewayId = emulator.sitewise.createGateway();
 *   emulator.sitewise.scriptDevice(gatewayId, 'iotsitewise:opcuacollector:3', [DeviceBehaviours.apply(5_000), DeviceBehaviours.reject()]);
 *   emulator.faults.set({ throttleRate: 0.2, operations: ['DescribeGatewayCapabilityConfiguration'] });
 *   … emulator.sitewise.device(gatewayId, namespace), emulator.requests, emulator.events …
 *   emulator.reset(); await emulator.stop();
 */
export { LocalAwsEndpoint, EMULATOR_CREDENTIALS } from './local-aws-endpoint';
export type { LocalAwsEndpointOptions } from './local-aws-endpoint';
export { AwsRestJsonServer } from './server';
export type { AwsRestJsonServerOptions } from './server';
export { AwsError } from './protocol';
export type { AwsOperation, AwsServiceDefinition, HttpMethod, ModeledError, OperationRequest } from './protocol';
export { FaultInjector } from './faults';
export type { FaultDecision, FaultOutcome, FaultRule } from './faults';
export type { DeviceEvent, RecordedRequest, SiteWiseDeviceEvent, SiteWiseSyncStatus } from './records';
export { SiteWiseEmulator } from './sitewise';
export type { CreateGatewayInput, GatewaySnapshot, SiteWiseEmulatorOptions } from './sitewise';
export { SITEWISE_ERRORS, SITEWISE_SERVICE } from './sitewise-shapes';
export { DEFAULT_SYNC_DELAY_MS, DeviceBehaviours, defaultContentCheck } from './devices';
export type {
  BehaviourFunction, ContentCheck, DeviceBehaviour, DeviceHistoryEntry, DeviceScript, DeviceScriptInput, DeviceSnapshot, DeviceUpdate,
} from './devices';
export { SeededRandom } from './random';
export { OperationRouter, parseCredentialScope, PathTemplate } from './routing';
export type { CredentialScope } from './routing';
export { InputValidator } from './validation';
