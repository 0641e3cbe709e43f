import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The Amazon S3 location the publisher uploads to (`targetBucketArn`): a bucket, optionally
 * with a key prefix.
 *
 * AWS IoT SiteWise, including the gateway, has access to the whole bucket, so the User Guide
 * recommends a bucket dedicated to buffered ingestion. Use a bucket in the gateway's Region.
 */
export class PublisherBucket {
  /**
   * A bucket of this app or an imported one, with an optional key prefix.
   *
   * @param bucket the bucket
   * @param prefix a key prefix of 1 to 255 characters, for example `gateway-1/data`
   */
  public static fromBucket(bucket: s3.IBucket, prefix?: string): PublisherBucket {
    return new PublisherBucket(prefix === undefined ? bucket.bucketArn : `${bucket.bucketArn}/${prefix}`, prefix);
  }

  /**
   * A location given as an ARN, `arn:aws:s3:::bucket-name` or `arn:aws:s3:::bucket-name/prefix`.
   *
   * A literal ARN is checked when the configuration is rendered; a token is not.
   */
  public static fromArn(arn: string): PublisherBucket {
    return new PublisherBucket(arn);
  }

  /** The `targetBucketArn` written to the configuration (may contain tokens). */
  public readonly arn: string;

  /**
   * The key prefix given to `fromBucket`.
   *
   * @default - none, or part of the ARN given to `fromArn`
   */
  public readonly prefix?: string;

  private constructor(arn: string, prefix?: string) {
    this.arn = arn;
    this.prefix = prefix;
  }
}
