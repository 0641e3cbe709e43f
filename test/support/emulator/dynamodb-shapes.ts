import { AwsError, type AwsServiceDefinition, type ModeledError } from './protocol';
import { InputValidator } from './validation';

/**
 * Service definition, errors, AttributeValue handling and item size of Amazon DynamoDB
 * (2012-08-10, awsJson1_0, target prefix `DynamoDB_20120810`) for the item operations the drift
 * monitor uses. Shapes and error lists: codegen/sdk-codegen/aws-models/dynamodb.json (aws-sdk-js-v3).
 */

export const DYNAMODB_ERRORS = {
  validation: { code: 'ValidationException', status: 400 },
  resourceNotFound: { code: 'ResourceNotFoundException', status: 400 },
  conditionalCheckFailed: { code: 'ConditionalCheckFailedException', status: 400 },
  provisionedThroughputExceeded: { code: 'ProvisionedThroughputExceededException', status: 400 },
  throttling: { code: 'ThrottlingException', status: 400 },
  accessDenied: { code: 'AccessDeniedException', status: 400 },
  internalServerError: { code: 'InternalServerError', status: 500 },
} as const satisfies Record<string, ModeledError>;

/** Errors of Coral's common namespaces (what DynamoDB's front door answers) rather than DynamoDB's own. */
const CORAL_VALIDATE_ERRORS = new Set(['ValidationException']);
const CORAL_SERVICE_ERRORS = new Set([
  'AccessDeniedException', 'UnrecognizedClientException', 'ThrottlingException', 'SerializationException', 'UnknownOperationException',
  'MissingAuthenticationTokenException', 'IncompleteSignatureException',
]);

export const DYNAMODB_SERVICE: AwsServiceDefinition = {
  signingName: 'dynamodb',
  protocol: 'awsJson1_0',
  targetPrefix: 'DynamoDB_20120810',
  errorMessageMember: 'message',
  // Item operations on a table over its capacity; the SDK's retry strategy classifies it as throttling.
  throttlingError: DYNAMODB_ERRORS.provisionedThroughputExceeded,
  throttlingMessage: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  internalError: DYNAMODB_ERRORS.internalServerError,
  accessDeniedError: DYNAMODB_ERRORS.accessDenied,
  // DynamoDB answers an unknown key 400, not 403.
  unrecognizedClientError: { code: 'UnrecognizedClientException', status: 400, message: 'The security token included in the request is invalid.' },
  errorType: (code) => {
    if (CORAL_VALIDATE_ERRORS.has(code)) return `com.amazon.coral.validate#${code}`;
    if (CORAL_SERVICE_ERRORS.has(code)) return `com.amazon.coral.service#${code}`;
    return `com.amazonaws.dynamodb.v20120810#${code}`;
  },
};

/** DynamoDB's maximum item size, attribute names included ("400 KB"). */
export const MAX_ITEM_BYTES = 409_600;
/** A Scan (or Query) page reads at most 1 MB of item data. */
export const MAX_SCAN_PAGE_BYTES = 1_048_576;
/** Partition key values are at most 2048 bytes, sort key values at most 1024. */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;
/** `TableName` of the item operations: a name (3..255, `[a-zA-Z0-9_.-]+`) or a table ARN (up to 1024). */
export const TABLE_NAME = { min: 3, max: 255, pattern: /^[a-zA-Z0-9_.-]+$/ };
export const TABLE_ARN = /^arn:aws:dynamodb:([a-z0-9-]+):([0-9]{12}):table\/([a-zA-Z0-9_.-]{3,255})$/;

/** DynamoDB's wire form of one value (`AttributeValue`, a union). */
export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] }
  | { readonly M: Readonly<Record<string, AttributeValue>> }
  | { readonly L: readonly AttributeValue[] };

export type AttributeMap = Readonly<Record<string, AttributeValue>>;

export type KeyAttributeType = 'S' | 'N' | 'B';

const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'M', 'L'] as const;
/** DynamoDB numbers: up to 38 significant digits, magnitude 1E-130 .. 9.99…E+125. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function dynamoDbValidator(): InputValidator {
  return new InputValidator(DYNAMODB_ERRORS.validation);
}

export function validationError(message: string): AwsError {
  return new AwsError(DYNAMODB_ERRORS.validation.code, DYNAMODB_ERRORS.validation.status, message);
}

/** Checks a request's map of AttributeValues (an item, a key, ExpressionAttributeValues); throws ValidationException. */
export function validateAttributeMap(value: unknown, member: string): AttributeMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validationError(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must be a map`);
  for (const attribute of Object.values(value as Record<string, unknown>)) validateAttributeValue(attribute);
  return value as AttributeMap;
}

export function validateAttributeValue(value: unknown): AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  const members = value as Record<string, unknown>;
  const present = Object.keys(members).filter((key) => members[key] !== undefined && members[key] !== null);
  const known = present.filter((key) => (TYPES as readonly string[]).includes(key));
  if (known.length === 0) throw validationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (known.length > 1) throw validationError('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  const [type] = known;
  const content = (value as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
    case 'B':
      if (typeof content !== 'string') throw validationError(`Supplied AttributeValue ${type} is not a string`);
      break;
    case 'N':
      checkNumber(content);
      break;
    case 'BOOL':
      if (typeof content !== 'boolean') throw validationError('Supplied AttributeValue BOOL is not a boolean');
      break;
    case 'NULL':
      if (content !== true) throw validationError('One or more parameter values were invalid: Null attribute value types must have the value of true');
      break;
    case 'SS':
    case 'NS':
    case 'BS': {
      const label = { SS: 'string', NS: 'number', BS: 'binary' }[type];
      if (!Array.isArray(content) || content.length === 0) throw validationError(`One or more parameter values were invalid: An ${label} set  may not be empty`);
      if (type === 'NS') content.forEach(checkNumber);
      else if (content.some((entry) => typeof entry !== 'string')) throw validationError(`Supplied AttributeValue ${type} has an entry that is not a string`);
      const normalized = content.map((entry) => (type === 'NS' ? String(Number(entry)) : entry));
      if (new Set(normalized).size !== normalized.length) throw validationError(`Input collection [${content.join(', ')}] contains duplicates.`);
      break;
    }
    case 'M':
      validateAttributeMap(content, 'M');
      break;
    case 'L':
      if (!Array.isArray(content)) throw validationError('Supplied AttributeValue L is not a list');
      content.forEach(validateAttributeValue);
      break;
  }
  return value as AttributeValue;
}

function checkNumber(content: unknown): void {
  if (typeof content !== 'string' || !NUMBER.test(content.trim())) {
    throw validationError(`The parameter cannot be converted to a numeric value: ${String(content)}`);
  }
  if (significantDigits(content).length > 38) throw validationError(`Attempting to store more than 38 significant digits in a Number: ${content}`);
}

export function typeOf(value: AttributeValue): (typeof TYPES)[number] {
  return TYPES.find((type) => (value as Record<string, unknown>)[type] !== undefined)!;
}

function significantDigits(number: string): string {
  const mantissa = number.trim().replace(/^[+-]/, '').replace(/[eE].*$/, '').replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '');
}

/**
 * Item size as DynamoDB counts it (Developer Guide, "Item sizes and formats"): each attribute's
 * name (UTF-8 bytes) plus its value: strings their UTF-8 bytes, binaries their bytes, numbers
 * 1 byte per two significant digits plus 1, booleans and null 1 byte, lists and maps 3 bytes plus
 * 1 byte per element (and map keys' names), sets the sum of their members.
 */
export function itemSize(item: AttributeMap): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  const v = value as Record<string, any>;
  switch (typeOf(value)) {
    case 'S': return Buffer.byteLength(v.S, 'utf8');
    case 'N': return numberSize(v.N);
    case 'B': return Buffer.from(v.B, 'base64').length;
    case 'BOOL':
    case 'NULL': return 1;
    case 'SS': return (v.SS as string[]).reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
    case 'NS': return (v.NS as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS': return (v.BS as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L': return 3 + (v.L as AttributeValue[]).reduce((sum, element) => sum + 1 + valueSize(element), 0);
    case 'M': return 3 + Object.entries(v.M as Record<string, AttributeValue>)
      .reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueSize(element), 0);
  }
}

function numberSize(number: string): number {
  return Math.ceil(Math.max(1, significantDigits(number).length) / 2) + 1;
}

/** Whether two AttributeValues are equal as DynamoDB compares them (numbers by value, sets regardless of order). */
export function attributeValuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const x = a as Record<string, any>;
  const y = b as Record<string, any>;
  switch (type) {
    case 'N': return Number(x.N) === Number(y.N) && significantDigits(x.N) === significantDigits(y.N);
    case 'SS':
    case 'BS': return x[type].length === y[type].length && (x[type] as string[]).every((entry) => (y[type] as string[]).includes(entry));
    case 'NS': return x.NS.length === y.NS.length && (x.NS as string[]).every((entry) => (y.NS as string[]).some((other) => Number(other) === Number(entry)));
    case 'L': return x.L.length === y.L.length && (x.L as AttributeValue[]).every((element, i) => attributeValuesEqual(element, y.L[i]));
    case 'M': {
      const keys = Object.keys(x.M);
      return keys.length === Object.keys(y.M).length && keys.every((key) => y.M[key] !== undefined && attributeValuesEqual(x.M[key], y.M[key]));
    }
    default: return x[type] === y[type];
  }
}

/** A plain JS value of an AttributeValue: numbers as numbers, sets as Sets, binaries as Buffers. */
export function unmarshallValue(value: AttributeValue): unknown {
  const v = value as Record<string, any>;
  switch (typeOf(value)) {
    case 'S': return v.S;
    case 'N': return Number(v.N);
    case 'B': return Buffer.from(v.B, 'base64');
    case 'BOOL': return v.BOOL;
    case 'NULL': return null;
    case 'SS': return new Set(v.SS);
    case 'NS': return new Set((v.NS as string[]).map(Number));
    case 'BS': return new Set((v.BS as string[]).map((b) => Buffer.from(b, 'base64')));
    case 'L': return (v.L as AttributeValue[]).map(unmarshallValue);
    case 'M': return unmarshallItem(v.M);
  }
}

export function unmarshallItem(item: AttributeMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, unmarshallValue(value)]));
}

/** The AttributeValue of a plain JS value (strings, finite numbers, booleans, null, arrays, objects, Buffers, Sets). */
export function marshallValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`DynamoDB cannot store ${value}`);
    return { N: String(value) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (value instanceof Set) {
    const members = [...value];
    if (members.every((member) => typeof member === 'string')) return { SS: members };
    if (members.every((member) => typeof member === 'number')) return { NS: members.map(String) };
    throw new Error('DynamoDB sets hold only strings or only numbers here');
  }
  if (Array.isArray(value)) return { L: value.map(marshallValue) };
  if (typeof value === 'object') return { M: marshallItem(value as Record<string, unknown>) };
  throw new Error(`DynamoDB cannot store a ${typeof value}`);
}

export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined).map(([name, value]) => [name, marshallValue(value)]));
}
