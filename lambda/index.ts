/**
 * Entry points of the shared provider's two Lambda functions (`index.onEvent`,
 * `index.isComplete`). Each resource type has its own handlers; this file only dispatches.
 */
import type { MonitorSummary } from './monitor/index.js';
import { isOutOfTime, withCallBudget } from './shared/call-budget';
import { outcomeOf, writeDeployMetrics } from './shared/deploy-metrics';
import { cutReason, describeError, isTransientAwsError, SyncTimeoutError, TerminalError } from './shared/errors';
import { logger } from './shared/logger';
import { withInvocationCounters } from './shared/metrics';
import { InvocationContext, IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse, ResourceHandler } from './shared/types';
import { ANSWER_MARGIN_MS } from './shared/wait';
import { GATEWAY_CAPABILITY_RESOURCE_TYPE } from '../src/gateway-capability/resource-properties';
import { ENDPOINT_READINESS_RESOURCE_TYPE } from '../src/ground-station/resource-properties';
import { MONITOR_PROPERTIES } from '../src/monitor/monitor-properties';
import { STREAM_EDGE_RESOURCE_TYPE } from '../src/stream-edge/resource-properties';

/** A failure reason is logged whole up to this length (a device's details can be long, but not without end). */
const MAX_LOGGED_REASON_CHARS = 16_384;

/**
 * Each resource type's handlers, loaded on the first event of that type rather than with the
 * bundle. Each type uses its own AWS SDK client (SiteWise and S3, Kinesis Video, Ground Station),
 * and reading and evaluating a client's modules is most of a cold start: a function that only
 * sees Ground Station resources should not pay for the SiteWise client. esbuild splits the bundle
 * at these import()s (the `bundle` task in .projenrc.ts): each type's code is a chunk of its own
 * that the entry module (index.mjs) imports here, once per execution environment. (An import()
 * is an ES module import, hence the file extension; esbuild and TypeScript map .js to the .ts.)
 *
 * Keep them dynamic: a static import of a handler, or of an SDK client in this file or in a
 * shared/ module it imports, would put that client back into every cold start
 * (test/lambda/lazy-loading.test.ts fails then; test/benchmark/handler-startup.ts measures it).
 */
const HANDLERS: Record<string, () => Promise<ResourceHandler>> = {
  [GATEWAY_CAPABILITY_RESOURCE_TYPE]: async () => (await import('./gateway-capability/index.js')).gatewayCapabilityHandler,
  [STREAM_EDGE_RESOURCE_TYPE]: async () => (await import('./stream-edge/index.js')).streamEdgeHandler,
  [ENDPOINT_READINESS_RESOURCE_TYPE]: async () => (await import('./ground-station/index.js')).endpointReadinessHandler,
};

/**
 * Each invocation's AWS calls end in time to answer the framework: before the Lambda timeout less
 * the answer margin (shared/call-budget.ts). isComplete stops polling earlier (shared/wait.ts),
 * which leaves time for the calls after a wait, such as releasing the owner tag.
 */
export async function onEvent(event: OnEventRequest, context: InvocationContext): Promise<OnEventResponse> {
  return withCallBudget(callsUntil(context), () => handle('onEvent', event, async (handler) => {
    // Before the device is touched, so that the drift monitor never holds it to an older document.
    if (hasMonitor(event)) await (await import('./shared/records.js')).recordDeploying(event, syncTimeoutMs(event));
    return handler.onEvent(event, context);
  }));
}

export async function isComplete(event: IsCompleteRequest, context: InvocationContext): Promise<IsCompleteResponse> {
  return withCallBudget(callsUntil(context), () => handle('isComplete', event, async (handler) => {
    const response = await handler.isComplete(event, context);
    if (!response.IsComplete || !hasMonitor(event)) return response;
    try {
      const records = await import('./shared/records.js');
      if (event.RequestType === 'Delete') await records.forgetRecord(event);
      else await records.recordDeployed(event, response);
    } catch (error) {
      if (!isOutOfTime(error, (e) => isTransientAwsError(e))) throw error;
      // The device is done; the next invocation finds it so again and records it.
      logger.warn('could not record the outcome for the drift monitor in this invocation', { error: describeError(error) });
      return { IsComplete: false };
    }
    return response;
  }));
}

/**
 * The drift monitor's entry point (EdgeSyncMonitor's scheduled function), in the same bundle. Its
 * modules and the DynamoDB and EventBridge clients load with its first run only.
 */
export async function monitor(event: unknown, context: InvocationContext): Promise<MonitorSummary> {
  return (await import('./monitor/index.js')).monitor(event, context);
}

/** Whether the stack has a drift monitor, whose table the handlers record what they deploy in. */
function hasMonitor(event: OnEventRequest): boolean {
  return Boolean(event.ResourceProperties[MONITOR_PROPERTIES.table]);
}

/** The operation's sync timeout (a readiness gate's `TimeoutSeconds`); a day when absent, to be safe. */
function syncTimeoutMs(event: OnEventRequest): number {
  const seconds = Number(event.ResourceProperties.SyncTimeoutSeconds ?? event.ResourceProperties.TimeoutSeconds);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 86_400) * 1000;
}

function callsUntil(context: InvocationContext): number {
  return Date.now() + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
}

async function handle<T>(step: 'onEvent' | 'isComplete', event: OnEventRequest, run: (handler: ResourceHandler) => Promise<T>): Promise<T> {
  logger.resetKeys();
  logger.appendKeys({
    step,
    requestType: event.RequestType,
    resourceType: event.ResourceType,
    logicalResourceId: event.LogicalResourceId,
    requestId: event.RequestId,
  });
  const loadHandler = HANDLERS[event.ResourceType];
  return withInvocationCounters(async (counts) => {
    try {
      if (!loadHandler) throw new TerminalError(`cdk-edge-sync has no handler for resource type ${event.ResourceType}`);
      const result = await run(await loadHandler());
      logger.info(`${step} finished`, { result: summarize(result) });
      writeDeployMetrics(event, outcomeOf(step, event, result), counts.throttles);
      return result;
    } catch (error) {
      writeDeployMetrics(event, { kind: 'failed', error }, counts.throttles);
      throw failure(step, labelled(event, error));
    }
  });
}

/**
 * The error with the resource's rollout label before its message (`site plant-3 (gateway ...),
 * wave 2 of 3: Gateway ... rejected ...`), so a fleet's failure names the site and its wave.
 * Deletes are not labelled: they are cleanups, not the rollout.
 */
function labelled(event: OnEventRequest, error: unknown): unknown {
  const label = event.ResourceProperties.RolloutLabel;
  if (!label || event.RequestType === 'Delete') return error;
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof SyncTimeoutError ? new SyncTimeoutError(`${label}: ${message}`) : new TerminalError(`${label}: ${message}`);
}

/** Logs `error` whole and returns what the framework should see: the same error, or its reason cut to fit the response. */
function failure(step: string, error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  logger.error(`${step} failed`, { error: describeError(error), reason: message.slice(0, MAX_LOGGED_REASON_CHARS) });
  // The framework sends the message to CloudFormation as the reason: keep the response under its 4 KB.
  const reason = cutReason(message);
  return reason === message ? error : new TerminalError(reason);
}

/** What is safe to log of a response: never more than ids and statuses. */
function summarize(result: unknown): unknown {
  const r = result as { IsComplete?: boolean; PhysicalResourceId?: string; Data?: unknown };
  return { isComplete: r.IsComplete, physicalResourceId: r.PhysicalResourceId, data: r.Data };
}
