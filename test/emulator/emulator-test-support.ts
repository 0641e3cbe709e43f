import { IoTSiteWiseClient, type IoTSiteWiseClientConfig } from '@aws-sdk/client-iotsitewise';
import { ScaledClock } from '../support/clock';
import { EMULATOR_CREDENTIALS, LocalAwsEndpoint, type LocalAwsEndpointOptions } from '../support/emulator';

export { opcUaDocument } from '../support/documents';

/** 100 simulated ms per real ms: the default 2 s device delay takes 20 real ms. */
export const TEST_CLOCK_SCALE = 100;

export const OPC_UA_NAMESPACE = 'iotsitewise:opcuacollector:3';
export const PUBLISHER_NAMESPACE = 'iotsitewise:publisher:3';

export async function startEmulator(options: Partial<LocalAwsEndpointOptions> = {}): Promise<LocalAwsEndpoint> {
  return LocalAwsEndpoint.start({ clock: new ScaledClock(TEST_CLOCK_SCALE), seed: 42, ...options });
}

/** An unmodified SDK client aimed at the emulator; one attempt so a test sees raw errors. */
export function siteWiseClient(emulator: LocalAwsEndpoint, overrides: IoTSiteWiseClientConfig = {}): IoTSiteWiseClient {
  return new IoTSiteWiseClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { ...EMULATOR_CREDENTIALS },
    disableHostPrefix: true,
    maxAttempts: 1,
    ...overrides,
  });
}

/** Simulated time of the most recent request to an operation. */
export function lastRequestAt(emulator: LocalAwsEndpoint, operation: string): number {
  return emulator.requests.filter((r) => r.operation === operation).slice(-1)[0].at;
}

/**
 * An Authorization header as the SDK would send it, for requests made without the SDK, signed by
 * the emulator's administrator: the emulator reads the access key and the credential scope
 * (signing name and region) and never checks the signature.
 */
export function authorization(service: string, region: string = 'us-east-1'): string {
  return `AWS4-HMAC-SHA256 Credential=${EMULATOR_CREDENTIALS.accessKeyId}/20261121/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00ff`;
}

/** A deep copy of `value` with the member at dotted `path` set (or removed, for `undefined`); numeric segments index lists. */
export function withMember<T extends object>(value: T, path: string, member: unknown): T {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, any>;
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, any>, copy);
  const last = keys[keys.length - 1];
  if (member === undefined) delete parent[last];
  else parent[last] = member;
  return copy as T;
}
