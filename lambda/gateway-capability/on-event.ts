import { documentDigest, sameDocument } from './document-digest';
import { documentText } from './documents';
import {
  CapabilityTarget, checkConfiguration, checkResetConfiguration, GatewayCapabilitySettings, parseSettings, physicalIdOf, targetOfPhysicalId,
} from './settings';
import {
  gatewayArn, gatewayTags, isNotFound, isTransientSiteWiseError, siteWiseFailure, storedConfiguration, tagGateway, untagGateway,
  updateCapabilityConfiguration,
} from './sitewise';
import { ResetOnDelete } from '../../src/gateway-capability/resource-properties';
import { describeError, TerminalError, unsupportedRequestType } from '../shared/errors';
import { logger } from '../shared/logger';
import {
  applyOwnership, deleteOwnership, isInventedPhysicalId, ownedByAnotherMessage, ownerIdOf, OwnershipKeys, ownershipKeys, stackEnvironment,
} from '../shared/ownership';
import { InvocationContext, OnEventRequest, OnEventResponse } from '../shared/types';
import { ANSWER_MARGIN_MS, retryTransientErrors } from '../shared/wait';

/**
 * Create and Update claim the namespace on the gateway (shared/ownership.ts), write the document
 * and hand the wait to isComplete. Update to another gateway or namespace returns a new physical
 * id, so CloudFormation deletes the old one. Delete overwrites the document with the namespace's
 * empty one, or leaves it: always when another resource owns it now.
 */
export async function onEvent(event: OnEventRequest, context: InvocationContext): Promise<OnEventResponse> {
  switch (event.RequestType) {
    case 'Create':
    case 'Update':
      return apply(event, context);
    case 'Delete':
      return remove(event, context);
    default:
      throw unsupportedRequestType(event.RequestType);
  }
}

async function apply(event: OnEventRequest, context: InvocationContext): Promise<OnEventResponse> {
  const startedAt = Date.now();
  const settings = parseSettings(event.ResourceProperties);
  const physicalId = physicalIdOf(settings);
  if (event.RequestType === 'Update' && event.PhysicalResourceId !== physicalId) {
    logger.info('gateway or namespace changed: the resource is replaced', { from: event.PhysicalResourceId, to: physicalId });
  }
  const deadline = startedAt + settings.syncTimeoutMs;
  const until = writeUntil(startedAt, deadline, context);
  const configuration = await documentText(settings.configuration, until);
  checkConfiguration(configuration, settings.documentRules);
  // A reset document CloudFormation resolved wrongly fails now, not at the delete.
  if (settings.resetConfiguration) checkResetConfiguration(await documentText(settings.resetConfiguration, until));
  await claim(event, settings, configuration, until);
  logger.info('applying configuration', { gatewayId: settings.gatewayId, namespace: settings.namespace, documentLength: configuration.length });
  const accepted = await writeDocument(settings, configuration, until, 'apply the configuration of');
  logger.info('configuration accepted', { capabilitySyncStatus: accepted, waitForSync: settings.waitForSync });
  return {
    PhysicalResourceId: physicalId,
    EdgeSyncWait: {
      Mode: settings.waitForSync ? 'wait' : 'none', StartedAt: startedAt, Deadline: deadline, AcceptedStatus: accepted, AppliedDigest: documentDigest(configuration),
    },
  };
}

async function remove(event: OnEventRequest, context: InvocationContext): Promise<OnEventResponse> {
  const startedAt = Date.now();
  const physicalId = event.PhysicalResourceId ?? '';
  const leaveAsIs = (why: string): OnEventResponse => {
    logger.info(`delete leaves the configuration as it is: ${why}`, { physicalId });
    return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'none', StartedAt: startedAt, Deadline: startedAt } };
  };

  const settings = parseSettings(event.ResourceProperties, true);
  // A Create CloudFormation stopped waiting for has an invented physical id: act on the target its
  // properties name, and only if that Create claimed it.
  const invented = isInventedPhysicalId(event.StackId, event.LogicalResourceId, physicalId);
  const target = invented ? { gatewayId: settings.gatewayId, namespace: settings.namespace } : targetOfPhysicalId(physicalId);
  if (!target) return leaveAsIs('the physical id names no gateway capability, so nothing was applied');
  // Retained on purpose: it stays owned, so that nothing else overwrites it with another document.
  if (settings.onDelete === ResetOnDelete.RETAIN) return leaveAsIs('the removal policy retains it');

  const deadline = startedAt + settings.syncTimeoutMs;
  const until = writeUntil(startedAt, deadline, context);
  const owned = await ownership(event, target, until);
  if (owned === 'gone') return leaveAsIs('the gateway no longer exists');
  if (invented && owned.tags[owned.keys.owner] !== owned.me) return leaveAsIs('the create that was cancelled never claimed it');
  const decision = deleteOwnership(owned.tags, owned.keys, owned.me);
  switch (decision.kind) {
    case 'leave':
      if (decision.confirmHandover) await tagCall(() => untagGateway(owned.arn, [owned.keys.handover]), until, 'confirm the handover of', target);
      return leaveAsIs(`${decision.owner} configures it now`);
    case 'giveBack':
      await tagCall(() => tagGateway(owned.arn, { [owned.keys.owner]: decision.to }), until, 'hand back', target);
      await tagCall(() => untagGateway(owned.arn, [owned.keys.handover]), until, 'hand back', target);
      return leaveAsIs(`it was taken over from ${decision.to}, which has not given it up: handed back`);
    case 'destroy':
      break;
  }
  if (settings.namespace !== target.namespace || settings.resetConfiguration === undefined) {
    if (decision.release) await tagCall(() => untagGateway(owned.arn, [owned.keys.owner]), until, 'release', target);
    return leaveAsIs(settings.namespace !== target.namespace ? 'the reset document belongs to another namespace' : `no empty document is known for ${target.namespace}`);
  }
  if (await replacedByAnotherWriter(settings, target, until)) {
    if (decision.release) await tagCall(() => untagGateway(owned.arn, [owned.keys.owner]), until, 'release', target);
    return leaveAsIs('another writer (the console, the API) replaced this resource\'s document; what it wrote is not this resource\'s to remove');
  }
  const resetConfiguration = await documentText(settings.resetConfiguration, until);
  checkResetConfiguration(resetConfiguration);
  try {
    await writeDocument(target, resetConfiguration, until, 'reset');
  } catch (error) {
    if (isNotFound(error)) return leaveAsIs('the gateway no longer exists');
    throw error;
  }
  if (!settings.waitForSync) {
    if (decision.release) await tagCall(() => untagGateway(owned.arn, [owned.keys.owner]), until, 'release', target);
    return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'none', StartedAt: startedAt, Deadline: deadline } };
  }
  // isComplete removes the owner tag once the gateway has the empty document.
  return {
    PhysicalResourceId: physicalId,
    EdgeSyncWait: {
      Mode: 'wait',
      StartedAt: startedAt,
      Deadline: deadline,
      AppliedDigest: documentDigest(resetConfiguration),
      ...(decision.release ? { ReleaseOwnerTag: owned.keys.owner } : {}),
    },
  };
}

/**
 * Whether the namespace stores a document other than this resource's configuration: another
 * writer replaced it (while a Create waited, which then failed, or since). A configuration that
 * cannot be read any more (its S3 object removed) cannot tell: the reset goes ahead.
 */
async function replacedByAnotherWriter(settings: GatewayCapabilitySettings, target: CapabilityTarget, until: number): Promise<boolean> {
  if (settings.gatewayId !== target.gatewayId || settings.namespace !== target.namespace) return false;
  const stored = await tagCall(() => storedConfiguration(target), until, 'read the configuration of', target);
  if (stored === undefined) return false;
  let mine: string;
  try {
    mine = await documentText(settings.configuration, until);
  } catch (error) {
    logger.warn('could not read this resource\'s configuration to compare it with the stored one; resetting', { error: describeError(error) });
    return false;
  }
  return !sameDocument(stored, mine);
}

/** The namespace's ownership tags on the gateway, and who this resource is; `gone` when the gateway no longer exists. */
async function ownership(event: OnEventRequest, target: CapabilityTarget, until: number):
Promise<{ arn: string; keys: OwnershipKeys; me: string; tags: Record<string, string> } | 'gone'> {
  const arn = gatewayArn(stackEnvironment(event.StackId), target.gatewayId);
  try {
    const tags = await tagCall(() => gatewayTags(arn), until, 'read the owner of', target);
    return { arn, keys: ownershipKeys(target.namespace), me: ownerIdOf(event.StackId, event.LogicalResourceId), tags };
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    throw error;
  }
}

/**
 * Makes this resource the owner of the namespace before the document is written: claims it when
 * nobody owns it, takes it over when another resource owns it and the gateway already stores
 * exactly this document (a rename or a move), fails naming the owner otherwise.
 */
async function claim(event: OnEventRequest, target: CapabilityTarget, configuration: string, until: number): Promise<void> {
  const owned = await ownership(event, target, until);
  if (owned === 'gone') return; // The write answers ResourceNotFoundException with the service's words.
  const found = applyOwnership(owned.tags, owned.keys, owned.me);
  switch (found.kind) {
    case 'mine':
      return;
    case 'unowned':
      await tagCall(() => tagGateway(owned.arn, { [owned.keys.owner]: owned.me }), until, 'claim', target);
      return;
    case 'others': {
      const stored = await tagCall(() => storedConfiguration(target), until, 'read the configuration of', target);
      if (!sameDocument(stored, configuration)) {
        throw new TerminalError(ownedByAnotherMessage(`Capability namespace ${target.namespace} of gateway ${target.gatewayId}`, found.owner, owned.keys));
      }
      logger.info('taking over the configuration, which the gateway already stores', { from: found.owner, to: owned.me });
      await tagCall(() => tagGateway(owned.arn, { [owned.keys.owner]: owned.me, [owned.keys.handover]: found.owner }), until, 'take over', target);
    }
  }
}

/** A call about ownership, with transient errors retried until `until`; a not-found gateway is rethrown as is. */
async function tagCall<T>(call: () => Promise<T>, until: number, action: string, target: CapabilityTarget): Promise<T> {
  try {
    return await retryTransientErrors(call, { isTransient: isTransientSiteWiseError, until, what: `${action} ${target.namespace} of gateway ${target.gatewayId}` });
  } catch (error) {
    if (error instanceof TerminalError || isNotFound(error)) throw error;
    throw siteWiseFailure(target, action, error);
  }
}

/** When reading and writing documents must stop: at the sync timeout, or in time to answer before the Lambda times out. */
function writeUntil(startedAt: number, deadline: number, context: InvocationContext): number {
  return Math.min(deadline, startedAt + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS);
}

/**
 * Writes a document, retrying throttling, 5xx, network errors and conflicting operations until
 * `until`. A not-found gateway is rethrown as is for the caller to judge; other errors fail.
 */
async function writeDocument(target: CapabilityTarget, document: string, until: number, action: string): Promise<string> {
  try {
    return await retryTransientErrors(() => updateCapabilityConfiguration(target, document), {
      isTransient: isTransientSiteWiseError,
      until,
      what: `${action} ${target.namespace} of gateway ${target.gatewayId}`,
    });
  } catch (error) {
    if (error instanceof TerminalError || isNotFound(error) && action === 'reset') throw error;
    throw siteWiseFailure(target, action, error);
  }
}
