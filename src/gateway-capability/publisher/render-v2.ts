/** Renders the `iotsitewise:publisher:2` document of a Classic streams, V2 gateway. Internal. */
import { Duration } from 'aws-cdk-lib';
import { checkNotEmpty, FailIn, quote } from '../document-values';
import { PublisherV2Props } from './publisher-props';
import { PublishingOrder } from './publishing-order';
import { renderDropPolicy } from './render-drop-policy';
import { renderImportSwitches, renderPublishPolicy, renderTargetBucketArn } from './render-s3-upload';

// The User Guide gives no range for a V2 publishFrequency; the document only has m, h and d.
const PUBLISH_FREQUENCY = { finestUnit: 'minutes', min: Duration.minutes(1) } as const;

export function renderV2(props: PublisherV2Props, failIn: FailIn): { [key: string]: any } {
  const publisherFail = failIn('publisher SiteWisePublisherConfiguration');
  const document: { [key: string]: any } = {
    SiteWisePublisherConfiguration: {
      publishingOrder: props.publishingOrder ?? PublishingOrder.TIME_ORDER,
      enableCompression: props.enableCompression ?? true,
      ...(props.dropPolicy ? { dropPolicy: renderDropPolicy(props.dropPolicy, publisherFail) } : {}),
    },
  };
  const s3 = props.s3Publisher;
  if (s3) {
    document.SiteWiseS3PublisherConfiguration = {
      accessRoleArn: s3.accessRole.roleArn,
      streamToS3ConfigMapping: s3.streamMappings.map((mapping) => {
        const fail = failIn(`publisher stream ${quote(mapping.streamName)}`);
        return {
          streamName: checkNotEmpty('streamName', mapping.streamName, fail),
          targetBucketArn: renderTargetBucketArn(mapping.targetBucket, fail),
          publishPolicy: renderPublishPolicy(mapping.publishFrequency, PUBLISH_FREQUENCY, mapping.localSizeLimit, fail),
          siteWiseImportPolicy: renderImportSwitches(mapping.enableSiteWiseStorageImport, mapping.enableDeleteAfterImport, fail),
        };
      }),
    };
  }
  return document;
}
