import { AwsError, type AwsOperation, type AwsServiceDefinition, type ModeledError, type OperationRequest, type ResourceTarget } from './protocol';
import type { SeededRandom } from './random';
import { inScope, scopeOf, type Scope } from './scope';
import { InputValidator } from './validation';

/**
 * Amazon EventBridge's PutEvents (awsJson1_1, target prefix `AWSEvents`) onto the default event
 * bus, which every account has in every region, or onto named buses a test creates. Events are
 * recorded, not routed: there are no rules or targets. Entry validation follows the model and the
 * PutEvents API reference; IAM: `events:PutEvents` on `arn:aws:events:<region>:<account>:event-bus/<name>`.
 */

export const EVENTBRIDGE_ERRORS = {
  validation: { code: 'ValidationException', status: 400 },
  accessDenied: { code: 'AccessDeniedException', status: 400 },
  throttling: { code: 'ThrottlingException', status: 400 },
  internal: { code: 'InternalException', status: 500 },
} as const satisfies Record<string, ModeledError>;

export const EVENTBRIDGE_SERVICE: AwsServiceDefinition = {
  signingName: 'events',
  protocol: 'awsJson1_1',
  targetPrefix: 'AWSEvents',
  errorMessageMember: 'message',
  throttlingError: EVENTBRIDGE_ERRORS.throttling,
  internalError: EVENTBRIDGE_ERRORS.internal,
  accessDeniedError: EVENTBRIDGE_ERRORS.accessDenied,
  unrecognizedClientError: { code: 'UnrecognizedClientException', status: 400, message: 'The security token included in the request is invalid.' },
};

/** PutEvents takes 1..10 entries of at most 256 KB in total (the API reference's entry size calculation). */
export const MAX_PUT_EVENTS_ENTRIES = 10;
export const MAX_PUT_EVENTS_BYTES = 262_144;
/** Bytes a present `Time` counts for in the entry size calculation. */
const TIME_BYTES = 14;
const DEFAULT_BUS = 'default';
const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const EVENT_BUS_ARN = /^arn:aws[\w-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/([/.\-_A-Za-z0-9]{1,256})$/;
/** `DetailType`: "Free-form string, with a maximum of 128 characters". */
const MAX_DETAIL_TYPE = 128;
const MAX_SOURCE = 256;

export interface EventBridgeEmulatorOptions {
  /** Event ids. */
  readonly random: SeededRandom;
  readonly region?: string;
  readonly accountId?: string;
}

/** One event PutEvents accepted, as a rule on its bus would see it. */
export interface ReceivedEvent {
  /** Event id answered in `Entries[].EventId` (the event's `id`). */
  readonly id: string;
  readonly eventBusName: string;
  readonly eventBusArn: string;
  readonly source: string;
  readonly detailType: string;
  /** `Detail`, parsed. */
  readonly detail: Record<string, unknown>;
  /** The event's `time` (RFC 3339, seconds): the entry's `Time`, else when PutEvents was called. */
  readonly time: string;
  readonly resources: readonly string[];
  readonly account: string;
  readonly region: string;
  /** Simulated epoch ms PutEvents was called. */
  readonly receivedAt: number;
  /** Who called PutEvents (the account's principal). */
  readonly accountId: string;
}

interface BusRecord extends Scope {
  readonly name: string;
  readonly arn: string;
}

type EntryResult = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export class EventBridgeEmulator {
  public readonly region: string;
  public readonly accountId: string;
  private readonly random: SeededRandom;
  /** Named (non-default) buses by `busKey`. */
  private readonly buses = new Map<string, BusRecord>();
  private readonly events: ReceivedEvent[] = [];

  constructor(options: EventBridgeEmulatorOptions) {
    this.random = options.random;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
  }

  // ---- test-facing API -------------------------------------------------------------------------

  /** Creates a custom event bus (home account and region unless given); returns its ARN. */
  public createEventBus(name: string, scope: Partial<Scope> = {}): string {
    if (!EVENT_BUS_NAME.test(name) || name === DEFAULT_BUS) throw new Error(`invalid custom event bus name ${JSON.stringify(name)}`);
    const bus = this.busRecord(name, { region: scope.region ?? this.region, accountId: scope.accountId ?? this.accountId });
    if (this.buses.has(busKey(bus, name))) throw new Error(`event bus ${name} already exists`);
    this.buses.set(busKey(bus, name), bus);
    return bus.arn;
  }

  /** Deletes a custom event bus (the default bus cannot be deleted); whether there was one. */
  public deleteEventBus(nameOrArn: string): boolean {
    const bus = [...this.buses.values()]
      .find((candidate) => candidate.arn === nameOrArn || (candidate.name === nameOrArn && inScope(candidate, this.home)));
    return bus ? this.buses.delete(busKey(bus, bus.name)) : false;
  }

  /** `default` plus the custom buses of the home account and region. */
  public eventBusNames(): string[] {
    return [DEFAULT_BUS, ...[...this.buses.values()].filter((bus) => inScope(bus, this.home)).map((bus) => bus.name)];
  }

  /** Every event PutEvents accepted, in order. */
  public received(): ReceivedEvent[] {
    return this.events.map((event) => structuredClone(event));
  }

  /** Forgets the events received so far (buses stay). */
  public clearReceived(): void {
    this.events.length = 0;
  }

  /** Forgets events and custom buses. */
  public reset(): void {
    this.events.length = 0;
    this.buses.clear();
  }

  // ---- operations ------------------------------------------------------------------------------

  public operations(): AwsOperation[] {
    return [{
      service: EVENTBRIDGE_SERVICE.signingName,
      name: 'PutEvents',
      method: 'POST',
      path: '/',
      successStatus: 200,
      resource: (request) => this.firstBusResource(request),
      handler: (request) => this.onPutEvents(request),
    }];
  }

  /** IAM authorizes PutEvents on the bus of the first entry; the handler checks the other buses the request names. */
  private firstBusResource(request: OperationRequest): ResourceTarget {
    const entries = Array.isArray(request.body.Entries) ? request.body.Entries as Array<Record<string, unknown>> : [];
    return this.busTarget(entries[0]?.EventBusName, scopeOf(request));
  }

  private busTarget(nameOrArn: unknown, scope: Scope): ResourceTarget {
    const given = typeof nameOrArn === 'string' && nameOrArn !== '' ? nameOrArn : DEFAULT_BUS;
    const arn = EVENT_BUS_ARN.exec(given);
    if (arn) return { arn: given, account: arn[2] };
    return { arn: `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${given}` };
  }

  private onPutEvents(request: OperationRequest): unknown {
    const { body } = request;
    const validator = new InputValidator(EVENTBRIDGE_ERRORS.validation);
    if (body.EndpointId !== undefined) throw new Error('the local emulator does not support global endpoints (EndpointId)');
    const entries = body.Entries;
    if (validator.required('entries', entries)) {
      if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== 'object' || entry === null || Array.isArray(entry))) {
        validator.fail("Value at 'entries' failed to satisfy constraint: Member must be a list of PutEventsRequestEntry");
      } else if (entries.length < 1) {
        validator.fail("Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1");
      } else if (entries.length > MAX_PUT_EVENTS_ENTRIES) {
        validator.fail(`Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PUT_EVENTS_ENTRIES}`);
      }
    }
    validator.throwIfInvalid();
    const list = entries as Array<Record<string, unknown>>;
    const size = list.reduce((sum, entry) => sum + entrySize(entry), 0);
    if (size > MAX_PUT_EVENTS_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
    // "If you submit a request in which none of the entries have each of these properties, EventBridge fails the entire request."
    if (!list.some((entry) => hasText(entry.Source) && hasText(entry.DetailType) && hasText(entry.Detail))) {
      throw validationError('Parameters Source, DetailType and Detail must be specified in at least one entry.');
    }
    const scope = scopeOf(request);
    for (const entry of list.slice(1)) {
      if (!request.isAllowed('events:PutEvents', this.busTarget(entry.EventBusName, scope))) {
        throw new AwsError(EVENTBRIDGE_ERRORS.accessDenied.code, EVENTBRIDGE_ERRORS.accessDenied.status,
          `User is not authorized to perform: events:PutEvents on resource: ${this.busTarget(entry.EventBusName, scope).arn}`);
      }
    }
    const results = list.map((entry) => this.putEntry(entry, request));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  private putEntry(entry: Record<string, unknown>, request: OperationRequest): EntryResult {
    for (const member of ['Source', 'DetailType', 'Detail'] as const) {
      if (!hasText(entry[member])) return failure('InvalidArgument', `Parameter ${member} is not valid. Reason: ${member} is a required argument.`);
    }
    const source = entry.Source as string;
    const detailType = entry.DetailType as string;
    if (source.length > MAX_SOURCE) return failure('InvalidArgument', `Parameter Source is not valid. Reason: Source exceeds ${MAX_SOURCE} characters.`);
    if (detailType.length > MAX_DETAIL_TYPE) return failure('InvalidArgument', `Parameter DetailType is not valid. Reason: DetailType exceeds ${MAX_DETAIL_TYPE} characters.`);
    // Sources starting with `aws.` are reserved for AWS services.
    if (source.startsWith('aws.')) return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      return failure('MalformedDetail', 'Detail is malformed.');
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return failure('MalformedDetail', 'Detail is malformed.');
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || resources.some((resource) => typeof resource !== 'string')) {
      return failure('InvalidArgument', 'Parameter Resources is not valid. Reason: Resources must be a list of ARNs.');
    }
    const bus = this.findBus(entry.EventBusName, scopeOf(request));
    if (typeof bus === 'string') {
      return failure(bus === 'invalid' ? 'InvalidArgument' : 'ResourceNotFoundException', bus === 'invalid'
        ? `Parameter EventBusName is not valid. Reason: ${String(entry.EventBusName)} is not a valid event bus name or ARN.`
        : `Event bus ${String(entry.EventBusName)} does not exist.`);
    }
    const time = entryTime(entry.Time, request.now);
    if (time === undefined) return failure('InvalidArgument', 'Parameter Time is not valid. Reason: Time must be a timestamp.');
    const id = this.random.uuidV4();
    this.events.push({
      id,
      eventBusName: bus.name,
      eventBusArn: bus.arn,
      source,
      detailType,
      detail: detail as Record<string, unknown>,
      time: new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      resources: resources as string[],
      account: bus.accountId,
      region: bus.region,
      receivedAt: request.now,
      accountId: request.accountId,
    });
    return { EventId: id };
  }

  /** The bus an entry names in the caller's account and region; 'missing' or 'invalid' otherwise. */
  private findBus(nameOrArn: unknown, scope: Scope): BusRecord | 'missing' | 'invalid' {
    if (nameOrArn !== undefined && nameOrArn !== null && typeof nameOrArn !== 'string') return 'invalid';
    const given = nameOrArn === undefined || nameOrArn === null || nameOrArn === '' ? DEFAULT_BUS : nameOrArn;
    const arn = EVENT_BUS_ARN.exec(given);
    if (!arn && !EVENT_BUS_NAME.test(given)) return 'invalid';
    const [region, accountId, name] = arn ? [arn[1], arn[2], arn[3]] : [scope.region, scope.accountId, given];
    if (region !== scope.region || accountId !== scope.accountId) return 'missing';
    if (name === DEFAULT_BUS) return this.busRecord(DEFAULT_BUS, scope);
    return this.buses.get(busKey(scope, name)) ?? 'missing';
  }

  private busRecord(name: string, scope: Scope): BusRecord {
    return { ...scope, name, arn: `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${name}` };
  }

  private get home(): Scope {
    return { region: this.region, accountId: this.accountId };
  }
}

function busKey(scope: Scope, name: string): string {
  return `${scope.accountId}/${scope.region}/${name}`;
}

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function failure(code: string, message: string): EntryResult {
  return { ErrorCode: code, ErrorMessage: message };
}

function validationError(message: string): AwsError {
  return new AwsError(EVENTBRIDGE_ERRORS.validation.code, EVENTBRIDGE_ERRORS.validation.status, message);
}

/** "Calculating PutEvents event entry size": Time 14 bytes if present, plus the UTF-8 bytes of Source, DetailType, Detail and each resource. */
export function entrySize(entry: Record<string, unknown>): number {
  const text = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources) ? entry.Resources.reduce((sum: number, resource: unknown) => sum + text(resource), 0) : 0;
  const time = entry.Time !== undefined && entry.Time !== null ? TIME_BYTES : 0;
  return time + text(entry.Source) + text(entry.DetailType) + text(entry.Detail) + resources;
}

/** Simulated epoch ms of an entry's `Time` (awsJson sends epoch seconds), else of the call. */
function entryTime(value: unknown, now: number): number | undefined {
  if (value === undefined || value === null) return now;
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return undefined;
}
