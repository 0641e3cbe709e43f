import {
  describeEdgeConfiguration, errorName, isTransientKinesisVideoError, kinesisVideoFailure, streamTags, tagStream, untagStream,
} from './kinesis-video';
import { includes } from './reconcile';
import { namesSameStream, parseSettings, StreamEdgeSettings, streamIdentifier, streamOfPhysicalId, StreamRef } from './settings';
import { TerminalError, unsupportedRequestType } from '../shared/errors';
import { logger } from '../shared/logger';
import { applyOwnership, deleteOwnership, isInventedPhysicalId, ownedByAnotherMessage, ownerIdOf, ownershipKeys } from '../shared/ownership';
import { InvocationContext, OnEventRequest, OnEventResponse } from '../shared/types';
import { ANSWER_MARGIN_MS, retryTransientErrors } from '../shared/wait';

/** The stream's ownership tags (shared/ownership.ts). */
const KEYS = ownershipKeys();

/**
 * Checks the properties and the stream's owner (shared/ownership.ts), and hands the work to
 * isComplete, which decides every step from what DescribeEdgeConfiguration shows (start, wait for
 * a sync in progress, move to another hub device, delete). The sync timeout counts from here.
 */
export async function onEvent(event: OnEventRequest, context: InvocationContext): Promise<OnEventResponse> {
  const startedAt = Date.now();
  const until = startedAt + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      const settings = parseSettings(event.ResourceProperties);
      const identifier = streamIdentifier(settings.stream);
      // The physical id is the stream's ARN (isComplete answers it). Keep it while the stream is
      // the same, however it is named now (by name, by ARN, by a CfnStream): a changed id would
      // be a replacement, and if this update failed, CloudFormation would record it and delete
      // it in the rollback's cleanup, deleting the configuration the rollback restores.
      const sameStream = event.RequestType === 'Update' && namesSameStream(event.PhysicalResourceId, settings.stream);
      await claim(event, settings, until);
      logger.info('applying edge configuration', { stream: identifier, hubDeviceArn: settings.edgeConfig.HubDeviceArn });
      return {
        PhysicalResourceId: sameStream ? event.PhysicalResourceId! : identifier,
        EdgeSyncWait: { Mode: 'wait', StartedAt: startedAt, Deadline: startedAt + settings.syncTimeoutMs },
      };
    }
    case 'Delete': {
      const physicalId = event.PhysicalResourceId ?? '';
      const settings = parseSettings(event.ResourceProperties, true);
      const none = { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'none' as const, StartedAt: startedAt, Deadline: startedAt } };
      if (settings.retainOnDelete) {
        logger.info('delete leaves the edge configuration: the removal policy retains it', { physicalId });
        return none;
      }
      // A Create CloudFormation stopped waiting for has an invented physical id: act on the stream its
      // properties name, and only if that Create claimed it.
      const invented = isInventedPhysicalId(event.StackId, event.LogicalResourceId, physicalId);
      const stream = invented ? settings.stream : streamOfPhysicalId(physicalId);
      if (!stream) {
        logger.info('delete does nothing: the physical id names no stream', { physicalId });
        return none;
      }
      const tags = await ownerTags(stream, until);
      if (tags === 'gone') return none; // isComplete would find nothing to delete either.
      const me = ownerIdOf(event.StackId, event.LogicalResourceId);
      if (invented && tags[KEYS.owner] !== me) {
        logger.info('delete does nothing: the create that was cancelled never claimed the stream', { physicalId });
        return none;
      }
      const decision = deleteOwnership(tags, KEYS, me);
      switch (decision.kind) {
        case 'leave':
          if (decision.confirmHandover) await tagCall(() => untagStream(stream, [KEYS.handover]), until, 'confirm the handover of', stream);
          logger.info('delete leaves the edge configuration: another resource configures it now', { owner: decision.owner });
          return none;
        case 'giveBack':
          await tagCall(() => tagStream(stream, { [KEYS.owner]: decision.to }), until, 'hand back', stream);
          await tagCall(() => untagStream(stream, [KEYS.handover]), until, 'hand back', stream);
          logger.info('delete leaves the edge configuration: it was taken over, and is handed back', { to: decision.to });
          return none;
        case 'destroy':
          // isComplete removes the owner tag once the configuration is deleted.
          return {
            PhysicalResourceId: physicalId,
            EdgeSyncWait: {
              Mode: 'wait', StartedAt: startedAt, Deadline: startedAt + settings.syncTimeoutMs, ...(decision.release ? { ReleaseOwnerTag: KEYS.owner } : {}),
            },
          };
      }
    }
    default:
      throw unsupportedRequestType(event.RequestType);
  }
}

/** The stream's tags; `gone` when the stream no longer exists (isComplete then reports it in the service's words). */
async function ownerTags(stream: StreamRef, until: number): Promise<Record<string, string> | 'gone'> {
  try {
    return await tagCall(() => streamTags(stream), until, 'read the owner of', stream);
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return 'gone';
    throw error;
  }
}

/**
 * Makes this resource the owner of the stream's edge configuration before isComplete starts it:
 * claims it when nobody owns it, takes it over when another resource owns it and the stream
 * already has exactly this configuration (a rename or a move), fails naming the owner otherwise.
 */
async function claim(event: OnEventRequest, settings: StreamEdgeSettings, until: number): Promise<void> {
  const stream = settings.stream;
  const tags = await ownerTags(stream, until);
  if (tags === 'gone') return;
  const me = ownerIdOf(event.StackId, event.LogicalResourceId);
  const found = applyOwnership(tags, KEYS, me);
  switch (found.kind) {
    case 'mine':
      return;
    case 'unowned':
      await tagCall(() => tagStream(stream, { [KEYS.owner]: me }), until, 'claim', stream);
      return;
    case 'others': {
      const observed = await tagCall(() => describeEdgeConfiguration(stream), until, 'read the edge configuration of', stream);
      if (!observed || !includes(observed.EdgeConfig, settings.edgeConfig)) {
        throw new TerminalError(ownedByAnotherMessage(`The edge configuration of stream ${streamIdentifier(stream)}`, found.owner, KEYS));
      }
      logger.info('taking over the edge configuration, which the stream already has', { from: found.owner, to: me });
      await tagCall(() => tagStream(stream, { [KEYS.owner]: me, [KEYS.handover]: found.owner }), until, 'take over', stream);
    }
  }
}

/** A call about ownership, with transient errors retried until `until`; a missing stream is rethrown as is. */
async function tagCall<T>(call: () => Promise<T>, until: number, action: string, stream: StreamRef): Promise<T> {
  try {
    return await retryTransientErrors(call, { isTransient: isTransientKinesisVideoError, until, what: `${action} stream ${streamIdentifier(stream)}` });
  } catch (error) {
    if (error instanceof TerminalError || errorName(error) === 'ResourceNotFoundException') throw error;
    throw kinesisVideoFailure(stream, action, error);
  }
}
