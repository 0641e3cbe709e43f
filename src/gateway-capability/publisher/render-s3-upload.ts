/** Renders the Amazon S3 upload settings shared by V2 stream mappings and V3 buffered destinations. Internal. */
import { Duration, Size, Token } from 'aws-cdk-lib';
import { DurationRule, Fail, quote, renderDuration, renderGigabytes } from '../document-values';
import { PublisherBucket } from './publisher-bucket';

const S3_LOCATION_ARN = /^arn:[a-z0-9-]+:s3:::([^/]+)(?:\/([\s\S]*))?$/;
const MAX_PREFIX_LENGTH = 255;

export function renderTargetBucketArn(bucket: PublisherBucket, fail: Fail): string {
  let prefix = bucket.prefix;
  if (!Token.isUnresolved(bucket.arn)) {
    const match = S3_LOCATION_ARN.exec(bucket.arn);
    if (!match) {
      fail(`targetBucketArn must be an S3 bucket ARN, arn:aws:s3:::bucket-name or arn:aws:s3:::bucket-name/prefix, got ${quote(bucket.arn)}`);
    }
    prefix = match[2];
  }
  if (prefix !== undefined && !Token.isUnresolved(prefix) && (prefix.length < 1 || prefix.length > MAX_PREFIX_LENGTH)) {
    fail(`targetBucketArn prefix must be 1 to ${MAX_PREFIX_LENGTH} characters, got ${prefix.length}`);
  }
  return bucket.arn;
}

export function renderPublishPolicy(frequency: Duration, frequencyRule: DurationRule, localSizeLimit: Size, fail: Fail): { [key: string]: any } {
  return {
    publishFrequency: renderDuration('publishPolicy.publishFrequency', frequency, frequencyRule, fail),
    localSizeLimitGB: renderGigabytes('publishPolicy.localSizeLimitGB', localSizeLimit, fail),
  };
}

/**
 * The two import switches. Deleting after import only means something when importing: the
 * console clears "Delete data from Amazon S3" when "Copy data to storage" is cleared.
 */
export function renderImportSwitches(
  storageImport: boolean | undefined,
  deleteAfterImport: boolean | undefined,
  fail: Fail,
): { [key: string]: boolean } {
  const enableSiteWiseStorageImport = storageImport ?? true;
  const enableDeleteAfterImport = deleteAfterImport ?? enableSiteWiseStorageImport;
  if (enableDeleteAfterImport && !enableSiteWiseStorageImport) {
    fail('siteWiseImportPolicy.enableDeleteAfterImport can only be true when enableSiteWiseStorageImport is true, got enableSiteWiseStorageImport false');
  }
  return { enableSiteWiseStorageImport, enableDeleteAfterImport };
}
