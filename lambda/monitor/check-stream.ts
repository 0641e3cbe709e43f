import { differingPaths } from './json-diff';
import { CheckResult } from './types';
import { waitUntil } from './waiting';
import { ownershipKeys } from '../shared/ownership';
import { DeployedRecord } from '../shared/records';
import { describeEdgeConfiguration, startEdgeConfigurationUpdate, streamTags } from '../stream-edge/kinesis-video';
import { BUSY, includes } from '../stream-edge/reconcile';
import { parseSettings, streamIdentifier } from '../stream-edge/settings';

/**
 * A Kinesis Video stream's edge configuration: in sync when it holds every value deployed (the
 * service adds defaults) and reports IN_SYNC; drifted when it holds other values or none. The
 * Edge Agent's last recorder and uploader status travel with the result.
 */
export async function checkStreamEdge(record: DeployedRecord): Promise<CheckResult> {
  const settings = parseSettings(record.Properties);
  const stream = settings.stream;
  // As the construct names it (the stream's name or ARN as given): the metrics' Target dimension.
  const target = streamIdentifier(stream);
  const base = { record, target, targetArn: stream.StreamARN ?? record.PhysicalId ?? target };
  const observed = await describeEdgeConfiguration(stream);
  if (!observed) {
    return { ...base, drifted: true, inSync: false, paths: ['/'], status: 'the stream has no edge configuration', remediate: remediation(record, settings) };
  }
  const same = includes(observed.EdgeConfig, settings.edgeConfig);
  const recorder = observed.EdgeAgentStatus?.LastRecorderStatus?.RecorderStatus;
  const uploader = observed.EdgeAgentStatus?.LastUploaderStatus?.UploaderStatus;
  const agent = [recorder && `recorder ${recorder}`, uploader && `uploader ${uploader}`].filter(Boolean).join(', ');
  const owner = (await streamTags(stream))[ownershipKeys().owner];
  const ownedBy = owner !== undefined && owner !== record.OwnerId ? owner : undefined;
  return {
    ...base,
    targetArn: observed.StreamARN ?? base.targetArn,
    drifted: !same,
    inSync: same && observed.SyncStatus === 'IN_SYNC',
    paths: same ? [] : differingPaths(settings.edgeConfig, pick(observed.EdgeConfig, settings.edgeConfig)),
    status: `SyncStatus ${observed.SyncStatus ?? 'UNKNOWN'}${agent ? `, ${agent}` : ''}${same ? '' : ', another edge configuration'}`,
    ownedBy,
    remediate: ownedBy || BUSY.includes(observed.SyncStatus ?? '') ? undefined : remediation(record, settings),
  };
}

function remediation(_record: DeployedRecord, settings: ReturnType<typeof parseSettings>) {
  return async (deadline: number) => {
    const startedAt = Date.now();
    await startEdgeConfigurationUpdate(settings.stream, settings.edgeConfig);
    return waitUntil(deadline, async () => {
      const now = await describeEdgeConfiguration(settings.stream);
      const status = now?.SyncStatus ?? 'no edge configuration';
      if (now && !includes(now.EdgeConfig, settings.edgeConfig)) return { done: true, outcome: 'another edge configuration was started meanwhile' };
      if (status === 'IN_SYNC' && (now?.LastUpdatedTime?.getTime() ?? startedAt) >= startedAt - 5_000) return { done: true, outcome: 'IN_SYNC' };
      if (status === 'SYNC_FAILED') return { done: true, outcome: `SYNC_FAILED: ${now?.FailedStatusDetails ?? 'no details given'}` };
      return { done: false, status };
    });
  };
}

/**
 * The observed configuration cut to the members deployed, so that the service's defaults are
 * not reported as differences (the comparison itself is `includes`).
 */
function pick(actual: unknown, wanted: unknown): unknown {
  if (wanted === null || typeof wanted !== 'object' || actual === null || typeof actual !== 'object') return actual;
  if (Array.isArray(wanted)) return actual;
  return Object.fromEntries(Object.keys(wanted as object).map((key) => [key, pick((actual as any)[key], (wanted as any)[key])]));
}
