import { DELETE_FAILURES_TAG, DeleteFailures } from './delete-failures';
import {
  deleteEdgeConfiguration,
  describeEdgeConfiguration,
  EdgeConfigurationDescription,
  errorName,
  isTransientKinesisVideoError,
  kinesisVideoFailure,
  startEdgeConfigurationUpdate,
  untagStream,
} from './kinesis-video';
import { checkStillCurrent, claim, decideDelete, OPERATION_TAG } from './ownership';
import { NextStep, nextApplyStep, nextDeleteStep } from './reconcile';
import { parseSettings, StreamEdgeSettings, streamIdentifier, StreamRef, streamOfPhysicalId } from './settings';
import { isOutOfTime } from '../shared/call-budget';
import { describeError, SyncTimeoutError, TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';
import { isInventedPhysicalId } from '../shared/ownership';
import { InvocationContext, IsCompleteRequest, IsCompleteResponse, WaitState } from '../shared/types';
import { humanDuration, PollOutcome, syncDeadlineEndedCalls, waitForDevice, withinSyncDeadline } from '../shared/wait';

/** What the handler returns to CloudFormation (`Fn::GetAtt`). */
interface Attributes {
  readonly [key: string]: string;
  readonly SyncStatus: string;
  readonly LastUpdatedTime: string;
  readonly RecorderStatus: string;
  readonly UploaderStatus: string;
}

/**
 * Drives the stream's edge configuration to the desired state and waits for the Edge Agent:
 * Create and Update start the update (after a sync in progress ends, and after deleting it
 * from the old hub device when the device changed) and wait for IN_SYNC; Delete deletes it
 * and waits until it is gone. Every step is decided from DescribeEdgeConfiguration, so each
 * invocation continues where the last one stopped. Ownership calls onEvent had no time for
 * (WaitState.Unfinished) come first.
 */
export async function isComplete(event: IsCompleteRequest, context: InvocationContext): Promise<IsCompleteResponse> {
  const wait = event.EdgeSyncWait;
  const deleting = event.RequestType === 'Delete';
  if (!wait || wait.Mode === 'none') return { IsComplete: true };

  const settings = parseSettings(event.ResourceProperties, deleting);
  // A Delete with an invented physical id (a cancelled Create) acts on the stream its properties name.
  const invented = isInventedPhysicalId(event.StackId, event.LogicalResourceId, event.PhysicalResourceId);
  let stream = (deleting && !invented ? streamOfPhysicalId(event.PhysicalResourceId) : undefined) ?? settings.stream;
  let release = wait.ReleaseOwnerTag;
  if (wait.Unfinished) {
    const owned = await finishOnEvent(event, settings, wait, deleting);
    if (owned === 'pending') return { IsComplete: false };
    if (owned.kind === 'leave') return { IsComplete: true };
    ({ stream, release } = owned);
  }

  const failures = new DeleteFailures(stream, wait.StartedAt);
  const run = deleting ? new DeleteRun(stream, settings, failures) : new ApplyRun(stream, settings, wait.StartedAt, failures, event.RequestId);
  const result = await waitForDevice(wait, context, () => run.step(), isTransientKinesisVideoError);
  switch (result.state) {
    case 'pending':
      return { IsComplete: false };
    case 'done':
      // The owner tag goes with the count of failed deletions, which only a Delete of its own may find left behind.
      if (deleting) return releaseThen(stream, release ? [release, DELETE_FAILURES_TAG, OPERATION_TAG] : failures.keys, { IsComplete: true });
      await failures.clear();
      return { IsComplete: true, PhysicalResourceId: result.result.StreamARN, Data: result.result.attributes };
    case 'timedOut':
      throw new SyncTimeoutError(
        `Timed out after ${humanDuration(wait.Deadline - wait.StartedAt)} waiting for the Edge Agent to ` +
        `${deleting ? 'delete' : 'sync'} the edge configuration of stream ${streamIdentifier(stream)}; last seen: ${result.lastSeen}. ` +
        'Check that the hub device is online and its Edge Agent running.',
      );
  }
}

/** The ownership decision onEvent had no time for: for a Delete, what to delete and release. */
type Owned = { readonly kind: 'leave' } | { readonly kind: 'apply' | 'destroy'; readonly stream: StreamRef; readonly release?: string };

/**
 * Makes onEvent's ownership calls again (ownership.ts), within the sync deadline. `pending` when
 * this invocation's time ran out first; after the deadline the operation fails with the last error.
 */
async function finishOnEvent(event: IsCompleteRequest, settings: StreamEdgeSettings, wait: WaitState, deleting: boolean): Promise<Owned | 'pending'> {
  try {
    return await withinSyncDeadline(wait, async (): Promise<Owned> => {
      if (deleting) return decideDelete(event, settings);
      await claim(event, settings);
      return { kind: 'apply', stream: settings.stream };
    });
  } catch (error) {
    if (!isOutOfTime(error, isTransientKinesisVideoError)) throw error;
    if (!syncDeadlineEndedCalls(wait)) return 'pending';
    throw new SyncTimeoutError(
      `Timed out after ${humanDuration(wait.Deadline - wait.StartedAt)}: could not check the owner of stream ${streamIdentifier(settings.stream)}; ` +
      `the last call failed with ${describeError(error)}`,
    );
  }
}

interface Finished {
  readonly StreamARN?: string;
  readonly attributes?: Attributes;
}

/** One create or update: reconcile towards the desired edge configuration. */
class ApplyRun {
  constructor(
    private readonly stream: StreamRef,
    private readonly settings: StreamEdgeSettings,
    private readonly startedAt: number,
    private readonly failures: DeleteFailures,
    private readonly requestId: string,
  ) {}

  public async step(): Promise<PollOutcome<Finished>> {
    const observed = await describe(this.stream, 'read the edge configuration of', false);
    const next: NextStep = nextApplyStep(observed, this.settings.edgeConfig, this.startedAt);
    switch (next.action) {
      case 'done':
        return { done: true, result: finished(observed!) };
      case 'fail':
        throw new TerminalError(
          `The Edge Agent of ${this.settings.edgeConfig.HubDeviceArn} rejected the edge configuration of stream ` +
          `${streamIdentifier(this.stream)} (SYNC_FAILED): ${next.details}`,
        );
      case 'wait':
        return { done: false, status: next.status };
      case 'delete':
        if (observed?.SyncStatus === 'DELETE_FAILED') {
          const from = (observed.EdgeConfig as { HubDeviceArn?: string } | undefined)?.HubDeviceArn;
          await this.failures.count(observed.FailedStatusDetails, (times, details) =>
            `Could not move the edge configuration of stream ${streamIdentifier(this.stream)} from hub device ${from}: ` +
            `DELETE_FAILED ${times} times; last reason: ${details}`);
        }
        await checkStillCurrent(this.stream, this.requestId);
        logger.info('the hub device changed: deleting the edge configuration from the old device first');
        return deleteOnce(this.stream, 'move the edge configuration of');
      case 'start':
        await checkStillCurrent(this.stream, this.requestId);
        return this.start();
    }
  }

  private async start(): Promise<PollOutcome<Finished>> {
    try {
      const started = await startEdgeConfigurationUpdate(this.stream, this.settings.edgeConfig);
      logger.info('edge configuration update started', { syncStatus: started.SyncStatus });
      if (!this.settings.waitForSync) return { done: true, result: finished(started) };
      return { done: false, status: `SyncStatus ${started.SyncStatus ?? 'SYNCING'} (update started)` };
    } catch (error) {
      // Another sync started between our Describe and Start: wait for it to end.
      if (errorName(error) === 'ResourceInUseException') return { done: false, status: 'a sync in progress (ResourceInUseException)' };
      if (isOutOfTime(error, isTransientKinesisVideoError)) throw error;
      throw kinesisVideoFailure(this.stream, 'start the edge configuration update of', error);
    }
  }
}

/** One delete: until DescribeEdgeConfiguration no longer finds the configuration. */
class DeleteRun {
  constructor(private readonly stream: StreamRef, private readonly settings: StreamEdgeSettings, private readonly failures: DeleteFailures) {}

  public async step(): Promise<PollOutcome<Finished>> {
    const observed = await describe(this.stream, 'read the edge configuration of', true);
    const next = nextDeleteStep(observed);
    if (next.action === 'done') return { done: true, result: {} };
    if (next.action === 'wait') return { done: false, status: next.status };
    if (observed?.SyncStatus === 'DELETE_FAILED') {
      await this.failures.count(observed.FailedStatusDetails, (times, details) =>
        `Could not delete the edge configuration of stream ${streamIdentifier(this.stream)}: DELETE_FAILED ${times} times; last reason: ${details}`);
    }
    const outcome = await deleteOnce(this.stream, 'delete the edge configuration of');
    return !this.settings.waitForSync && outcome.done === false ? { done: true, result: {} } : outcome;
  }
}

async function describe(stream: StreamRef, action: string, deleting: boolean): Promise<EdgeConfigurationDescription | undefined> {
  try {
    return await describeEdgeConfiguration(stream);
  } catch (error) {
    // A stream that no longer exists has no edge configuration left to delete.
    if (deleting && errorName(error) === 'ResourceNotFoundException') return undefined;
    if (isOutOfTime(error, isTransientKinesisVideoError)) throw error;
    throw kinesisVideoFailure(stream, action, error);
  }
}

async function deleteOnce(stream: StreamRef, action: string): Promise<PollOutcome<Finished>> {
  try {
    await deleteEdgeConfiguration(stream);
    return { done: false, status: 'SyncStatus DELETING (delete requested)' };
  } catch (error) {
    const name = errorName(error);
    if (name === 'StreamEdgeConfigurationNotFoundException' || name === 'ResourceNotFoundException') return { done: false, status: 'deleted' };
    if (name === 'ResourceInUseException') return { done: false, status: 'a sync in progress (ResourceInUseException)' };
    if (isOutOfTime(error, isTransientKinesisVideoError)) throw error;
    throw kinesisVideoFailure(stream, action, error);
  }
}

function finished(description: EdgeConfigurationDescription): Finished {
  const agent = description.EdgeAgentStatus;
  return {
    StreamARN: description.StreamARN,
    attributes: {
      SyncStatus: description.SyncStatus ?? 'UNKNOWN',
      LastUpdatedTime: description.LastUpdatedTime?.toISOString() ?? '',
      RecorderStatus: agent?.LastRecorderStatus?.RecorderStatus ?? 'NOT_REPORTED',
      UploaderStatus: agent?.LastUploaderStatus?.UploaderStatus ?? 'NOT_REPORTED',
    },
  };
}

/**
 * Removes `keys` once the delete is done: this resource's owner tag (shared/types.ts,
 * WaitState.ReleaseOwnerTag) and the count of failed deletions (delete-failures.ts), then answers.
 */
async function releaseThen(stream: StreamRef, keys: string[], answer: IsCompleteResponse): Promise<IsCompleteResponse> {
  if (keys.length === 0) return answer;
  try {
    await untagStream(stream, keys);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return answer;
    // This invocation's time is up: the next one finds the configuration gone and releases it then.
    if (isOutOfTime(error, isTransientKinesisVideoError)) return { IsComplete: false };
    throw kinesisVideoFailure(stream, 'release', error);
  }
  return answer;
}
