import { isTransientKinesisVideoError } from './kinesis-video';
import { claim, decideDelete } from './ownership';
import { namesSameStream, parseSettings, streamIdentifier } from './settings';
import { unlessOutOfTime } from '../shared/call-budget';
import { unsupportedRequestType } from '../shared/errors';
import { logger } from '../shared/logger';
import { InvocationContext, OnEventRequest, OnEventResponse } from '../shared/types';

/**
 * Checks the properties and the stream's owner (ownership.ts), and hands the work to isComplete,
 * which decides every step from what DescribeEdgeConfiguration shows (start, wait for a sync in
 * progress, move to another hub device, delete). The sync timeout counts from here. When
 * throttling outlasts onEvent's own time, isComplete also makes the ownership calls
 * (WaitState.Unfinished).
 */
export async function onEvent(event: OnEventRequest, _context: InvocationContext): Promise<OnEventResponse> {
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
      const claimed = await unlessOutOfTime(() => claim(event, settings).then(() => true), isTransientKinesisVideoError);
      logger.info('applying edge configuration', { stream: identifier, hubDeviceArn: settings.edgeConfig.HubDeviceArn });
      return {
        PhysicalResourceId: sameStream ? event.PhysicalResourceId! : identifier,
        EdgeSyncWait: { Mode: 'wait', StartedAt: startedAt, Deadline: startedAt + settings.syncTimeoutMs, ...(claimed ? {} : { Unfinished: true as const }) },
      };
    }
    case 'Delete': {
      const physicalId = event.PhysicalResourceId ?? '';
      const settings = parseSettings(event.ResourceProperties, true);
      const wait = { StartedAt: startedAt, Deadline: startedAt + settings.syncTimeoutMs };
      const decision = await unlessOutOfTime(() => decideDelete(event, settings), isTransientKinesisVideoError);
      switch (decision?.kind) {
        case undefined:
          return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'wait', ...wait, Unfinished: true } };
        case 'leave':
          return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'none', ...wait } };
        case 'destroy':
          return { PhysicalResourceId: physicalId, EdgeSyncWait: { Mode: 'wait', ...wait, ...(decision.release ? { ReleaseOwnerTag: decision.release } : {}) } };
      }
    }
    default:
      throw unsupportedRequestType(event.RequestType);
  }
}
