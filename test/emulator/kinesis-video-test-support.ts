import { authorization } from './emulator-test-support';
import { ScaledClock } from '../support/clock';
import type { EdgeConfig, LocalAwsEndpoint } from '../support/emulator';

export { withMember } from './emulator-test-support';

/**
 * Helpers for the Kinesis Video emulator tests: a tiny restJson1 client that signs requests only as
 * far as the emulator looks (the credential scope), a clock that moves only when told, and a valid
 * edge configuration to vary.
 */

export const HUB_DEVICE_ARN = 'arn:aws:iot:us-east-1:123456789012:thing/edge-hub-1';
export const OTHER_HUB_DEVICE_ARN = 'arn:aws:iot:us-east-1:123456789012:thing/edge-hub-2';
export const RTSP_URI = 'rtsp://10.0.0.5:554/live';

/** JSON as the service answers it; members are read ad hoc in tests. */
export type KinesisVideoJson = Record<string, any>;

export interface KinesisVideoResponse {
  readonly status: number;
  readonly contentType: string | null;
  /** `x-amzn-ErrorType` of an error response. */
  readonly errorType: string | null;
  readonly body: KinesisVideoJson;
}

/** Shaped like the SDK's service exceptions (`name`, `message`, `$metadata.httpStatusCode`), so tests convert easily. */
export class KinesisVideoCallError extends Error {
  constructor(name: string, message: string, public readonly $metadata: { readonly httpStatusCode: number }, public readonly body: KinesisVideoJson) {
    super(message);
    this.name = name;
  }
}

/** `StartEdgeConfigurationUpdate` → `/startEdgeConfigurationUpdate`, as in the model's http traits. */
export function operationPath(operation: string): string {
  return `/${operation[0].toLowerCase()}${operation.slice(1)}`;
}

export class KinesisVideoTestClient {
  constructor(private readonly url: string, private readonly region: string = 'us-east-1') {}

  /** POSTs `input` as JSON to the operation's path and returns the raw answer. */
  public async call(operation: string, input: unknown): Promise<KinesisVideoResponse> {
    const response = await fetch(`${this.url}${operationPath(operation)}`, {
      method: 'POST',
      headers: { 'authorization': authorization('kinesisvideo', this.region), 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      errorType: response.headers.get('x-amzn-errortype'),
      body: text === '' ? {} : JSON.parse(text) as KinesisVideoJson,
    };
  }

  /** Resolves the body of a 2xx answer; rejects with a KinesisVideoCallError named by `x-amzn-ErrorType` otherwise. */
  public async send(operation: string, input: unknown): Promise<KinesisVideoJson> {
    const response = await this.call(operation, input);
    if (response.status >= 200 && response.status < 300) return response.body;
    throw new KinesisVideoCallError(response.errorType ?? 'UnknownError', String(response.body.Message ?? ''), { httpStatusCode: response.status }, response.body);
  }
}

/** Simulated time that moves only when told, for exact quota windows and state-machine instants. */
export class ManualClock extends ScaledClock {
  private current: number;

  constructor(start: number = Date.UTC(2026, 10, 21, 10, 0, 0)) {
    super(1);
    this.current = start;
  }

  public now(): number {
    return this.current;
  }

  public advance(simulatedMs: number): void {
    this.current += simulatedMs;
  }

  /** Sleeping is moving the clock (used by injected latency). */
  public sleep(simulatedMs: number): Promise<void> {
    this.advance(simulatedMs);
    return Promise.resolve();
  }
}

/** A valid edge configuration for `HUB_DEVICE_ARN` with every optional member set. */
export function edgeConfig(secretArn: string, hubDeviceArn: string = HUB_DEVICE_ARN): EdgeConfig {
  return {
    HubDeviceArn: hubDeviceArn,
    RecorderConfig: {
      MediaSourceConfig: { MediaUriSecretArn: secretArn, MediaUriType: 'RTSP_URI' },
      ScheduleConfig: { ScheduleExpression: '0 0 8 ? * MON-FRI', DurationInSeconds: 3600 },
    },
    UploaderConfig: { ScheduleConfig: { ScheduleExpression: '0 0 20 ? * MON-FRI', DurationInSeconds: 1800 } },
    DeletionConfig: {
      EdgeRetentionInHours: 72,
      LocalSizeConfig: { MaxLocalMediaSizeInMB: 4096, StrategyOnFullSize: 'DELETE_OLDEST_MEDIA' },
      DeleteAfterUpload: true,
    },
  };
}


/** A stream with retention and a media URI secret, ready for StartEdgeConfigurationUpdate. */
export function streamWithSecret(emulator: LocalAwsEndpoint, name: string = 'front-door'): { streamArn: string; secretArn: string } {
  const streamArn = emulator.kinesisVideo.createStream({ name, dataRetentionInHours: 24 });
  const secretArn = emulator.secrets.createMediaUri(`${name}-camera`, RTSP_URI);
  return { streamArn, secretArn };
}
