import { InvalidEmfError, metricsOfLine, metricsOfLogLines } from '../support/harness';

// Embedded Metric Format as CloudWatch Logs extracts it: lines that do not claim EMF are ordinary
// log lines; a line that claims it and breaks the specification is rejected (here: throws).
const emf = (overrides: Record<string, unknown> = {}, directive: Record<string, unknown> = {}) => JSON.stringify({
  _aws: {
    Timestamp: 1_767_225_600_000,
    CloudWatchMetrics: [{ Namespace: 'EdgeSync', Dimensions: [['Resource', 'Kind']], Metrics: [{ Name: 'Drift', Unit: 'Count' }], ...directive }],
  },
  Resource: 'gateway-1',
  Kind: 'sitewise',
  Drift: 1,
  ...overrides,
});

test('one record per metric value, with the dimension set\'s values, unit and timestamp', () => {
  expect(metricsOfLine(emf({ Drift: [1, 0, 2] }))).toEqual([0, 1, 2].map((i) => ({
    namespace: 'EdgeSync',
    name: 'Drift',
    value: [1, 0, 2][i],
    unit: 'Count',
    dimensions: { Resource: 'gateway-1', Kind: 'sitewise' },
    timestamp: 1_767_225_600_000,
    storageResolution: 60,
  })));
  expect(metricsOfLine(emf({}, { Metrics: [{ Name: 'Drift' }] }))[0].unit).toBe('None');
});

test('lines that do not claim EMF are ignored: text, other JSON, Lambda\'s JSON wrapping of console.log', () => {
  const wrapped = JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', level: 'INFO', requestId: 'r', message: JSON.parse(emf()) });
  expect(metricsOfLogLines([
    'START RequestId: r Version: $LATEST',
    `2026-01-01T00:00:00.000Z\tr\tINFO\t${emf()}`,
    '{"level":"INFO","message":"hello"}',
    '{ not json',
    wrapped,
    emf(),
  ])).toHaveLength(1);
});

test.each([
  ['more than 30 dimensions', () => {
    const names = Array.from({ length: 31 }, (_, i) => `D${i}`);
    return emf(Object.fromEntries(names.map((name) => [name, 'x'])), { Dimensions: [names] });
  }, 'has 31 dimensions; at most 30 are allowed'],
  ['more than 100 metrics', () => {
    const names = Array.from({ length: 101 }, (_, i) => `M${i}`);
    return emf(Object.fromEntries(names.map((name) => [name, 1])), { Metrics: names.map((Name) => ({ Name })) });
  }, 'has 101 MetricDefinitions; at most 100 are allowed'],
  ['a dimension that is not a member', () => emf({ Kind: undefined }), 'dimension Kind of _aws.CloudWatchMetrics[0].Dimensions[0] is not a member'],
  ['a non-numeric metric value', () => emf({ Drift: 'one' }), 'metric Drift must be a number or an array of numbers'],
  ['a metric that is not a member', () => emf({ Drift: undefined }), 'metric Drift is not a member'],
  ['a unit CloudWatch does not know', () => emf({}, { Metrics: [{ Name: 'Drift', Unit: 'Things' }] }), 'is not a CloudWatch unit'],
  ['no Timestamp', () => JSON.stringify({ _aws: { CloudWatchMetrics: [] } }), '_aws.Timestamp must be a number'],
  ['no Namespace', () => emf({}, { Namespace: undefined }), 'Namespace must be a non-empty string'],
])('%s throws', (_case, line, message) => {
  expect(() => metricsOfLine(line())).toThrow(InvalidEmfError);
  expect(() => metricsOfLine(line())).toThrow(message);
});
