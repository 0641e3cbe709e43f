import type { IncomingHttpHeaders } from 'node:http';
import type { ScaledClock } from '../clock';

/**
 * The restJson1 building blocks shared by every emulated service: a service is identified by its
 * SigV4 signing name, and each operation by HTTP method + path template, exactly as the AWS SDK
 * addresses them. Adding a service means adding one AwsServiceDefinition and a table of
 * AwsOperations; the HTTP server does not change.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

/** A modeled error: its code (shape name), HTTP status and message. */
export interface ModeledError {
  readonly code: string;
  readonly status: number;
}

export interface AwsServiceDefinition {
  /** SigV4 signing name found in the credential scope, e.g. `iotsitewise`. */
  readonly signingName: string;
  /** JSON member that carries an error's message: `message` (SiteWise, Ground Station) or `Message` (Kinesis Video). */
  readonly errorMessageMember: string;
  /** What the service answers when it throttles; used by fault injection. */
  readonly throttlingError: ModeledError;
  /** What the service answers on an internal failure; used by fault injection and for handler crashes. */
  readonly internalError: ModeledError;
}

/** What an operation handler sees of one request. */
export interface OperationRequest {
  /** Percent-decoded values of the `{label}` segments of the path template. */
  readonly labels: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body; `{}` when the body is empty. */
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  /** Region from the SigV4 credential scope. */
  readonly region: string;
  /** Simulated epoch milliseconds when the request arrived (after any injected latency). */
  readonly now: number;
  readonly clock: ScaledClock;
}

export interface AwsOperation {
  /** Signing name of the owning service. */
  readonly service: string;
  /** Operation name as in the API model, e.g. `DescribeGateway`; used in records and fault filters. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Path template from the model's `http` trait, e.g. `/20200301/gateways/{gatewayId}`. */
  readonly path: string;
  /** HTTP status of a successful response, from the model (SiteWise create/update use 201). */
  readonly successStatus: number;
  /**
   * Returns the JSON response body (or undefined for an empty body), or throws an AwsError.
   * Any other exception becomes the service's internal error.
   */
  handler(request: OperationRequest): unknown;
}

/** Throw from a handler to answer with a modeled error. */
export class AwsError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    message: string,
    /** Extra modeled members, e.g. `resourceId` or `parameterName`. */
    public readonly members: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = code;
  }
}
