import { documentDigest, sameDocument } from './document-digest';
import { documentText } from './documents';
import { claim } from './ownership';
import { CapabilityTarget, checkConfiguration, checkResetConfiguration, GatewayCapabilitySettings } from './settings';
import { describeCapability, isNotFound, siteWiseCall, siteWiseFailure, StoredCapability, updateCapabilityConfiguration } from './sitewise';
import { logger } from '../shared/logger';
import { OnEventRequest } from '../shared/types';

/** What an apply wrote: the status the API answered, and the document's digest (document-digest.ts). */
export interface Applied {
  readonly status: string;
  readonly digest: string;
}

/**
 * What Create and Update do before the wait: read and check the documents, claim the namespace
 * (ownership.ts) and write the document. Returns the sync status the API answered for it.
 *
 * `resumed`: isComplete finishing what onEvent could not in its own time. An earlier invocation
 * may have written the document already, and nothing tells it so (shared/types.ts, WaitState):
 * a document the gateway already stores counts as written, and its status is returned. Writing it
 * again would restart a sync the gateway may be in the middle of.
 */
export async function applyConfiguration(event: OnEventRequest, settings: GatewayCapabilitySettings, resumed: boolean): Promise<Applied> {
  const configuration = await documentText(settings.configuration);
  checkConfiguration(configuration, settings.documentRules);
  // A reset document CloudFormation resolved wrongly fails now, not at the delete.
  if (settings.resetConfiguration) checkResetConfiguration(await documentText(settings.resetConfiguration));
  await claim(event, settings, configuration);
  const digest = documentDigest(configuration);
  if (resumed) {
    const stored = await storedCapability(settings);
    if (stored && sameDocument(stored.configuration, configuration)) return { status: stored.status, digest };
  }
  logger.info('applying configuration', { gatewayId: settings.gatewayId, namespace: settings.namespace, documentLength: configuration.length });
  try {
    return { status: await writeDocument(settings, configuration, 'apply the configuration of'), digest };
  } catch (error) {
    if (isNotFound(error)) throw siteWiseFailure(settings, 'apply the configuration of', error);
    throw error;
  }
}

/** The namespace's stored document and status; undefined when it has none (or the gateway is gone). */
export async function storedCapability(target: CapabilityTarget): Promise<StoredCapability | undefined> {
  try {
    return await siteWiseCall(target, 'read the configuration of', () => describeCapability(target));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Writes a document; returns the status the API answered. The client retries throttling, 5xx,
 * network errors and ConflictingOperationException within the call budget; those and a gateway
 * not found pass as they are, for the caller to judge; other errors fail.
 */
export function writeDocument(target: CapabilityTarget, document: string, action: string): Promise<string> {
  return siteWiseCall(target, action, () => updateCapabilityConfiguration(target, document));
}
