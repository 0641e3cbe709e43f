import { sameDocument } from './document-digest';
import { CapabilityTarget } from './settings';
import { gatewayArn, gatewayTags, isNotFound, siteWiseCall, storedConfiguration, tagGateway } from './sitewise';
import { TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';
import { applyOwnership, ownedByAnotherMessage, ownerIdOf, OwnershipKeys, ownershipKeys, stackEnvironment } from '../shared/ownership';
import { OnEventRequest } from '../shared/types';

/** A namespace's ownership tags on its gateway (shared/ownership.ts), and who this resource is. */
export interface NamespaceOwnership {
  readonly arn: string;
  readonly keys: OwnershipKeys;
  readonly me: string;
  readonly tags: Record<string, string>;
}

/** The namespace's ownership; `gone` when the gateway no longer exists. */
export async function readOwnership(event: OnEventRequest, target: CapabilityTarget): Promise<NamespaceOwnership | 'gone'> {
  const arn = gatewayArn(stackEnvironment(event.StackId), target.gatewayId);
  try {
    const tags = await siteWiseCall(target, 'read the owner of', () => gatewayTags(arn));
    return { arn, keys: ownershipKeys(target.namespace), me: ownerIdOf(event.StackId, event.LogicalResourceId), tags };
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    throw error;
  }
}

/**
 * Makes this resource the owner of the namespace before the document is written: claims it when
 * nobody owns it, takes it over when another resource owns it and the gateway already stores
 * exactly this document (a rename or a move), fails naming the owner otherwise. Decided from the
 * tags each time, so it can be made again (by isComplete, when onEvent ran out of time).
 */
export async function claim(event: OnEventRequest, target: CapabilityTarget, configuration: string): Promise<void> {
  const owned = await readOwnership(event, target);
  if (owned === 'gone') return; // The write answers ResourceNotFoundException with the service's words.
  const found = applyOwnership(owned.tags, owned.keys, owned.me);
  switch (found.kind) {
    case 'mine':
      return;
    case 'unowned':
      await siteWiseCall(target, 'claim', () => tagGateway(owned.arn, { [owned.keys.owner]: owned.me }));
      return;
    case 'others': {
      const stored = await siteWiseCall(target, 'read the configuration of', () => storedConfiguration(target));
      if (!sameDocument(stored, configuration)) {
        throw new TerminalError(ownedByAnotherMessage(`Capability namespace ${target.namespace} of gateway ${target.gatewayId}`, found.owner, owned.keys));
      }
      logger.info('taking over the configuration, which the gateway already stores', { from: found.owner, to: owned.me });
      await siteWiseCall(target, 'take over', () => tagGateway(owned.arn, { [owned.keys.owner]: owned.me, [owned.keys.handover]: found.owner }));
    }
  }
}
