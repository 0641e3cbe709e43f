/**
 * The contract between the StreamEdgeConfiguration construct and its handler. No imports:
 * the handler bundle imports this file too.
 */

/** CloudFormation resource type of a stream edge configuration. */
export const STREAM_EDGE_RESOURCE_TYPE = 'Custom::EdgeSyncStreamEdgeConfiguration';

export interface StreamEdgeResourceProperties {
  /** The stream, by name (exactly one of StreamName and StreamARN). */
  readonly StreamName?: string;
  /** The stream, by ARN (exactly one of StreamName and StreamARN). */
  readonly StreamARN?: string;
  /**
   * The `EdgeConfig` of StartEdgeConfigurationUpdate as a JSON string, so numbers and booleans
   * reach the handler with their types (CloudFormation passes nested scalars as strings).
   */
  readonly EdgeConfig: string;
  /** `"true"` to wait for the Edge Agent. */
  readonly WaitForSync: string;
  /** Seconds from the start of the operation until the deploy fails. */
  readonly SyncTimeoutSeconds: string;
  /** `delete` or `retain`: what happens to the edge configuration on delete. */
  readonly OnDelete: string;
  /** Words a failure reason starts with (a fleet names the site and its wave). */
  readonly RolloutLabel?: string;
}

/** The EdgeConfig document, as the Kinesis Video API takes it. */
export interface EdgeConfigDocument {
  readonly HubDeviceArn: string;
  readonly RecorderConfig: {
    readonly MediaSourceConfig: { readonly MediaUriSecretArn: string; readonly MediaUriType: string };
    readonly ScheduleConfig?: ScheduleConfigDocument;
  };
  readonly UploaderConfig?: { readonly ScheduleConfig: ScheduleConfigDocument };
  readonly DeletionConfig?: {
    readonly EdgeRetentionInHours?: number;
    readonly LocalSizeConfig?: { readonly MaxLocalMediaSizeInMB?: number; readonly StrategyOnFullSize?: string };
    readonly DeleteAfterUpload?: boolean;
  };
}

export interface ScheduleConfigDocument {
  readonly ScheduleExpression: string;
  readonly DurationInSeconds: number;
}
