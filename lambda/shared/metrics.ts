import { AsyncLocalStorage } from 'async_hooks';
import { isThrottlingError } from '@smithy/core/retry';

/** The CloudWatch namespace of every cdk-edge-sync metric. */
export const METRICS_NAMESPACE = 'CdkEdgeSync';

/** CloudWatch's units, as far as cdk-edge-sync uses them. */
export type MetricUnit = 'Seconds' | 'Count' | 'None';

export interface MetricValue {
  readonly name: string;
  readonly value: number;
  readonly unit: MetricUnit;
}

/**
 * Writes `values` as one CloudWatch Embedded Metric Format log line: CloudWatch Logs extracts the
 * metrics from the function's log, so they cost no API call (no PutMetricData, no permission).
 *
 * The line goes to stdout directly, not through `console`: with Lambda's JSON log format, the
 * runtime wraps what `console` prints in its own JSON object, and CloudWatch would no longer see
 * an EMF document (the reason the EMF client library for Node.js writes to stdout since 4.1.1).
 * `properties` are logged with the metrics but are not dimensions (searchable, free).
 */
export function writeMetrics(
  dimensions: Readonly<Record<string, string>>,
  values: readonly MetricValue[],
  properties: Readonly<Record<string, unknown>> = {},
  timestamp: number = Date.now(),
  /** The dimension sets, each a list of keys of `dimensions`: by default one set of all of them. */
  dimensionSets: readonly (readonly string[])[] = [Object.keys(dimensions)],
): void {
  if (values.length === 0) return;
  const line = {
    ...properties,
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: METRICS_NAMESPACE,
        Dimensions: dimensionSets,
        Metrics: values.map((v) => ({ Name: v.name, Unit: v.unit })),
      }],
    },
    ...dimensions,
    ...Object.fromEntries(values.map((v) => [v.name, v.value])),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** What one invocation counts as it goes, for the metrics it writes at its end. */
interface InvocationCounters {
  throttles: number;
}

const counters = new AsyncLocalStorage<InvocationCounters>();

/** Runs `run` counting the throttling errors its AWS calls meet (see `countRetriedError`). */
export async function withInvocationCounters<T>(run: (counts: Readonly<InvocationCounters>) => Promise<T>): Promise<T> {
  const counts: InvocationCounters = { throttles: 0 };
  return counters.run(counts, () => run(counts));
}

/**
 * Throttling as the services name it, beyond the codes the SDK knows: Kinesis Video's per-second
 * quotas answer ClientLimitExceededException. SiteWise's LimitExceededException is a quota on
 * resources (HTTP 410), not a rate, although the SDK counts it as throttling.
 */
const ALSO_THROTTLING = ['ClientLimitExceededException'];
const NOT_THROTTLING = ['LimitExceededException'];

/** Whether `error` is a service refusing a call for its rate. */
export function isThrottling(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const name = (error as { name?: string }).name ?? '';
  if (NOT_THROTTLING.includes(name)) return false;
  return ALSO_THROTTLING.includes(name) || isThrottlingError(error as any);
}

/** Called by the SDK clients' retry strategy with every failed attempt's error. */
export function countFailedAttempt(error: unknown): void {
  const counts = counters.getStore();
  if (counts && isThrottling(error)) counts.throttles++;
}
