import { namesSameStream, parseSettings, streamIdentifier, streamOfPhysicalId } from './settings';
import { unsupportedRequestType } from '../shared/errors';
import { logger } from '../shared/logger';
import { OnEventRequest, OnEventResponse } from '../shared/types';

/**
 * Checks the properties and hands the work to isComplete, which decides every step from what
 * DescribeEdgeConfiguration shows (start, wait for a sync in progress, move to another hub
 * device, delete). The sync timeout counts from here.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  const startedAt = Date.now();
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
      if (!streamOfPhysicalId(physicalId)) {
        logger.info('delete does nothing: the physical id names no stream', { physicalId });
        return none;
      }
      return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'wait', StartedAt: startedAt, Deadline: startedAt + settings.syncTimeoutMs } };
    }
    default:
      throw unsupportedRequestType(event.RequestType);
  }
}
