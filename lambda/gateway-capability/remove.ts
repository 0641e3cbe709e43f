import { storedCapability, writeDocument } from './apply';
import { documentDigest, sameDocument } from './document-digest';
import { documentText } from './documents';
import { NamespaceOwnership, readOwnership } from './ownership';
import { CapabilityTarget, checkResetConfiguration, GatewayCapabilitySettings, targetOfPhysicalId } from './settings';
import { isNotFound, siteWiseCall, tagGateway, untagGateway } from './sitewise';
import { ResetOnDelete } from '../../src/gateway-capability/resource-properties';
import { describeError } from '../shared/errors';
import { logger } from '../shared/logger';
import { deleteOwnership, isInventedPhysicalId } from '../shared/ownership';
import { OnEventRequest } from '../shared/types';

/** What a Delete leaves to the wait. */
export type RemoveOutcome =
  /** Nothing to wait for: the configuration is left as it is, or reset without waiting. */
  | { readonly kind: 'done' }
  /**
   * The empty document (`digest`, document-digest.ts) is written: wait for the gateway, then
   * remove the owner tag `release`, if set.
   */
  | { readonly kind: 'wait'; readonly digest: string; readonly release?: string };

/**
 * The target a Delete acts on: the one its physical id names, or, for a Create CloudFormation
 * stopped waiting for (an invented physical id), the one its properties name. Undefined when the
 * physical id names none (nothing was applied).
 */
export function deleteTarget(event: OnEventRequest, settings: GatewayCapabilitySettings): CapabilityTarget | undefined {
  return isInventedPhysicalId(event.StackId, event.LogicalResourceId, event.PhysicalResourceId)
    ? { gatewayId: settings.gatewayId, namespace: settings.namespace }
    : targetOfPhysicalId(event.PhysicalResourceId);
}

/**
 * What Delete does before the wait: overwrites the document with the namespace's empty one, or
 * leaves it, always when another resource owns it now (shared/ownership.ts). Decided from the
 * tags each time, so it can be done again: `resumed`, by isComplete when onEvent ran out of time,
 * which counts an empty document the gateway already stores as written (apply.ts).
 */
export async function removeConfiguration(event: OnEventRequest, settings: GatewayCapabilitySettings, resumed: boolean): Promise<RemoveOutcome> {
  const physicalId = event.PhysicalResourceId ?? '';
  const leaveAsIs = (why: string): RemoveOutcome => {
    logger.info(`delete leaves the configuration as it is: ${why}`, { physicalId });
    return { kind: 'done' };
  };
  const target = deleteTarget(event, settings);
  if (!target) return leaveAsIs('the physical id names no gateway capability, so nothing was applied');
  // Retained on purpose: it stays owned, so that nothing else overwrites it with another document.
  if (settings.onDelete === ResetOnDelete.RETAIN) return leaveAsIs('the removal policy retains it');

  const owned = await readOwnership(event, target);
  if (owned === 'gone') return leaveAsIs('the gateway no longer exists');
  const invented = isInventedPhysicalId(event.StackId, event.LogicalResourceId, physicalId);
  if (invented && owned.tags[owned.keys.owner] !== owned.me) return leaveAsIs('the create that was cancelled never claimed it');
  const decision = deleteOwnership(owned.tags, owned.keys, owned.me);
  switch (decision.kind) {
    case 'leave':
      if (decision.confirmHandover) await siteWiseCall(target, 'confirm the handover of', () => untagGateway(owned.arn, [owned.keys.handover]));
      return leaveAsIs(`${decision.owner} configures it now`);
    case 'giveBack':
      await siteWiseCall(target, 'hand back', () => tagGateway(owned.arn, { [owned.keys.owner]: decision.to }));
      await siteWiseCall(target, 'hand back', () => untagGateway(owned.arn, [owned.keys.handover]));
      return leaveAsIs(`it was taken over from ${decision.to}, which has not given it up: handed back`);
    case 'destroy':
      break;
  }
  const release = decision.release ? owned.keys.owner : undefined;
  if (settings.namespace !== target.namespace || settings.resetConfiguration === undefined) {
    await releaseNow(target, owned, release);
    return leaveAsIs(settings.namespace !== target.namespace ? 'the reset document belongs to another namespace' : `no empty document is known for ${target.namespace}`);
  }
  const resetConfiguration = await documentText(settings.resetConfiguration);
  checkResetConfiguration(resetConfiguration);
  const stored = (await storedCapability(target))?.configuration;
  if (!(resumed && sameDocument(stored, resetConfiguration))) {
    if (stored !== undefined && await replacedByAnotherWriter(settings, target, stored)) {
      await releaseNow(target, owned, release);
      return leaveAsIs('another writer (the console, the API) replaced this resource\'s document; what it wrote is not this resource\'s to remove');
    }
    try {
      await writeDocument(target, resetConfiguration, 'reset');
    } catch (error) {
      if (isNotFound(error)) return leaveAsIs('the gateway no longer exists');
      throw error;
    }
  }
  if (!settings.waitForSync) {
    await releaseNow(target, owned, release);
    return { kind: 'done' };
  }
  // Released once the gateway has the empty document (shared/types.ts, WaitState.ReleaseOwnerTag).
  return { kind: 'wait', digest: documentDigest(resetConfiguration), release };
}

/**
 * Whether `stored` is another document than this resource's configuration: another writer
 * replaced it (while a Create waited, which then failed, or since). A configuration that cannot
 * be read any more (its S3 object removed) cannot tell, and the reset goes ahead.
 */
async function replacedByAnotherWriter(
  settings: GatewayCapabilitySettings, target: CapabilityTarget, stored: string,
): Promise<boolean> {
  if (settings.gatewayId !== target.gatewayId || settings.namespace !== target.namespace) return false;
  let mine: string;
  try {
    mine = await documentText(settings.configuration);
  } catch (error) {
    logger.warn('could not read this resource\'s configuration to compare it with the stored one; resetting', { error: describeError(error) });
    return false;
  }
  return !sameDocument(stored, mine);
}

async function releaseNow(target: CapabilityTarget, owned: NamespaceOwnership, key: string | undefined): Promise<void> {
  if (key) await siteWiseCall(target, 'release', () => untagGateway(owned.arn, [key]));
}
