import { createHash } from 'crypto';
import { CreateGatewayCommand, DeleteGatewayCommand, IoTSiteWiseClient } from '@aws-sdk/client-iotsitewise';
import { ScaledClock } from './clock';
import { GroundStationAgentScript, KeyAttributeType, LocalAwsEndpoint, SimulatedGroundStationAgent, TableKeySchema } from './emulator';
import { CloudFormationHarness, ResourceProvider, ResourceProviderContext, StackEvent } from './harness';

/**
 * The local AWS endpoint and the CloudFormation harness on one simulated clock: what the
 * lifecycle tests, the demo and the benchmark deploy against. Handlers reach the endpoint only
 * through `AWS_ENDPOINT_URL`, as they would any other endpoint; the stack's file assets are
 * published to the endpoint's S3 (`emulator.s3`) before each deploy.
 */
export interface EdgeEnvironment {
  readonly clock: ScaledClock;
  readonly emulator: LocalAwsEndpoint;
  readonly harness: CloudFormationHarness;
  /** Simulated Ground Station Agents started for the endpoint groups the stack created. */
  readonly agents: SimulatedGroundStationAgent[];
  /** Every harness of this environment: `harness` and those `newHarness` made. */
  readonly harnesses: readonly CloudFormationHarness[];
  /** Another harness (another stack) on the same endpoint and clock, disposed by `stop()`. */
  newHarness(): CloudFormationHarness;
  /** Disposes the harness's workers, stops the agents and the endpoint. */
  stop(): Promise<void>;
}

export interface EdgeEnvironmentOptions {
  /** Simulated speed-up. @default 60 */
  readonly scale?: number;
  readonly onProgress?: (event: StackEvent) => void;
  /** Print handler logs. @default false */
  readonly echoLogs?: boolean;
  /**
   * The script of the simulated AWS Ground Station Agent that serves a dataflow endpoint group the
   * stack creates, as if a receiver instance started it. @default - no agent
   */
  readonly groundStationAgent?: (groupArn: string) => GroundStationAgentScript | undefined;
}

export async function startEdgeEnvironment(options: EdgeEnvironmentOptions = {}): Promise<EdgeEnvironment> {
  const clock = new ScaledClock(options.scale ?? 60);
  const emulator = await LocalAwsEndpoint.start({ clock });
  const agents: SimulatedGroundStationAgent[] = [];
  const startAgent = (groupArn: string) => {
    const script = options.groundStationAgent?.(groupArn);
    if (!script) return;
    const agent = new SimulatedGroundStationAgent({ emulator, capabilityArns: [groupArn], instanceId: `i-${String(agents.length).padStart(17, '0')}` });
    agent.start(script);
    agents.push(agent);
  };
  const harnesses: CloudFormationHarness[] = [];
  const newHarness = () => {
    const created = new CloudFormationHarness({
      clock,
      // Handlers find the endpoint like any other; they sign as their execution role, whose
      // policies the endpoint's IAM reads from the stack at every request.
      env: { AWS_ENDPOINT_URL: emulator.url },
      iam: emulator.iam,
      resourceProviders: {
        'AWS::IoTSiteWise::Gateway': siteWiseGatewayProvider(emulator),
        'AWS::KinesisVideo::Stream': kinesisVideoStreamProvider(emulator),
        'AWS::SecretsManager::Secret': secretProvider(emulator),
        'AWS::IoT::Thing': iotThingProvider(),
        'AWS::GroundStation::DataflowEndpointGroup': dataflowEndpointGroupProvider(emulator, startAgent),
        'AWS::GroundStation::DataflowEndpointGroupV2': dataflowEndpointGroupV2Provider(emulator, startAgent),
        'AWS::EC2::EIP': elasticIpProvider(),
        'AWS::DynamoDB::Table': dynamoDbTableProvider(emulator),
      },
      // Like `cdk deploy`, each deploy first uploads the stack's file assets (large documents) to the bootstrap bucket.
      assetStore: emulator.s3,
      onProgress: options.onProgress,
      echoLogs: options.echoLogs,
    });
    harnesses.push(created);
    return created;
  };
  const harness = newHarness();
  return {
    clock,
    emulator,
    harness,
    agents,
    harnesses,
    newHarness,
    stop: async () => {
      await Promise.all(harnesses.map((h) => h.dispose()));
      await Promise.all(agents.map((agent) => agent.stop()));
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

/**
 * Creates `AWS::GroundStation::DataflowEndpointGroup` resources on the local endpoint (template
 * properties are PascalCase, the API's camelCase) and calls `created` with the group's ARN.
 */
export function dataflowEndpointGroupProvider(emulator: LocalAwsEndpoint, created: (arn: string) => void): ResourceProvider {
  return {
    async create(properties) {
      const input = camelCase(properties);
      const group = emulator.groundStation.createDataflowEndpointGroup(input);
      created(group.arn);
      return { physicalId: group.id, attributes: { Id: group.id, Arn: group.arn } };
    },
    async delete(physicalId) {
      if (emulator.groundStation.group(physicalId)) emulator.groundStation.deleteGroupOutOfBand(physicalId);
    },
  };
}

/**
 * Creates `AWS::GroundStation::DataflowEndpointGroupV2` resources on the local endpoint as
 * CreateDataflowEndpointGroupV2 (template `Endpoints` are the API's `endpoints`, `Tags` a list of
 * key and value) and calls `created` with the group's ARN. Attributes: `Id`, `Arn` and
 * `EndpointDetails` (the uplink and downlink endpoints as GetDataflowEndpointGroup shows them at
 * creation, PascalCase like the CloudFormation attribute).
 */
export function dataflowEndpointGroupV2Provider(emulator: LocalAwsEndpoint, created: (arn: string) => void): ResourceProvider {
  return {
    async create(properties) {
      const { tags, ...input } = camelCase(properties);
      const group = emulator.groundStation.createDataflowEndpointGroupV2({
        ...input,
        tags: Array.isArray(tags) ? Object.fromEntries(tags.map((tag: { key: string; value: string }) => [tag.key, tag.value])) : tags,
      });
      created(group.arn);
      const endpointDetails = emulator.groundStation.group(group.id)!.endpointsDetails.map((details) => pascalCase({
        uplinkAwsGroundStationAgentEndpoint: details.uplinkAwsGroundStationAgentEndpoint,
        downlinkAwsGroundStationAgentEndpoint: details.downlinkAwsGroundStationAgentEndpoint,
      }));
      return { physicalId: group.id, attributes: { Id: group.id, Arn: group.arn, EndpointDetails: endpointDetails } };
    },
    async delete(physicalId) {
      if (emulator.groundStation.group(physicalId)) emulator.groundStation.deleteGroupOutOfBand(physicalId);
    },
  };
}

/**
 * Creates `AWS::DynamoDB::Table` resources on the local endpoint's DynamoDB (`Ref` is the table
 * name; `Arn` and `StreamArn` attributes), validated like CreateTable: KeySchema of one HASH
 * attribute and at most one RANGE attribute, each defined in AttributeDefinitions as S, N or B,
 * and ProvisionedThroughput exactly when BillingMode is PROVISIONED (the default). A new TableName
 * or KeySchema replaces the table (CloudFormation cannot replace a table whose name is fixed);
 * deleting the resource deletes the table and its items (unless its DeletionPolicy retains it).
 */
export function dynamoDbTableProvider(emulator: LocalAwsEndpoint): ResourceProvider {
  const create = (properties: Record<string, any>, context: ResourceProviderContext, replacing?: string) => {
    const keySchema = tableKeySchema(properties);
    const suffix = createHash('sha256').update(`${context.stackName}/${context.logicalId}/${replacing ?? ''}`).digest('hex').slice(0, 12).toUpperCase();
    const name: string = properties.TableName ?? `${context.stackName}-${context.logicalId}-${suffix}`.slice(-255);
    if (emulator.dynamodb.table(name)) throw new Error(`Resource of type 'AWS::DynamoDB::Table' with identifier '${name}' already exists.`);
    const arn = emulator.dynamodb.createTable(name, keySchema);
    return { physicalId: name, attributes: { Arn: arn, StreamArn: `${arn}/stream/${new Date(emulator.clock.now()).toISOString().replace('Z', '')}` } };
  };
  return {
    async create(properties, context) {
      return create(properties, context);
    },
    async update(physicalId, properties, oldProperties, context) {
      const replaced = properties.TableName !== oldProperties.TableName
        || JSON.stringify(properties.KeySchema) !== JSON.stringify(oldProperties.KeySchema);
      tableKeySchema(properties);
      if (!replaced) return undefined;
      if (properties.TableName !== undefined && properties.TableName === oldProperties.TableName) {
        throw new Error(`CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${physicalId} and update the stack again.`);
      }
      return create(properties, context, physicalId);
    },
    async delete(physicalId) {
      emulator.dynamodb.deleteTable(physicalId);
    },
  };
}

function tableKeySchema(properties: Record<string, any>): TableKeySchema {
  const keySchema: Array<{ AttributeName: string; KeyType: string }> | undefined = properties.KeySchema;
  const definitions: Array<{ AttributeName: string; AttributeType: string }> = properties.AttributeDefinitions ?? [];
  if (!Array.isArray(keySchema) || keySchema.length < 1 || keySchema.length > 2) {
    throw new Error("1 validation error detected: Value at 'keySchema' failed to satisfy constraint: Member must have length between 1 and 2");
  }
  const [hash, range] = keySchema;
  if (hash.KeyType !== 'HASH') throw new Error('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (range && range.KeyType !== 'RANGE') throw new Error('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  const typeOf = (name: string): KeyAttributeType => {
    const definition = definitions.find((candidate) => candidate.AttributeName === name);
    if (!definition) {
      throw new Error(`One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keySchema.map((k) => k.AttributeName).join(', ')}], AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}]`);
    }
    if (!['S', 'N', 'B'].includes(definition.AttributeType)) {
      throw new Error(`1 validation error detected: Value '${definition.AttributeType}' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`);
    }
    return definition.AttributeType as KeyAttributeType;
  };
  const billingMode = properties.BillingMode ?? 'PROVISIONED';
  if (billingMode === 'PROVISIONED' && !properties.ProvisionedThroughput) {
    throw new Error('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  if (billingMode === 'PAY_PER_REQUEST' && properties.ProvisionedThroughput) {
    throw new Error('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  return {
    partitionKey: hash.AttributeName,
    partitionKeyType: typeOf(hash.AttributeName),
    ...(range ? { sortKey: range.AttributeName, sortKeyType: typeOf(range.AttributeName) } : {}),
  };
}

/** `AWS::EC2::EIP`: `Ref` is the public address. */
export function elasticIpProvider(): ResourceProvider {
  let allocated = 0;
  return {
    async create() {
      allocated++;
      return { physicalId: `203.0.113.${allocated}`, attributes: { PublicIp: `203.0.113.${allocated}`, AllocationId: `eipalloc-${allocated}` } };
    },
    async delete() {},
  };
}

function pascalCase(value: any): any {
  if (Array.isArray(value)) return value.map(pascalCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => [key.charAt(0).toUpperCase() + key.slice(1), pascalCase(v)]));
}

function camelCase(value: any): any {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key.charAt(0).toLowerCase() + key.slice(1), camelCase(v)]));
}
