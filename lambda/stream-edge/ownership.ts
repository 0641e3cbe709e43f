import { describeEdgeConfiguration, errorName, kinesisVideoCall, streamTags, tagStream, untagStream } from './kinesis-video';
import { includes } from './reconcile';
import { StreamEdgeSettings, streamIdentifier, streamOfPhysicalId, StreamRef } from './settings';
import { TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';
import { applyOwnership, deleteOwnership, isInventedPhysicalId, ownedByAnotherMessage, ownerIdOf, ownershipKeys } from '../shared/ownership';
import { OnEventRequest } from '../shared/types';

/** The stream's ownership tags (shared/ownership.ts). */
const KEYS = ownershipKeys();

/**
 * The CloudFormation request (its RequestId) whose create or update last claimed the stream. When
 * CloudFormation cancels an update in progress (another resource failed) and rolls it back, the
 * Provider framework does not stop the cancelled update's waiter: before it starts or deletes
 * anything, the waiter checks this tag, and stops once another request has claimed the stream.
 */
export const OPERATION_TAG = 'cdk-edge-sync:operation';

/**
 * Makes this resource the owner of the stream's edge configuration before it is started: claims it
 * when nobody owns it, takes it over when another resource owns it and the stream already has
 * exactly this configuration (a rename or a move), fails naming the owner otherwise. Decided from
 * the tags each time, so it can be made again (by isComplete, when onEvent ran out of time).
 */
export async function claim(event: OnEventRequest, settings: StreamEdgeSettings): Promise<void> {
  const stream = settings.stream;
  const tags = await ownerTags(stream);
  if (tags === 'gone') return; // Describe then reports it in the service's words.
  const me = ownerIdOf(event.StackId, event.LogicalResourceId);
  const found = applyOwnership(tags, KEYS, me);
  const operation = { [OPERATION_TAG]: event.RequestId };
  switch (found.kind) {
    case 'mine':
      if (tags[OPERATION_TAG] !== event.RequestId) await kinesisVideoCall(stream, 'claim', () => tagStream(stream, operation));
      return;
    case 'unowned':
      await kinesisVideoCall(stream, 'claim', () => tagStream(stream, { [KEYS.owner]: me, ...operation }));
      return;
    case 'others': {
      const observed = await kinesisVideoCall(stream, 'read the edge configuration of', () => describeEdgeConfiguration(stream));
      if (!observed || !includes(observed.EdgeConfig, settings.edgeConfig)) {
        throw new TerminalError(ownedByAnotherMessage(`The edge configuration of stream ${streamIdentifier(stream)}`, found.owner, KEYS));
      }
      logger.info('taking over the edge configuration, which the stream already has', { from: found.owner, to: me });
      await kinesisVideoCall(stream, 'take over', () => tagStream(stream, { [KEYS.owner]: me, [KEYS.handover]: found.owner, ...operation }));
    }
  }
}

/** What a Delete does: leave the configuration (after confirming or handing back), or delete it. */
export type DeleteDecision =
  | { readonly kind: 'leave' }
  /** Delete it from `stream`, then remove the owner tag `release`, if set. */
  | { readonly kind: 'destroy'; readonly stream: StreamRef; readonly release?: string };

/**
 * Whether a Delete deletes the edge configuration (shared/ownership.ts): only of a stream its
 * resource owns, or nobody owns; of another's it confirms the handover, and a takeover not yet
 * confirmed it hands back. Decided from the tags each time, so it can be made again.
 */
export async function decideDelete(event: OnEventRequest, settings: StreamEdgeSettings): Promise<DeleteDecision> {
  const physicalId = event.PhysicalResourceId ?? '';
  const leave = (why: string, fields: Record<string, unknown> = {}): DeleteDecision => {
    logger.info(`delete leaves the edge configuration: ${why}`, { physicalId, ...fields });
    return { kind: 'leave' };
  };
  if (settings.retainOnDelete) return leave('the removal policy retains it');
  // A Create CloudFormation stopped waiting for has an invented physical id: act on the stream its
  // properties name, and only if that Create claimed it.
  const invented = isInventedPhysicalId(event.StackId, event.LogicalResourceId, physicalId);
  const stream = invented ? settings.stream : streamOfPhysicalId(physicalId);
  if (!stream) return leave('the physical id names no stream');
  const tags = await ownerTags(stream);
  if (tags === 'gone') return leave('the stream no longer exists');
  const me = ownerIdOf(event.StackId, event.LogicalResourceId);
  if (invented && tags[KEYS.owner] !== me) return leave('the create that was cancelled never claimed the stream');
  const decision = deleteOwnership(tags, KEYS, me);
  switch (decision.kind) {
    case 'leave':
      if (decision.confirmHandover) await kinesisVideoCall(stream, 'confirm the handover of', () => untagStream(stream, [KEYS.handover]));
      return leave('another resource configures it now', { owner: decision.owner });
    case 'giveBack':
      await kinesisVideoCall(stream, 'hand back', () => tagStream(stream, { [KEYS.owner]: decision.to }));
      await kinesisVideoCall(stream, 'hand back', () => untagStream(stream, [KEYS.handover]));
      return leave('it was taken over, and is handed back', { to: decision.to });
    case 'destroy':
      // Released once the configuration is deleted (shared/types.ts, WaitState.ReleaseOwnerTag).
      return { kind: 'destroy', stream, ...(decision.release ? { release: KEYS.owner } : {}) };
  }
}

/** The stream's tags; `gone` when the stream no longer exists (Describe then reports it, or a Delete has nothing to do). */
async function ownerTags(stream: StreamRef): Promise<Record<string, string> | 'gone'> {
  try {
    return await kinesisVideoCall(stream, 'read the owner of', () => streamTags(stream));
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return 'gone';
    throw error;
  }
}

/**
 * Fails when another CloudFormation request claimed the stream after this one (OPERATION_TAG):
 * this is a cancelled or superseded update, and what it would start or delete now would undo the
 * rollback, or the newer deploy, that replaced it.
 */
export async function checkStillCurrent(stream: StreamRef, requestId: string): Promise<void> {
  const tags = await ownerTags(stream);
  if (tags === 'gone') return;
  const current = tags[OPERATION_TAG];
  if (current !== undefined && current !== requestId) {
    throw new TerminalError(
      `Another CloudFormation operation (request ${current}) has taken over the edge configuration of stream ${streamIdentifier(stream)} ` +
      'since this one started (a rollback after CloudFormation cancelled this update, or a newer deploy): this one stops without changing it.',
    );
  }
}
