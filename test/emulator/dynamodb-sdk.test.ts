import {
  ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, GetItemCommand, ProvisionedThroughputExceededException,
  PutItemCommand, ResourceNotFoundException, ScanCommand, type AttributeValue, type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { authorization, startEmulator } from './emulator-test-support';
import type { LocalAwsEndpoint, PolicyDocument, PolicyStatement } from '../support/emulator';

// DynamoDB over awsJson1_0 through the unmodified SDK client: items in AttributeValue form,
// conditions, Scan pages, and every refusal arriving as its SDK error class.
const ACCOUNT = '123456789012';
const TABLE = 'edge-sync-records';
const ROLE_KEY = 'ASIADRIFTMONITOR0001';

let emulator: LocalAwsEndpoint;
let client: DynamoDBClient;
let statements: PolicyStatement[];

function dynamoDbClient(overrides: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ ...emulator.clientConfig(), maxAttempts: 1, ...overrides });
}

beforeAll(async () => {
  emulator = await startEmulator();
  client = dynamoDbClient();
});
beforeEach(() => {
  emulator.dynamodb.createTable(TABLE, { partitionKey: 'pk', sortKey: 'sk' });
  statements = [];
  emulator.iam.registerRole(ROLE_KEY, {
    sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/DriftMonitor/monitor`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/DriftMonitor`,
    policies: (): PolicyDocument[] => [{ Version: '2012-10-17', Statement: statements }],
  });
});
afterEach(() => emulator.reset());
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const record = (pk: string, sk: string, extra: Record<string, AttributeValue> = {}): Record<string, AttributeValue> =>
  ({ pk: { S: pk }, sk: { S: sk }, ...extra });
type SdkError = Error & { $metadata: { httpStatusCode?: number } };
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as SdkError);

test('PutItem then GetItem: every AttributeValue type round-trips; a missing item answers no Item', async () => {
  const item = record('gateway#1', 'ns#opcua', {
    n: { N: '42.50' },
    b: { BOOL: true },
    nothing: { NULL: true },
    list: { L: [{ S: 'a' }, { N: '1' }] },
    map: { M: { digest: { S: 'abc' }, nested: { M: { deep: { BOOL: false } } } } },
    strings: { SS: ['x', 'y'] },
  });
  await client.send(new PutItemCommand({ TableName: TABLE, Item: item }));
  const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'gateway#1' }, sk: { S: 'ns#opcua' } } }));
  expect(Item).toEqual(item);
  const missing = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'gateway#2' }, sk: { S: 'ns#opcua' } } }));
  expect(missing.Item).toBeUndefined();
  expect(emulator.dynamodb.items(TABLE)).toEqual([{
    pk: 'gateway#1', sk: 'ns#opcua', n: 42.5, b: true, nothing: null, list: ['a', 1], map: { digest: 'abc', nested: { deep: false } }, strings: new Set(['x', 'y']),
  }]);
});

test('GetItem with a ProjectionExpression returns only the listed attributes', async () => {
  await client.send(new PutItemCommand({ TableName: TABLE, Item: record('a', '1', { digest: { S: 'd' }, status: { S: 'IN_SYNC' } }) }));
  const { Item } = await client.send(new GetItemCommand({
    TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: '1' } }, ProjectionExpression: 'digest, #s', ExpressionAttributeNames: { '#s': 'status' },
  }));
  expect(Item).toEqual({ digest: { S: 'd' }, status: { S: 'IN_SYNC' } });
});

describe('conditions', () => {
  test('attribute_not_exists(#k) creates once; the second put is ConditionalCheckFailedException 400, the item unchanged', async () => {
    const put = (value: string) => client.send(new PutItemCommand({
      TableName: TABLE, Item: record('a', '1', { v: { S: value } }), ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'pk' },
    }));
    await put('first');
    const error = await failure(put('second'));
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect(error).toMatchObject({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } });
    expect(emulator.dynamodb.items(TABLE)).toEqual([{ pk: 'a', sk: '1', v: 'first' }]);
  });

  test('#k = :v and attribute_exists: a put and a delete that hold apply; ALL_OLD returns the item on failure', async () => {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: record('a', '1', { version: { N: '1' } }) }));
    await client.send(new PutItemCommand({
      TableName: TABLE,
      Item: record('a', '1', { version: { N: '2' } }),
      ConditionExpression: 'attribute_exists(pk) AND #ver = :expected',
      ExpressionAttributeNames: { '#ver': 'version' },
      ExpressionAttributeValues: { ':expected': { N: '1.0' } },
    }));
    const stale = await failure(client.send(new DeleteItemCommand({
      TableName: TABLE,
      Key: { pk: { S: 'a' }, sk: { S: '1' } },
      ConditionExpression: '#ver = :expected',
      ExpressionAttributeNames: { '#ver': 'version' },
      ExpressionAttributeValues: { ':expected': { N: '1' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })));
    expect(stale).toBeInstanceOf(ConditionalCheckFailedException);
    expect((stale as ConditionalCheckFailedException).Item).toEqual(record('a', '1', { version: { N: '2' } }));
    const deleted = await client.send(new DeleteItemCommand({
      TableName: TABLE,
      Key: { pk: { S: 'a' }, sk: { S: '1' } },
      ConditionExpression: '#ver = :expected',
      ExpressionAttributeNames: { '#ver': 'version' },
      ExpressionAttributeValues: { ':expected': { N: '2' } },
      ReturnValues: 'ALL_OLD',
    }));
    expect(deleted.Attributes).toEqual(record('a', '1', { version: { N: '2' } }));
    expect(emulator.dynamodb.items(TABLE)).toEqual([]);
  });

  test.each([
    ['an unused name', { ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeNames: { '#k': 'pk' } },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#k}'],
    ['an undefined name', { ConditionExpression: 'attribute_not_exists(#k)' },
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #k'],
    ['an undefined value', { ConditionExpression: 'pk = :v' },
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
    ['a reserved word', { ConditionExpression: 'attribute_exists(status)' },
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status'],
    ['a syntax error', { ConditionExpression: 'pk = = :v', ExpressionAttributeValues: { ':v': { S: 'a' } } },
      'Invalid ConditionExpression: Syntax error; token: "=", near: "pk = = :v"'],
    ['values without an expression', { ExpressionAttributeValues: { ':v': { S: 'a' } } },
      'ExpressionAttributeValues can only be specified when using expressions: no expressions'],
  ])('%s is ValidationException', async (_case, members, message) => {
    const error = await failure(client.send(new PutItemCommand({ TableName: TABLE, Item: record('a', '1'), ...members })));
    expect(error).toMatchObject({ name: 'ValidationException', message, $metadata: { httpStatusCode: 400 } });
    expect(emulator.dynamodb.items(TABLE)).toEqual([]);
  });

  test('a function DynamoDB has but the emulator does not evaluate is the internal error, naming the emulator', async () => {
    const error = await failure(client.send(new PutItemCommand({
      TableName: TABLE, Item: record('a', '1'), ConditionExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': { S: 'a' } },
    })));
    expect(error).toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
    expect(error?.message).toContain('local emulator does not evaluate the function begins_with');
  });
});

describe('refusals', () => {
  test('a table that does not exist is ResourceNotFoundException 400, with the dynamodb namespace in __type', async () => {
    const error = await failure(client.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'a' }, sk: { S: '1' } } })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ message: 'Requested resource not found', $metadata: { httpStatusCode: 400 } });
    const raw = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'Authorization': authorization('dynamodb'), 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.GetItem' },
      body: JSON.stringify({ TableName: 'no-such-table', Key: { pk: { S: 'a' }, sk: { S: '1' } } }),
    });
    expect(raw.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await raw.json()).toEqual({ __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found' });
  });

  test.each([
    ['a missing key attribute', { sk: { S: '1' } }, 'One or more parameter values were invalid: Missing the key pk in the item'],
    ['a key of the wrong type', { pk: { N: '1' }, sk: { S: '1' } }, 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N'],
    ['an empty key string', { pk: { S: '' }, sk: { S: '1' } },
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
    ['a value that is not a number', { pk: { S: 'a' }, sk: { S: '1' }, n: { N: 'twelve' } }, 'The parameter cannot be converted to a numeric value: twelve'],
  ])('PutItem with %s is ValidationException', async (_case, item, message) => {
    const error = await failure(client.send(new PutItemCommand({ TableName: TABLE, Item: item as Record<string, AttributeValue> })));
    expect(error).toMatchObject({ name: 'ValidationException', message, $metadata: { httpStatusCode: 400 } });
  });

  test('an item over 400 KB is refused; one just under is stored', async () => {
    // Item size: attribute names plus values; pk "a" (2+1), sk "1" (2+1), "blob" (4) + the string.
    const fits = 409_600 - 6 - 4;
    await client.send(new PutItemCommand({ TableName: TABLE, Item: record('a', '1', { blob: { S: 'x'.repeat(fits) } }) }));
    const error = await failure(client.send(new PutItemCommand({ TableName: TABLE, Item: record('a', '2', { blob: { S: 'x'.repeat(fits + 1) } }) })));
    expect(error).toMatchObject({ name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' });
    expect(emulator.dynamodb.items(TABLE).map((item) => item.sk)).toEqual(['1']);
  });

  test('GetItem with a key that is not the schema is ValidationException', async () => {
    const error = await failure(client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' } } })));
    expect(error).toMatchObject({ name: 'ValidationException', message: 'The provided key element does not match the schema' });
  });

  test('IAM: dynamodb:GetItem on the table ARN is needed; a denial is AccessDeniedException 400', async () => {
    const role = dynamoDbClient({ credentials: { accessKeyId: ROLE_KEY, secretAccessKey: 'x' } });
    const get = () => role.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: '1' } } }));
    const denied = await failure(get());
    // Not a modeled DynamoDB error: the SDK names it from `__type` (com.amazon.coral.service#AccessDeniedException).
    expect(denied).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    statements = [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Scan'], Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${TABLE}` }];
    await expect(get()).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    const put = await failure(role.send(new PutItemCommand({ TableName: TABLE, Item: record('a', '1') })));
    expect(put).toMatchObject({ name: 'AccessDeniedException' });
    expect(emulator.iam.denials.map((denial) => denial.action)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    role.destroy();
  });

  test('throttling is ProvisionedThroughputExceededException 400, which the SDK retries', async () => {
    emulator.faults.set({ throttleRate: 1, services: ['dynamodb'], firstN: 1 });
    const error = await failure(client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: '1' } } })));
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error?.$metadata.httpStatusCode).toBe(400);
    emulator.faults.set({ throttleRate: 1, services: ['dynamodb'], firstN: 1 });
    const retrying = dynamoDbClient({ maxAttempts: 3 });
    await expect(retrying.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: '1' } } }))).resolves.toBeDefined();
    retrying.destroy();
  });

  test('an unknown X-Amz-Target is UnknownOperationException 400', async () => {
    const raw = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'Authorization': authorization('dynamodb'), 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.BatchWriteItem' },
      body: '{}',
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });
});

describe('Scan', () => {
  test('Limit pages with LastEvaluatedKey / ExclusiveStartKey, and an empty last page after an exact Limit', async () => {
    for (const sk of ['1', '2', '3', '4', '5']) emulator.dynamodb.putItem(TABLE, { pk: 'a', sk });
    const pages: string[][] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: TABLE, Limit: 2, ExclusiveStartKey: start }));
      pages.push((page.Items ?? []).map((item) => item.sk.S!));
      start = page.LastEvaluatedKey;
    } while (start);
    expect(pages).toEqual([['1', '2'], ['3', '4'], ['5']]);
    const exact = await client.send(new ScanCommand({ TableName: TABLE, Limit: 5 }));
    expect(exact).toMatchObject({ Count: 5, ScannedCount: 5, LastEvaluatedKey: { pk: { S: 'a' }, sk: { S: '5' } } });
    const after = await client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: exact.LastEvaluatedKey }));
    expect(after).toMatchObject({ Items: [], Count: 0 });
    expect(after.LastEvaluatedKey).toBeUndefined();
  });

  test('a page stops before 1 MB of item data', async () => {
    // Five items of ~300 KB: three fit in 1 MB (900 KB), the fourth would pass it.
    for (const sk of ['1', '2', '3', '4', '5']) emulator.dynamodb.putItem(TABLE, { pk: 'big', sk, blob: 'x'.repeat(300_000) });
    const first = await client.send(new ScanCommand({ TableName: TABLE }));
    expect(first.Items?.map((item) => item.sk.S)).toEqual(['1', '2', '3']);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'big' }, sk: { S: '3' } });
    const second = await client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: first.LastEvaluatedKey }));
    expect(second.Items?.map((item) => item.sk.S)).toEqual(['4', '5']);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  test('FilterExpression counts scanned items but returns the matching ones', async () => {
    emulator.dynamodb.putItem(TABLE, { pk: 'a', sk: '1', kind: 'gateway' });
    emulator.dynamodb.putItem(TABLE, { pk: 'a', sk: '2', kind: 'stream' });
    const page = await client.send(new ScanCommand({
      TableName: TABLE, FilterExpression: '#kind = :k', ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':k': { S: 'stream' } },
    }));
    expect(page).toMatchObject({ Count: 1, ScannedCount: 2, Items: [{ sk: { S: '2' } }] });
  });

  test('Limit 0 and a starting key that is not the schema are ValidationException', async () => {
    await expect(client.send(new ScanCommand({ TableName: TABLE, Limit: 0 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: { pk: { S: 'a' } } }))).rejects.toMatchObject({
      name: 'ValidationException', message: 'The provided starting key is invalid: The provided key element does not match the schema',
    });
  });
});

test('deleteTable drops the table and its items; tableNames lists what exists', async () => {
  emulator.dynamodb.putItem(TABLE, { pk: 'a', sk: '1' });
  emulator.dynamodb.createTable('other', { partitionKey: 'id' });
  expect(emulator.dynamodb.tableNames()).toEqual([TABLE, 'other']);
  expect(emulator.dynamodb.deleteTable(TABLE)).toBe(true);
  expect(emulator.dynamodb.tableNames()).toEqual(['other']);
  await expect(client.send(new ScanCommand({ TableName: TABLE }))).rejects.toBeInstanceOf(ResourceNotFoundException);
});
