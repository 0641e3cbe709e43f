/**
 * CloudWatch Embedded Metric Format (EMF) as CloudWatch Logs extracts it from a Lambda function's
 * log events (CloudWatch User Guide, "Specification: Embedded metric format"): a log event whose
 * whole text is a JSON object with an `_aws` member claims EMF; `_aws.Timestamp` (epoch ms) and
 * `_aws.CloudWatchMetrics` (MetricDirectives of Namespace, Dimensions and Metrics) say which
 * members of the object are metric values and which are dimension values.
 *
 * A line that is not such an object is an ordinary log line. Note what that means with Lambda's
 * JSON log format: `console.log(emf)` is wrapped as `{"timestamp","level","requestId","message":{…}}`,
 * whose top level has no `_aws`, so its metrics are lost (why the EMF client libraries write to
 * stdout directly there); `process.stdout.write(JSON.stringify(emf) + "\n")` is a log event of its own.
 */

/** One metric value CloudWatch would record. */
export interface MetricRecord {
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  /** `None` when the definition gives no unit. */
  readonly unit: string;
  /** The dimension set's names and their values from the object. */
  readonly dimensions: Record<string, string>;
  /** `_aws.Timestamp`, epoch ms. */
  readonly timestamp: number;
  /** 1 (high resolution) or 60 (standard). */
  readonly storageResolution: number;
}

/** A line that claims EMF but breaks the specification: CloudWatch would not extract its metrics. */
export class InvalidEmfError extends Error {
  constructor(message: string, public readonly line: string) {
    super(`Invalid EMF log event: ${message}`);
    this.name = 'InvalidEmfError';
  }
}

export const MAX_DIMENSIONS_PER_SET = 30;
export const MAX_METRICS_PER_DIRECTIVE = 100;
export const MAX_VALUES_PER_METRIC = 100;
const MAX_NAME_LENGTH = 1024;
const MAX_NAMESPACE_LENGTH = 1024;
export const EMF_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits',
  'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
];

/** The metric values of a function's log lines; lines that do not claim EMF are skipped, an invalid EMF line throws InvalidEmfError. */
export function metricsOfLogLines(lines: readonly string[]): MetricRecord[] {
  return lines.flatMap((line) => metricsOfLine(line));
}

export function metricsOfLine(line: string): MetricRecord[] {
  const text = line.trim();
  if (!text.startsWith('{')) return [];
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isObject(root) || !('_aws' in root)) return [];
  const fail = (message: string): never => {
    throw new InvalidEmfError(message, line);
  };
  const metadata = root._aws;
  if (!isObject(metadata)) return fail('_aws must be an object');
  const timestamp = metadata.Timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) return fail('_aws.Timestamp must be a number of epoch milliseconds');
  const directives = metadata.CloudWatchMetrics;
  if (!Array.isArray(directives)) return fail('_aws.CloudWatchMetrics must be an array of MetricDirectives');
  const records: MetricRecord[] = [];
  for (const [d, directive] of directives.entries()) {
    const at = `_aws.CloudWatchMetrics[${d}]`;
    if (!isObject(directive)) return fail(`${at} must be an object`);
    const { Namespace: namespace, Dimensions: dimensionSets, Metrics: metrics } = directive;
    if (typeof namespace !== 'string' || namespace.length < 1 || namespace.length > MAX_NAMESPACE_LENGTH) return fail(`${at}.Namespace must be a non-empty string`);
    if (!Array.isArray(dimensionSets)) return fail(`${at}.Dimensions must be an array of DimensionSets`);
    if (!Array.isArray(metrics)) return fail(`${at}.Metrics must be an array of MetricDefinitions`);
    if (metrics.length > MAX_METRICS_PER_DIRECTIVE) return fail(`${at}.Metrics has ${metrics.length} MetricDefinitions; at most ${MAX_METRICS_PER_DIRECTIVE} are allowed`);
    const sets: Array<Record<string, string>> = [];
    for (const [s, set] of dimensionSets.entries()) {
      if (!Array.isArray(set) || set.some((name) => typeof name !== 'string')) return fail(`${at}.Dimensions[${s}] must be an array of dimension names`);
      if (set.length > MAX_DIMENSIONS_PER_SET) return fail(`${at}.Dimensions[${s}] has ${set.length} dimensions; at most ${MAX_DIMENSIONS_PER_SET} are allowed`);
      const values: Record<string, string> = {};
      for (const name of set as string[]) {
        const value = root[name];
        if (value === undefined) return fail(`dimension ${name} of ${at}.Dimensions[${s}] is not a member of the log event`);
        if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) return fail(`dimension ${name} must be a non-empty string member`);
        values[name] = value;
      }
      sets.push(values);
    }
    // A directive without dimension sets records its metrics without dimensions.
    if (sets.length === 0) sets.push({});
    for (const [m, metric] of metrics.entries()) {
      if (!isObject(metric)) return fail(`${at}.Metrics[${m}] must be an object`);
      const { Name: name, Unit: unit = 'None', StorageResolution: resolution = 60 } = metric;
      if (typeof name !== 'string' || name.length < 1 || name.length > MAX_NAME_LENGTH) return fail(`${at}.Metrics[${m}].Name must be a non-empty string`);
      if (typeof unit !== 'string' || !EMF_UNITS.includes(unit)) return fail(`${at}.Metrics[${m}].Unit ${JSON.stringify(unit)} is not a CloudWatch unit`);
      if (resolution !== 1 && resolution !== 60) return fail(`${at}.Metrics[${m}].StorageResolution must be 1 or 60`);
      const member = root[name];
      if (member === undefined) return fail(`metric ${name} is not a member of the log event`);
      const values = Array.isArray(member) ? member : [member];
      if (values.length > MAX_VALUES_PER_METRIC) return fail(`metric ${name} has ${values.length} values; at most ${MAX_VALUES_PER_METRIC} are allowed`);
      if (values.length === 0 || values.some((value) => typeof value !== 'number' || !Number.isFinite(value))) {
        return fail(`metric ${name} must be a number or an array of numbers, got ${JSON.stringify(member)}`);
      }
      for (const dimensions of sets) {
        for (const value of values as number[]) {
          records.push({ namespace, name, value, unit, dimensions: { ...dimensions }, timestamp, storageResolution: resolution });
        }
      }
    }
  }
  return records;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
