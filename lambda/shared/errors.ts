import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

/**
 * A failure that waiting cannot fix. Its stack is only its message: the framework sends the
 * stack to CloudFormation as the reason, which must stay short and readable.
 */
export class TerminalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerminalError';
    this.stack = message;
  }
}

/**
 * The sync timeout passed before the device reached a terminal state (or before the calls that
 * lead to it got through). Counted apart from other failures in the deploy metrics.
 */
export class SyncTimeoutError extends TerminalError {
  constructor(message: string) {
    super(message);
    this.name = 'SyncTimeoutError';
  }
}

/**
 * For the `default` of a `switch` on RequestType: `never` makes the switch exhaustive at
 * compile time, and a request CloudFormation should not send fails with its type named.
 */
export function unsupportedRequestType(requestType: never): TerminalError {
  return new TerminalError(`Unsupported RequestType ${JSON.stringify(requestType)}`);
}

/** An AWS SDK error as the handlers see it. */
export interface AwsError {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * Whether an error will likely go away by retrying: throttling, 5xx, timeouts and network
 * errors (as the AWS SDK classifies them), plus service-specific codes in `alsoTransient`.
 * Codes in `neverTransient` are terminal even where the SDK would retry them.
 */
export function isTransientAwsError(error: unknown, alsoTransient: readonly string[] = [], neverTransient: readonly string[] = []): boolean {
  if (error instanceof TerminalError) return false;
  const e = error as AwsError & Record<string, unknown>;
  if (!e || typeof e !== 'object') return false;
  if (neverTransient.includes(e.name)) return false;
  if (alsoTransient.includes(e.name)) return true;
  return isThrottlingError(e as any) || isTransientError(e as any) || isServerError(e as any);
}

/** `Name: message`, shortened, for reasons and logs. Kinesis Video names its message member `Message`. */
export function describeError(error: unknown): string {
  const e = error as Partial<AwsError> & { Message?: string };
  const text = `${e?.name ?? 'Error'}: ${e?.message || e?.Message || String(error)}`;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * The most bytes of a failure reason the handlers answer. CloudFormation refuses a response body
 * over 4,096 bytes; the framework adds its own words, the stack id, the logical and physical ids
 * (a stream ARN takes up to 1,024) around the reason.
 */
export const MAX_REASON_BYTES = 1_024;

const CUT_MARK = ' ... (cut; the handler log has the whole reason)';

/** `reason` if it fits `MAX_REASON_BYTES` as UTF-8, else its start (whole characters) and a mark saying it was cut. */
export function cutReason(reason: string): string {
  if (Buffer.byteLength(reason, 'utf8') <= MAX_REASON_BYTES) return reason;
  const budget = MAX_REASON_BYTES - Buffer.byteLength(CUT_MARK, 'utf8');
  let bytes = 0;
  let end = 0;
  for (const character of reason) {
    const size = Buffer.byteLength(character, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    end += character.length;
  }
  return `${reason.slice(0, end)}${CUT_MARK}`;
}
