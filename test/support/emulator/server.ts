import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScaledClock } from '../clock';
import type { FaultDecision, FaultInjector } from './faults';
import { AwsError, RawResponse, type AwsOperation, type AwsServiceDefinition, type ModeledError, type ServiceProtocol } from './protocol';
import type { RecordedRequest } from './records';
import { OperationRouter, parseCredentialScope } from './routing';

export interface AwsRestJsonServerOptions {
  readonly clock: ScaledClock;
  readonly faults: FaultInjector;
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

/**
 * A generic REST HTTP endpoint on 127.0.0.1 (restJson1, and restXml for services that declare
 * it). It knows nothing about any particular service: requests are routed by the SigV4 signing
 * name in the Authorization header plus method and path template, to operations registered with
 * `addOperations`.
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
  private readonly services = new Map<string, AwsServiceDefinition>();
  private readonly router = new OperationRouter();

  private constructor(options: AwsRestJsonServerOptions) {
    this.clock = options.clock;
    this.faults = options.faults;
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
    const route = service && this.router.find(scope.service, base.method, url.pathname);
    if (!service || !route) {
      this.answerError(response, signed, {
        error: { code: 'UnknownOperationException', status: 404 },
        message: `No operation of service '${scope.service}' matches ${base.method} ${url.pathname}`,
        messageMember: service?.errorMessageMember ?? GENERIC_MESSAGE_MEMBER,
        protocol: service?.protocol,
      });
      return;
    }

    const routed = { ...signed, operation: route.operation.name };
    const fault = this.faults.decide(service.signingName, route.operation.name);
    if (fault.latencyMs > 0) await this.clock.sleep(fault.latencyMs);
    if (this.answerInjectedFault(request, response, routed, service, fault)) return;

    let body: Record<string, unknown> = {};
    try {
      // restXml payloads (object bodies, XML documents) are the operation's to interpret.
      if (service.protocol !== 'restXml') body = parseJsonObject(rawBody.toString('utf8'));
    } catch (error) {
      this.answerError(response, routed, {
        error: { code: 'SerializationException', status: 400 },
        message: `Request body is not a JSON object: ${(error as Error).message}`,
        messageMember: service.errorMessageMember,
      }, fault);
      return;
    }
    const recorded = { ...routed, input: { ...route.labels, ...body } };
    await this.invoke(response, recorded, service, route.operation, {
      labels: route.labels,
      query: url.searchParams,
      body,
      rawBody,
      headers: request.headers,
      region: scope.region,
      // Without injected latency the operation happens at the recorded arrival instant, so a
      // device event caused by a request carries exactly that request's `at`.
      now: fault.latencyMs > 0 ? this.clock.now() : at,
      clock: this.clock,
    }, fault);
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
          error: service.throttlingError, message: 'Rate exceeded', messageMember: service.errorMessageMember, protocol: service.protocol,
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

  private async invoke(
    response: ServerResponse,
    recorded: Omit<RecordedRequest, 'status'>,
    service: AwsServiceDefinition,
    operation: AwsOperation,
    operationRequest: Parameters<AwsOperation['handler']>[0],
    fault: FaultDecision,
  ): Promise<void> {
    let output: unknown;
    try {
      output = await operation.handler(operationRequest);
    } catch (error) {
      if (error instanceof AwsError) {
        this.answerError(response, recorded, {
          error: { code: error.code, status: error.status },
          message: error.message,
          messageMember: service.errorMessageMember,
          members: error.members,
          protocol: service.protocol,
        }, fault);
      } else {
        this.answerError(response, recorded, {
          error: service.internalError,
          message: `Emulator handler for ${service.signingName}:${operation.name} crashed: ${(error as Error)?.message ?? String(error)}`,
          messageMember: service.errorMessageMember,
          protocol: service.protocol,
        }, fault);
      }
      return;
    }
    if (output instanceof RawResponse) {
      const status = output.status ?? operation.successStatus;
      this.requests.push({ ...recorded, status, ...latencyOnly(fault) });
      response.writeHead(status, { ...output.headers, 'Content-Length': output.body.length, ...requestIdHeaders(service.protocol) });
      response.end(output.body);
      return;
    }
    const json = output === undefined ? '' : JSON.stringify(output);
    this.requests.push({ ...recorded, status: operation.successStatus, ...latencyOnly(fault) });
    response.writeHead(operation.successStatus, {
      'Content-Type': 'application/json',
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
