import { parseSettings } from './settings';
import { unsupportedRequestType } from '../shared/errors';
import { logger } from '../shared/logger';
import { OnEventRequest, OnEventResponse } from '../shared/types';

/**
 * Create and Update hand the wait to isComplete, which reads the group's health. A readiness
 * gate owns nothing in AWS, so Delete does nothing.
 */
export async function onEvent(event: OnEventRequest): Promise<OnEventResponse> {
  const startedAt = Date.now();
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      const settings = parseSettings(event.ResourceProperties);
      logger.info('waiting for the agent endpoints of the group to be ready', { dataflowEndpointGroupId: settings.groupId });
      return { PhysicalResourceId: settings.groupId, EdgeSyncWait: { Mode: 'wait', StartedAt: startedAt, Deadline: startedAt + settings.timeoutMs } };
    }
    case 'Delete':
      return { PhysicalResourceId: event.PhysicalResourceId ?? '', EdgeSyncWait: { Mode: 'none', StartedAt: startedAt, Deadline: startedAt } };
    default:
      throw unsupportedRequestType(event.RequestType);
  }
}
