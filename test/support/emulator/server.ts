import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScaledClock } from '../clock';
import { AFTER_APPLY_OUTCOMES, type FaultDecision, type FaultInjector } from './faults';
import type { IamEmulator, Principal } from './iam';
import { UnsupportedPolicyError } from './iam-policy';
import {
  AwsError, awsJsonContentType, isAwsJson, RawResponse,
  type AwsOperation, type AwsServiceDefinition, type ModeledError, type OperationRequest, type ResourceTarget, type ServiceProtocol,
} from './protocol';
import type { RecordedRequest } from './records';
import { OperationRouter, parseCredentialScope } from './routing';

export interface AwsRestJsonServerOptions {
  readonly clock: ScaledClock;
  readonly faults: FaultInjector;
  /** Who signed a request, and whether IAM allows it. */
  readonly iam: IamEmulator;
}

/** Member name used for errors that belong to no known service (missing signature, unknown service). */
const GENERIC_MESSAGE_MEMBER = 'message';

/** An error answer before it is written: status, code, message member name and members. */
interface ErrorAnswer {
  readonly error: ModeledError;
  readonly message: string;
  readonly messageMember: string;
  readonly members?: Readonly<Record<string, unknown>>;
  /** How the error is written; restJson1 when omitted (errors that belong to no known service). */
  readonly protocol?: ServiceProtocol;
}

/** A handler's result, before it is written. */
type OperationAnswer = { readonly kind: 'output'; readonly output: unknown } | { readonly kind: 'error'; readonly answer: ErrorAnswer };

/**
 * A generic AWS HTTP endpoint on 127.0.0.1 (restJson1, restXml, awsJson1_0 and awsJson1_1, as
 * each service declares). It knows nothing about any particular service: requests are routed by
 * the SigV4 signing name in the Authorization header plus method and path template (REST) or the
 * `X-Amz-Target` header (awsJson), to operations registered with `addOperations`. Each request goes through what AWS's front door does, in this order: the
 * access key must be known, injected faults before the operation, IAM authorization of the
 * signer on the operation's resource, the operation itself, injected faults after it.
 */
export class AwsRestJsonServer {
  public static async start(options: AwsRestJsonServerOptions): Promise<AwsRestJsonServer> {
    const endpoint = new AwsRestJsonServer(options);
    await new Promise<void>((resolve, reject) => {
      endpoint.server.once('error', reject);
      endpoint.server.listen(0, '127.0.0.1', () => {
        endpoint.server.off('error', reject);
        resolve();
      });
    });
    return endpoint;
  }

  /** Every request in arrival order. */
  public readonly requests: RecordedRequest[] = [];

  private readonly server: Server;
  private readonly clock: ScaledClock;
  private readonly faults: FaultInjector;
  private readonly iam: IamEmulator;
  private readonly services = new Map<string, AwsServiceDefinition>();
  private readonly router = new OperationRouter();

  private constructor(options: AwsRestJsonServerOptions) {
    this.clock = options.clock;
    this.faults = options.faults;
    this.iam = options.iam;
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        // Only reachable if writing the response itself failed; nothing left to answer.
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Base URL for `endpoint` / `AWS_ENDPOINT_URL`, e.g. `http://127.0.0.1:43123`. */
  public get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  public addService(service: AwsServiceDefinition): void {
    if (this.services.has(service.signingName)) throw new Error(`service ${service.signingName} is already registered`);
    if (isAwsJson(service.protocol) && !service.targetPrefix) throw new Error(`awsJson service ${service.signingName} needs a targetPrefix`);
    this.services.set(service.signingName, service);
  }

  public addOperations(operations: readonly AwsOperation[]): void {
    for (const operation of operations) {
      if (!this.services.has(operation.service)) throw new Error(`operation ${operation.name}: unknown service ${operation.service}`);
      this.router.add(operation);
    }
  }

  public async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // The SDK keeps connections alive; close them so `close` does not wait for their idle timeout.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = this.clock.now();
    const url = new URL(request.url ?? '/', 'http://emulator');
    const rawBody = await readBody(request);
    const base = { at, method: request.method ?? 'GET', path: url.pathname, host: request.headers.host };

    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      this.answerError(response, base, {
        error: { code: 'MissingAuthenticationTokenException', status: 403 },
        message: 'Missing Authentication Token',
        messageMember: GENERIC_MESSAGE_MEMBER,
      });
      return;
    }
    const scope = parseCredentialScope(authorization);
    if (!scope) {
      this.answerError(response, base, {
        error: { code: 'IncompleteSignatureException', status: 403 },
        message: 'Authorization header requires a Credential parameter with a scope of the form AKID/date/region/service/aws4_request',
        messageMember: GENERIC_MESSAGE_MEMBER,
      });
      return;
    }
    const signed = { ...base, service: scope.service, region: scope.region };
    const service = this.services.get(scope.service);
    const route = service && this.route(service, base.method, url.pathname, request.headers['x-amz-target']);
    if (!service || !route) {
      const target = request.headers['x-amz-target'];
      this.answerError(response, signed, {
        // awsJson services answer an unknown target 400 (Coral's UnknownOperationException).
        error: { code: 'UnknownOperationException', status: isAwsJson(service?.protocol) ? 400 : 404 },
        message: isAwsJson(service?.protocol)
          ? `No operation of service '${scope.service}' matches X-Amz-Target ${JSON.stringify(target ?? null)} (${base.method} ${url.pathname})`
          : `No operation of service '${scope.service}' matches ${base.method} ${url.pathname}`,
        messageMember: service?.errorMessageMember ?? GENERIC_MESSAGE_MEMBER,
        protocol: service?.protocol,
      });
      return;
    }

    const principal = this.iam.principal(scope.accessKeyId);
    if (!principal) {
      const { message, ...error } = service.unrecognizedClientError;
      this.answerError(response, { ...signed, operation: route.operation.name }, {
        error, message, messageMember: service.errorMessageMember, protocol: service.protocol,
      });
      return;
    }
    const routed = { ...signed, operation: route.operation.name, accountId: principal.accountId, principal: principal.arn };
    const fault = this.faults.decide(service.signingName, route.operation.name);
    if (fault.latencyMs > 0) await this.clock.sleep(fault.latencyMs);
    if (this.answerInjectedFault(request, response, routed, service, fault)) return;
    // An after-apply fault shapes the response only of an operation that ran and succeeded.
    const unapplied: FaultDecision = { latencyMs: fault.latencyMs };

    let body: Record<string, unknown> = {};
    try {
      // restXml payloads (object bodies, XML documents) are the operation's to interpret.
      if (service.protocol !== 'restXml') body = parseJsonObject(rawBody.toString('utf8'));
    } catch (error) {
      this.answerError(response, routed, {
        error: { code: 'SerializationException', status: 400 },
        message: `Request body is not a JSON object: ${(error as Error).message}`,
        messageMember: service.errorMessageMember,
        protocol: service.protocol,
      }, unapplied);
      return;
    }
    const recorded = { ...routed, input: { ...route.labels, ...body } };
    const operationRequest: OperationRequest = {
      labels: route.labels,
      query: url.searchParams,
      body,
      rawBody,
      headers: request.headers,
      region: scope.region,
      accountId: principal.accountId,
      isAllowed: (action, target) => this.isAllowed(principal, action, target, scope.region),
      // Without injected latency the operation happens at the recorded arrival instant, so a
      // device event caused by a request carries exactly that request's `at`.
      now: fault.latencyMs > 0 ? this.clock.now() : at,
      clock: this.clock,
    };
    const refusal = this.authorize(service, route.operation, operationRequest, principal);
    if (refusal) {
      this.answerError(response, recorded, { ...refusal, messageMember: service.errorMessageMember, protocol: service.protocol }, unapplied);
      return;
    }
    const answer = await this.run(service, route.operation, operationRequest);
    if (fault.outcome && AFTER_APPLY_OUTCOMES.has(fault.outcome) && answer.kind === 'output') {
      // The change is stored; only the response is lost.
      if (fault.outcome === 'dropAfterApply') {
        this.requests.push({ ...recorded, status: 0, fault: 'dropAfterApply' });
        request.socket.destroy();
        return;
      }
      this.answerError(response, recorded, {
        error: service.internalError,
        message: 'Internal failure after the request was applied (injected by the local emulator)',
        messageMember: service.errorMessageMember,
        protocol: service.protocol,
      }, fault);
      return;
    }
    this.write(response, recorded, service, route.operation, answer, unapplied);
  }

  /**
   * The operation a request is for: by method and path for REST services; for awsJson services
   * every request is `POST /` and the operation is named by `X-Amz-Target: <targetPrefix>.<Operation>`.
   */
  private route(
    service: AwsServiceDefinition, method: string, path: string, target: string | string[] | undefined,
  ): { operation: AwsOperation; labels: Record<string, string> } | undefined {
    if (!isAwsJson(service.protocol)) return this.router.find(service.signingName, method, path);
    if (method !== 'POST' || path !== '/' || typeof target !== 'string') return undefined;
    const prefix = `${service.targetPrefix}.`;
    if (!target.startsWith(prefix)) return undefined;
    const operation = this.router.findByName(service.signingName, target.slice(prefix.length));
    return operation && { operation, labels: {} };
  }

  /**
   * IAM: the signer must be allowed the operation's action (`<signing name>:<Operation>`) on
   * its resource. Returns the access-denied answer, or undefined when allowed.
   */
  private authorize(
    service: AwsServiceDefinition, operation: AwsOperation, request: OperationRequest, principal: Principal,
  ): Omit<ErrorAnswer, 'messageMember'> | undefined {
    let target: ResourceTarget | null;
    try {
      target = operation.resource ? operation.resource(request) : { arn: '*' };
    } catch (error) {
      // A request the service refuses before authorization (S3: signed for the wrong region).
      if (!(error instanceof AwsError)) throw error;
      return { error: { code: error.code, status: error.status }, message: error.message, members: error.members };
    }
    if (target === null) return undefined;
    try {
      const result = this.iam.authorize(principal, {
        action: `${service.signingName}:${operation.name}`,
        resource: target.arn,
        resourceAccount: target.account,
        resourceTags: target.tags,
        region: request.region,
        keys: target.keys,
      });
      if (result.allowed) return undefined;
      // S3 does not say why.
      return { error: service.accessDeniedError, message: service.protocol === 'restXml' ? 'Access Denied' : result.denial.message };
    } catch (error) {
      if (!(error instanceof UnsupportedPolicyError)) throw error;
      return { error: service.internalError, message: `The emulator's IAM cannot evaluate this request: ${error.message}` };
    }
  }

  /** A permission check an operation makes on its own (not recorded as a denial of the request). */
  private isAllowed(principal: Principal, action: string, target: ResourceTarget, region: string): boolean {
    if (principal.administrator) return target.account === undefined || target.account === principal.accountId;
    const denialsBefore = this.iam.denials.length;
    const result = this.iam.authorize(principal, {
      action, resource: target.arn, resourceAccount: target.account, resourceTags: target.tags, region, keys: target.keys,
    });
    this.iam.denials.length = denialsBefore;
    return result.allowed;
  }

  private answerInjectedFault(
    request: IncomingMessage,
    response: ServerResponse,
    recorded: Omit<RecordedRequest, 'status'>,
    service: AwsServiceDefinition,
    fault: FaultDecision,
  ): boolean {
    switch (fault.outcome) {
      case 'drop':
        this.requests.push({ ...recorded, status: 0, fault: 'drop' });
        request.socket.destroy();
        return true;
      case 'throttle':
        this.answerError(response, recorded, {
          error: service.throttlingError,
          message: service.throttlingMessage ?? 'Rate exceeded',
          messageMember: service.errorMessageMember,
          protocol: service.protocol,
        }, fault);
        return true;
      case 'serverError':
        this.answerError(response, recorded, {
          error: service.internalError,
          message: 'Internal failure (injected by the local emulator)',
          messageMember: service.errorMessageMember,
          protocol: service.protocol,
        }, fault);
        return true;
      default:
        return false;
    }
  }

  /** Runs the operation's handler; its modeled errors (and crashes, as the internal error) become answers. */
  private async run(service: AwsServiceDefinition, operation: AwsOperation, operationRequest: OperationRequest): Promise<OperationAnswer> {
    try {
      return { kind: 'output', output: await operation.handler(operationRequest) };
    } catch (error) {
      if (error instanceof AwsError) {
        return {
          kind: 'error',
          answer: {
            error: { code: error.code, status: error.status },
            message: error.message,
            messageMember: service.errorMessageMember,
            members: error.members,
            protocol: service.protocol,
          },
        };
      }
      return {
        kind: 'error',
        answer: {
          error: service.internalError,
          message: `Emulator handler for ${service.signingName}:${operation.name} crashed: ${(error as Error)?.message ?? String(error)}`,
          messageMember: service.errorMessageMember,
          protocol: service.protocol,
        },
      };
    }
  }

  private write(
    response: ServerResponse,
    recorded: Omit<RecordedRequest, 'status'>,
    service: AwsServiceDefinition,
    operation: AwsOperation,
    answer: OperationAnswer,
    fault: FaultDecision,
  ): void {
    if (answer.kind === 'error') {
      this.answerError(response, recorded, answer.answer, fault);
      return;
    }
    const output = answer.output;
    if (output instanceof RawResponse) {
      const status = output.status ?? operation.successStatus;
      this.requests.push({ ...recorded, status, ...latencyOnly(fault) });
      response.writeHead(status, { ...output.headers, 'Content-Length': output.body.length, ...requestIdHeaders(service.protocol) });
      response.end(output.body);
      return;
    }
    // awsJson operations always answer a JSON document, `{}` when there is no output.
    const json = output === undefined ? (isAwsJson(service.protocol) ? '{}' : '') : JSON.stringify(output);
    this.requests.push({ ...recorded, status: operation.successStatus, ...latencyOnly(fault) });
    response.writeHead(operation.successStatus, {
      'Content-Type': isAwsJson(service.protocol) ? awsJsonContentType(service.protocol) : 'application/json',
      'Content-Length': Buffer.byteLength(json),
      ...requestIdHeaders(service.protocol),
    });
    response.end(json);
  }

  private answerError(
    response: ServerResponse,
    recorded: Omit<RecordedRequest, 'status'>,
    answer: ErrorAnswer,
    fault?: FaultDecision,
  ): void {
    const injected = fault?.outcome ?? latencyOnly(fault).fault;
    this.requests.push({ ...recorded, status: answer.error.status, errorCode: answer.error.code, ...(injected ? { fault: injected } : {}) });
    if (answer.protocol === 'restXml') {
      const ids = requestIdHeaders('restXml');
      const xml = xmlError(answer, ids['x-amz-request-id'], ids['x-amz-id-2']);
      response.writeHead(answer.error.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml), ...ids });
      response.end(xml);
      return;
    }
    if (isAwsJson(answer.protocol)) {
      // awsJson: the SDK reads the code from `__type` (the part after `#`); these services send no x-amzn-ErrorType.
      const service = recorded.service === undefined ? undefined : this.services.get(recorded.service);
      const type = service?.errorType ? service.errorType(answer.error.code) : answer.error.code;
      const body = JSON.stringify({ __type: type, [answer.messageMember]: answer.message, ...answer.members });
      response.writeHead(answer.error.status, {
        'Content-Type': awsJsonContentType(answer.protocol),
        'Content-Length': Buffer.byteLength(body),
        'x-amzn-RequestId': randomUUID(),
      });
      response.end(body);
      return;
    }
    const json = JSON.stringify({ ...answer.members, [answer.messageMember]: answer.message });
    response.writeHead(answer.error.status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(json),
      'x-amzn-RequestId': randomUUID(),
      // The SDK's restJson1 deserializer takes the error code from this header first.
      'x-amzn-ErrorType': answer.error.code,
    });
    response.end(json);
  }
}

/** restJson1 services answer `x-amzn-RequestId`; S3 answers `x-amz-request-id` and the extended id `x-amz-id-2`. */
function requestIdHeaders(protocol: ServiceProtocol | undefined): Record<string, string> {
  if (protocol !== 'restXml') return { 'x-amzn-RequestId': randomUUID() };
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(randomUUID()).toString('base64') };
}

/**
 * An S3-style error document. The SDK's restXml deserializer reads the code from `Error.Code`
 * (there is no error type header) and modeled members, e.g. S3's `Key` or `BucketName`, from
 * sibling elements.
 */
function xmlError(answer: ErrorAnswer, requestId: string, hostId: string): string {
  const members = Object.entries(answer.members ?? {}).map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<Error><Code>${escapeXml(answer.error.code)}</Code><${answer.messageMember}>${escapeXml(answer.message)}</${answer.messageMember}>`
    + `${members}<RequestId>${requestId}</RequestId><HostId>${escapeXml(hostId)}</HostId></Error>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '\'': '&apos;', '"': '&quot;' })[c]!);
}

function latencyOnly(fault: FaultDecision | undefined): { fault?: 'latency' } {
  return fault && !fault.outcome && fault.latencyMs > 0 ? { fault: 'latency' } : {};
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected an object');
  return parsed as Record<string, unknown>;
}
