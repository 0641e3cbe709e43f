import { documentDigest } from './document-digest';
import { CapabilityTarget, parseSettings, targetOfPhysicalId } from './settings';
import { describeCapability, DescribedCapability, gatewayArn, isNotFound, isTransientSiteWiseError, siteWiseFailure, untagGateway } from './sitewise';
import { TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';
import { stackEnvironment } from '../shared/ownership';
import { InvocationContext, IsCompleteRequest, IsCompleteResponse } from '../shared/types';
import { ANSWER_MARGIN_MS, humanDuration, PollOutcome, retryTransientErrors, waitForDevice } from '../shared/wait';

/**
 * Waits until the gateway reports a terminal capabilitySyncStatus: IN_SYNC succeeds,
 * SYNC_FAILED fails, NOT_APPLICABLE succeeds unless the resource says otherwise, and
 * OUT_OF_SYNC or UNKNOWN keep waiting until the sync timeout. Each status counts only while the
 * namespace stores the document this operation wrote: once another writer has replaced it, an
 * apply fails saying so, and a reset is over (nothing this resource wrote is left).
 */
export async function isComplete(event: IsCompleteRequest, context: InvocationContext): Promise<IsCompleteResponse> {
  const wait = event.EdgeSyncWait;
  const deleting = event.RequestType === 'Delete';
  if (!wait || wait.Mode === 'none') {
    return deleting ? { IsComplete: true } : { IsComplete: true, Data: { SyncStatus: wait?.AcceptedStatus ?? 'UNKNOWN' } };
  }

  const settings = parseSettings(event.ResourceProperties, deleting);
  const target: CapabilityTarget = (deleting ? targetOfPhysicalId(event.PhysicalResourceId) : undefined) ?? settings;
  const failOnNotApplicable = !deleting && settings.failOnNotApplicable;
  const what = deleting ? 'the empty configuration' : 'the configuration';

  const poll = async (): Promise<PollOutcome<string>> => {
    let described: DescribedCapability;
    try {
      described = await describeCapability(target);
    } catch (error) {
      if (deleting && isNotFound(error)) return { done: true, result: 'DELETED' };
      if (isTransientSiteWiseError(error)) throw error;
      throw siteWiseFailure(target, 'read the sync status of', error);
    }
    const status = described.syncStatus;
    if (wait.AppliedDigest !== undefined && described.configuration !== undefined && documentDigest(described.configuration) !== wait.AppliedDigest) {
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
      if (deleting) {
        await release(event, target, context);
        return { IsComplete: true };
      }
      return { IsComplete: true, Data: { SyncStatus: result.result } };
    case 'timedOut':
      if (deleting) {
        // The empty document is stored in the cloud; an offline gateway applies it when it comes
        // back. Failing here would only leave the stack in DELETE_FAILED or ROLLBACK_FAILED.
        logger.warn('the gateway did not confirm the empty document before the sync timeout; the delete succeeds', { lastSeen: result.lastSeen });
        await release(event, target, context);
        return { IsComplete: true };
      }
      throw new TerminalError(
        `Timed out after ${humanDuration(wait.Deadline - wait.StartedAt)} waiting for gateway ${target.gatewayId} to sync ${what} of ` +
        `${target.namespace}; last seen: ${result.lastSeen}. Check that the gateway is online.`,
      );
  }
}

/** Removes this resource's owner tag once its delete is done (shared/types.ts, WaitState.ReleaseOwnerTag). */
async function release(event: IsCompleteRequest, target: CapabilityTarget, context: InvocationContext): Promise<void> {
  const key = event.EdgeSyncWait?.ReleaseOwnerTag;
  if (!key) return;
  const arn = gatewayArn(stackEnvironment(event.StackId), target.gatewayId);
  try {
    await retryTransientErrors(() => untagGateway(arn, [key]), {
      isTransient: isTransientSiteWiseError,
      until: Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS,
      what: `release ${target.namespace} of gateway ${target.gatewayId}`,
    });
  } catch (error) {
    if (isNotFound(error)) return;
    if (error instanceof TerminalError) throw error;
    throw siteWiseFailure(target, 'release', error);
  }
}
