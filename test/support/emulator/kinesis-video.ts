import type { ScaledClock } from '../clock';
import { toEdgeAgentScript, type EdgeAgentScript, type EdgeAgentScriptInput } from './edge-agent-scripts';
import {
  IN_PROGRESS_STATUSES, SimulatedEdgeAgent, StreamEdgeConfiguration,
  type EdgeAgentSnapshot, type EdgeAgentStatusReport, type EdgeConfigurationSnapshot, type EdgeJobReport,
} from './edge-agents';
import { KinesisVideoQuotas, type RateLimitedCall } from './kinesis-video-quotas';
import {
  DATA_RETENTION_CHANGE_IN_HOURS, DATA_RETENTION_IN_HOURS, DEVICE_NAME, HUB_DEVICE_ARN, KINESIS_VIDEO_SERVICE,
  kinesisVideoError, kinesisVideoValidator, KMS_KEY_ID, LIST_EDGE_DEFAULT_MAX_RESULTS, LIST_EDGE_MAX_RESULTS, MEDIA_TYPE, NEXT_TOKEN, STREAM_ARN,
  STREAM_NAME, STREAM_VERSION, UPDATE_DATA_RETENTION_OPERATIONS, validateEdgeConfig, validateEnum, validateHubDeviceArn, validateInteger,
  validateStreamIdentifier, validateStreamTags, type EdgeConfig, type EdgeJobStatus, type StreamIdentifier,
} from './kinesis-video-shapes';
import { epochSeconds, tagKeysOf, type AwsOperation, type OperationRequest, type ResourceTarget } from './protocol';
import { ALPHANUMERIC, type SeededRandom } from './random';
import type { DeviceEventLog } from './records';
import { inScope, scopeOf, type Scope } from './scope';
import type { SecretsRegistry } from './secrets';

export interface KinesisVideoEmulatorOptions {
  readonly clock: ScaledClock;
  /** Source of stream versions. */
  readonly random: SeededRandom;
  readonly events: DeviceEventLog;
  /** Where the Edge Agents look up `MediaUriSecretArn`. */
  readonly secrets: SecretsRegistry;
  /** Home region of streams the test helpers create; default us-east-1. Requests see the streams of their own region. */
  readonly region?: string;
  /** Home account; default 123456789012. Requests see the streams of their principal's account. */
  readonly accountId?: string;
  /** Script of agents nobody scripted; default: acknowledge after 1 s, IN_SYNC 2 s later; deletions likewise. */
  readonly defaultAgentScript?: EdgeAgentScriptInput;
  /** Whether the per-stream and per-account call quotas apply; default true. */
  readonly rateLimits?: boolean;
}

/** Input of the `createStream` test helper; every member has a default. */
export interface CreateStreamInput {
  readonly name?: string;
  /** Default 24: the helper exists to set up edge configurations, which need retention > 0 (the API's default is 0). */
  readonly dataRetentionInHours?: number;
  readonly deviceName?: string;
  readonly mediaType?: string;
  readonly kmsKeyId?: string;
  readonly tags?: Record<string, string>;
  /** Default: the emulator's home region. */
  readonly region?: string;
  /** Default: the emulator's home account. */
  readonly accountId?: string;
}

export interface StreamSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly status: 'ACTIVE';
  readonly dataRetentionInHours: number;
  readonly version: string;
  /** Simulated epoch ms. */
  readonly creationTime: number;
  readonly deviceName?: string;
  readonly mediaType?: string;
  readonly kmsKeyId: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly hasEdgeConfiguration: boolean;
}

interface StreamRecord extends Scope {
  readonly name: string;
  readonly arn: string;
  readonly creationTime: number;
  dataRetentionInHours: number;
  version: string;
  readonly deviceName?: string;
  readonly mediaType?: string;
  readonly kmsKeyId: string;
  readonly tags: Record<string, string>;
  edge?: StreamEdgeConfiguration;
}

const DEFAULT_HELPER_RETENTION_HOURS = 24;
const VERSION_LENGTH = 20;
const NEXT_TOKEN_PREFIX = 'offset:';

/**
 * The emulated Kinesis Video Streams control plane for streams and their edge configurations, plus
 * the simulated Edge Agents behind it and the API tests use to script and inspect them.
 */
export class KinesisVideoEmulator {
  public readonly region: string;
  public readonly accountId: string;

  private readonly clock: ScaledClock;
  private readonly random: SeededRandom;
  private readonly events: DeviceEventLog;
  private readonly secrets: SecretsRegistry;
  private readonly initialDefaultScript: EdgeAgentScript;
  private defaultScript: EdgeAgentScript;
  private readonly quotas: KinesisVideoQuotas;
  /** By `streamKey` (names are unique per account and region). */
  private readonly streams = new Map<string, StreamRecord>();
  private readonly agents = new Map<string, SimulatedEdgeAgent>();
  private streamsCreated = 0;

  constructor(options: KinesisVideoEmulatorOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.events = options.events;
    this.secrets = options.secrets;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.initialDefaultScript = options.defaultAgentScript ? toEdgeAgentScript(options.defaultAgentScript) : {};
    this.defaultScript = this.initialDefaultScript;
    this.quotas = new KinesisVideoQuotas(options.rateLimits ?? true);
    this.events.addSettler(() => this.settleAll());
  }

  // ---- test-facing API -------------------------------------------------------------------------

  /** Creates an ACTIVE stream directly (no HTTP); returns its ARN. Input is validated like CreateStream. */
  public createStream(input: CreateStreamInput = {}): string {
    return this.addStream({
      StreamName: input.name ?? `emulated-stream-${this.streamsCreated + 1}`,
      DataRetentionInHours: input.dataRetentionInHours ?? DEFAULT_HELPER_RETENTION_HOURS,
      DeviceName: input.deviceName,
      MediaType: input.mediaType,
      KmsKeyId: input.kmsKeyId,
      Tags: input.tags,
    }, this.clock.now(), { region: input.region ?? this.region, accountId: input.accountId ?? this.accountId }).arn;
  }

  /** Deletes a stream (and its edge configuration) behind the deployment's back. */
  public deleteStreamOutOfBand(nameOrArn: string): void {
    this.removeStream(this.requireStream(nameOrArn), this.clock.now(), 'stream deleted out of band');
  }

  /**
   * Removes a stream's edge configuration behind the deployment's back (the hub was re-imaged and
   * the configuration deleted by someone else): DescribeEdgeConfiguration then answers as for a
   * stream that never had one. Throws if the stream has none.
   */
  public deleteEdgeConfigurationOutOfBand(nameOrArn: string): void {
    const stream = this.requireStream(nameOrArn);
    const now = this.clock.now();
    const edge = this.currentEdge(stream, now);
    if (!edge) throw new Error(`stream ${nameOrArn} has no edge configuration`);
    edge.discard(now, 'edge configuration deleted out of band', true);
    stream.edge = undefined;
  }

  /**
   * The hub's Edge Agent reports its recorder and/or uploader job as failed (USER_ERROR,
   * SYSTEM_ERROR) or SUCCESS again on its own, e.g. the camera went away: DescribeEdgeConfiguration shows it in EdgeAgentStatus,
   * with `details` as JobStatusDetails; the sync status stays. Throws if the stream has no edge configuration.
   */
  public setEdgeAgentJobStatusOutOfBand(
    nameOrArn: string, jobs: { readonly recorder?: EdgeJobStatus; readonly uploader?: EdgeJobStatus }, details?: string,
  ): void {
    const stream = this.requireStream(nameOrArn);
    const edge = this.currentEdge(stream, this.clock.now());
    if (!edge) throw new Error(`stream ${nameOrArn} has no edge configuration`);
    edge.reportJobStatus(this.clock.now(), jobs, details);
  }

  public stream(nameOrArn: string): StreamSnapshot | undefined {
    const stream = this.streamByNameOrArn(nameOrArn);
    return stream && {
      name: stream.name,
      arn: stream.arn,
      status: 'ACTIVE',
      dataRetentionInHours: stream.dataRetentionInHours,
      version: stream.version,
      creationTime: stream.creationTime,
      deviceName: stream.deviceName,
      mediaType: stream.mediaType,
      kmsKeyId: stream.kmsKeyId,
      tags: { ...stream.tags },
      hasEdgeConfiguration: this.currentEdge(stream, this.clock.now()) !== undefined,
    };
  }

  /** Names of the streams in the home account and region. */
  public streamNames(): string[] {
    return [...this.streams.values()].filter((stream) => inScope(stream, this.home)).map((stream) => stream.name);
  }

  /**
   * Current state of a stream's edge configuration; undefined when it has none (never started, or
   * deleted). Throws if the stream does not exist.
   */
  public edgeConfiguration(nameOrArn: string): EdgeConfigurationSnapshot | undefined {
    return this.currentEdge(this.requireStream(nameOrArn), this.clock.now())?.snapshot();
  }

  /** Current state of every existing edge configuration. */
  public edgeConfigurations(): EdgeConfigurationSnapshot[] {
    const now = this.clock.now();
    return [...this.streams.values()].flatMap((stream) => this.currentEdge(stream, now)?.snapshot() ?? []);
  }

  /**
   * Sets how the Edge Agent of this hub device treats its next updates (and deletions, if the
   * script has `deletions`); behaviour lists are consumed from the next call on.
   */
  public scriptAgent(hubDeviceArn: string, script: EdgeAgentScriptInput): void {
    if (!HUB_DEVICE_ARN.pattern.test(hubDeviceArn)) throw new Error(`not an IoT thing ARN: ${hubDeviceArn}`);
    this.agentOf(hubDeviceArn).setScript(toEdgeAgentScript(script));
  }

  /** Script of every agent without its own script (or for the channels its script leaves out). */
  public setDefaultAgentScript(script: EdgeAgentScriptInput): void {
    this.defaultScript = toEdgeAgentScript(script);
  }

  /** Counters of one hub device's agent; undefined if it was never scripted nor sent anything. */
  public agent(hubDeviceArn: string): EdgeAgentSnapshot | undefined {
    return this.agents.get(hubDeviceArn)?.snapshot();
  }

  /** Switches the per-stream and per-account call quotas on or off (on by default). */
  public setRateLimits(enabled: boolean): void {
    this.quotas.setEnabled(enabled);
  }

  /** Calls refused by the quotas so far, in order. */
  public get rateLimitedCalls(): readonly RateLimitedCall[] {
    return this.quotas.refused;
  }

  /** Forgets all streams, agents and quota counters and restores the initial default script and rate-limit switch. */
  public reset(): void {
    this.streams.clear();
    this.agents.clear();
    this.quotas.reset();
    this.streamsCreated = 0;
    this.defaultScript = this.initialDefaultScript;
  }

  /** Brings every edge configuration up to the current simulated time. */
  public settleAll(): void {
    const now = this.clock.now();
    for (const stream of this.streams.values()) this.currentEdge(stream, now);
  }

  // ---- operations ------------------------------------------------------------------------------

  /**
   * The operation table registered with the HTTP server: restJson1, every operation
   * `POST /<operationName>` → 200. IAM (Service Authorization Reference, list_kinesis-video-streams):
   * the stream operations act on `stream*`, `arn:aws:kinesisvideo:<region>:<account>:stream/<name>/<creationTime>`,
   * with `aws:ResourceTag/<key>` from the stream's tags; CreateStream and ListEdgeAgentConfigurations
   * are authorized against `*` here.
   */
  public operations(): AwsOperation[] {
    const streamResource = (r: OperationRequest) => this.streamResource(r);
    const operation = (name: string, handler: (request: OperationRequest) => unknown, resource?: AwsOperation['resource']): AwsOperation => ({
      service: KINESIS_VIDEO_SERVICE.signingName,
      name,
      method: 'POST',
      path: `/${name[0].toLowerCase()}${name.slice(1)}`,
      successStatus: 200,
      handler,
      ...(resource ? { resource } : {}),
    });
    return [
      operation('CreateStream', (r) => this.onCreateStream(r)),
      operation('DescribeStream', (r) => this.onDescribeStream(r), streamResource),
      operation('DeleteStream', (r) => this.onDeleteStream(r), streamResource),
      operation('UpdateDataRetention', (r) => this.onUpdateDataRetention(r), streamResource),
      operation('StartEdgeConfigurationUpdate', (r) => this.onStartEdgeConfigurationUpdate(r), streamResource),
      operation('DescribeEdgeConfiguration', (r) => this.onDescribeEdgeConfiguration(r), streamResource),
      operation('DeleteEdgeConfiguration', (r) => this.onDeleteEdgeConfiguration(r), streamResource),
      operation('ListEdgeAgentConfigurations', (r) => this.onListEdgeAgentConfigurations(r)),
      operation('TagStream', (r) => this.onTagStream(r), (r) => withKeys(this.streamResource(r), tagKeysOf(r.body.Tags as Record<string, unknown> | undefined))),
      operation('UntagStream', (r) => this.onUntagStream(r), (r) => withKeys(this.streamResource(r), tagKeysOf(undefined, listOfStrings(r.body.TagKeyList)))),
      operation('ListTagsForStream', (r) => this.onListTagsForStream(r), streamResource),
    ];
  }

  /**
   * The stream a request names: by ARN, that ARN (in whatever account and region it names); by
   * name, the ARN of that stream in the caller's account and region, or null when there is no
   * such stream (its ARN ends with a creation time nobody knows; the handler answers not found).
   */
  private streamResource(request: OperationRequest): ResourceTarget | null {
    const { StreamARN, StreamName } = request.body;
    const scope = scopeOf(request);
    if (typeof StreamARN === 'string') {
      const stream = this.lookupStream({ streamArn: StreamARN }, scope);
      return { arn: StreamARN, tags: stream?.tags };
    }
    if (typeof StreamName !== 'string') return null;
    const stream = this.lookupStream({ streamName: StreamName }, scope);
    return stream ? { arn: stream.arn, tags: stream.tags } : null;
  }

  private onCreateStream(request: OperationRequest): unknown {
    const { StreamName, DataRetentionInHours, DeviceName, MediaType, KmsKeyId, Tags } = request.body;
    const stream = this.addStream({ StreamName, DataRetentionInHours, DeviceName, MediaType, KmsKeyId, Tags }, request.now, scopeOf(request));
    return { StreamARN: stream.arn };
  }

  private onDescribeStream(request: OperationRequest): unknown {
    const { body } = request;
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, body);
    validator.throwIfInvalid();
    const stream = this.findStream(id, scopeOf(request));
    return {
      StreamInfo: {
        ...(stream.deviceName === undefined ? {} : { DeviceName: stream.deviceName }),
        StreamName: stream.name,
        StreamARN: stream.arn,
        ...(stream.mediaType === undefined ? {} : { MediaType: stream.mediaType }),
        KmsKeyId: stream.kmsKeyId,
        Version: stream.version,
        Status: 'ACTIVE',
        CreationTime: epochSeconds(stream.creationTime),
        DataRetentionInHours: stream.dataRetentionInHours,
      },
    };
  }

  private onDeleteStream(request: OperationRequest): unknown {
    const { body, now } = request;
    const validator = kinesisVideoValidator();
    if (validator.required('StreamARN', body.StreamARN)) validator.string('StreamARN', body.StreamARN, STREAM_ARN);
    validator.string('CurrentVersion', body.CurrentVersion, STREAM_VERSION);
    validator.throwIfInvalid();
    const stream = this.findStream({ streamArn: body.StreamARN as string }, scopeOf(request));
    this.checkVersion(stream, body.CurrentVersion);
    this.removeStream(stream, now, 'stream deleted');
    return {};
  }

  private onUpdateDataRetention(request: OperationRequest): unknown {
    const { body } = request;
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, body);
    if (validator.required('CurrentVersion', body.CurrentVersion)) validator.string('CurrentVersion', body.CurrentVersion, STREAM_VERSION);
    if (validator.required('Operation', body.Operation)) validateEnum(validator, 'Operation', body.Operation, UPDATE_DATA_RETENTION_OPERATIONS);
    if (validator.required('DataRetentionChangeInHours', body.DataRetentionChangeInHours)) {
      validateInteger(validator, 'DataRetentionChangeInHours', body.DataRetentionChangeInHours, DATA_RETENTION_CHANGE_IN_HOURS);
    }
    validator.throwIfInvalid();
    const stream = this.findStream(id, scopeOf(request));
    this.checkVersion(stream, body.CurrentVersion);
    const change = body.DataRetentionChangeInHours as number;
    const retention = stream.dataRetentionInHours + (body.Operation === 'INCREASE_DATA_RETENTION' ? change : -change);
    if (retention < DATA_RETENTION_IN_HOURS.min || retention > DATA_RETENTION_IN_HOURS.max) {
      throw kinesisVideoError('invalidArgument',
        `Data retention would become ${retention} hours; it must stay between ${DATA_RETENTION_IN_HOURS.min} and ${DATA_RETENTION_IN_HOURS.max}`);
    }
    stream.dataRetentionInHours = retention;
    stream.version = this.newVersion();
    return {};
  }

  private onStartEdgeConfigurationUpdate(request: OperationRequest): unknown {
    const { body, now } = request;
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, body);
    const edgeConfig = validateEdgeConfig(validator, body.EdgeConfig) as EdgeConfig;
    validator.throwIfInvalid();
    const stream = this.admitStreamCall('StartEdgeConfigurationUpdate', id, now, scopeOf(request));
    if (stream.dataRetentionInHours === 0) throw kinesisVideoError('noDataRetention', 'The Stream data retention in hours is equal to zero.');
    let edge = this.currentEdge(stream, now);
    if (edge) {
      const status = edge.statusAt(now);
      if (IN_PROGRESS_STATUSES.has(status)) {
        throw kinesisVideoError('resourceInUse',
          `The edge configuration of stream ${stream.name} is ${status}; wait until it is IN_SYNC, SYNC_FAILED or DELETE_FAILED`);
      }
      if (edge.hubDeviceArn !== edgeConfig.HubDeviceArn) {
        throw kinesisVideoError('invalidArgument', `The edge configuration of stream ${stream.name} belongs to hub device ${edge.hubDeviceArn}; `
          + `to move it to ${edgeConfig.HubDeviceArn}, delete it with DeleteEdgeConfiguration first`);
      }
    }
    const { behaviour, rejection } = this.agentOf(edgeConfig.HubDeviceArn).receiveUpdate(this.defaultScript, {
      streamName: stream.name,
      streamArn: stream.arn,
      edgeConfig,
      // Read now: the agent fetches the secret when it receives the configuration.
      mediaUriSecret: this.secrets.secretString(edgeConfig.RecorderConfig.MediaSourceConfig.MediaUriSecretArn),
    });
    if (!edge) {
      edge = new StreamEdgeConfiguration({ name: stream.name, arn: stream.arn }, edgeConfig, now, (event) => this.events.record(event));
      stream.edge = edge;
    }
    edge.startUpdate(edgeConfig, now, behaviour, rejection);
    // The response reports the status the call set, before any agent report (even one due at once).
    return { ...describeEdge(edge.snapshot(), false), SyncStatus: 'SYNCING', FailedStatusDetails: undefined };
  }

  private onDescribeEdgeConfiguration(request: OperationRequest): unknown {
    const { body, now } = request;
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, body);
    validator.throwIfInvalid();
    const stream = this.admitStreamCall('DescribeEdgeConfiguration', id, now, scopeOf(request));
    return describeEdge(this.requireEdge(stream, now).snapshot(), true);
  }

  private onDeleteEdgeConfiguration(request: OperationRequest): unknown {
    const { body, now } = request;
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, body);
    validator.throwIfInvalid();
    const stream = this.admitStreamCall('DeleteEdgeConfiguration', id, now, scopeOf(request));
    const edge = this.requireEdge(stream, now);
    // Accepted whatever the status: the operation's modeled errors have no ResourceInUseException,
    // and "When you invoke this API, the sync status is set to DELETING" (API reference). A sync or
    // an earlier deletion in progress is superseded by this one.
    const behaviour = this.agentOf(edge.hubDeviceArn).receiveDeletion(this.defaultScript, { streamName: stream.name, streamArn: stream.arn });
    edge.startDeletion(now, behaviour);
    return {};
  }

  private onTagStream(request: OperationRequest): unknown {
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, request.body);
    if (validator.required('Tags', request.body.Tags)) validateStreamTags(validator, request.body.Tags);
    validator.throwIfInvalid();
    const stream = this.findStream(id, scopeOf(request));
    const merged = { ...stream.tags, ...(request.body.Tags as Record<string, string>) };
    if (Object.keys(merged).length > MAX_STREAM_TAGS) {
      throw kinesisVideoError('tagsPerResourceExceededLimit', `The stream ${stream.name} would have ${Object.keys(merged).length} tags; at most ${MAX_STREAM_TAGS} are allowed`);
    }
    Object.assign(stream.tags, request.body.Tags);
    return {};
  }

  private onUntagStream(request: OperationRequest): unknown {
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, request.body);
    const keys = request.body.TagKeyList;
    if (validator.required('TagKeyList', keys) && (!Array.isArray(keys) || keys.length < 1 || keys.length > MAX_STREAM_TAGS)) {
      validator.fail(`Value at 'TagKeyList' failed to satisfy constraint: Member must be a list of 1 to ${MAX_STREAM_TAGS} tag keys`);
    }
    validator.throwIfInvalid();
    const stream = this.findStream(id, scopeOf(request));
    for (const key of keys as string[]) delete stream.tags[key];
    return {};
  }

  private onListTagsForStream(request: OperationRequest): unknown {
    const validator = kinesisVideoValidator();
    const id = validateStreamIdentifier(validator, request.body);
    validator.throwIfInvalid();
    return { Tags: { ...this.findStream(id, scopeOf(request)).tags } };
  }

  private onListEdgeAgentConfigurations(request: OperationRequest): unknown {
    const { body, now } = request;
    const validator = kinesisVideoValidator();
    validateHubDeviceArn(validator, 'HubDeviceArn', body.HubDeviceArn);
    validateInteger(validator, 'MaxResults', body.MaxResults, LIST_EDGE_MAX_RESULTS);
    validator.string('NextToken', body.NextToken, NEXT_TOKEN);
    validator.throwIfInvalid();
    const start = decodeNextToken(body.NextToken as string | undefined);
    this.quotas.admit('ListEdgeAgentConfigurations', now, scopeKey(scopeOf(request)), undefined);
    const maxResults = (body.MaxResults as number | undefined) ?? LIST_EDGE_DEFAULT_MAX_RESULTS;
    const all = [...this.streams.values()]
      .filter((stream) => inScope(stream, scopeOf(request)))
      .flatMap((stream) => this.currentEdge(stream, now) ?? [])
      .filter((edge) => edge.hubDeviceArn === body.HubDeviceArn);
    const next = start + maxResults < all.length ? encodeNextToken(start + maxResults) : undefined;
    return {
      EdgeConfigs: all.slice(start, start + maxResults).map((edge) => describeEdge(edge.snapshot(), false)),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  }

  // ---- quotas ----------------------------------------------------------------------------------

  /** Applies the operation's quotas to a call on a stream, then finds the stream (ResourceNotFoundException if missing). */
  private admitStreamCall(operation: string, id: StreamIdentifier, now: number, scope: Scope): StreamRecord {
    const stream = this.lookupStream(id, scope);
    const given = id.streamArn ?? id.streamName;
    // Keyed by ARN when the stream exists, so calls by name and by ARN share the stream's quota.
    const quotaStream = stream ? { key: stream.arn, label: stream.name } : given === undefined ? undefined : { key: given, label: given };
    this.quotas.admit(operation, now, scopeKey(scope), quotaStream);
    return stream ?? this.findStream(id, scope);
  }

  // ---- state -----------------------------------------------------------------------------------

  private addStream(input: Record<string, unknown>, now: number, scope: Scope): StreamRecord {
    const { StreamName, DeviceName, MediaType, KmsKeyId, Tags } = input;
    const dataRetentionInHours = input.DataRetentionInHours ?? 0;
    const validator = kinesisVideoValidator();
    if (validator.required('StreamName', StreamName)) validator.string('StreamName', StreamName, STREAM_NAME);
    validateInteger(validator, 'DataRetentionInHours', dataRetentionInHours, DATA_RETENTION_IN_HOURS);
    validator.string('DeviceName', DeviceName, DEVICE_NAME);
    validator.string('MediaType', MediaType, MEDIA_TYPE);
    validator.string('KmsKeyId', KmsKeyId, KMS_KEY_ID);
    validateStreamTags(validator, Tags);
    validator.throwIfInvalid();
    const name = StreamName as string;
    if (this.streams.has(streamKey(scope, name))) throw kinesisVideoError('resourceInUse', `The stream ${name} already exists`);

    const creationTime = Math.floor(now);
    const stream: StreamRecord = {
      ...scope,
      name,
      arn: `arn:aws:kinesisvideo:${scope.region}:${scope.accountId}:stream/${name}/${creationTime}`,
      creationTime,
      dataRetentionInHours: dataRetentionInHours as number,
      version: this.newVersion(),
      deviceName: DeviceName as string | undefined,
      mediaType: MediaType as string | undefined,
      // Without KmsKeyId the service uses the Kinesis Video-managed key.
      kmsKeyId: (KmsKeyId as string | undefined) ?? `arn:aws:kms:${scope.region}:${scope.accountId}:alias/aws/kinesisvideo`,
      tags: { ...(Tags as Record<string, string> | undefined) },
    };
    this.streams.set(streamKey(scope, name), stream);
    this.streamsCreated += 1;
    return stream;
  }

  private removeStream(stream: StreamRecord, now: number, reason: string): void {
    // Settle first so agent reports that happened before the deletion still reach the event log.
    this.currentEdge(stream, now)?.discard(now, reason);
    this.streams.delete(streamKey(stream, stream.name));
  }

  /** The stream's edge configuration at `now`, settled; forgets it once its deletion has finished. */
  private currentEdge(stream: StreamRecord, now: number): StreamEdgeConfiguration | undefined {
    if (stream.edge && !stream.edge.existsAt(now)) stream.edge = undefined;
    return stream.edge;
  }

  private requireEdge(stream: StreamRecord, now: number): StreamEdgeConfiguration {
    const edge = this.currentEdge(stream, now);
    if (!edge) throw kinesisVideoError('streamEdgeConfigurationNotFound', `The stream ${stream.name} has no edge configuration`);
    return edge;
  }

  /** The stream in `scope` a request names; a stream of another account or region is not found. */
  private lookupStream(id: StreamIdentifier, scope: Scope): StreamRecord | undefined {
    if (id.streamArn !== undefined) return [...this.streams.values()].find((stream) => stream.arn === id.streamArn && inScope(stream, scope));
    return id.streamName === undefined ? undefined : this.streams.get(streamKey(scope, id.streamName));
  }

  private findStream(id: StreamIdentifier, scope: Scope): StreamRecord {
    const stream = this.lookupStream(id, scope);
    if (!stream) throw kinesisVideoError('resourceNotFound', `The requested stream ${id.streamArn ?? id.streamName} is not found or not active`);
    return stream;
  }

  /** Test-facing lookup: an ARN in any account and region, a name in the home account and region. */
  private streamByNameOrArn(nameOrArn: string): StreamRecord | undefined {
    if (nameOrArn.startsWith('arn:')) return [...this.streams.values()].find((stream) => stream.arn === nameOrArn);
    return this.streams.get(streamKey(this.home, nameOrArn));
  }

  private get home(): Scope {
    return { region: this.region, accountId: this.accountId };
  }

  private requireStream(nameOrArn: string): StreamRecord {
    const stream = this.streamByNameOrArn(nameOrArn);
    if (!stream) throw new Error(`the Kinesis Video emulator has no stream ${nameOrArn}`);
    return stream;
  }

  private checkVersion(stream: StreamRecord, currentVersion: unknown): void {
    if (currentVersion === undefined || currentVersion === null || currentVersion === stream.version) return;
    throw kinesisVideoError('versionMismatch', `The stream version ${String(currentVersion)} is not the latest version ${stream.version}`);
  }

  private agentOf(hubDeviceArn: string): SimulatedEdgeAgent {
    let agent = this.agents.get(hubDeviceArn);
    if (!agent) {
      agent = new SimulatedEdgeAgent(hubDeviceArn);
      this.agents.set(hubDeviceArn, agent);
    }
    return agent;
  }

  private newVersion(): string {
    return this.random.nextString(VERSION_LENGTH, ALPHANUMERIC);
  }
}

/** The edge configuration description of Start (without agent status), Describe (with) and List (without). */
function describeEdge(edge: EdgeConfigurationSnapshot, withAgentStatus: boolean): Record<string, unknown> {
  return {
    StreamName: edge.streamName,
    StreamARN: edge.streamArn,
    CreationTime: epochSeconds(edge.creationTime),
    LastUpdatedTime: epochSeconds(edge.lastUpdatedTime),
    SyncStatus: edge.syncStatus,
    ...(edge.failedStatusDetails === undefined ? {} : { FailedStatusDetails: edge.failedStatusDetails }),
    EdgeConfig: edge.edgeConfig,
    ...(withAgentStatus && edge.edgeAgentStatus ? { EdgeAgentStatus: edgeAgentStatus(edge.edgeAgentStatus) } : {}),
  };
}

function edgeAgentStatus(report: EdgeAgentStatusReport): Record<string, unknown> {
  const job = (reported: EdgeJobReport, statusMember: string) => ({
    JobStatusDetails: reported.details,
    LastCollectedTime: epochSeconds(reported.lastCollectedTime),
    LastUpdatedTime: epochSeconds(reported.lastUpdatedTime),
    [statusMember]: reported.status,
  });
  return { LastRecorderStatus: job(report.recorder, 'RecorderStatus'), LastUploaderStatus: job(report.uploader, 'UploaderStatus') };
}

/** Opaque to clients; base64 only, as the `NextToken` pattern requires. */
function encodeNextToken(offset: number): string {
  return Buffer.from(`${NEXT_TOKEN_PREFIX}${offset}`).toString('base64');
}

function decodeNextToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const decoded = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!decoded) throw kinesisVideoError('invalidArgument', `NextToken ${token} was not returned by ListEdgeAgentConfigurations`);
  return Number(decoded[1]);
}

function streamKey(scope: Scope, name: string): string {
  return `${scopeKey(scope)}/${name}`;
}

function scopeKey(scope: Scope): string {
  return `${scope.accountId}/${scope.region}`;
}

/** Tags a stream may have. */
const MAX_STREAM_TAGS = 50;

function withKeys(target: ResourceTarget | null, keys: Record<string, string | readonly string[]>): ResourceTarget | null {
  return target && { ...target, keys };
}

function listOfStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
