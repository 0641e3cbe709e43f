/**
 * Local AWS endpoint for tests: a REST (restJson1 / restXml) server that unmodified AWS SDK v3
 * clients reach via `endpoint` or `AWS_ENDPOINT_URL`, with IoT SiteWise gateways and simulated
 * gateway devices.
 *
 *   const emulator = await LocalAwsEndpoint.start({ clock: new ScaledClock(100) });
 *   const client = new IoTSiteWiseClient({ ...emulator.clientConfig(), maxAttempts: 1 });
 *   const gatewayId = emulator.sitewise.createGateway();
 *   emulator.sitewise.scriptDevice(gatewayId, 'iotsitewise:opcuacollector:3', [DeviceBehaviours.apply(5_000), DeviceBehaviours.reject()]);
 *   emulator.faults.set({ throttleRate: 0.2, operations: ['DescribeGatewayCapabilityConfiguration'] });
 *   … emulator.sitewise.device(gatewayId, namespace), emulator.requests, emulator.events …
 *
 * and Kinesis Video Streams edge configurations with a simulated Edge Agent per hub device:
 *
 *   const streamArn = emulator.kinesisVideo.createStream({ name: 'cam-1', dataRetentionInHours: 24 });
 *   const secretArn = emulator.secrets.createMediaUri('cam-1-uri', 'rtsp://10.0.0.5:554/live');
 *   emulator.kinesisVideo.scriptAgent(hubDeviceArn, { updates: EdgeAgentBehaviours.sync(1_000, 5_000), deletions: [EdgeAgentBehaviours.fail('busy'), EdgeAgentBehaviours.delete()] });
 *   … emulator.kinesisVideo.edgeConfiguration('cam-1'), emulator.kinesisVideo.rateLimitedCalls, emulator.eventsOf('kinesisvideo') …
 *
 * and AWS Ground Station dataflow endpoint groups whose agent endpoints' health follows simulated
 * AWS Ground Station Agents, which call the emulator through the unmodified SDK:
 *
 *   const { id, arn } = emulator.groundStation.createDataflowEndpointGroup();
 *   const agent = new SimulatedGroundStationAgent({ emulator, capabilityArns: [arn] });
 *   agent.start(GroundStationAgentScripts.healthyAfter(2_000));
 *   emulator.groundStation.setEndpointHealthOverride(id, 'emulated-endpoint-1', { healthReasons: ['INVALID_IP_OWNERSHIP'] });
 *   … emulator.groundStation.group(id), emulator.groundStation.agents(), emulator.eventsOf('groundstation') …
 *   await agent.stop(); emulator.reset(); await emulator.stop();
 *
 * and an in-memory S3 (restXml) whose objects S3Client GetObject reads path-style; the
 * CloudFormation harness of edge-environment.ts publishes a stack's file assets into it:
 *
 *   emulator.s3.putObject('cdk-hnb659fds-assets-123456789012-us-east-1', 'docs/config.json', '{"a":1}');
 *   const s3 = new S3Client({ ...emulator.clientConfig(), forcePathStyle: true, maxAttempts: 1 });
 *   await s3.send(new GetObjectCommand({ Bucket, Key }));   // NoSuchKey / NoSuchBucket 404, SlowDown 503 when throttled
 *   … emulator.s3.getObject(bucket, key), emulator.s3.objects(), emulator.s3.deleteObject(bucket, key) …
 */
export { LocalAwsEndpoint, EMULATOR_CREDENTIALS } from './local-aws-endpoint';
export type { LocalAwsEndpointOptions } from './local-aws-endpoint';
export { AwsRestJsonServer } from './server';
export type { AwsRestJsonServerOptions } from './server';
export { AwsError, awsJsonContentType, isAwsJson, RawResponse, UNRECOGNIZED_CLIENT } from './protocol';
export type { AwsOperation, AwsServiceDefinition, HttpMethod, ModeledError, OperationRequest, ResourceTarget, ServiceProtocol } from './protocol';
export { IamEmulator } from './iam';
export type { AuthorizationRequest, AuthorizationResult, Denial, IamEmulatorOptions, Principal, RoleRegistration } from './iam';
export { evaluatePolicies, listOf, resourceMatchesPattern, statementsOf, UnsupportedPolicyError } from './iam-policy';
export type { PolicyDecision, PolicyDocument, PolicyStatement, RequestContext } from './iam-policy';
export type { Scope } from './scope';
export { FaultInjector } from './faults';
export type { FaultDecision, FaultOutcome, FaultRule } from './faults';
export type {
  DeviceEvent, EdgeSyncStatus, GroundStationHealthCause, GroundStationHealthEvent, KinesisVideoEdgeEvent, RecordedRequest, SiteWiseDeviceEvent,
  SiteWiseSyncStatus,
} from './records';
export { DEFAULT_UPDATE_PROCESSING_MS, SiteWiseEmulator } from './sitewise';
export type { CreateGatewayInput, GatewaySnapshot, SiteWiseEmulatorOptions } from './sitewise';
export { SITEWISE_ERRORS, SITEWISE_SERVICE } from './sitewise-shapes';
export { DEFAULT_SYNC_DELAY_MS, DeviceBehaviours, defaultContentCheck } from './devices';
export type {
  BehaviourFunction, ContentCheck, DeviceBehaviour, DeviceHistoryEntry, DeviceScript, DeviceScriptInput, DeviceSnapshot, DeviceUpdate,
} from './devices';
export { KinesisVideoEmulator } from './kinesis-video';
export type { CreateStreamInput, KinesisVideoEmulatorOptions, StreamSnapshot } from './kinesis-video';
export { KINESIS_VIDEO_ERRORS, KINESIS_VIDEO_SERVICE } from './kinesis-video-shapes';
export { EDGE_RATE_LIMITS, KinesisVideoQuotas } from './kinesis-video-quotas';
export type { QuotaStream, RateLimitedCall } from './kinesis-video-quotas';
export type { EdgeConfig, EdgeJobStatus, MediaUriType, ScheduleConfig, StrategyOnFullSize } from './kinesis-video-shapes';
export {
  DEFAULT_ACK_MS, DEFAULT_DELETE_MS, DEFAULT_GIVE_UP_MS, DEFAULT_SYNC_MS, defaultEdgeConfigCheck, EdgeAgentBehaviours,
} from './edge-agent-scripts';
export type {
  EdgeAgentDeletion, EdgeAgentScript, EdgeAgentScriptInput, EdgeAgentUpdate, EdgeConfigCheck, EdgeDeleteBehaviour, EdgeFailBehaviour,
  EdgeJobStatusScript, EdgeOfflineBehaviour, EdgeSyncBehaviour,
} from './edge-agent-scripts';
export type { EdgeAgentSnapshot, EdgeAgentStatusReport, EdgeConfigurationSnapshot, EdgeHistoryEntry, EdgeJobReport } from './edge-agents';
export { DEFAULT_AGENT_SILENCE_MS, DEFAULT_IP_VALIDATION_MS, GroundStationEmulator } from './ground-station';
export type {
  AgentEndpointHealth, CreateDataflowEndpointGroupInput, CreateDataflowEndpointGroupV2Input, CreatedDataflowEndpointGroup,
  DataflowEndpointGroupSnapshot, GroundStationEmulatorOptions,
} from './ground-station';
export {
  AGENT_ENDPOINT_MEMBERS, agentEndpointDetails, DEFAULT_INGRESS_ADDRESS, downlinkEndpointDetails, GROUND_STATION_ERRORS, GROUND_STATION_SERVICE,
  uplinkEndpointDetails,
} from './ground-station-shapes';
export type {
  AgentEndpoint, AgentEndpointMember, AgentEndpointOptions, AgentEndpointV2Options, AgentStatus, AuditResults, CapabilityHealth,
  CapabilityHealthReason, ComponentStatus, ConnectionDetails, CreateEndpointDetailsInput, DataflowEndpoint, DownlinkAgentEndpoint,
  EndpointDetailsInput, RangedConnectionDetails, SecurityDetails, SocketAddress, UplinkAgentEndpoint,
} from './ground-station-shapes';
export { describeHealth, observeEndpointHealth } from './ground-station-health';
export type { EndpointHealth, EndpointHealthInput, EndpointHealthOverride, ServingAgent } from './ground-station-health';
export type { AgentRegistration, AgentStatusReport, GroundStationAgentSnapshot, ReceivedStatusReport } from './ground-station-agents';
export { SimulatedGroundStationAgent } from './ground-station-agent';
export type {
  AgentCallError, AgentStatusReportBody, AgentStatusReportInput, SentStatusReport, SimulatedAgentState, SimulatedGroundStationAgentOptions,
} from './ground-station-agent';
export {
  DEFAULT_COMPONENT_TYPE, DEFAULT_DATA_PLANE_MS, DEFAULT_REGISTER_AFTER_MS, DEFAULT_REGISTER_RETRY_MS, GroundStationAgentScripts,
} from './ground-station-agent-scripts';
export type { AgentStatusReportScript, ComponentStatusScript, GroundStationAgentScript } from './ground-station-agent-scripts';
export { S3_ERRORS, S3_SERVICE, S3Emulator } from './s3';
export type { CreateBucketOptions, PutObjectOptions, S3EmulatorOptions, S3ObjectSnapshot } from './s3';
export { DynamoDbEmulator } from './dynamodb';
export type { CreateTableOptions, DynamoDbEmulatorOptions, TableKeySchema, TableSnapshot } from './dynamodb';
export {
  DYNAMODB_ERRORS, DYNAMODB_SERVICE, itemSize, marshallItem, marshallValue, MAX_ITEM_BYTES, MAX_SCAN_PAGE_BYTES, unmarshallItem, unmarshallValue,
} from './dynamodb-shapes';
export type { AttributeMap, AttributeValue, KeyAttributeType } from './dynamodb-shapes';
export type { Condition, ExpressionKind } from './dynamodb-expressions';
export { EVENTBRIDGE_ERRORS, EVENTBRIDGE_SERVICE, EventBridgeEmulator, entrySize, MAX_PUT_EVENTS_BYTES, MAX_PUT_EVENTS_ENTRIES } from './eventbridge';
export type { EventBridgeEmulatorOptions, ReceivedEvent } from './eventbridge';
export { SecretsRegistry } from './secrets';
export type { SecretSnapshot, SecretsRegistryOptions } from './secrets';
export { SlidingWindowRateLimiter } from './rate-limits';
export type { RateLimit } from './rate-limits';
export { SeededRandom } from './random';
export { OperationRouter, parseCredentialScope, PathTemplate } from './routing';
export type { CredentialScope } from './routing';
export { InputValidator } from './validation';
export { listItem, ParameterValidator } from './parameter-validation';
export type { CountRange } from './parameter-validation';
