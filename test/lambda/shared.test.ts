import { isTransientSiteWiseError } from '../../lambda/gateway-capability/sitewise';
import { backoffDelay, KINESIS_VIDEO_BACKOFF, POLL_ERROR_BACKOFF, SITEWISE_BACKOFF, SITEWISE_CONFLICT_BACKOFF } from '../../lambda/shared/backoff';
import { hasConfiguredEndpoint } from '../../lambda/shared/endpoint';
import { cutReason, MAX_REASON_BYTES, TerminalError } from '../../lambda/shared/errors';
import { pollInterval } from '../../lambda/shared/wait';

describe('hasConfiguredEndpoint', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  beforeEach(() => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_IOTSITEWISE;
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  });

  test('is false with no endpoint settings: the SDK uses the real regional endpoint and its host prefix', () => {
    expect(hasConfiguredEndpoint('IOTSITEWISE')).toBe(false);
  });

  test.each(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IOTSITEWISE'])('is true with %s', (name) => {
    process.env[name] = 'http://127.0.0.1:4566';
    expect(hasConfiguredEndpoint('IOTSITEWISE')).toBe(true);
  });

  test('another service\'s endpoint does not count', () => {
    process.env.AWS_ENDPOINT_URL_KINESIS_VIDEO = 'http://127.0.0.1:4566';
    expect(hasConfiguredEndpoint('IOTSITEWISE')).toBe(false);
  });

  test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns configured endpoints off, as in the SDK', () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:4566';
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    expect(hasConfiguredEndpoint('IOTSITEWISE')).toBe(false);
  });
});

describe('error classification', () => {
  const awsError = (name: string, httpStatusCode: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

  test.each([
    ['ThrottlingException', 429],
    ['InternalFailureException', 500],
    ['ConflictingOperationException', 409],
    ['ServiceUnavailable', 503],
  ])('%s is transient', (name, status) => {
    expect(isTransientSiteWiseError(awsError(name, status))).toBe(true);
  });

  test.each([
    ['InvalidRequestException', 400],
    ['ResourceNotFoundException', 404],
    ['AccessDeniedException', 403],
    // The SDK retries LimitExceededException as throttling; for SiteWise it is a quota.
    ['LimitExceededException', 410],
  ])('%s is terminal', (name, status) => {
    expect(isTransientSiteWiseError(awsError(name, status))).toBe(false);
  });

  test('network errors are transient; our own terminal errors are not', () => {
    expect(isTransientSiteWiseError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientSiteWiseError(new TerminalError('Gateway rejected'))).toBe(false);
  });
});

describe('timing', () => {
  test('backoff between polls that failed grows exponentially from 1-2 s to at most 20 s, with jitter', () => {
    expect(backoffDelay(1, POLL_ERROR_BACKOFF, () => 0)).toBe(1_000);
    expect(backoffDelay(1, POLL_ERROR_BACKOFF, () => 1)).toBe(2_000);
    expect(backoffDelay(3, POLL_ERROR_BACKOFF, () => 0)).toBe(4_000);
    expect(backoffDelay(20, POLL_ERROR_BACKOFF, () => 1)).toBe(20_000);
    expect(backoffDelay(20, POLL_ERROR_BACKOFF, () => 0)).toBe(10_000);
  });

  test('Kinesis Video calls are retried 1 to 3 s apart: its quotas are per second, and never sooner than one', () => {
    const delays = [1, 2, 3, 10, 100].flatMap((attempt) => [0, 0.5, 1].map((r) => backoffDelay(attempt, KINESIS_VIDEO_BACKOFF, () => r)));
    expect(Math.min(...delays)).toBe(1_000);
    expect(Math.max(...delays)).toBe(3_000);
  });

  test('SiteWise calls are retried 1 to 3 s apart, 1 to 8 s while another update of the gateway is in progress', () => {
    expect(backoffDelay(1, SITEWISE_BACKOFF, () => 0)).toBe(1_000);
    expect(backoffDelay(10, SITEWISE_BACKOFF, () => 1)).toBe(3_000);
    expect(backoffDelay(10, SITEWISE_CONFLICT_BACKOFF, () => 1)).toBe(8_000);
  });

  test('polls every second for a minute, every 2 s to five minutes, then every 5 s', () => {
    expect([0, 59_999, 60_000, 299_999, 300_000, 3_000_000].map(pollInterval)).toEqual([1_000, 1_000, 2_000, 2_000, 5_000, 5_000]);
  });
});

describe('cutReason', () => {
  test('a reason of up to 1,024 bytes is kept whole', () => {
    const reason = 'x'.repeat(MAX_REASON_BYTES);
    expect(cutReason(reason)).toBe(reason);
  });

  test('a longer one keeps its start, in whole characters, and says it was cut, within 1,024 bytes', () => {
    const cut = cutReason(`SYNC_FAILED: ${'é'.repeat(600)}`);
    expect(cut).toMatch(/^SYNC_FAILED: é+ \.\.\. \(cut; the handler log has the whole reason\)$/);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(MAX_REASON_BYTES);
    expect(Buffer.byteLength(cut, 'utf8')).toBeGreaterThan(MAX_REASON_BYTES - 2);
  });
});
