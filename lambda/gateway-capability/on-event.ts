import { applyConfiguration } from './apply';
import { removeConfiguration } from './remove';
import { parseSettings, physicalIdOf } from './settings';
import { isTransientSiteWiseError } from './sitewise';
import { unlessOutOfTime } from '../shared/call-budget';
import { unsupportedRequestType } from '../shared/errors';
import { logger } from '../shared/logger';
import { InvocationContext, OnEventRequest, OnEventResponse, WaitState } from '../shared/types';

/**
 * Create and Update claim the namespace on the gateway (shared/ownership.ts), write the document
 * and hand the wait to isComplete. Update to another gateway or namespace returns a new physical
 * id, so CloudFormation deletes the old one. Delete overwrites the document with the namespace's
 * empty one, or leaves it: always when another resource owns it now.
 *
 * When throttling or failures outlast onEvent's own time, the work it has not finished goes to
 * isComplete (WaitState.Unfinished), which has the sync timeout to finish it.
 */
export async function onEvent(event: OnEventRequest, _context: InvocationContext): Promise<OnEventResponse> {
  switch (event.RequestType) {
    case 'Create':
    case 'Update':
      return apply(event);
    case 'Delete':
      return remove(event);
    default:
      throw unsupportedRequestType(event.RequestType);
  }
}

async function apply(event: OnEventRequest): Promise<OnEventResponse> {
  const startedAt = Date.now();
  const settings = parseSettings(event.ResourceProperties);
  const physicalId = physicalIdOf(settings);
  if (event.RequestType === 'Update' && event.PhysicalResourceId !== physicalId) {
    logger.info('gateway or namespace changed: the resource is replaced', { from: event.PhysicalResourceId, to: physicalId });
  }
  const wait = { StartedAt: startedAt, Deadline: startedAt + settings.syncTimeoutMs };
  const applied = await unlessOutOfTime(() => applyConfiguration(event, settings, false), isTransientSiteWiseError);
  if (applied === undefined) return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'wait', ...wait, Unfinished: true } };
  logger.info('configuration accepted', { capabilitySyncStatus: applied.status, waitForSync: settings.waitForSync });
  return {
    PhysicalResourceId: physicalId,
    EdgeSyncWait: { Mode: settings.waitForSync ? 'wait' : 'none', ...wait, AcceptedStatus: applied.status, AppliedDigest: applied.digest },
  };
}

async function remove(event: OnEventRequest): Promise<OnEventResponse> {
  const startedAt = Date.now();
  const physicalId = event.PhysicalResourceId ?? '';
  const settings = parseSettings(event.ResourceProperties, true);
  const wait = { StartedAt: startedAt, Deadline: startedAt + settings.syncTimeoutMs };
  const outcome = await unlessOutOfTime(() => removeConfiguration(event, settings, false), isTransientSiteWiseError);
  let state: WaitState;
  switch (outcome?.kind) {
    case undefined:
      state = { Mode: 'wait', ...wait, Unfinished: true };
      break;
    case 'done':
      state = { Mode: 'none', ...wait };
      break;
    case 'wait':
      state = { Mode: 'wait', ...wait, AppliedDigest: outcome.digest, ...(outcome.release ? { ReleaseOwnerTag: outcome.release } : {}) };
      break;
  }
  return { PhysicalResourceId: physicalId, EdgeSyncWait: state };
}
