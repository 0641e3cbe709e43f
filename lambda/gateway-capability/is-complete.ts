import { applyConfiguration } from './apply';
import { documentDigest } from './document-digest';
import { deleteTarget, removeConfiguration } from './remove';
import { CapabilityTarget, GatewayCapabilitySettings, parseSettings } from './settings';
import { describeCapability, gatewayArn, isNotFound, isTransientSiteWiseError, siteWiseCall, siteWiseFailure, StoredCapability, untagGateway } from './sitewise';
import { isOutOfTime } from '../shared/call-budget';
import { describeError, SyncTimeoutError, TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';
import { stackEnvironment } from '../shared/ownership';
import { InvocationContext, IsCompleteRequest, IsCompleteResponse, WaitState } from '../shared/types';
import { humanDuration, PollOutcome, syncDeadlineEndedCalls, waitForDevice, withinSyncDeadline } from '../shared/wait';

/**
 * Finishes what onEvent could not in its own time (WaitState.Unfinished), then waits until the
 * gateway reports a terminal capabilitySyncStatus: IN_SYNC succeeds, SYNC_FAILED fails,
 * NOT_APPLICABLE succeeds unless the resource says otherwise, and OUT_OF_SYNC or UNKNOWN keep
 * waiting until the sync timeout. Each status counts only while the namespace stores the document
 * this operation wrote: once another writer has replaced it, an apply fails saying so, and a
 * reset is over (nothing this resource wrote is left).
 */
export async function isComplete(event: IsCompleteRequest, context: InvocationContext): Promise<IsCompleteResponse> {
  const wait = event.EdgeSyncWait;
  const deleting = event.RequestType === 'Delete';
  if (!wait || wait.Mode === 'none') {
    return deleting ? { IsComplete: true } : { IsComplete: true, Data: { SyncStatus: wait?.AcceptedStatus ?? 'UNKNOWN' } };
  }

  const settings = parseSettings(event.ResourceProperties, deleting);
  const target: CapabilityTarget = (deleting ? deleteTarget(event, settings) : undefined) ?? settings;
  let release = wait.ReleaseOwnerTag;
  let appliedDigest = wait.AppliedDigest;
  if (wait.Unfinished) {
    const finished = await finishOnEvent(event, settings, wait, deleting);
    if (finished === 'pending') return { IsComplete: false };
    if (finished.kind === 'done') return deleting ? { IsComplete: true } : { IsComplete: true, Data: { SyncStatus: finished.status } };
    release = finished.release;
    appliedDigest = finished.digest;
  }

  const failOnNotApplicable = !deleting && settings.failOnNotApplicable;
  const what = deleting ? 'the empty configuration' : 'the configuration';
  const poll = async (): Promise<PollOutcome<string>> => {
    let described: StoredCapability;
    try {
      described = await siteWiseCall(target, 'read the sync status of', () => describeCapability(target));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      if (deleting) return { done: true, result: 'DELETED' };
      throw siteWiseFailure(target, 'read the sync status of', error);
    }
    const status = described.status;
    if (appliedDigest !== undefined && described.configuration !== undefined && documentDigest(described.configuration) !== appliedDigest) {
      if (deleting) {
        logger.info('another writer replaced the empty document: the delete is over', { syncStatus: status });
        return { done: true, result: 'REPLACED' };
      }
      throw new TerminalError(
        `Gateway ${target.gatewayId} stores another document for ${target.namespace} than the one this deploy applied ` +
        `(capabilitySyncStatus ${status}): another writer (the console, the API, another tool) replaced it while the deploy ` +
        'waited for the gateway. Find that writer, then deploy again.',
      );
    }
    switch (status) {
      case 'IN_SYNC':
        return { done: true, result: status };
      case 'NOT_APPLICABLE':
        if (failOnNotApplicable) {
          throw new TerminalError(`Gateway ${target.gatewayId} reports ${target.namespace} NOT_APPLICABLE (the capability is not supported) and failOnNotApplicable is set`);
        }
        return { done: true, result: status };
      case 'SYNC_FAILED':
        throw new TerminalError(
          `Gateway ${target.gatewayId} rejected ${what} of ${target.namespace} (capabilitySyncStatus SYNC_FAILED). ` +
          'See the gateway\'s logs for its reason.',
        );
      default:
        return { done: false, status: `capabilitySyncStatus ${status}` };
    }
  };

  const result = await waitForDevice(wait, context, poll, isTransientSiteWiseError);
  switch (result.state) {
    case 'pending':
      return { IsComplete: false };
    case 'done':
      if (deleting) return releaseThen(event, target, release, { IsComplete: true });
      return { IsComplete: true, Data: { SyncStatus: result.result } };
    case 'timedOut':
      if (deleting) {
        // The empty document is stored in the cloud; an offline gateway applies it when it comes
        // back. Failing here would only leave the stack in DELETE_FAILED or ROLLBACK_FAILED.
        logger.warn('the gateway did not confirm the empty document before the sync timeout; the delete succeeds', { lastSeen: result.lastSeen });
        return releaseThen(event, target, release, { IsComplete: true });
      }
      throw new SyncTimeoutError(
        `Timed out after ${humanDuration(wait.Deadline - wait.StartedAt)} waiting for gateway ${target.gatewayId} to sync ${what} of ` +
        `${target.namespace}; last seen: ${result.lastSeen}. Check that the gateway is online.`,
      );
  }
}

/** What onEvent left, once done: nothing more to wait for (with the status to answer), or the wait for the document `digest`. */
type Finished = { readonly kind: 'done'; readonly status: string } | { readonly kind: 'wait'; readonly digest: string; readonly release?: string };

/**
 * Does onEvent's work again, each step decided from what AWS shows (apply.ts, remove.ts), within
 * the sync deadline. `pending` when this invocation's time ran out first; after the deadline the
 * operation fails with the last error, since nothing was written that the gateway could apply.
 */
async function finishOnEvent(
  event: IsCompleteRequest, settings: GatewayCapabilitySettings, wait: WaitState, deleting: boolean,
): Promise<Finished | 'pending'> {
  try {
    return await withinSyncDeadline(wait, async (): Promise<Finished> => {
      if (deleting) {
        const outcome = await removeConfiguration(event, settings, true);
        return outcome.kind === 'done' ? { kind: 'done', status: 'DELETED' } : outcome;
      }
      const applied = await applyConfiguration(event, settings, true);
      return settings.waitForSync ? { kind: 'wait', digest: applied.digest } : { kind: 'done', status: applied.status };
    });
  } catch (error) {
    if (!isOutOfTime(error, isTransientSiteWiseError)) throw error;
    if (!syncDeadlineEndedCalls(wait)) return 'pending';
    throw new SyncTimeoutError(
      `Timed out after ${humanDuration(wait.Deadline - wait.StartedAt)}: could not ${deleting ? 'reset' : 'apply the configuration of'} ` +
      `${settings.namespace} of gateway ${settings.gatewayId}; the last call failed with ${describeError(error)}`,
    );
  }
}

/** Removes this resource's owner tag once its delete is done (shared/types.ts, WaitState.ReleaseOwnerTag), then answers. */
async function releaseThen(
  event: IsCompleteRequest, target: CapabilityTarget, key: string | undefined, answer: IsCompleteResponse,
): Promise<IsCompleteResponse> {
  if (!key) return answer;
  const arn = gatewayArn(stackEnvironment(event.StackId), target.gatewayId);
  try {
    await siteWiseCall(target, 'release', () => untagGateway(arn, [key]));
  } catch (error) {
    if (isNotFound(error)) return answer;
    // This invocation's time is up: the next one finds the gateway done and releases it then.
    if (isOutOfTime(error, isTransientSiteWiseError)) return { IsComplete: false };
    throw error;
  }
  return answer;
}
