import { Duration, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PublisherDropPolicy } from './drop-policy';
import { PublisherBucket } from './publisher-bucket';
import { PublishingOrder } from './publishing-order';

/** The kind of a V3 publisher destination (`type`). */
export enum PublisherDestinationType {
  /** Sends data straight to AWS IoT SiteWise storage. At most one per gateway. */
  SITEWISE_REALTIME = 'SITEWISE_REALTIME',

  /** Uploads Parquet files to Amazon S3, optionally imported into AWS IoT SiteWise storage. */
  SITEWISE_BUFFERED = 'SITEWISE_BUFFERED',
}

/** Properties shared by every V3 publisher destination. */
export interface PublisherDestinationBaseProps {
  /** A name for the destination, unique among the gateway's destinations. */
  readonly name: string;

  /**
   * The id of an existing destination, as returned by DescribeGatewayCapabilityConfiguration,
   * to update that destination rather than create one.
   *
   * @default - none: AWS IoT SiteWise generates a UUID for the destination
   */
  readonly id?: string;

  /**
   * Path filters: the MQTT topic filters whose messages go to this destination, for example
   * `factory/+/machine/#`. Each is 1 to 65,535 bytes, not blank and without U+0000; a gateway
   * has at most 20,000 path filters over all its destinations.
   *
   * @default ['#'] - every topic
   */
  readonly paths?: string[];
}

/** Properties of a real-time destination, which sends data straight to AWS IoT SiteWise storage. */
export interface PublisherRealtimeDestinationProps extends PublisherDestinationBaseProps {
  /**
   * Which data is published first.
   *
   * @default PublishingOrder.TIME_ORDER
   */
  readonly publishingOrder?: PublishingOrder;

  /**
   * Compress data before sending it, to save bandwidth.
   *
   * @default true
   */
  readonly enableCompression?: boolean;

  /**
   * Stop publishing data older than a cutoff age.
   *
   * @default - none: all data is published
   */
  readonly dropPolicy?: PublisherDropPolicy;

  /**
   * The longest the publisher waits, per property alias, before sending a batch (it sends
   * earlier once 10 values are queued). A whole number of seconds, at least 1 second.
   *
   * @default - the publisher's default
   */
  readonly maxBatchWaitTime?: Duration;
}

/**
 * Properties of a buffered destination, which uploads Parquet files to Amazon S3 and can
 * import them into AWS IoT SiteWise storage.
 */
export interface PublisherBufferedDestinationProps extends PublisherDestinationBaseProps {
  /** The bucket (and optional prefix) to upload to. */
  readonly targetBucket: PublisherBucket;

  /**
   * How often the gateway uploads to Amazon S3. From 1 minute to 30 days, in whole minutes.
   *
   * @default Duration.minutes(15)
   */
  readonly publishFrequency?: Duration;

  /**
   * The most data buffered on the gateway's disk; beyond it the publisher uploads everything
   * buffered. A whole number of gibibytes (the document's `GB`), at least 1.
   */
  readonly localSizeLimit: Size;

  /**
   * Import the uploaded files into AWS IoT SiteWise storage (a bulk import). Requires
   * `bulkImportJobRole`.
   *
   * @default true
   */
  readonly enableSiteWiseStorageImport?: boolean;

  /**
   * Delete the files from Amazon S3 once they are imported. Only with
   * `enableSiteWiseStorageImport`.
   *
   * @default - the value of `enableSiteWiseStorageImport`
   */
  readonly enableDeleteAfterImport?: boolean;

  /**
   * The role AWS IoT SiteWise assumes to read the files from Amazon S3 during the import.
   * Required when `enableSiteWiseStorageImport` is true.
   *
   * @default - none; only valid without storage import
   */
  readonly bulkImportJobRole?: iam.IRole;
}

/**
 * A destination of a V3 (MQTT-enabled) gateway's publisher, with the path filters that
 * route data to it.
 */
export class PublisherDestination {
  /** A destination sending data straight to AWS IoT SiteWise storage. At most one per gateway. */
  public static realtime(props: PublisherRealtimeDestinationProps): PublisherDestination {
    return new PublisherDestination(PublisherDestinationType.SITEWISE_REALTIME, props);
  }

  /** A destination uploading data to Amazon S3 in batches, optionally imported into AWS IoT SiteWise. */
  public static buffered(props: PublisherBufferedDestinationProps): PublisherDestination {
    return new PublisherDestination(PublisherDestinationType.SITEWISE_BUFFERED, props);
  }

  /** The kind of destination. */
  public readonly type: PublisherDestinationType;

  /** The destination's name. */
  public readonly name: string;

  /**
   * The id of the existing destination this one updates.
   *
   * @default - none: AWS IoT SiteWise generates one
   */
  public readonly id?: string;

  /**
   * The properties the destination was created with, read when the configuration is rendered.
   *
   * @internal
   */
  public readonly _props: PublisherRealtimeDestinationProps | PublisherBufferedDestinationProps;

  private constructor(type: PublisherDestinationType, props: PublisherRealtimeDestinationProps | PublisherBufferedDestinationProps) {
    this.type = type;
    this.name = props.name;
    this.id = props.id;
    this._props = props;
  }
}
