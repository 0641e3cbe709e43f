import { AwsError, UNRECOGNIZED_CLIENT, type AwsServiceDefinition, type ModeledError } from './protocol';
import { InputValidator, type StringConstraint } from './validation';

/**
 * Service definition, errors, input constraints and wire shapes of Amazon Kinesis Video Streams
 * (kinesisvideo 2017-09-30) for streams and edge configurations, from botocore's service-2.json
 * (see /work/shared/reference/aws-apis.md §2). botocore's patterns are unanchored; the Smithy model
 * anchors them, so they are anchored here.
 */

export const KINESIS_VIDEO_ERRORS = {
  accessDenied: { code: 'AccessDeniedException', status: 401 },
  notAuthorized: { code: 'NotAuthorizedException', status: 401 },
  clientLimitExceeded: { code: 'ClientLimitExceededException', status: 400 },
  invalidArgument: { code: 'InvalidArgumentException', status: 400 },
  noDataRetention: { code: 'NoDataRetentionException', status: 400 },
  resourceInUse: { code: 'ResourceInUseException', status: 400 },
  versionMismatch: { code: 'VersionMismatchException', status: 400 },
  resourceNotFound: { code: 'ResourceNotFoundException', status: 404 },
  streamEdgeConfigurationNotFound: { code: 'StreamEdgeConfigurationNotFoundException', status: 404 },
  tagsPerResourceExceededLimit: { code: 'TagsPerResourceExceededLimitException', status: 400 },
  // The model has no 5xx error; any 5xx is retryable for the SDK. `InternalFailure` is the code of
  // AWS's common-errors list for a 500.
  internalFailure: { code: 'InternalFailure', status: 500 },
} as const satisfies Record<string, ModeledError>;

export type KinesisVideoErrorName = keyof typeof KINESIS_VIDEO_ERRORS;

export const KINESIS_VIDEO_SERVICE: AwsServiceDefinition = {
  signingName: 'kinesisvideo',
  errorMessageMember: 'Message',
  throttlingError: KINESIS_VIDEO_ERRORS.clientLimitExceeded,
  internalError: KINESIS_VIDEO_ERRORS.internalFailure,
  accessDeniedError: KINESIS_VIDEO_ERRORS.accessDenied,
  unrecognizedClientError: UNRECOGNIZED_CLIENT,
};

export function kinesisVideoError(name: KinesisVideoErrorName, message: string): AwsError {
  const { code, status } = KINESIS_VIDEO_ERRORS[name];
  return new AwsError(code, status, message);
}

export function kinesisVideoValidator(): InputValidator {
  return new InputValidator(KINESIS_VIDEO_ERRORS.invalidArgument);
}

// ---- constraints ---------------------------------------------------------------------------------

export const STREAM_NAME = { min: 1, max: 256, pattern: /^[a-zA-Z0-9_.-]+$/ };
/** Shape `ResourceARN`. */
export const STREAM_ARN = { min: 1, max: 1024, pattern: /^arn:[a-z\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+\/[a-zA-Z0-9_.-]+\/[0-9]+$/ };
export const HUB_DEVICE_ARN = { min: 1, max: 1024, pattern: /^arn:[a-z\d-]+:iot:[a-z0-9-]+:[0-9]+:thing\/[a-zA-Z0-9_.-]+$/ };
export const MEDIA_URI_SECRET_ARN = { min: 20, max: 2048, pattern: /^arn:[a-z\d-]+:secretsmanager:[a-z0-9-]+:[0-9]+:secret:[a-zA-Z0-9_.-]+$/ };
export const SCHEDULE_EXPRESSION = { min: 11, max: 100, pattern: /^[^\n]{11,100}$/ };
export const DEVICE_NAME = { min: 1, max: 128, pattern: /^[a-zA-Z0-9_.-]+$/ };
export const MEDIA_TYPE = { min: 1, max: 128, pattern: /^[\w\-.+]+\/[\w\-.+]+(,[\w\-.+]+\/[\w\-.+]+)*$/ };
export const KMS_KEY_ID = { min: 1, max: 2048, pattern: /^.+$/ };
export const STREAM_VERSION = { min: 1, max: 64, pattern: /^[a-zA-Z0-9]+$/ };
export const NEXT_TOKEN = { min: 0, max: 1024, pattern: /^[a-zA-Z0-9+/=]*$/ };
export const TAG_KEY = { min: 1, max: 128, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u };
export const TAG_VALUE = { min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u };

export interface IntegerRange {
  readonly min: number;
  readonly max?: number;
}

/** The model only has min 0; 87600 h (ten years) is the maximum the UpdateDataRetention docs give. */
export const DATA_RETENTION_IN_HOURS = { min: 0, max: 87_600 };
export const DATA_RETENTION_CHANGE_IN_HOURS = { min: 1 };
export const DURATION_IN_SECONDS = { min: 60, max: 3600 };
export const EDGE_RETENTION_IN_HOURS = { min: 1, max: 720 };
export const MAX_LOCAL_MEDIA_SIZE_IN_MB = { min: 64, max: 2_000_000 };
/** `ListEdgeAgentConfigurationsInputLimit`; the default page size is 5. */
export const LIST_EDGE_MAX_RESULTS = { min: 1, max: 10 };
export const LIST_EDGE_DEFAULT_MAX_RESULTS = 5;

export const MEDIA_URI_TYPES = ['RTSP_URI', 'FILE_URI'] as const;
export const STRATEGIES_ON_FULL_SIZE = ['DELETE_OLDEST_MEDIA', 'DENY_NEW_MEDIA'] as const;
export const UPDATE_DATA_RETENTION_OPERATIONS = ['INCREASE_DATA_RETENTION', 'DECREASE_DATA_RETENTION'] as const;
/** `RecorderStatus` / `UploaderStatus`. */
export const EDGE_JOB_STATUSES = ['SUCCESS', 'USER_ERROR', 'SYSTEM_ERROR'] as const;

export type MediaUriType = typeof MEDIA_URI_TYPES[number];
export type StrategyOnFullSize = typeof STRATEGIES_ON_FULL_SIZE[number];
export type EdgeJobStatus = typeof EDGE_JOB_STATUSES[number];

// ---- wire shapes (member names as on the wire) ----------------------------------------------------

export interface ScheduleConfig {
  readonly ScheduleExpression: string;
  readonly DurationInSeconds: number;
}

export interface EdgeConfig {
  readonly HubDeviceArn: string;
  readonly RecorderConfig: {
    readonly MediaSourceConfig: { readonly MediaUriSecretArn: string; readonly MediaUriType: MediaUriType };
    readonly ScheduleConfig?: ScheduleConfig;
  };
  readonly UploaderConfig?: { readonly ScheduleConfig: ScheduleConfig };
  readonly DeletionConfig?: {
    readonly EdgeRetentionInHours?: number;
    readonly LocalSizeConfig?: { readonly MaxLocalMediaSizeInMB?: number; readonly StrategyOnFullSize?: StrategyOnFullSize };
    readonly DeleteAfterUpload?: boolean;
  };
}

// ---- validation -------------------------------------------------------------------------------

/** How AWS services quote a `sensitive` member's value in validation messages. */
const REDACTED = '*** Sensitive Data Redacted ***';

export function validateInteger(validator: InputValidator, member: string, value: unknown, range: IntegerRange): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    validator.fail(`Value '${JSON.stringify(value)}' at '${member}' failed to satisfy constraint: Member must be an integer`);
    return;
  }
  if (value < range.min) {
    validator.fail(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${range.min}`);
  }
  if (range.max !== undefined && value > range.max) {
    validator.fail(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${range.max}`);
  }
}

export function validateEnum(validator: InputValidator, member: string, value: unknown, values: readonly string[]): void {
  if (value === undefined || value === null || values.includes(value as string)) return;
  validator.fail(`Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
}

function validateBoolean(validator: InputValidator, member: string, value: unknown): void {
  if (value === undefined || value === null || typeof value === 'boolean') return;
  validator.fail(`Value '${JSON.stringify(value)}' at '${member}' failed to satisfy constraint: Member must be a boolean`);
}

/** Like `InputValidator.string`, but never echoes the value (the model marks the member `sensitive`). */
function validateSensitiveString(validator: InputValidator, member: string, value: unknown, constraint: Required<StringConstraint>): void {
  if (value === undefined || value === null) return;
  const prefix = `Value '${REDACTED}' at '${member}' failed to satisfy constraint:`;
  if (typeof value !== 'string') {
    validator.fail(`${prefix} Member must be a string`);
    return;
  }
  if (value.length < constraint.min) validator.fail(`${prefix} Member must have length greater than or equal to ${constraint.min}`);
  if (value.length > constraint.max) validator.fail(`${prefix} Member must have length less than or equal to ${constraint.max}`);
  if (value.length > 0 && !constraint.pattern.test(value)) {
    validator.fail(`${prefix} Member must satisfy regular expression pattern: ${constraint.pattern.source}`);
  }
}

/** The stream an edge or stream operation addresses: `StreamName` or `StreamARN`. */
export interface StreamIdentifier {
  readonly streamName?: string;
  readonly streamArn?: string;
}

/**
 * Checks `StreamName` / `StreamARN`. The model makes both optional and documents "specify either";
 * giving both or neither is refused here (the service's exact behaviour is unconfirmed).
 */
export function validateStreamIdentifier(validator: InputValidator, body: Record<string, unknown>): StreamIdentifier {
  const { StreamName: streamName, StreamARN: streamArn } = body;
  validator.string('StreamName', streamName, STREAM_NAME);
  validator.string('StreamARN', streamArn, STREAM_ARN);
  const given = [streamName, streamArn].filter((value) => value !== undefined && value !== null).length;
  if (given === 0) validator.fail('Specify either StreamName or StreamARN');
  if (given === 2) validator.fail('Specify either StreamName or StreamARN, not both');
  return {
    streamName: typeof streamName === 'string' ? streamName : undefined,
    streamArn: typeof streamArn === 'string' ? streamArn : undefined,
  };
}

export function validateHubDeviceArn(validator: InputValidator, member: string, value: unknown): void {
  if (validator.required(member, value)) validator.string(member, value, HUB_DEVICE_ARN);
}

/** `ResourceTags`: 1..50 entries, key 1..128, value 0..256. */
export function validateStreamTags(validator: InputValidator, tags: unknown): void {
  const map = validator.object('Tags', tags);
  if (!map) return;
  const entries = Object.entries(map);
  if (entries.length < 1 || entries.length > 50) {
    validator.fail(`Value at 'Tags' failed to satisfy constraint: Member must have between 1 and 50 entries (got ${entries.length})`);
  }
  for (const [key, value] of entries) {
    validator.string('Tags.key', key, TAG_KEY);
    validator.string(`Tags.${key}`, value, TAG_VALUE);
  }
}

function validateScheduleConfig(validator: InputValidator, member: string, value: unknown): ScheduleConfig | undefined {
  const schedule = validator.object(member, value);
  if (!schedule) return undefined;
  if (validator.required(`${member}.ScheduleExpression`, schedule.ScheduleExpression)) {
    validator.string(`${member}.ScheduleExpression`, schedule.ScheduleExpression, SCHEDULE_EXPRESSION);
  }
  if (validator.required(`${member}.DurationInSeconds`, schedule.DurationInSeconds)) {
    validateInteger(validator, `${member}.DurationInSeconds`, schedule.DurationInSeconds, DURATION_IN_SECONDS);
  }
  return { ScheduleExpression: schedule.ScheduleExpression as string, DurationInSeconds: schedule.DurationInSeconds as number };
}

/**
 * Records every constraint violation of an `EdgeConfig` in `validator` and returns the configuration
 * with only its modeled members (unknown members are dropped, as the service's deserializer would).
 * The result is only meaningful once `validator.throwIfInvalid()` has passed; it is undefined when
 * the configuration is too incomplete to build.
 */
export function validateEdgeConfig(validator: InputValidator, value: unknown): EdgeConfig | undefined {
  if (!validator.required('EdgeConfig', value)) return undefined;
  const config = validator.object('EdgeConfig', value);
  if (!config) return undefined;
  validateHubDeviceArn(validator, 'EdgeConfig.HubDeviceArn', config.HubDeviceArn);

  let recorder: Record<string, unknown> | undefined;
  let source: Record<string, unknown> | undefined;
  if (validator.required('EdgeConfig.RecorderConfig', config.RecorderConfig)) {
    recorder = validator.object('EdgeConfig.RecorderConfig', config.RecorderConfig);
  }
  if (recorder && validator.required('EdgeConfig.RecorderConfig.MediaSourceConfig', recorder.MediaSourceConfig)) {
    source = validator.object('EdgeConfig.RecorderConfig.MediaSourceConfig', recorder.MediaSourceConfig);
  }
  if (source) {
    const secretMember = 'EdgeConfig.RecorderConfig.MediaSourceConfig.MediaUriSecretArn';
    if (validator.required(secretMember, source.MediaUriSecretArn)) {
      validateSensitiveString(validator, secretMember, source.MediaUriSecretArn, MEDIA_URI_SECRET_ARN);
    }
    const typeMember = 'EdgeConfig.RecorderConfig.MediaSourceConfig.MediaUriType';
    if (validator.required(typeMember, source.MediaUriType)) validateEnum(validator, typeMember, source.MediaUriType, MEDIA_URI_TYPES);
  }
  const recorderSchedule = validateScheduleConfig(validator, 'EdgeConfig.RecorderConfig.ScheduleConfig', recorder?.ScheduleConfig);

  const uploader = validator.object('EdgeConfig.UploaderConfig', config.UploaderConfig);
  let uploaderSchedule: ScheduleConfig | undefined;
  if (uploader && validator.required('EdgeConfig.UploaderConfig.ScheduleConfig', uploader.ScheduleConfig)) {
    uploaderSchedule = validateScheduleConfig(validator, 'EdgeConfig.UploaderConfig.ScheduleConfig', uploader.ScheduleConfig);
  }

  const deletion = validator.object('EdgeConfig.DeletionConfig', config.DeletionConfig);
  const localSize = validator.object('EdgeConfig.DeletionConfig.LocalSizeConfig', deletion?.LocalSizeConfig);
  if (deletion) {
    validateInteger(validator, 'EdgeConfig.DeletionConfig.EdgeRetentionInHours', deletion.EdgeRetentionInHours, EDGE_RETENTION_IN_HOURS);
    validateBoolean(validator, 'EdgeConfig.DeletionConfig.DeleteAfterUpload', deletion.DeleteAfterUpload);
  }
  if (localSize) {
    validateInteger(validator, 'EdgeConfig.DeletionConfig.LocalSizeConfig.MaxLocalMediaSizeInMB', localSize.MaxLocalMediaSizeInMB, MAX_LOCAL_MEDIA_SIZE_IN_MB);
    validateEnum(validator, 'EdgeConfig.DeletionConfig.LocalSizeConfig.StrategyOnFullSize', localSize.StrategyOnFullSize, STRATEGIES_ON_FULL_SIZE);
  }
  if (!source) return undefined;

  return {
    HubDeviceArn: config.HubDeviceArn as string,
    RecorderConfig: {
      MediaSourceConfig: { MediaUriSecretArn: source.MediaUriSecretArn as string, MediaUriType: source.MediaUriType as MediaUriType },
      ...(recorderSchedule ? { ScheduleConfig: recorderSchedule } : {}),
    },
    ...(uploaderSchedule ? { UploaderConfig: { ScheduleConfig: uploaderSchedule } } : {}),
    ...(deletion ? {
      DeletionConfig: withoutUndefined({
        EdgeRetentionInHours: deletion.EdgeRetentionInHours as number | undefined,
        LocalSizeConfig: localSize && withoutUndefined({
          MaxLocalMediaSizeInMB: localSize.MaxLocalMediaSizeInMB as number | undefined,
          StrategyOnFullSize: localSize.StrategyOnFullSize as StrategyOnFullSize | undefined,
        }),
        DeleteAfterUpload: deletion.DeleteAfterUpload as boolean | undefined,
      }),
    } : {}),
  };
}

/** Drops undefined and null members, so JSON output omits absent optional members. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined && member !== null)) as T;
}
