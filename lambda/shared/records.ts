import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { S3_BACKOFF } from './backoff';
import { budgetedClientOptions } from './client-options';
import { isTransientAwsError } from './errors';
import { logger } from './logger';
import { ownerIdOf } from './ownership';
import { IsCompleteResponse, OnEventRequest } from './types';
import { MONITOR_PROPERTIES } from '../../src/monitor/monitor-properties';

/**
 * What the drift monitor (lambda/monitor) checks each device against: one item per edge-sync
 * resource of the stack, in the monitor's DynamoDB table, written by the deploy handlers.
 *
 * - `deploying`: onEvent of a Create or Update writes it before it touches the device, so the
 *   monitor never compares a device against an older document than the one being applied; it
 *   leaves the resource alone until `SettleBy` (the operation's sync deadline).
 * - `deployed`: isComplete writes it when the operation succeeded, with the physical id.
 * - A Delete that succeeded removes it, unless the item is now another physical id's (the Create
 *   of a replacement ran before the cleanup Delete of the old one).
 *
 * The properties are kept as CloudFormation resolved them: the monitor reads the documents as the
 * handlers do (inline or from their S3 objects).
 */
export interface DeployedRecord {
  readonly LogicalId: string;
  readonly ResourceType: string;
  readonly Status: 'deploying' | 'deployed';
  readonly PhysicalId?: string;
  readonly SettleBy: number;
  readonly ConstructPath: string;
  readonly StackName: string;
  /** The stack's ARN: the partition, region and account of the targets. */
  readonly StackId: string;
  /** The value of the owner tag this resource writes on its target (shared/ownership.ts). */
  readonly OwnerId: string;
  readonly Properties: Record<string, string>;
  readonly UpdatedAt: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
let client: DynamoDBClient | undefined;

function dynamoDb(): DynamoDBClient {
  client ??= new DynamoDBClient(budgetedClientOptions((error) => isTransientAwsError(error), S3_BACKOFF, REQUEST_TIMEOUT_MS));
  return client;
}

/** The monitor's table named by the resource, if the stack has a monitor. */
function tableOf(event: OnEventRequest): string | undefined {
  const table = event.ResourceProperties[MONITOR_PROPERTIES.table];
  return typeof table === 'string' && table.length > 0 ? table : undefined;
}

function stackNameOf(stackId: string): string {
  // arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>
  return stackId.split(':').slice(5).join(':').split('/')[1] ?? stackId;
}

/** The properties as the monitor needs them: without the framework's ServiceToken. */
function monitoredProperties(event: OnEventRequest): Record<string, string> {
  const { ServiceToken: _token, ...rest } = event.ResourceProperties;
  return rest;
}

async function put(table: string, record: DeployedRecord): Promise<void> {
  await dynamoDb().send(new PutItemCommand({
    TableName: table,
    Item: {
      LogicalId: { S: record.LogicalId },
      ResourceType: { S: record.ResourceType },
      Status: { S: record.Status },
      ...(record.PhysicalId ? { PhysicalId: { S: record.PhysicalId } } : {}),
      SettleBy: { N: String(record.SettleBy) },
      ConstructPath: { S: record.ConstructPath },
      StackName: { S: record.StackName },
      StackId: { S: record.StackId },
      OwnerId: { S: record.OwnerId },
      Properties: { S: JSON.stringify(record.Properties) },
      UpdatedAt: { N: String(record.UpdatedAt) },
    },
  }));
}

function recordOf(event: OnEventRequest, status: DeployedRecord['Status'], physicalId: string | undefined, settleBy: number): DeployedRecord {
  return {
    LogicalId: event.LogicalResourceId,
    ResourceType: event.ResourceType,
    Status: status,
    PhysicalId: physicalId,
    SettleBy: settleBy,
    ConstructPath: event.ResourceProperties[MONITOR_PROPERTIES.constructPath] ?? event.LogicalResourceId,
    StackName: stackNameOf(event.StackId),
    StackId: event.StackId,
    OwnerId: ownerIdOf(event.StackId, event.LogicalResourceId),
    Properties: monitoredProperties(event),
    UpdatedAt: Date.now(),
  };
}

/** Before a Create or Update touches the device. `syncTimeoutMs`: until when the monitor leaves it alone. */
export async function recordDeploying(event: OnEventRequest, syncTimeoutMs: number): Promise<void> {
  const table = tableOf(event);
  if (!table || event.RequestType === 'Delete') return;
  await put(table, recordOf(event, 'deploying', event.PhysicalResourceId, Date.now() + syncTimeoutMs));
}

/** After a Create or Update succeeded: the device is in sync with these properties. */
export async function recordDeployed(event: OnEventRequest, response: IsCompleteResponse): Promise<void> {
  const table = tableOf(event);
  if (!table || event.RequestType === 'Delete') return;
  await put(table, recordOf(event, 'deployed', response.PhysicalResourceId ?? event.PhysicalResourceId, Date.now()));
}

/** After a Delete succeeded: the record goes, unless it now describes another physical id that was deployed. */
export async function forgetRecord(event: OnEventRequest): Promise<void> {
  const table = tableOf(event);
  if (!table || event.RequestType !== 'Delete') return;
  const key = { LogicalId: { S: event.LogicalResourceId } };
  const { Item: item } = await dynamoDb().send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
  if (!item) return;
  if (item.Status?.S === 'deployed' && item.PhysicalId?.S !== event.PhysicalResourceId) {
    logger.info('the monitor record is a replacement\'s: kept', { recordPhysicalId: item.PhysicalId?.S });
    return;
  }
  await dynamoDb().send(new DeleteItemCommand({ TableName: table, Key: key }));
}

/** Every record of the table, page by page (DynamoDB returns at most 1 MB per Scan). */
export async function scanRecords(table: string): Promise<DeployedRecord[]> {
  const records: DeployedRecord[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamoDb().send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      records.push({
        LogicalId: item.LogicalId.S!,
        ResourceType: item.ResourceType?.S ?? '',
        Status: item.Status?.S === 'deploying' ? 'deploying' : 'deployed',
        PhysicalId: item.PhysicalId?.S,
        SettleBy: Number(item.SettleBy?.N ?? 0),
        ConstructPath: item.ConstructPath?.S ?? item.LogicalId.S!,
        StackName: item.StackName?.S ?? '',
        StackId: item.StackId?.S ?? '',
        OwnerId: item.OwnerId?.S ?? '',
        Properties: JSON.parse(item.Properties?.S ?? '{}'),
        UpdatedAt: Number(item.UpdatedAt?.N ?? 0),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return records;
}
