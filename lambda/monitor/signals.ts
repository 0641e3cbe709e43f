import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CheckResult } from './types';
import { S3_BACKOFF } from '../shared/backoff';
import { budgetedClientOptions } from '../shared/client-options';
import { describeError, isTransientAwsError } from '../shared/errors';
import { logger } from '../shared/logger';
import { MetricValue, writeMetrics } from '../shared/metrics';

/** The metrics of each monitored resource, in namespace CdkEdgeSync. */
export const MONITOR_METRICS = {
  drifted: 'Drifted',
  inSync: 'InSync',
  ready: 'Ready',
} as const;

/** `source` and `detail-type` of the events the monitor sends. */
export const DRIFT_EVENT_SOURCE = 'cdk-edge-sync';
export const DRIFT_DETAIL_TYPE = 'Edge Configuration Drift Detected';

/**
 * One EMF line per resource, with two dimension sets: the resource itself (Stack, ConstructPath,
 * Target) for its own alarm, and the stack alone, whose Sum counts the drifted or out-of-sync
 * resources of a run.
 */
export function writeResourceMetrics(result: CheckResult, timestamp: number): void {
  const values: MetricValue[] = [
    { name: MONITOR_METRICS.drifted, value: result.drifted ? 1 : 0, unit: 'Count' },
    { name: MONITOR_METRICS.inSync, value: result.inSync ? 1 : 0, unit: 'Count' },
  ];
  if (result.ready !== undefined) values.push({ name: MONITOR_METRICS.ready, value: result.ready ? 1 : 0, unit: 'Count' });
  writeMetrics(
    { Stack: result.record.StackName, ConstructPath: result.record.ConstructPath, Target: result.target },
    values,
    {
      resourceType: result.record.ResourceType,
      logicalId: result.record.LogicalId,
      status: result.status,
      paths: result.paths,
      ...(result.ownedBy ? { ownedBy: result.ownedBy } : {}),
    },
    timestamp,
    [['Stack', 'ConstructPath', 'Target'], ['Stack']],
  );
}

const REQUEST_TIMEOUT_MS = 10_000;
let client: EventBridgeClient | undefined;

function eventBridge(): EventBridgeClient {
  client ??= new EventBridgeClient(budgetedClientOptions((error) => isTransientAwsError(error), S3_BACKOFF, REQUEST_TIMEOUT_MS));
  return client;
}

/** The event of a drifted resource: what it is, where it differs, and what the monitor does about it. */
export function driftEntry(result: CheckResult, eventBusName: string, remediation: string): PutEventsRequestEntry {
  return {
    EventBusName: eventBusName,
    Source: DRIFT_EVENT_SOURCE,
    DetailType: DRIFT_DETAIL_TYPE,
    Resources: [result.targetArn],
    Detail: JSON.stringify({
      stackName: result.record.StackName,
      constructPath: result.record.ConstructPath,
      logicalId: result.record.LogicalId,
      resourceType: result.record.ResourceType,
      target: result.target,
      status: result.status,
      paths: result.paths,
      ...(result.ownedBy ? { ownedBy: result.ownedBy } : {}),
      remediation,
    }),
  };
}

/** Sends the entries ten at a time (PutEvents' limit); a failure is logged, never thrown: the metrics are written already. */
export async function sendEvents(entries: readonly PutEventsRequestEntry[]): Promise<number> {
  let failed = 0;
  for (let i = 0; i < entries.length; i += 10) {
    const batch = entries.slice(i, i + 10);
    try {
      const response = await eventBridge().send(new PutEventsCommand({ Entries: batch }));
      failed += response.FailedEntryCount ?? 0;
      for (const entry of response.Entries ?? []) {
        if (entry.ErrorCode) logger.warn('EventBridge refused a drift event', { errorCode: entry.ErrorCode, errorMessage: entry.ErrorMessage });
      }
    } catch (error) {
      failed += batch.length;
      logger.warn('could not send drift events', { error: describeError(error), count: batch.length });
    }
  }
  return failed;
}
