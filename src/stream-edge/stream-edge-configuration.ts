import { Annotations, CustomResource, Duration, RemovalPolicy, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as kinesisvideo from 'aws-cdk-lib/aws-kinesisvideo';
import { Construct } from 'constructs';
import { EdgeDeletionOptions, EdgeRecorderOptions, EdgeSchedule, EdgeUploaderOptions, MediaUriType } from './edge-options';
import { EdgeConfigDocument, ScheduleConfigDocument, STREAM_EDGE_RESOURCE_TYPE, StreamEdgeResourceProperties } from './resource-properties';
import {
  checkEdgeRetentionHours,
  checkHubDeviceArn,
  checkMaxLocalMediaSizeMb,
  checkMediaUriSecretArn,
  checkScheduleDurationSeconds,
  checkScheduleExpression,
  checkStreamArn,
  checkStreamName,
} from './rules';
import { EdgeSyncProvider, HandlerRole, SERVICE_TIMEOUT } from '../provider/edge-sync-provider';
import { STREAM_IS_COMPLETE_ACTIONS, STREAM_ON_EVENT_ACTIONS } from '../provider/owned-targets';
import { checkSyncTimeoutSeconds } from '../shared/rules';
import { checkedSeconds, validationError } from '../shared/validation';

/** What the handlers call on a stream (provider/owned-targets.ts). */
const ON_EVENT_ACTIONS = STREAM_ON_EVENT_ACTIONS;
const IS_COMPLETE_ACTIONS = STREAM_IS_COMPLETE_ACTIONS;

/** What the drift monitor reads on a stream (EdgeSyncMonitor), and writes when it remediates. */
const MONITOR_ACTIONS = ['kinesisvideo:DescribeEdgeConfiguration', 'kinesisvideo:ListTagsForStream'];
const REMEDIATION_ACTIONS = ['kinesisvideo:StartEdgeConfigurationUpdate'];

/** Kinesis Video retries an unreachable hub device this long before it reports SYNC_FAILED. */
const SERVICE_RETRY_SECONDS = 15 * 60;

/** Properties of a {@link StreamEdgeConfiguration}. */
export interface StreamEdgeConfigurationProps {
  /**
   * The stream, by name. Give exactly one of `streamName`, `streamArn` and `stream`.
   *
   * @default - from `streamArn` or `stream`
   */
  readonly streamName?: string;

  /**
   * The stream, by ARN. Give exactly one of `streamName`, `streamArn` and `stream`.
   *
   * @default - from `streamName` or `stream`
   */
  readonly streamArn?: string;

  /**
   * The stream, defined in this app. Give exactly one of `streamName`, `streamArn` and `stream`.
   * Its `dataRetentionInHours` must be above 0: Kinesis Video refuses edge configurations for
   * streams without retention.
   *
   * @default - from `streamName` or `streamArn`
   */
  readonly stream?: kinesisvideo.CfnStream;

  /**
   * The IoT thing ARN of the hub device that runs the Edge Agent. Give exactly one of
   * `hubDeviceArn` and `hubDevice`. Changing it moves the configuration: it is deleted from the
   * old device, then created on the new one.
   *
   * @default - from `hubDevice`
   */
  readonly hubDeviceArn?: string;

  /**
   * The IoT thing of the hub device, defined in this app.
   *
   * @default - from `hubDeviceArn`
   */
  readonly hubDevice?: iot.CfnThing;

  /** Where and when the Edge Agent records. */
  readonly recorder: EdgeRecorderOptions;

  /**
   * When the Edge Agent uploads to the stream.
   *
   * @default - every hour, the service's default
   */
  readonly uploader?: EdgeUploaderOptions;

  /**
   * How the Edge Agent deletes media from the device.
   *
   * @default - the service's defaults
   */
  readonly deletion?: EdgeDeletionOptions;

  /**
   * Wait until the Edge Agent reports IN_SYNC before CloudFormation continues.
   *
   * @default true
   */
  readonly waitForSync?: boolean;

  /**
   * How long to wait, from the start of the operation, before the deploy fails with the last
   * status seen. The service itself retries for 15 minutes before it reports SYNC_FAILED.
   * At most 55 minutes.
   *
   * @default Duration.minutes(25)
   */
  readonly syncTimeout?: Duration;

  /**
   * Words a failure reason starts with, to tell which of many resources failed (a fleet names
   * the site and its wave).
   *
   * @default - none
   */
  readonly rolloutLabel?: string;

  /**
   * What happens to the edge configuration when the resource is deleted: `DESTROY` deletes it
   * (DeleteEdgeConfiguration) and waits until it is gone; `RETAIN` leaves it.
   * `RETAIN_ON_UPDATE_OR_DELETE` leaves it too, except after a create that failed: CloudFormation
   * then deletes the resource (`DeletionPolicy: RetainExceptOnCreate`) and the edge configuration
   * is deleted as with `DESTROY`.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The edge configuration of a Kinesis video stream: what the Edge Agent on a hub device records
 * and uploads. The deploy waits until the Edge Agent reports it IN_SYNC, and fails with the
 * service's FailedStatusDetails when it reports SYNC_FAILED.
 */
export class StreamEdgeConfiguration extends Construct {
  /** The stream's name or ARN, as given. */
  public readonly stream: string;

  /** The hub device's IoT thing ARN. */
  public readonly hubDeviceArn: string;

  /**
   * The SyncStatus at the end of the deploy (`IN_SYNC`, or with `waitForSync: false` the status
   * the API answered).
   *
   * @attribute
   */
  public readonly attrSyncStatus: string;

  /**
   * When the edge configuration was last updated (ISO 8601).
   *
   * @attribute
   */
  public readonly attrLastUpdatedTime: string;

  /**
   * The Edge Agent's last recorder status (`SUCCESS`, `USER_ERROR`, `SYSTEM_ERROR`), or
   * `NOT_REPORTED`.
   *
   * @attribute
   */
  public readonly attrRecorderStatus: string;

  /**
   * The Edge Agent's last uploader status (`SUCCESS`, `USER_ERROR`, `SYSTEM_ERROR`), or
   * `NOT_REPORTED`.
   *
   * @attribute
   */
  public readonly attrUploaderStatus: string;

  private readonly mediaUriSecret: EdgeRecorderOptions['mediaUriSecret'];

  constructor(scope: Construct, id: string, props: StreamEdgeConfigurationProps) {
    super(scope, id);

    const stream = this.resolveStream(props);
    this.stream = stream.name ?? stream.arn!;
    this.hubDeviceArn = this.resolveHubDevice(props);
    this.mediaUriSecret = props.recorder.mediaUriSecret;
    const syncTimeoutSeconds = checkedSeconds(this, props.syncTimeout ?? Duration.minutes(25), checkSyncTimeoutSeconds);
    if (!Token.isUnresolved(syncTimeoutSeconds) && syncTimeoutSeconds < SERVICE_RETRY_SECONDS + 60 && props.waitForSync !== false) {
      Annotations.of(this).addWarningV2('cdk-edge-sync:syncTimeoutBelowServiceRetries',
        `syncTimeout (${syncTimeoutSeconds} seconds) is shorter than the 15 minutes Kinesis Video retries an unreachable hub device: ` +
        'an offline device then fails with a timeout instead of the service\'s reason, and a rollback cannot delete a configuration that is still syncing.');
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    if (removalPolicy === RemovalPolicy.SNAPSHOT) {
      throw validationError(this, 'removalPolicy must be DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE, got snapshot: an edge configuration has no snapshot');
    }

    const edgeConfig: EdgeConfigDocument = {
      HubDeviceArn: this.hubDeviceArn,
      RecorderConfig: {
        MediaSourceConfig: {
          MediaUriSecretArn: this.checked(props.recorder.mediaUriSecret.secretArn, checkMediaUriSecretArn),
          MediaUriType: props.recorder.mediaUriType ?? MediaUriType.RTSP,
        },
        ScheduleConfig: props.recorder.schedule && this.scheduleConfig(props.recorder.schedule, 'recorder.schedule'),
      },
      UploaderConfig: props.uploader && { ScheduleConfig: this.scheduleConfig(props.uploader.schedule, 'uploader.schedule') },
      DeletionConfig: props.deletion && this.deletionConfig(props.deletion),
    };

    const provider = EdgeSyncProvider.getOrCreate(this);
    provider.claim(this, `kinesisvideo:${this.stream}`, `the edge configuration of stream ${this.stream}`);
    const anyStream = Stack.of(this).formatArn({ service: 'kinesisvideo', resource: 'stream', resourceName: '*' });
    provider.grant(HandlerRole.IS_COMPLETE, IS_COMPLETE_ACTIONS, stream.arnForPolicy, anyStream);
    provider.grant(HandlerRole.ON_EVENT, ON_EVENT_ACTIONS, stream.arnForPolicy, anyStream);
    provider.grant(HandlerRole.MONITOR, MONITOR_ACTIONS, stream.arnForPolicy, anyStream);
    provider.grant(HandlerRole.REMEDIATION, REMEDIATION_ACTIONS, stream.arnForPolicy, anyStream);
    // Streams this stack configured that the template no longer names: their cleanup Delete and
    // the rollback Update back to them run under this template's policies.
    // (The provider grants them whatever the template names: see provider/owned-targets.ts.)

    const properties: StreamEdgeResourceProperties = {
      StreamName: stream.name,
      StreamARN: stream.name === undefined ? stream.arn : undefined,
      EdgeConfig: Stack.of(this).toJsonString(edgeConfig),
      WaitForSync: String(props.waitForSync ?? true),
      SyncTimeoutSeconds: Token.isUnresolved(syncTimeoutSeconds) ? Token.asString(syncTimeoutSeconds) : String(syncTimeoutSeconds),
      // RetainExceptOnCreate: CloudFormation sends a Delete only to roll back a failed create, which must not leave its configuration behind.
      OnDelete: removalPolicy === RemovalPolicy.RETAIN ? 'retain' : 'delete',
      RolloutLabel: props.rolloutLabel,
    };
    // The monitor names the stream as the properties do (lambda/monitor/check-stream.ts).
    provider.registerMonitored(this, { target: (properties.StreamARN ?? properties.StreamName)! });
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: STREAM_EDGE_RESOURCE_TYPE,
      properties: { ...properties, ...provider.monitorProperties(this) },
      serviceTimeout: SERVICE_TIMEOUT,
      removalPolicy,
    });
    this.attrSyncStatus = resource.getAttString('SyncStatus');
    this.attrLastUpdatedTime = resource.getAttString('LastUpdatedTime');
    this.attrRecorderStatus = resource.getAttString('RecorderStatus');
    this.attrUploaderStatus = resource.getAttString('UploaderStatus');
  }

  /**
   * Lets the Edge Agent's role (the hub device's IoT role alias role) read the media URI secret.
   * The Edge Agent reads the camera's URI from the secret's `MediaURI` key.
   */
  public grantMediaUriRead(grantee: iam.IGrantable): iam.Grant {
    return this.mediaUriSecret.grantRead(grantee);
  }

  private resolveStream(props: StreamEdgeConfigurationProps): { name?: string; arn?: string; arnForPolicy: string } {
    const given = [props.streamName, props.streamArn, props.stream].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw validationError(this, `give exactly one of streamName, streamArn and stream, got ${given === 0 ? 'none' : given}`);
    }
    if (props.stream) {
      const retention = props.stream.dataRetentionInHours;
      if (retention === undefined || (!Token.isUnresolved(retention) && retention <= 0)) {
        throw validationError(this, `stream must keep data (dataRetentionInHours above 0), got ${retention ?? 'none (0 hours)'}: Kinesis Video refuses edge configurations for streams without retention`);
      }
      return { arn: props.stream.attrArn, arnForPolicy: props.stream.attrArn };
    }
    if (props.streamArn !== undefined) {
      return { arn: this.checked(props.streamArn, checkStreamArn), arnForPolicy: props.streamArn };
    }
    const name = this.checked(props.streamName!, checkStreamName);
    // Only the name is known: the ARN ends with the stream's creation time.
    return { name, arnForPolicy: Stack.of(this).formatArn({ service: 'kinesisvideo', resource: 'stream', resourceName: `${name}/*` }) };
  }

  private resolveHubDevice(props: StreamEdgeConfigurationProps): string {
    if ((props.hubDeviceArn === undefined) === (props.hubDevice === undefined)) {
      throw validationError(this, `give exactly one of hubDeviceArn and hubDevice, got ${props.hubDeviceArn === undefined ? 'neither' : 'both'}`);
    }
    return props.hubDevice ? props.hubDevice.attrArn : this.checked(props.hubDeviceArn!, checkHubDeviceArn);
  }

  private scheduleConfig(schedule: EdgeSchedule, property: string): ScheduleConfigDocument {
    return {
      ScheduleExpression: this.checked(schedule.expression, (v) => checkScheduleExpression(v, `${property} expression`)),
      DurationInSeconds: checkedSeconds(this, schedule.duration, (s) => checkScheduleDurationSeconds(s, `${property} duration`)),
    };
  }

  private deletionConfig(deletion: EdgeDeletionOptions): NonNullable<EdgeConfigDocument['DeletionConfig']> {
    const hours = deletion.edgeRetention?.toHours({ integral: false });
    if (hours !== undefined && !Token.isUnresolved(hours)) this.check(checkEdgeRetentionHours(hours));
    const megabytes = deletion.maxLocalMediaSize && this.megabytes(deletion.maxLocalMediaSize);
    const localSize = megabytes !== undefined || deletion.strategyOnFullSize !== undefined
      ? { MaxLocalMediaSizeInMB: megabytes, StrategyOnFullSize: deletion.strategyOnFullSize }
      : undefined;
    return { EdgeRetentionInHours: hours, LocalSizeConfig: localSize, DeleteAfterUpload: deletion.deleteAfterUpload };
  }

  private megabytes(size: Size): number {
    const megabytes = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Token.isUnresolved(megabytes)) this.check(checkMaxLocalMediaSizeMb(megabytes));
    return megabytes;
  }

  /** Checks a literal value with `rule`; tokens are checked by the handler. */
  private checked(value: string, rule: (value: string) => string | undefined): string {
    if (!Token.isUnresolved(value)) this.check(rule(value));
    return value;
  }

  private check(problem: string | undefined): void {
    if (problem) throw validationError(this, problem);
  }
}
