import { Duration, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PublisherDropPolicy } from './drop-policy';
import { PublisherBucket } from './publisher-bucket';
import { PublisherDestination } from './publisher-destination';
import { PublishingOrder } from './publishing-order';

/**
 * The publisher of a Classic streams, V2 gateway (`iotsitewise:publisher:2`): how data is
 * published to AWS IoT SiteWise (`SiteWisePublisherConfiguration`) and which streams are
 * uploaded to Amazon S3 (`SiteWiseS3PublisherConfiguration`).
 */
export interface PublisherV2Props {
  /**
   * Which data is published first.
   *
   * @default PublishingOrder.TIME_ORDER
   */
  readonly publishingOrder?: PublishingOrder;

  /**
   * Compress data before publishing it, to save bandwidth.
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
   * Upload streams to Amazon S3.
   *
   * @default - no `SiteWiseS3PublisherConfiguration`
   */
  readonly s3Publisher?: PublisherS3Props;
}

/** Uploading Greengrass streams of a V2 gateway to Amazon S3 (`SiteWiseS3PublisherConfiguration`). */
export interface PublisherS3Props {
  /** The role that gives AWS IoT SiteWise permission to manage the buckets published to (`accessRoleArn`). */
  readonly accessRole: iam.IRole;

  /** Which stream goes to which bucket (`streamToS3ConfigMapping`). */
  readonly streamMappings: PublisherS3StreamMapping[];
}

/** One stream uploaded to Amazon S3 by a V2 gateway's publisher. */
export interface PublisherS3StreamMapping {
  /** The Greengrass stream to read, for example `S3_OPC-UA_Data_Collector`. */
  readonly streamName: string;

  /** The bucket (and optional prefix) to upload to. */
  readonly targetBucket: PublisherBucket;

  /** How often the gateway uploads to Amazon S3. At least 1 minute, in whole minutes. */
  readonly publishFrequency: Duration;

  /**
   * The most data buffered on the gateway's disk; beyond it the publisher uploads everything
   * buffered. A whole number of gibibytes (the document's `GB`), at least 1.
   */
  readonly localSizeLimit: Size;

  /**
   * Import the uploaded files into AWS IoT SiteWise storage.
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
}

/**
 * The publisher of an MQTT-enabled, V3 gateway (`iotsitewise:publisher:3`): its source is the
 * gateway's MQTT broker and it sends data to destinations chosen by path filters.
 */
export interface PublisherV3Props {
  /**
   * The destinations, at most one of them real-time. The list replaces the gateway's
   * destinations: a destination left out is removed.
   */
  readonly destinations: PublisherDestination[];
}
