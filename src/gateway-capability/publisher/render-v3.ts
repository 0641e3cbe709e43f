/** Renders the `iotsitewise:publisher:3` document: MQTT source and destinations. Internal. */
import { Duration, Token } from 'aws-cdk-lib';
import { checkNotEmpty, Fail, FailIn, quote, renderDuration } from '../document-values';
import {
  PublisherBufferedDestinationProps,
  PublisherDestination,
  PublisherDestinationType,
  PublisherRealtimeDestinationProps,
} from './publisher-destination';
import { PublishingOrder } from './publishing-order';
import { renderDropPolicy } from './render-drop-policy';
import { renderImportSwitches, renderPublishPolicy, renderTargetBucketArn } from './render-s3-upload';

// Limits from the User Guide: "Add an AWS IoT SiteWise buffered destination using Amazon S3"
// and "Understand path filters for AWS IoT SiteWise Edge destinations".
const PUBLISH_FREQUENCY = { finestUnit: 'minutes', min: Duration.minutes(1), max: Duration.days(30) } as const;
const DEFAULT_PUBLISH_FREQUENCY = Duration.minutes(15);
const MAX_BATCH_WAIT_TIME = { finestUnit: 'seconds', min: Duration.seconds(1) } as const;
const MAX_PATH_BYTES = 65_535;
const MAX_PATHS_PER_GATEWAY = 20_000;
const DEFAULT_PATHS = ['#'];

export function renderV3(destinations: PublisherDestination[], failIn: FailIn): { [key: string]: any } {
  checkGatewayRules(destinations, failIn('publisher'));
  return {
    sources: [{ type: 'MQTT' }],
    destinations: destinations.map((destination) => renderDestination(destination, failIn(`publisher destination ${quote(destination.name)}`))),
  };
}

function checkGatewayRules(destinations: PublisherDestination[], fail: Fail): void {
  const realtime = destinations.filter((d) => d.type === PublisherDestinationType.SITEWISE_REALTIME);
  if (realtime.length > 1) {
    fail(`a gateway has at most one SITEWISE_REALTIME destination, got ${realtime.length}: ${realtime.map((d) => quote(d.name)).join(', ')}`);
  }
  checkUnique('name', destinations.map((d) => d.name), fail);
  checkUnique('id', destinations.map((d) => d.id), fail);
  const paths = destinations.reduce((sum, d) => sum + (d._props.paths ?? DEFAULT_PATHS).length, 0);
  if (paths > MAX_PATHS_PER_GATEWAY) {
    fail(`a gateway has at most ${MAX_PATHS_PER_GATEWAY.toLocaleString('en-US')} path filters over all its destinations, got ${paths.toLocaleString('en-US')}`);
  }
}

function checkUnique(property: string, values: Array<string | undefined>, fail: Fail): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (value === undefined || Token.isUnresolved(value)) continue;
    if (seen.has(value)) fail(`destination ${property}s must be unique, got ${quote(value)} more than once`);
    seen.add(value);
  }
}

function renderDestination(destination: PublisherDestination, fail: Fail): { [key: string]: any } {
  const props = destination._props;
  const config = destination.type === PublisherDestinationType.SITEWISE_REALTIME
    ? renderRealtimeConfig(props as PublisherRealtimeDestinationProps, fail)
    : renderBufferedConfig(props as PublisherBufferedDestinationProps, fail);
  return {
    ...(props.id === undefined ? {} : { id: checkNotEmpty('id', props.id, fail) }),
    type: destination.type,
    name: checkNotEmpty('name', props.name, fail),
    config,
    filters: [{ type: 'PATH', config: { paths: renderPaths(props.paths ?? DEFAULT_PATHS, fail) } }],
  };
}

function renderRealtimeConfig(props: PublisherRealtimeDestinationProps, fail: Fail): { [key: string]: any } {
  return {
    publishingOrder: props.publishingOrder ?? PublishingOrder.TIME_ORDER,
    enableCompression: props.enableCompression ?? true,
    ...(props.dropPolicy ? { dropPolicy: renderDropPolicy(props.dropPolicy, fail) } : {}),
    ...(props.maxBatchWaitTime ? { maxBatchWaitTime: renderDuration('maxBatchWaitTime', props.maxBatchWaitTime, MAX_BATCH_WAIT_TIME, fail) } : {}),
  };
}

function renderBufferedConfig(props: PublisherBufferedDestinationProps, fail: Fail): { [key: string]: any } {
  const targetBucketArn = renderTargetBucketArn(props.targetBucket, fail);
  const publishPolicy = renderPublishPolicy(props.publishFrequency ?? DEFAULT_PUBLISH_FREQUENCY, PUBLISH_FREQUENCY, props.localSizeLimit, fail);
  const switches = renderImportSwitches(props.enableSiteWiseStorageImport, props.enableDeleteAfterImport, fail);
  if (switches.enableSiteWiseStorageImport && !props.bulkImportJobRole) {
    fail('siteWiseImportPolicy.bulkImportJobRoleArn is required when enableSiteWiseStorageImport is true: give bulkImportJobRole, or set enableSiteWiseStorageImport to false');
  }
  return {
    targetBucketArn,
    publishPolicy,
    siteWiseImportPolicy: {
      ...switches,
      ...(props.bulkImportJobRole ? { bulkImportJobRoleArn: props.bulkImportJobRole.roleArn } : {}),
    },
  };
}

function renderPaths(paths: string[], fail: Fail): string[] {
  paths.forEach((path, index) => {
    if (Token.isUnresolved(path)) return;
    const property = `paths[${index}]`;
    if (path.trim() === '') fail(`${property} must not be blank, got ${quote(path)}`);
    if (path.includes('\u0000')) fail(`${property} must not contain U+0000, got ${quote(path)}`);
    const bytes = Buffer.byteLength(path, 'utf8');
    if (bytes > MAX_PATH_BYTES) {
      fail(`${property} must be 1 to ${MAX_PATH_BYTES.toLocaleString('en-US')} bytes, got ${bytes.toLocaleString('en-US')} bytes`);
    }
  });
  return [...paths];
}
