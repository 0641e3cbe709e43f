import { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { checkGatewayCapability } from './check-gateway';
import { checkEndpointGroup } from './check-ground-station';
import { checkStreamEdge } from './check-stream';
import { forEachLimited, Pacer } from './pacing';
import { driftEntry, sendEvents, writeResourceMetrics } from './signals';
import { CheckResult, MonitorSettings } from './types';
import { GATEWAY_CAPABILITY_RESOURCE_TYPE } from '../../src/gateway-capability/resource-properties';
import { ENDPOINT_READINESS_RESOURCE_TYPE } from '../../src/ground-station/resource-properties';
import { MONITOR_ENVIRONMENT } from '../../src/monitor/monitor-properties';
import { STREAM_EDGE_RESOURCE_TYPE } from '../../src/stream-edge/resource-properties';
import { withCallBudget } from '../shared/call-budget';
import { describeError } from '../shared/errors';
import { logger } from '../shared/logger';
import { DeployedRecord, scanRecords } from '../shared/records';
import { InvocationContext } from '../shared/types';
import { ANSWER_MARGIN_MS } from '../shared/wait';

/** What one run found; also logged. */
export interface MonitorSummary {
  readonly checked: number;
  readonly drifted: number;
  readonly outOfSync: number;
  /** Resources a deploy is applying right now: left alone until their sync deadline. */
  readonly deploying: number;
  readonly remediated: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly failedEvents: number;
}

/** Checks running at once, and checks started per second, per service (see Pacer). */
const CONCURRENCY = 10;
const CHECKS_PER_SECOND: Record<string, number> = {
  [GATEWAY_CAPABILITY_RESOURCE_TYPE]: 10,
  [STREAM_EDGE_RESOURCE_TYPE]: 10,
  [ENDPOINT_READINESS_RESOURCE_TYPE]: 5,
};
const CHECKS: Record<string, (record: DeployedRecord) => Promise<CheckResult>> = {
  [GATEWAY_CAPABILITY_RESOURCE_TYPE]: checkGatewayCapability,
  [STREAM_EDGE_RESOURCE_TYPE]: checkStreamEdge,
  [ENDPOINT_READINESS_RESOURCE_TYPE]: checkEndpointGroup,
};

function settingsFromEnvironment(): MonitorSettings {
  const env = process.env;
  const table = env[MONITOR_ENVIRONMENT.table];
  if (!table) throw new Error(`the monitor function has no ${MONITOR_ENVIRONMENT.table} in its environment`);
  return {
    table,
    remediate: env[MONITOR_ENVIRONMENT.remediate] === 'true',
    remediationTimeoutMs: Number(env[MONITOR_ENVIRONMENT.remediationTimeoutSeconds] ?? 300) * 1000,
    eventBusName: env[MONITOR_ENVIRONMENT.eventBus] || 'default',
  };
}

/**
 * The drift monitor (EventBridge schedule): checks every edge-sync resource its stack recorded,
 * writes each one's metrics, sends an event for each one that drifted, and with `remediate`
 * re-applies the deployed configuration of drifted SiteWise namespaces and Kinesis Video streams
 * that the resource still owns, waiting as a deploy would, up to the remediation timeout.
 */
export async function monitor(_event: unknown, context: InvocationContext): Promise<MonitorSummary> {
  const end = Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  return withCallBudget(end, () => run(settingsFromEnvironment(), end));
}

async function run(settings: MonitorSettings, end: number): Promise<MonitorSummary> {
  logger.resetKeys();
  logger.appendKeys({ step: 'monitor' });
  const records = await scanRecords(settings.table);
  const now = Date.now();
  const settling = records.filter((record) => record.Status === 'deploying' && record.SettleBy > now);
  const due = records.filter((record) => !settling.includes(record));
  const pacers = new Map(Object.entries(CHECKS_PER_SECOND).map(([type, rate]) => [type, new Pacer(rate)]));
  const results: CheckResult[] = [];
  const errors: Record<string, string> = {};

  await forEachLimited(due, CONCURRENCY, async (record) => {
    const check = CHECKS[record.ResourceType];
    if (!check) {
      errors[record.LogicalId] = `no check for resource type ${record.ResourceType}`;
      return;
    }
    await pacers.get(record.ResourceType)!.slot();
    try {
      const result = await check(record);
      results.push(result);
      writeResourceMetrics(result, Date.now());
    } catch (error) {
      errors[record.LogicalId] = describeError(error);
      logger.warn('could not check a resource', { logicalId: record.LogicalId, error: errors[record.LogicalId] });
    }
  });

  const drifted = results.filter((result) => result.drifted);
  const remediable = settings.remediate ? drifted.filter((result) => result.remediate) : [];
  const entries: PutEventsRequestEntry[] = drifted.map((result) => driftEntry(result, settings.eventBusName, remediationOf(settings, result)));
  const failedEvents = await sendEvents(entries);

  const remediated: Record<string, string> = {};
  const deadline = Math.min(end, Date.now() + settings.remediationTimeoutMs);
  await forEachLimited(remediable, CONCURRENCY, async (result) => {
    try {
      remediated[result.record.LogicalId] = await result.remediate!(deadline);
    } catch (error) {
      remediated[result.record.LogicalId] = `failed: ${describeError(error)}`;
    }
    logger.info('remediated', { logicalId: result.record.LogicalId, target: result.target, outcome: remediated[result.record.LogicalId] });
  });

  const summary: MonitorSummary = {
    checked: results.length,
    drifted: drifted.length,
    outOfSync: results.filter((result) => !result.inSync).length,
    deploying: settling.length,
    remediated,
    errors,
    failedEvents,
  };
  logger.info('monitor run finished', { ...summary });
  return summary;
}

/** What the event says the monitor does about a drifted resource. */
function remediationOf(settings: MonitorSettings, result: CheckResult): string {
  if (!settings.remediate) return 'none: remediate is off';
  if (result.ownedBy) return `none: ${result.ownedBy} owns the target now`;
  if (!result.remediate) return result.ready === undefined ? 'none: a sync or deletion is in progress' : 'none: Ground Station is never remediated';
  return 're-applying the deployed configuration';
}
