import {
  DeleteEdgeConfigurationCommand,
  DescribeEdgeConfigurationCommand,
  DescribeEdgeConfigurationCommandOutput,
  KinesisVideoClient,
  ListTagsForStreamCommand,
  StartEdgeConfigurationUpdateCommand,
  StartEdgeConfigurationUpdateCommandOutput,
  TagStreamCommand,
  UntagStreamCommand,
} from '@aws-sdk/client-kinesis-video';
import { StreamRef, streamIdentifier } from './settings';
import { EdgeConfigDocument } from '../../src/stream-edge/resource-properties';
import { KINESIS_VIDEO_BACKOFF } from '../shared/backoff';
import { OutOfTimeError } from '../shared/call-budget';
import { budgetedClientOptions } from '../shared/client-options';
import { AwsError, describeError, isTransientAwsError, TerminalError } from '../shared/errors';

/** Kinesis Video's throttling (HTTP 400): Start and Delete allow 1 call per second per stream, Describe 5. */
const TRANSIENT_CODES = ['ClientLimitExceededException'];

export function isTransientKinesisVideoError(error: unknown): boolean {
  return isTransientAwsError(error, TRANSIENT_CODES);
}

export function errorName(error: unknown): string | undefined {
  return (error as AwsError)?.name;
}

/** Longest one attempt of a call may take: the control plane answers in well under a second. */
const REQUEST_TIMEOUT_MS = 10_000;

let client: KinesisVideoClient | undefined;

/**
 * One client per warm Lambda container. Kinesis Video has no host prefix. Its throttling,
 * ClientLimitExceededException (HTTP 400), is not one the SDK knows: the budgeted retry strategy
 * retries it like the SDK's transient errors.
 */
export function kinesisVideoClient(): KinesisVideoClient {
  client ??= new KinesisVideoClient(budgetedClientOptions(isTransientKinesisVideoError, KINESIS_VIDEO_BACKOFF, REQUEST_TIMEOUT_MS));
  return client;
}

export type EdgeConfigurationDescription = DescribeEdgeConfigurationCommandOutput;

/** The stream's edge configuration, or undefined when it has none. */
export async function describeEdgeConfiguration(stream: StreamRef): Promise<EdgeConfigurationDescription | undefined> {
  try {
    return await kinesisVideoClient().send(new DescribeEdgeConfigurationCommand({ ...stream }));
  } catch (error) {
    if (errorName(error) === 'StreamEdgeConfigurationNotFoundException') return undefined;
    throw error;
  }
}

export async function startEdgeConfigurationUpdate(
  stream: StreamRef,
  edgeConfig: EdgeConfigDocument,
): Promise<StartEdgeConfigurationUpdateCommandOutput> {
  return kinesisVideoClient().send(new StartEdgeConfigurationUpdateCommand({ ...stream, EdgeConfig: edgeConfig as any }));
}

export async function deleteEdgeConfiguration(stream: StreamRef): Promise<void> {
  await kinesisVideoClient().send(new DeleteEdgeConfigurationCommand({ ...stream }));
}

export async function streamTags(stream: StreamRef): Promise<Record<string, string>> {
  const response = await kinesisVideoClient().send(new ListTagsForStreamCommand({ ...stream }));
  return response.Tags ?? {};
}

export async function tagStream(stream: StreamRef, tags: Record<string, string>): Promise<void> {
  await kinesisVideoClient().send(new TagStreamCommand({ ...stream, Tags: tags }));
}

export async function untagStream(stream: StreamRef, keys: string[]): Promise<void> {
  await kinesisVideoClient().send(new UntagStreamCommand({ ...stream, TagKeyList: keys }));
}

/** A short reason naming the stream and the AWS error. */
export function kinesisVideoFailure(stream: StreamRef, action: string, error: unknown): TerminalError {
  if (errorName(error) === 'NoDataRetentionException') {
    return new TerminalError(
      `Could not ${action} stream ${streamIdentifier(stream)}: the stream keeps no data (NoDataRetentionException). ` +
      'Give the stream a data retention above 0 hours (DataRetentionInHours) and deploy again.',
    );
  }
  return new TerminalError(`Could not ${action} stream ${streamIdentifier(stream)}: ${describeError(error)}`);
}

/**
 * A call about `stream`: errors the caller judges (transient ones, which mean this invocation's
 * time is up, and a stream not found) pass as they are; any other fails with a short reason.
 */
export async function kinesisVideoCall<T>(stream: StreamRef, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TerminalError || error instanceof OutOfTimeError || isTransientKinesisVideoError(error) || errorName(error) === 'ResourceNotFoundException') {
      throw error;
    }
    throw kinesisVideoFailure(stream, action, error);
  }
}
