import { documentText } from './documents';
import { CapabilityTarget, checkConfiguration, checkResetConfiguration, parseSettings, physicalIdOf, targetOfPhysicalId } from './settings';
import { isNotFound, isTransientSiteWiseError, siteWiseFailure, updateCapabilityConfiguration } from './sitewise';
import { ResetOnDelete } from '../../src/gateway-capability/resource-properties';
import { TerminalError, unsupportedRequestType } from '../shared/errors';
import { logger } from '../shared/logger';
import { InvocationContext, OnEventRequest, OnEventResponse } from '../shared/types';
import { ANSWER_MARGIN_MS, retryTransientErrors } from '../shared/wait';

/**
 * Create and Update write the document and hand the wait to isComplete. Update to another
 * gateway or namespace returns a new physical id, so CloudFormation deletes the old one.
 * Delete overwrites the document with the namespace's empty one, or leaves it.
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
  logger.info('applying configuration', { gatewayId: settings.gatewayId, namespace: settings.namespace, documentLength: configuration.length });
  const accepted = await writeDocument(settings, configuration, until, 'apply the configuration of');
  logger.info('configuration accepted', { capabilitySyncStatus: accepted, waitForSync: settings.waitForSync });
  return {
    PhysicalResourceId: physicalId,
    EdgeSyncWait: { Mode: settings.waitForSync ? 'wait' : 'none', StartedAt: startedAt, Deadline: deadline, AcceptedStatus: accepted },
  };
}

async function remove(event: OnEventRequest, context: InvocationContext): Promise<OnEventResponse> {
  const startedAt = Date.now();
  const physicalId = event.PhysicalResourceId ?? '';
  const leaveAsIs = (why: string): OnEventResponse => {
    logger.info(`delete leaves the configuration as it is: ${why}`, { physicalId });
    return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'none', StartedAt: startedAt, Deadline: startedAt } };
  };

  const target = targetOfPhysicalId(physicalId);
  if (!target) return leaveAsIs('the physical id names no gateway capability, so nothing was applied');
  const settings = parseSettings(event.ResourceProperties, true);
  if (settings.onDelete === ResetOnDelete.RETAIN) return leaveAsIs('the removal policy retains it');
  if (settings.namespace !== target.namespace) return leaveAsIs('the reset document belongs to another namespace');
  if (settings.resetConfiguration === undefined) return leaveAsIs(`no empty document is known for ${target.namespace}`);

  const deadline = startedAt + settings.syncTimeoutMs;
  const until = writeUntil(startedAt, deadline, context);
  const resetConfiguration = await documentText(settings.resetConfiguration, until);
  checkResetConfiguration(resetConfiguration);
  try {
    await writeDocument(target, resetConfiguration, until, 'reset');
  } catch (error) {
    if (isNotFound(error)) return leaveAsIs('the gateway no longer exists');
    throw error;
  }
  return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: settings.waitForSync ? 'wait' : 'none', StartedAt: startedAt, Deadline: deadline } };
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
