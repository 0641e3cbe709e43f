import { Duration, Size } from 'aws-cdk-lib';

/**
 * What the publisher does with data older than a cutoff age: it is not published, and is
 * optionally exported to local files (`dropPolicy` of the publisher configuration).
 */
export interface PublisherDropPolicy {
  /**
   * Data older than this is not published to the cloud. From 5 minutes to 7 days, in whole minutes.
   */
  readonly cutoffAge: Duration;

  /**
   * How data older than the cutoff age is kept on the gateway.
   *
   * @default - no export policy: the publisher's defaults apply
   */
  readonly exportPolicy?: PublisherExportPolicy;
}

/**
 * How the gateway stores data older than the cutoff age in local files (`exportPolicy`).
 *
 * Files are written to `/greengrass/v2/work/aws.iot.SiteWiseEdgePublisher/exports` on
 * self-hosted gateways.
 */
export interface PublisherExportPolicy {
  /**
   * How long exported data is kept on the gateway before it is deleted. From 1 minute to
   * 30 days, in whole minutes, and at least `rotationPeriod`.
   *
   * @default - the publisher's default
   */
  readonly retentionPeriod?: Duration;

  /**
   * The period of data batched into one export file. Longer than 1 minute, in whole minutes,
   * and at most `retentionPeriod`.
   *
   * @default - the publisher's default
   */
  readonly rotationPeriod?: Duration;

  /**
   * The most exported data kept on the gateway; beyond it the oldest data is deleted. A whole
   * number of gibibytes (the document's `GB`), at least 1.
   *
   * @default - the publisher's default
   */
  readonly exportSizeLimit?: Size;
}
