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
import { NextStep, nextApplyStep, nextDeleteStep } from './reconcile';
import { parseSettings, StreamEdgeSettings, streamIdentifier, StreamRef, streamOfPhysicalId } from './settings';
import { TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';
import { isInventedPhysicalId } from '../shared/ownership';
import { InvocationContext, IsCompleteRequest, IsCompleteResponse } from '../shared/types';
import { ANSWER_MARGIN_MS, humanDuration, PollOutcome, retryTransientErrors, waitForDevice } from '../shared/wait';

/** DELETE_FAILED is retried this many times before the delete fails with the service's reason. */
const MAX_DELETE_ATTEMPTS = 3;

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
 * invocation continues where the last one stopped.
 */
export async function isComplete(event: IsCompleteRequest, context: InvocationContext): Promise<IsCompleteResponse> {
  const wait = event.EdgeSyncWait;
  const deleting = event.RequestType === 'Delete';
  if (!wait || wait.Mode === 'none') return { IsComplete: true };

  const settings = parseSettings(event.ResourceProperties, deleting);
  // A Delete with an invented physical id (a cancelled Create) acts on the stream its properties name.
  const invented = isInventedPhysicalId(event.StackId, event.LogicalResourceId, event.PhysicalResourceId);
  const stream = (deleting && !invented ? streamOfPhysicalId(event.PhysicalResourceId) : undefined) ?? settings.stream;
  const run = deleting ? new DeleteRun(stream, settings) : new ApplyRun(stream, settings, wait.StartedAt);

  const result = await waitForDevice(wait, context, () => run.step(), isTransientKinesisVideoError);
  switch (result.state) {
    case 'pending':
      return { IsComplete: false };
    case 'done':
      if (deleting) {
        await release(stream, wait.ReleaseOwnerTag, context);
        return { IsComplete: true };
      }
      return { IsComplete: true, PhysicalResourceId: result.result.StreamARN, Data: result.result.attributes };
    case 'timedOut':
      throw new TerminalError(
        `Timed out after ${humanDuration(wait.Deadline - wait.StartedAt)} waiting for the Edge Agent to ` +
        `${deleting ? 'delete' : 'sync'} the edge configuration of stream ${streamIdentifier(stream)}; last seen: ${result.lastSeen}. ` +
        'Check that the hub device is online and its Edge Agent running.',
      );
  }
}

interface Finished {
  readonly StreamARN?: string;
  readonly attributes?: Attributes;
}

/** One create or update: reconcile towards the desired edge configuration. */
class ApplyRun {
  constructor(private readonly stream: StreamRef, private readonly settings: StreamEdgeSettings, private readonly startedAt: number) {}

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
        logger.info('the hub device changed: deleting the edge configuration from the old device first');
        return deleteOnce(this.stream, 'move the edge configuration of');
      case 'start':
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
      if (isTransientKinesisVideoError(error)) throw error;
      throw kinesisVideoFailure(this.stream, 'start the edge configuration update of', error);
    }
  }
}

/** One delete: until DescribeEdgeConfiguration no longer finds the configuration. */
class DeleteRun {
  private deleteFailures = 0;

  constructor(private readonly stream: StreamRef, private readonly settings: StreamEdgeSettings) {}

  public async step(): Promise<PollOutcome<Finished>> {
    const observed = await describe(this.stream, 'read the edge configuration of', true);
    const next = nextDeleteStep(observed);
    if (next.action === 'done') return { done: true, result: {} };
    if (next.action === 'wait') return { done: false, status: next.status };
    if (observed?.SyncStatus === 'DELETE_FAILED' && ++this.deleteFailures >= MAX_DELETE_ATTEMPTS) {
      throw new TerminalError(
        `Could not delete the edge configuration of stream ${streamIdentifier(this.stream)}: DELETE_FAILED ${this.deleteFailures} times; ` +
        `last reason: ${observed.FailedStatusDetails ?? 'no details given'}`,
      );
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
    if (isTransientKinesisVideoError(error)) throw error;
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
    if (isTransientKinesisVideoError(error)) throw error;
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

/** Removes this resource's owner tag once its delete is done (shared/types.ts, WaitState.ReleaseOwnerTag). */
async function release(stream: StreamRef, key: string | undefined, context: InvocationContext): Promise<void> {
  if (!key) return;
  try {
    await retryTransientErrors(() => untagStream(stream, [key]), {
      isTransient: isTransientKinesisVideoError,
      until: Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS,
      what: `release stream ${streamIdentifier(stream)}`,
    });
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return;
    if (error instanceof TerminalError) throw error;
    throw kinesisVideoFailure(stream, 'release', error);
  }
}
