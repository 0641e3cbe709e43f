import { checkSyncTimeoutSeconds } from '../../src/shared/rules';
import { EdgeConfigDocument, ScheduleConfigDocument, StreamEdgeResourceProperties } from '../../src/stream-edge/resource-properties';
import {
  checkEdgeRetentionHours,
  checkHubDeviceArn,
  checkMaxLocalMediaSizeMb,
  checkMediaUriSecretArn,
  checkScheduleDurationSeconds,
  checkScheduleExpression,
  checkStreamArn,
  checkStreamName,
} from '../../src/stream-edge/rules';
import { TerminalError } from '../shared/errors';
import { booleanProperty, checkProperty, integerProperty, requiredString } from '../shared/properties';

/** A stream as the Kinesis Video API takes it: by name or by ARN. */
export interface StreamRef {
  readonly StreamName?: string;
  readonly StreamARN?: string;
}

export interface StreamEdgeSettings {
  readonly stream: StreamRef;
  readonly edgeConfig: EdgeConfigDocument;
  readonly waitForSync: boolean;
  readonly syncTimeoutMs: number;
  readonly retainOnDelete: boolean;
}

const DEFAULT_SYNC_TIMEOUT_SECONDS = 25 * 60;
const MEDIA_URI_TYPES = ['RTSP_URI', 'FILE_URI'];
const FULL_SIZE_STRATEGIES = ['DELETE_OLDEST_MEDIA', 'DENY_NEW_MEDIA'];

type RawProperties = Record<string, string> & Partial<StreamEdgeResourceProperties>;

/**
 * Parses the properties and checks again, now that tokens are resolved, every rule the
 * construct checked for literal values. `forDelete` reads only what a delete needs.
 */
export function parseSettings(raw: RawProperties, forDelete: boolean = false): StreamEdgeSettings {
  const stream = streamOf(raw);
  const syncTimeoutSeconds = integerProperty(raw, 'SyncTimeoutSeconds', DEFAULT_SYNC_TIMEOUT_SECONDS);
  checkProperty(checkSyncTimeoutSeconds(syncTimeoutSeconds));
  let edgeConfig: EdgeConfigDocument;
  try {
    edgeConfig = JSON.parse(requiredString(raw, 'EdgeConfig'));
  } catch (e) {
    if (e instanceof TerminalError) throw e;
    throw new TerminalError(`Property EdgeConfig must be a JSON document: ${(e as Error).message}`);
  }
  if (!forDelete) checkEdgeConfig(edgeConfig);
  return {
    stream,
    edgeConfig,
    waitForSync: booleanProperty(raw, 'WaitForSync', true),
    syncTimeoutMs: syncTimeoutSeconds * 1000,
    retainOnDelete: raw.OnDelete === 'retain',
  };
}

/** The stream a physical id names: an ARN, or a name when the create failed before it was known. */
export function streamOfPhysicalId(physicalId: string | undefined): StreamRef | undefined {
  if (physicalId && !checkStreamArn(physicalId)) return { StreamARN: physicalId };
  if (physicalId && !checkStreamName(physicalId)) return { StreamName: physicalId };
  return undefined;
}

/**
 * Whether a physical id (a stream ARN, or a name) names `stream`: the same ARN, or an ARN of the
 * function's account and region whose stream name is the one given (`.../stream/<name>/<time>`).
 */
export function namesSameStream(physicalId: string | undefined, stream: StreamRef): boolean {
  if (!physicalId) return false;
  if (stream.StreamARN !== undefined) {
    return physicalId === stream.StreamARN || (physicalId === streamNameOfArn(stream.StreamARN) && sameScope(stream.StreamARN));
  }
  if (physicalId === stream.StreamName) return true;
  return !checkStreamArn(physicalId) && streamNameOfArn(physicalId) === stream.StreamName && sameScope(physicalId);
}

/** `front-door` of `arn:aws:kinesisvideo:us-east-1:123456789012:stream/front-door/1700000000000`. */
function streamNameOfArn(arn: string): string | undefined {
  return /:stream\/([^/]+)\/[0-9]+$/.exec(arn)?.[1];
}

/** A stream by name is one of the function's own region (the account is the caller's). */
function sameScope(arn: string): boolean {
  const region = arn.split(':')[3];
  return region === (process.env.AWS_REGION ?? region);
}

/** A stream's physical id before its ARN is known: the name or ARN as given. */
export function streamIdentifier(stream: StreamRef): string {
  return stream.StreamARN ?? stream.StreamName!;
}

function streamOf(raw: RawProperties): StreamRef {
  const name = raw.StreamName || undefined;
  const arn = raw.StreamARN || undefined;
  if ((name === undefined) === (arn === undefined)) {
    throw new TerminalError(`Invalid property: give exactly one of StreamName and StreamARN, got ${name === undefined ? 'neither' : 'both'}`);
  }
  if (name !== undefined) checkProperty(checkStreamName(name));
  if (arn !== undefined) checkProperty(checkStreamArn(arn));
  return name !== undefined ? { StreamName: name } : { StreamARN: arn };
}

function checkEdgeConfig(config: EdgeConfigDocument): void {
  checkProperty(checkHubDeviceArn(String(config.HubDeviceArn)));
  const media = config.RecorderConfig?.MediaSourceConfig;
  checkProperty(checkMediaUriSecretArn(String(media?.MediaUriSecretArn)));
  if (!MEDIA_URI_TYPES.includes(media?.MediaUriType)) {
    checkProperty(`mediaUriType must be one of ${MEDIA_URI_TYPES.join(', ')}, got ${JSON.stringify(media?.MediaUriType)}`);
  }
  if (config.RecorderConfig.ScheduleConfig) checkSchedule(config.RecorderConfig.ScheduleConfig, 'recorder.schedule');
  if (config.UploaderConfig) checkSchedule(config.UploaderConfig.ScheduleConfig, 'uploader.schedule');
  const deletion = config.DeletionConfig;
  if (deletion?.EdgeRetentionInHours !== undefined) checkProperty(checkEdgeRetentionHours(deletion.EdgeRetentionInHours));
  const maxLocalMediaSizeMb = deletion?.LocalSizeConfig?.MaxLocalMediaSizeInMB;
  if (maxLocalMediaSizeMb !== undefined) checkProperty(checkMaxLocalMediaSizeMb(maxLocalMediaSizeMb));
  const strategy = deletion?.LocalSizeConfig?.StrategyOnFullSize;
  if (strategy !== undefined && !FULL_SIZE_STRATEGIES.includes(strategy)) {
    checkProperty(`strategyOnFullSize must be one of ${FULL_SIZE_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`);
  }
}

function checkSchedule(schedule: ScheduleConfigDocument, property: string): void {
  checkProperty(checkScheduleExpression(String(schedule?.ScheduleExpression), `${property} expression`));
  checkProperty(checkScheduleDurationSeconds(Number(schedule?.DurationInSeconds), `${property} duration`));
}
