import type { IncomingHttpHeaders } from 'node:http';
import type { ScaledClock } from '../clock';

/**
 * The REST building blocks shared by every emulated service: a service is identified by its
 * SigV4 signing name, and each operation by HTTP method + path template, exactly as the AWS SDK
 * addresses them. Adding a service means adding one AwsServiceDefinition and a table of
 * AwsOperations; the HTTP server does not change. Services speak restJson1 (JSON bodies,
 * `x-amzn-ErrorType`) unless they declare restXml (S3: XML `<Error>` bodies, raw payloads).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

/** A modeled error: its code (shape name), HTTP status and message. */
export interface ModeledError {
  readonly code: string;
  readonly status: number;
}

/**
 * Wire protocol of a service, as named by its Smithy model: REST protocols route by method and
 * path; the awsJson protocols (`awsJson1_0`: DynamoDB, `awsJson1_1`: EventBridge) send every
 * request as `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>` and a JSON body.
 */
export type ServiceProtocol = 'restJson1' | 'restXml' | 'awsJson1_0' | 'awsJson1_1';

/** Whether a protocol routes by `X-Amz-Target` rather than by method and path. */
export function isAwsJson(protocol: ServiceProtocol | undefined): protocol is 'awsJson1_0' | 'awsJson1_1' {
  return protocol === 'awsJson1_0' || protocol === 'awsJson1_1';
}

/** `Content-Type` of an awsJson protocol's requests and responses. */
export function awsJsonContentType(protocol: 'awsJson1_0' | 'awsJson1_1'): string {
  return protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}

export interface AwsServiceDefinition {
  /** SigV4 signing name found in the credential scope, e.g. `iotsitewise`. */
  readonly signingName: string;
  /**
   * restJson1 (default): request bodies are parsed as JSON, handler results and errors are written as JSON.
   * restXml: request bodies are left raw (`rawBody`), errors are written as an XML `<Error>` document.
   * awsJson1_0 / awsJson1_1: requests are `POST /` routed by `X-Amz-Target` (see `targetPrefix`);
   * errors are JSON bodies with `__type` (see `errorType`) and no `x-amzn-ErrorType` header.
   */
  readonly protocol?: ServiceProtocol;
  /** awsJson only: the part of `X-Amz-Target` before the operation name, e.g. `DynamoDB_20120810`. */
  readonly targetPrefix?: string;
  /**
   * awsJson only: the `__type` written for an error code, e.g.
   * `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`; default: the code itself.
   */
  readonly errorType?: (code: string) => string;
  /** JSON member that carries an error's message: `message` (SiteWise, Ground Station) or `Message` (Kinesis Video). */
  readonly errorMessageMember: string;
  /** What the service answers when it throttles; used by fault injection. */
  readonly throttlingError: ModeledError;
  /** The message of a throttled request; default `Rate exceeded`. */
  readonly throttlingMessage?: string;
  /** What the service answers on an internal failure; used by fault injection and for handler crashes. */
  readonly internalError: ModeledError;
  /** What the service answers when IAM denies a request. */
  readonly accessDeniedError: ModeledError;
  /** What the service answers for a request signed with an access key AWS does not know. */
  readonly unrecognizedClientError: ModeledError & { readonly message: string };
}

/**
 * The resource IAM authorizes a request against: its ARN, the account that owns it when the ARN
 * does not say (S3), and its tags (`aws:ResourceTag/<key>`).
 */
export interface ResourceTarget {
  readonly arn: string;
  readonly account?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The action's other condition keys (Service Authorization Reference): service-specific ones
   * such as `groundstation:AgentId`, and `aws:RequestTag/<key>` and `aws:TagKeys` of tagging
   * operations (see `tagKeysOf`).
   */
  readonly keys?: Readonly<Record<string, string | readonly string[]>>;
}

/** What an operation handler sees of one request. */
export interface OperationRequest {
  /** Percent-decoded values of the `{label}` segments of the path template. */
  readonly labels: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body; `{}` when the body is empty, and always for restXml services. */
  readonly body: Record<string, unknown>;
  /** The request body as sent. */
  readonly rawBody: Buffer;
  readonly headers: IncomingHttpHeaders;
  /** Region from the SigV4 credential scope: the region whose resources the request sees. */
  readonly region: string;
  /** Account of the principal that signed the request: the account whose resources the request sees. */
  readonly accountId: string;
  /** Simulated epoch milliseconds when the request arrived (after any injected latency). */
  readonly now: number;
  readonly clock: ScaledClock;
  /** Whether the signer may perform `action` on `resource` (e.g. S3 asks about s3:ListBucket for a missing key); not recorded as a denial. */
  isAllowed(action: string, resource: ResourceTarget): boolean;
}

export interface AwsOperation {
  /** Signing name of the owning service. */
  readonly service: string;
  /** Operation name as in the API model, e.g. `DescribeGateway`; used in records and fault filters. */
  readonly name: string;
  /** REST: from the model's `http` trait. awsJson operations are always `POST /` (routed by `X-Amz-Target`). */
  readonly method: HttpMethod;
  /** Path template from the model's `http` trait, e.g. `/20200301/gateways/{gatewayId}`; `/` for awsJson operations. */
  readonly path: string;
  /** HTTP status of a successful response, from the model (SiteWise create/update use 201). */
  readonly successStatus: number;
  /**
   * The resource IAM authorizes the request against (Service Authorization Reference, "Resource
   * types" of the action). Omitted for actions without a resource type, which are authorized
   * against `*`. Returns null when the request names a resource that does not exist in the
   * caller's account and region and whose ARN cannot be formed without it (a Kinesis Video stream
   * by name: its ARN ends with the creation time); the handler then answers not found (see
   * ASSUMPTIONS.md). Called after input validation fails nothing: it must cope with any body.
   */
  resource?(request: OperationRequest): ResourceTarget | null;
  /**
   * Returns the JSON response body (or undefined for an empty body), or a RawResponse written
   * as is, or throws an AwsError. Any other exception becomes the service's internal error.
   */
  handler(request: OperationRequest): unknown;
}

/**
 * What restJson1 services answer for an access key AWS does not know (AWS's common error
 * `UnrecognizedClientException`; see ASSUMPTIONS.md for the status).
 */
export const UNRECOGNIZED_CLIENT: ModeledError & { readonly message: string } = {
  code: 'UnrecognizedClientException',
  status: 403,
  message: 'The security token included in the request is invalid.',
};

/** `aws:RequestTag/<key>` and `aws:TagKeys` of a request that adds tags (or, with only keys, removes them). */
export function tagKeysOf(
  tags: Readonly<Record<string, unknown>> | undefined,
  keys: readonly string[] = Object.keys(tags ?? {}),
): Record<string, string | readonly string[]> {
  const requestTags = Object.entries(tags ?? {})
    .filter(([, value]) => typeof value === 'string')
    .map(([key, value]) => [`aws:RequestTag/${key}`, value as string]);
  return { 'aws:TagKeys': keys, ...Object.fromEntries(requestTags) };
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

/**
 * Return from a handler to answer with these bytes and headers instead of a JSON document, as
 * restXml operations with a payload do (S3 GetObject: the object itself). `Content-Length` and
 * the request id headers are added by the server.
 */
export class RawResponse {
  public readonly body: Buffer;

  constructor(
    body: Buffer | string,
    public readonly headers: Readonly<Record<string, string>> = {},
    /** Default: the operation's `successStatus`. */
    public readonly status?: number,
  ) {
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  }
}

/** restJson1 timestamps without a format trait are epoch seconds (fractional allowed). */
export function epochSeconds(epochMs: number): number {
  return epochMs / 1000;
}
