import type { ScaledClock } from '../clock';
import { evaluate, ExpressionContext, parseCondition, parseProjection, type Condition } from './dynamodb-expressions';
import {
  DYNAMODB_ERRORS, DYNAMODB_SERVICE, dynamoDbValidator, itemSize, marshallItem, MAX_ITEM_BYTES, MAX_PARTITION_KEY_BYTES, MAX_SCAN_PAGE_BYTES,
  MAX_SORT_KEY_BYTES, TABLE_ARN, TABLE_NAME, typeOf, unmarshallItem, validateAttributeMap, validationError,
  type AttributeMap, type AttributeValue, type KeyAttributeType,
} from './dynamodb-shapes';
import { AwsError, type AwsOperation, type OperationRequest, type ResourceTarget } from './protocol';
import { inScope, scopeOf, type Scope } from './scope';

/**
 * An in-memory Amazon DynamoDB for the item operations a Lambda function uses on a table it was
 * given: PutItem, GetItem, DeleteItem (each with the ConditionExpression subset of
 * dynamodb-expressions.ts) and Scan (Limit, ExclusiveStartKey, 1 MB pages, FilterExpression,
 * ProjectionExpression), over awsJson1_0. Tables come from `createTable` (the harness creates those
 * of a stack's `AWS::DynamoDB::Table` resources); items are kept in DynamoDB's AttributeValue form.
 * IAM: `dynamodb:<Operation>` on `arn:aws:dynamodb:<region>:<account>:table/<name>`.
 */

export interface DynamoDbEmulatorOptions {
  readonly clock: ScaledClock;
  /** Home region and account of tables created without saying; default us-east-1 and 123456789012. */
  readonly region?: string;
  readonly accountId?: string;
}

/** A table's primary key: a partition key and an optional sort key, each S (default), N or B. */
export interface TableKeySchema {
  readonly partitionKey: string;
  readonly partitionKeyType?: KeyAttributeType;
  readonly sortKey?: string;
  readonly sortKeyType?: KeyAttributeType;
}

export interface CreateTableOptions {
  readonly region?: string;
  readonly accountId?: string;
}

export interface TableSnapshot {
  readonly tableName: string;
  readonly tableArn: string;
  readonly region: string;
  readonly accountId: string;
  readonly keySchema: Required<Pick<TableKeySchema, 'partitionKey' | 'partitionKeyType'>> & Pick<TableKeySchema, 'sortKey' | 'sortKeyType'>;
  readonly itemCount: number;
  /** Simulated epoch ms. */
  readonly creationTime: number;
}

interface TableRecord extends Scope {
  readonly name: string;
  readonly arn: string;
  readonly keySchema: TableSnapshot['keySchema'];
  readonly creationTime: number;
  /** By `keyOf` of each item's key. */
  readonly items: Map<string, AttributeMap>;
}

export class DynamoDbEmulator {
  public readonly region: string;
  public readonly accountId: string;
  private readonly clock: ScaledClock;
  /** By `tableKey` (names are unique per account and region). */
  private readonly tables = new Map<string, TableRecord>();

  constructor(options: DynamoDbEmulatorOptions) {
    this.clock = options.clock;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
  }

  // ---- test-facing API -------------------------------------------------------------------------

  /** Creates an empty ACTIVE table (no HTTP); returns its ARN. Throws if it exists. */
  public createTable(name: string, keySchema: TableKeySchema, options: CreateTableOptions = {}): string {
    if (!TABLE_NAME.pattern.test(name) || name.length < TABLE_NAME.min || name.length > TABLE_NAME.max) {
      throw new Error(`invalid DynamoDB table name ${JSON.stringify(name)}: 3..255 characters of [a-zA-Z0-9_.-]`);
    }
    const scope = { region: options.region ?? this.region, accountId: options.accountId ?? this.accountId };
    if (this.tables.has(tableKey(scope, name))) throw new Error(`Table already exists: ${name}`);
    if (!keySchema.partitionKey) throw new Error('a table needs a partition key');
    if (keySchema.sortKey === keySchema.partitionKey) throw new Error('the sort key must differ from the partition key');
    const table: TableRecord = {
      ...scope,
      name,
      arn: `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${name}`,
      keySchema: {
        partitionKey: keySchema.partitionKey,
        partitionKeyType: keySchema.partitionKeyType ?? 'S',
        ...(keySchema.sortKey === undefined ? {} : { sortKey: keySchema.sortKey, sortKeyType: keySchema.sortKeyType ?? 'S' }),
      },
      creationTime: this.clock.now(),
      items: new Map(),
    };
    this.tables.set(tableKey(scope, name), table);
    return table.arn;
  }

  /** Deletes a table and its items (home account and region unless given as an ARN); whether there was one. */
  public deleteTable(nameOrArn: string): boolean {
    const table = this.tableByNameOrArn(nameOrArn);
    return table ? this.tables.delete(tableKey(table, table.name)) : false;
  }

  /** Names of the tables in the home account and region. */
  public tableNames(): string[] {
    return [...this.tables.values()].filter((table) => inScope(table, this.home)).map((table) => table.name);
  }

  public table(nameOrArn: string): TableSnapshot | undefined {
    const table = this.tableByNameOrArn(nameOrArn);
    return table && {
      tableName: table.name,
      tableArn: table.arn,
      region: table.region,
      accountId: table.accountId,
      keySchema: { ...table.keySchema },
      itemCount: table.items.size,
      creationTime: table.creationTime,
    };
  }

  /** The table's items as plain JS objects (numbers as numbers, sets as Sets), in Scan order. Throws if there is no such table. */
  public items(nameOrArn: string): Array<Record<string, unknown>> {
    return this.sortedItems(this.requireTable(nameOrArn)).map(unmarshallItem);
  }

  /** The table's items in DynamoDB's AttributeValue form, in Scan order. */
  public rawItems(nameOrArn: string): AttributeMap[] {
    return this.sortedItems(this.requireTable(nameOrArn)).map((item) => structuredClone(item));
  }

  /** Stores (or replaces) a plain JS item directly, validated like PutItem; e.g. a record the deployment wrote. */
  public putItem(nameOrArn: string, item: Record<string, unknown>): void {
    const table = this.requireTable(nameOrArn);
    const marshalled = validateAttributeMap(marshallItem(item), 'item');
    this.checkItem(table, marshalled);
    table.items.set(this.keyOf(table, marshalled, 'item'), marshalled);
  }

  /** Deletes an item by its (plain JS) key behind everyone's back; whether there was one. */
  public deleteItem(nameOrArn: string, key: Record<string, unknown>): boolean {
    const table = this.requireTable(nameOrArn);
    return table.items.delete(this.keyOf(table, marshallItem(key), 'key'));
  }

  /** Deletes every table and item. */
  public reset(): void {
    this.tables.clear();
  }

  // ---- operations ------------------------------------------------------------------------------

  public operations(): AwsOperation[] {
    const service = DYNAMODB_SERVICE.signingName;
    const operation = (name: string, handler: (request: OperationRequest) => unknown): AwsOperation => ({
      service, name, method: 'POST', path: '/', successStatus: 200, resource: (request) => this.tableResource(request), handler,
    });
    return [
      operation('PutItem', (r) => this.onPutItem(r)),
      operation('GetItem', (r) => this.onGetItem(r)),
      operation('DeleteItem', (r) => this.onDeleteItem(r)),
      operation('Scan', (r) => this.onScan(r)),
    ];
  }

  /** The table a request names: its ARN in the caller's account and region, or the one a TableName ARN gives. */
  private tableResource(request: OperationRequest): ResourceTarget {
    const name = request.body.TableName;
    if (typeof name === 'string' && TABLE_ARN.test(name)) {
      // A table of another account is denied (tables have no resource policies here); one of another region is not found.
      return { arn: name, account: TABLE_ARN.exec(name)![2] };
    }
    return { arn: `arn:aws:dynamodb:${request.region}:${request.accountId}:table/${typeof name === 'string' ? name : '*'}` };
  }

  private onPutItem(request: OperationRequest): unknown {
    const { body } = request;
    const table = this.requestTable(request);
    if (body.Item === undefined || body.Item === null) throw validationError("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
    const item = validateAttributeMap(body.Item, 'item');
    const returnValues = this.returnValues(body.ReturnValues, ['NONE', 'ALL_OLD']);
    const { condition, context } = this.conditionOf(body);
    this.checkItem(table, item);
    const key = this.keyOf(table, item, 'item');
    const old = table.items.get(key);
    this.checkCondition(condition, context, old, body);
    table.items.set(key, structuredClone(item));
    return returnValues === 'ALL_OLD' && old ? { Attributes: old } : {};
  }

  private onGetItem(request: OperationRequest): unknown {
    const { body } = request;
    const table = this.requestTable(request);
    const key = this.keyOf(table, this.requiredKey(body.Key), 'key');
    const context = new ExpressionContext(body, ['ProjectionExpression']);
    const projection = body.ProjectionExpression === undefined ? undefined : parseProjection(body.ProjectionExpression, context);
    context.checkAllUsed();
    const item = table.items.get(key);
    return item ? { Item: project(item, projection) } : {};
  }

  private onDeleteItem(request: OperationRequest): unknown {
    const { body } = request;
    const table = this.requestTable(request);
    const key = this.keyOf(table, this.requiredKey(body.Key), 'key');
    const returnValues = this.returnValues(body.ReturnValues, ['NONE', 'ALL_OLD']);
    const { condition, context } = this.conditionOf(body);
    const old = table.items.get(key);
    this.checkCondition(condition, context, old, body);
    table.items.delete(key);
    return returnValues === 'ALL_OLD' && old ? { Attributes: old } : {};
  }

  private onScan(request: OperationRequest): unknown {
    const { body } = request;
    const validator = dynamoDbValidator();
    const limit = body.Limit;
    if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || (limit as number) < 1)) {
      validator.fail(`Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    }
    for (const member of ['Segment', 'TotalSegments', 'IndexName', 'ScanFilter', 'AttributesToGet', 'ConditionalOperator']) {
      if (body[member] !== undefined) throw new Error(`the local emulator does not support Scan's ${member}`);
    }
    if (body.Select !== undefined && body.Select !== 'ALL_ATTRIBUTES' && body.Select !== 'COUNT') {
      validator.fail(`Value '${String(body.Select)}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]`);
    }
    validator.throwIfInvalid();
    const table = this.requestTable(request);
    const context = new ExpressionContext(body, ['FilterExpression', 'ProjectionExpression']);
    const filter = body.FilterExpression === undefined ? undefined : parseCondition(body.FilterExpression, 'FilterExpression', context);
    const projection = body.ProjectionExpression === undefined ? undefined : parseProjection(body.ProjectionExpression, context);
    context.checkAllUsed();
    let startAfter: string | undefined;
    if (body.ExclusiveStartKey !== undefined && body.ExclusiveStartKey !== null) {
      try {
        startAfter = this.keyOf(table, validateAttributeMap(body.ExclusiveStartKey, 'exclusiveStartKey'), 'key');
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        throw validationError(`The provided starting key is invalid: ${error.message}`);
      }
    }

    const all = this.sortedEntries(table);
    let index = startAfter === undefined ? 0 : all.findIndex(([key]) => compareKeys(key, startAfter!) > 0);
    if (index < 0) index = all.length;
    // A page ends at Limit items read, or when the next item would take it past 1 MB of item data;
    // either way it carries LastEvaluatedKey (an empty next page is possible, as in DynamoDB).
    const page: AttributeMap[] = [];
    let bytes = 0;
    let lastItem: AttributeMap | undefined;
    let scanned = 0;
    while (index < all.length) {
      if (limit !== undefined && limit !== null && scanned >= (limit as number)) break;
      const [, item] = all[index];
      const size = itemSize(item);
      if (scanned > 0 && bytes + size > MAX_SCAN_PAGE_BYTES) break;
      bytes += size;
      scanned += 1;
      lastItem = item;
      index += 1;
      if (!filter || evaluate(filter, item, context)) page.push(item);
    }
    const more = index < all.length || (limit !== undefined && limit !== null && scanned >= (limit as number) && scanned > 0);
    return {
      ...(body.Select === 'COUNT' ? {} : { Items: page.map((item) => project(item, projection)) }),
      Count: page.length,
      ScannedCount: scanned,
      ...(more && lastItem ? { LastEvaluatedKey: this.keyAttributes(table, lastItem) } : {}),
    };
  }

  // ---- checks ----------------------------------------------------------------------------------

  /** The table the request names, in the caller's account and region; ResourceNotFoundException when there is none. */
  private requestTable(request: OperationRequest): TableRecord {
    const name = request.body.TableName;
    const validator = dynamoDbValidator();
    if (validator.required('tableName', name)) {
      if (typeof name === 'string' && name.startsWith('arn:')) {
        if (!TABLE_ARN.test(name)) validator.fail(`Invalid TableName: ${name} is not a valid table name or table ARN`);
      } else {
        validator.string('tableName', name, TABLE_NAME);
      }
    }
    validator.throwIfInvalid();
    const scope = scopeOf(request);
    const table = TABLE_ARN.test(name as string)
      ? [...this.tables.values()].find((candidate) => candidate.arn === name && inScope(candidate, scope))
      : this.tables.get(tableKey(scope, name as string));
    if (!table) {
      throw new AwsError(DYNAMODB_ERRORS.resourceNotFound.code, DYNAMODB_ERRORS.resourceNotFound.status, 'Requested resource not found');
    }
    return table;
  }

  private requiredKey(key: unknown): AttributeMap {
    if (key === undefined || key === null) throw validationError("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
    return validateAttributeMap(key, 'key');
  }

  private returnValues(value: unknown, allowed: readonly string[]): string {
    if (value === undefined || value === null) return 'NONE';
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw validationError(`1 validation error detected: Value '${String(value)}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
    return value;
  }

  private conditionOf(body: Record<string, unknown>): { condition?: Condition; context: ExpressionContext } {
    for (const legacy of ['Expected', 'ConditionalOperator']) {
      if (body[legacy] !== undefined) throw new Error(`the local emulator does not support the legacy ${legacy} parameter`);
    }
    const context = new ExpressionContext(body, ['ConditionExpression']);
    const condition = body.ConditionExpression === undefined ? undefined : parseCondition(body.ConditionExpression, 'ConditionExpression', context);
    context.checkAllUsed();
    const onFailure = body.ReturnValuesOnConditionCheckFailure;
    if (onFailure !== undefined && onFailure !== 'ALL_OLD' && onFailure !== 'NONE') {
      throw validationError(`1 validation error detected: Value '${String(onFailure)}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`);
    }
    return { condition, context };
  }

  private checkCondition(
    condition: Condition | undefined, context: ExpressionContext, old: AttributeMap | undefined, body: Record<string, unknown>,
  ): void {
    if (!condition || evaluate(condition, old, context)) return;
    const withItem = body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old ? { Item: old } : {};
    throw new AwsError(DYNAMODB_ERRORS.conditionalCheckFailed.code, DYNAMODB_ERRORS.conditionalCheckFailed.status, 'The conditional request failed', withItem);
  }

  /** What PutItem refuses about a whole item: its key attributes, then its size. */
  private checkItem(table: TableRecord, item: AttributeMap): void {
    this.keyOf(table, item, 'item');
    if (itemSize(item) > MAX_ITEM_BYTES) throw validationError('Item size has exceeded the maximum allowed size');
  }

  /**
   * The storage key of an item (`from: 'item'`: it must carry the key attributes) or of a Key
   * (`from: 'key'`: exactly the key attributes), with DynamoDB's messages for what is wrong.
   */
  private keyOf(table: TableRecord, attributes: AttributeMap, from: 'item' | 'key'): string {
    const { partitionKey, partitionKeyType, sortKey, sortKeyType } = table.keySchema;
    const keyNames = sortKey === undefined ? [partitionKey] : [partitionKey, sortKey];
    if (from === 'key' && (Object.keys(attributes).length !== keyNames.length || keyNames.some((name) => attributes[name] === undefined))) {
      throw validationError('The provided key element does not match the schema');
    }
    const parts: string[] = [];
    for (const [name, type, maxBytes, label] of [
      [partitionKey, partitionKeyType, MAX_PARTITION_KEY_BYTES, 'hashkey'],
      ...(sortKey === undefined ? [] : [[sortKey, sortKeyType!, MAX_SORT_KEY_BYTES, 'rangekey']]),
    ] as Array<[string, KeyAttributeType, number, string]>) {
      const value = attributes[name];
      if (value === undefined) throw validationError(`One or more parameter values were invalid: Missing the key ${name} in the item`);
      const actual = typeOf(value);
      if (actual !== type) {
        if (from === 'key') throw validationError('The provided key element does not match the schema');
        throw validationError(`One or more parameter values were invalid: Type mismatch for key ${name} expected: ${type} actual: ${actual}`);
      }
      const raw = (value as Record<string, string>)[type];
      const bytes = type === 'B' ? Buffer.from(raw, 'base64').length : Buffer.byteLength(raw, 'utf8');
      if (bytes === 0) {
        throw validationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${type === 'B' ? 'binary' : 'string'} value. Key: ${name}`);
      }
      if (bytes > maxBytes) throw validationError(`One or more parameter values were invalid: Size of ${label} has exceeded the maximum size limit of ${maxBytes} bytes`);
      parts.push(type === 'N' ? `N:${Number(raw)}` : `${type}:${raw}`);
    }
    return JSON.stringify(parts);
  }

  private keyAttributes(table: TableRecord, item: AttributeMap): Record<string, AttributeValue> {
    const { partitionKey, sortKey } = table.keySchema;
    return sortKey === undefined ? { [partitionKey]: item[partitionKey] } : { [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] };
  }

  // ---- state -----------------------------------------------------------------------------------

  /** Items in the emulator's Scan order: by partition key, then sort key (numbers by value). */
  private sortedEntries(table: TableRecord): Array<[string, AttributeMap]> {
    return [...table.items.entries()].sort(([a], [b]) => compareKeys(a, b));
  }

  private sortedItems(table: TableRecord): AttributeMap[] {
    return this.sortedEntries(table).map(([, item]) => item);
  }

  private get home(): Scope {
    return { region: this.region, accountId: this.accountId };
  }

  private tableByNameOrArn(nameOrArn: string): TableRecord | undefined {
    if (nameOrArn.startsWith('arn:')) return [...this.tables.values()].find((table) => table.arn === nameOrArn);
    return this.tables.get(tableKey(this.home, nameOrArn));
  }

  private requireTable(nameOrArn: string): TableRecord {
    const table = this.tableByNameOrArn(nameOrArn);
    if (!table) throw new Error(`the DynamoDB emulator has no table ${nameOrArn}`);
    return table;
  }
}

function tableKey(scope: Scope, name: string): string {
  return `${scope.accountId}/${scope.region}/${name}`;
}

/** Orders storage keys: part by part, numbers by value, strings and binaries by code unit. */
function compareKeys(a: string, b: string): number {
  const x = JSON.parse(a) as string[];
  const y = JSON.parse(b) as string[];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (x[i] === undefined) return -1;
    if (y[i] === undefined) return 1;
    if (x[i].startsWith('N:') && y[i].startsWith('N:')) return Number(x[i].slice(2)) - Number(y[i].slice(2));
    return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

function project(item: AttributeMap, names: readonly string[] | undefined): AttributeMap {
  if (!names) return item;
  return Object.fromEntries(names.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
}
