import type { ScaledClock } from '../clock';
import {
  behaviourFor, DEFAULT_SYNC_DELAY_MS, defaultContentCheck, SimulatedGatewayDevice, toDeviceScript,
  type DeviceScript, type DeviceScriptInput, type DeviceSnapshot,
} from './devices';
import { AwsError, epochSeconds, tagKeysOf, type AwsOperation, type OperationRequest, type ResourceTarget } from './protocol';
import type { SeededRandom } from './random';
import type { DeviceEventLog, SiteWiseSyncStatus } from './records';
import { inScope, scopeOf, type Scope } from './scope';
import {
  ARN, CAPABILITY_CONFIGURATION, GATEWAY_NAME, GATEWAY_VERSION, MAX_RESULTS, MAX_TAGS, SITEWISE_ERRORS, SITEWISE_SERVICE, sitewiseValidator,
  validateGatewayId, validateGatewayPlatform, validateNamespace, validateTags,
} from './sitewise-shapes';

export interface SiteWiseEmulatorOptions {
  readonly clock: ScaledClock;
  /** Source of gateway ids. */
  readonly random: SeededRandom;
  readonly events: DeviceEventLog;
  /** Home region of gateways the test helpers create; default us-east-1. Requests see the gateways of their own region. */
  readonly region?: string;
  /** Home account; default 123456789012. Requests see the gateways of their principal's account. */
  readonly accountId?: string;
  /** Script of devices nobody scripted; default: apply after 2 simulated seconds. */
  readonly defaultScript?: DeviceScriptInput;
  /**
   * How long, in simulated ms, a gateway processes a capability configuration update; another
   * update of the same gateway within it is refused with ConflictingOperationException. Default
   * DEFAULT_UPDATE_PROCESSING_MS; per gateway: `setUpdateProcessingWindow`.
   */
  readonly updateProcessingMs?: number;
}

/** Simulated ms a gateway processes an update before it accepts the next one (an assumption: see ASSUMPTIONS.md). */
export const DEFAULT_UPDATE_PROCESSING_MS = 1_000;

/** Input of the `createGateway` test helper; every member has a default. */
export interface CreateGatewayInput {
  readonly gatewayName?: string;
  readonly gatewayPlatform?: Record<string, unknown>;
  readonly gatewayVersion?: string;
  readonly tags?: Record<string, string>;
  /** Default: the emulator's home region. */
  readonly region?: string;
  /** Default: the emulator's home account. */
  readonly accountId?: string;
}

export interface GatewaySnapshot {
  readonly gatewayId: string;
  readonly gatewayName: string;
  readonly gatewayArn: string;
  readonly gatewayPlatform: Readonly<Record<string, unknown>>;
  readonly gatewayVersion: string;
  readonly region: string;
  readonly accountId: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Simulated epoch ms. */
  readonly creationDate: number;
  readonly lastUpdateDate: number;
  /** Namespaces that have a capability configuration. */
  readonly namespaces: readonly string[];
}

interface GatewayRecord extends Scope {
  readonly gatewayId: string;
  gatewayName: string;
  readonly gatewayArn: string;
  readonly gatewayPlatform: Record<string, unknown>;
  readonly gatewayVersion: string;
  readonly tags: Record<string, string>;
  readonly creationDate: number;
  lastUpdateDate: number;
  readonly devices: Map<string, SimulatedGatewayDevice>;
  /** Simulated ms each capability update keeps the gateway busy; undefined: the emulator's default. */
  updateProcessingMs?: number;
  /** Until when (simulated epoch ms) the last capability update is being processed. */
  processingUntil: number;
}

const DEFAULT_SCRIPT: DeviceScript = { behaviour: { kind: 'apply', delayMs: DEFAULT_SYNC_DELAY_MS } };
const DEFAULT_LIST_PAGE_SIZE = 50;

/**
 * The emulated IoT SiteWise control plane for gateways and their capability configurations, plus
 * the simulated gateway devices behind it and the API tests use to script and inspect them.
 */
export class SiteWiseEmulator {
  public readonly region: string;
  public readonly accountId: string;

  private readonly clock: ScaledClock;
  private readonly random: SeededRandom;
  private readonly events: DeviceEventLog;
  private readonly initialDefaultScript: DeviceScript;
  private defaultScript: DeviceScript;
  private readonly gateways = new Map<string, GatewayRecord>();
  private readonly initialUpdateProcessingMs: number;
  private updateProcessingMs: number;
  private gatewaysCreated = 0;
  /** While an out-of-band change runs: its device events are marked. */
  private markOutOfBand = false;

  constructor(options: SiteWiseEmulatorOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.events = options.events;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.initialDefaultScript = options.defaultScript ? toDeviceScript(options.defaultScript) : DEFAULT_SCRIPT;
    this.defaultScript = this.initialDefaultScript;
    this.initialUpdateProcessingMs = options.updateProcessingMs ?? DEFAULT_UPDATE_PROCESSING_MS;
    this.updateProcessingMs = this.initialUpdateProcessingMs;
    this.events.addSettler(() => this.settleAll());
  }

  // ---- test-facing API -------------------------------------------------------------------------

  /** Creates a gateway directly (no HTTP); returns its id. Input is validated like CreateGateway. */
  public createGateway(input: CreateGatewayInput = {}): string {
    const number = this.gatewaysCreated + 1;
    return this.addGateway({
      gatewayName: input.gatewayName ?? `emulated-gateway-${number}`,
      gatewayPlatform: input.gatewayPlatform ?? { greengrassV2: { coreDeviceThingName: `emulated-core-device-${number}` } },
      gatewayVersion: input.gatewayVersion,
      tags: input.tags,
    }, { region: input.region ?? this.region, accountId: input.accountId ?? this.accountId }).gatewayId;
  }

  /**
   * How long (simulated ms) this gateway processes each capability configuration update, during
   * which another update of it is refused with ConflictingOperationException; 0 never conflicts.
   */
  public setUpdateProcessingWindow(gatewayId: string, ms: number): void {
    if (!(ms >= 0)) throw new Error('the update processing window must be >= 0 ms');
    this.requireGateway(gatewayId).updateProcessingMs = ms;
  }

  /** The processing window of every gateway without its own (`setUpdateProcessingWindow`). */
  public setDefaultUpdateProcessingWindow(ms: number): void {
    if (!(ms >= 0)) throw new Error('the update processing window must be >= 0 ms');
    this.updateProcessingMs = ms;
  }

  /** Deletes a gateway behind the deployment's back, e.g. someone deleted it in the console. */
  public deleteGatewayOutOfBand(gatewayId: string): void {
    this.removeGateway(this.requireGateway(gatewayId));
  }

  /**
   * Another writer (an operator, another tool) stores `document` for this namespace through the
   * API, as UpdateGatewayCapabilityConfiguration would: the gateway is busy for its processing
   * window, the device syncs the document as its script says, and
   * DescribeGatewayCapabilityConfiguration returns it. Returns the status the call answered.
   */
  public replaceDocumentOutOfBand(gatewayId: string, namespace: string, document: string): SiteWiseSyncStatus {
    const gateway = this.requireGateway(gatewayId);
    const now = this.clock.now();
    const validator = sitewiseValidator();
    validateNamespace(validator, namespace);
    validator.string('capabilityConfiguration', document, CAPABILITY_CONFIGURATION);
    validator.throwIfInvalid();
    // Reports due before the change are not its doing.
    gateway.devices.get(namespace)?.settle(now);
    return this.outOfBand(() => this.applyUpdate(gateway, namespace, document, now));
  }

  /**
   * The gateway itself reports `status` for a namespace it has a configuration for, e.g. after
   * it was re-imaged (OUT_OF_SYNC or UNKNOWN: it runs no document any more) or a component broke
   * (SYNC_FAILED, with `reason`). Describe keeps returning the stored document with this status.
   */
  public setSyncStatusOutOfBand(gatewayId: string, namespace: string, status: 'OUT_OF_SYNC' | 'SYNC_FAILED' | 'UNKNOWN', reason?: string): void {
    const device = this.requireGateway(gatewayId).devices.get(namespace);
    if (!device?.hasConfiguration) throw new Error(`gateway ${gatewayId} has no capability configuration for ${namespace}`);
    const now = this.clock.now();
    device.settle(now);
    this.outOfBand(() => device.forceStatus(now, status, reason));
  }

  /**
   * Sets how the device for this gateway + namespace treats its next updates; a behaviour list is
   * consumed from the next update on. The gateway must exist (create it first, e.g. with `createGateway`).
   */
  public scriptDevice(gatewayId: string, namespace: string, script: DeviceScriptInput): void {
    this.deviceOf(this.requireGateway(gatewayId), namespace).setScript(toDeviceScript(script));
  }

  /** Script of every device without its own script (including devices of gateways created later). */
  public setDefaultScript(script: DeviceScriptInput): void {
    this.defaultScript = toDeviceScript(script);
  }

  /** Current state of one device; throws if the gateway or device does not exist. */
  public device(gatewayId: string, namespace: string): DeviceSnapshot {
    const gateway = this.requireGateway(gatewayId);
    const device = gateway.devices.get(namespace);
    if (!device) throw new Error(`gateway ${gatewayId} has no device for namespace ${namespace} (never scripted nor updated)`);
    device.settle(this.clock.now());
    return device.snapshot();
  }

  /** Current state of every device of every existing gateway. */
  public devices(): DeviceSnapshot[] {
    this.settleAll();
    return [...this.gateways.values()].flatMap((gateway) => [...gateway.devices.values()].map((device) => device.snapshot()));
  }

  public gateway(gatewayId: string): GatewaySnapshot | undefined {
    const gateway = this.gateways.get(gatewayId);
    return gateway && {
      gatewayId: gateway.gatewayId,
      gatewayName: gateway.gatewayName,
      gatewayArn: gateway.gatewayArn,
      gatewayPlatform: gateway.gatewayPlatform,
      gatewayVersion: gateway.gatewayVersion,
      region: gateway.region,
      accountId: gateway.accountId,
      tags: { ...gateway.tags },
      creationDate: gateway.creationDate,
      lastUpdateDate: gateway.lastUpdateDate,
      namespaces: [...gateway.devices.values()].filter((device) => device.hasConfiguration).map((device) => device.namespace),
    };
  }

  public gatewayIds(): string[] {
    return [...this.gateways.keys()];
  }

  /** Forgets all gateways and devices and restores the initial default script and processing window. */
  public reset(): void {
    this.gateways.clear();
    this.gatewaysCreated = 0;
    this.defaultScript = this.initialDefaultScript;
    this.updateProcessingMs = this.initialUpdateProcessingMs;
  }

  /** Brings every device up to the current simulated time. */
  public settleAll(): void {
    const now = this.clock.now();
    for (const gateway of this.gateways.values()) {
      for (const device of gateway.devices.values()) device.settle(now);
    }
  }

  // ---- operations ------------------------------------------------------------------------------

  /** The operation table registered with the HTTP server. */
  /**
   * The operation table registered with the HTTP server. IAM (Service Authorization Reference,
   * list_iotsitewise): CreateGateway and ListGateways have no resource type (`*`); the others act
   * on `gateway*`, `arn:aws:iotsitewise:<region>:<account>:gateway/<gatewayId>`, with
   * `aws:ResourceTag/<key>` from the gateway's tags.
   */
  public operations(): AwsOperation[] {
    const service = SITEWISE_SERVICE.signingName;
    const gatewayResource = (r: OperationRequest) => this.gatewayResource(r);
    return [
      { service, name: 'CreateGateway', method: 'POST', path: '/20200301/gateways', successStatus: 201, handler: (r) => this.onCreateGateway(r) },
      { service, name: 'ListGateways', method: 'GET', path: '/20200301/gateways', successStatus: 200, handler: (r) => this.onListGateways(r) },
      {
        service,
        name: 'DescribeGateway',
        method: 'GET',
        path: '/20200301/gateways/{gatewayId}',
        successStatus: 200,
        resource: gatewayResource,
        handler: (r) => this.onDescribeGateway(r),
      },
      {
        service,
        name: 'UpdateGateway',
        method: 'PUT',
        path: '/20200301/gateways/{gatewayId}',
        successStatus: 200,
        resource: gatewayResource,
        handler: (r) => this.onUpdateGateway(r),
      },
      {
        service,
        name: 'DeleteGateway',
        method: 'DELETE',
        path: '/20200301/gateways/{gatewayId}',
        successStatus: 200,
        resource: gatewayResource,
        handler: (r) => this.onDeleteGateway(r),
      },
      {
        service,
        name: 'UpdateGatewayCapabilityConfiguration',
        method: 'POST',
        path: '/20200301/gateways/{gatewayId}/capability',
        successStatus: 201,
        resource: gatewayResource,
        handler: (r) => this.onUpdateCapability(r),
      },
      {
        service,
        name: 'DescribeGatewayCapabilityConfiguration',
        method: 'GET',
        path: '/20200301/gateways/{gatewayId}/capability/{capabilityNamespace}',
        successStatus: 200,
        resource: gatewayResource,
        handler: (r) => this.onDescribeCapability(r),
      },
      // Tagging names the resource by ARN in the query (`resourceArn`); the gateway is the only taggable resource emulated.
      {
        service,
        name: 'TagResource',
        method: 'POST',
        path: '/tags',
        successStatus: 200,
        resource: (r) => this.taggedResource(r, tagKeysOf(r.body.tags as Record<string, unknown> | undefined)),
        handler: (r) => this.onTagResource(r),
      },
      {
        service,
        name: 'UntagResource',
        method: 'DELETE',
        path: '/tags',
        successStatus: 200,
        resource: (r) => this.taggedResource(r, tagKeysOf(undefined, r.query.getAll('tagKeys'))),
        handler: (r) => this.onUntagResource(r),
      },
      {
        service,
        name: 'ListTagsForResource',
        method: 'GET',
        path: '/tags',
        successStatus: 200,
        resource: (r) => this.taggedResource(r),
        handler: (r) => this.onListTagsForResource(r),
      },
    ];
  }

  /** The resource a tagging request names by ARN (in whatever account and region the ARN says), with its tags if it is a gateway of the caller's. */
  private taggedResource(request: OperationRequest, keys?: Record<string, string | readonly string[]>): ResourceTarget | null {
    const arn = request.query.get('resourceArn');
    if (arn === null) return null;
    const gateway = this.gatewayOfArn(arn, scopeOf(request));
    return { arn, tags: gateway?.tags, ...(keys ? { keys } : {}) };
  }

  private gatewayOfArn(arn: string, scope: Scope): GatewayRecord | undefined {
    const gatewayId = /:gateway\/([^/]+)$/.exec(arn)?.[1];
    const gateway = gatewayId === undefined ? undefined : this.gateways.get(gatewayId);
    return gateway && gateway.gatewayArn === arn && inScope(gateway, scope) ? gateway : undefined;
  }

  /** The gateway a tagging request names; ResourceNotFoundException for any other ARN. */
  private taggedGateway(request: OperationRequest): GatewayRecord {
    const validator = sitewiseValidator();
    const arn = request.query.get('resourceArn') ?? undefined;
    if (validator.required('resourceArn', arn)) validator.string('resourceArn', arn, ARN);
    validator.throwIfInvalid();
    const gateway = this.gatewayOfArn(arn as string, scopeOf(request));
    if (!gateway) throw new AwsError(SITEWISE_ERRORS.resourceNotFound.code, SITEWISE_ERRORS.resourceNotFound.status, `Resource ${arn} does not exist`);
    return gateway;
  }

  private onTagResource(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    if (validator.required('tags', request.body.tags)) validateTags(validator, request.body.tags);
    validator.throwIfInvalid();
    const gateway = this.taggedGateway(request);
    const merged = { ...gateway.tags, ...(request.body.tags as Record<string, string>) };
    if (Object.keys(merged).length > MAX_TAGS) {
      throw new AwsError(SITEWISE_ERRORS.tooManyTags.code, SITEWISE_ERRORS.tooManyTags.status,
        `Resource ${gateway.gatewayArn} would have ${Object.keys(merged).length} tags; at most ${MAX_TAGS} are allowed`, { resourceName: gateway.gatewayArn });
    }
    Object.assign(gateway.tags, request.body.tags);
    return {};
  }

  private onUntagResource(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    const keys = request.query.getAll('tagKeys');
    if (keys.length < 1 || keys.length > MAX_TAGS) validator.fail(`Value at 'tagKeys' failed to satisfy constraint: Member must have between 1 and ${MAX_TAGS} entries (got ${keys.length})`);
    validator.throwIfInvalid();
    const gateway = this.taggedGateway(request);
    for (const key of keys) delete gateway.tags[key];
    return {};
  }

  private onListTagsForResource(request: OperationRequest): unknown {
    return { tags: { ...this.taggedGateway(request).tags } };
  }

  /** The gateway ARN in the caller's account and region (formed from the id, whether or not the gateway exists), with its tags. */
  private gatewayResource(request: OperationRequest): ResourceTarget {
    const { gatewayId } = request.labels;
    const gateway = this.gateways.get(gatewayId);
    const scope = scopeOf(request);
    return {
      arn: gatewayArn(scope, gatewayId),
      tags: gateway && inScope(gateway, scope) ? gateway.tags : undefined,
    };
  }

  private onCreateGateway(request: OperationRequest): unknown {
    const { gatewayName, gatewayPlatform, gatewayVersion, tags } = request.body;
    const gateway = this.addGateway({ gatewayName, gatewayPlatform, gatewayVersion, tags }, scopeOf(request));
    return { gatewayId: gateway.gatewayId, gatewayArn: gateway.gatewayArn };
  }

  private onListGateways(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    const maxResultsText = request.query.get('maxResults');
    const maxResults = maxResultsText === null ? DEFAULT_LIST_PAGE_SIZE : Number(maxResultsText);
    if (!Number.isInteger(maxResults) || maxResults < MAX_RESULTS.min || maxResults > MAX_RESULTS.max) {
      validator.fail(`Value '${maxResultsText}' at 'maxResults' failed to satisfy constraint: Member must be between ${MAX_RESULTS.min} and ${MAX_RESULTS.max}`);
    }
    const token = request.query.get('nextToken');
    const start = token === null ? 0 : Number(token);
    if (!Number.isInteger(start) || start < 0) validator.fail(`Value '${token}' at 'nextToken' failed to satisfy constraint: Member must be a token returned by ListGateways`);
    validator.throwIfInvalid();
    const all = [...this.gateways.values()].filter((gateway) => inScope(gateway, scopeOf(request)));
    const page = all.slice(start, start + maxResults);
    const next = start + maxResults < all.length ? String(start + maxResults) : undefined;
    return {
      gatewaySummaries: page.map((gateway) => {
        const { gatewayArn: _arn, ...summary } = this.describe(gateway, request.now);
        return summary;
      }),
      ...(next === undefined ? {} : { nextToken: next }),
    };
  }

  private onDescribeGateway(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    validateGatewayId(validator, request.labels.gatewayId);
    validator.throwIfInvalid();
    return this.describe(this.findGateway(request.labels.gatewayId, scopeOf(request)), request.now);
  }

  private onUpdateGateway(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    validateGatewayId(validator, request.labels.gatewayId);
    if (validator.required('gatewayName', request.body.gatewayName)) validator.string('gatewayName', request.body.gatewayName, GATEWAY_NAME);
    validator.throwIfInvalid();
    const gateway = this.findGateway(request.labels.gatewayId, scopeOf(request));
    gateway.gatewayName = request.body.gatewayName as string;
    gateway.lastUpdateDate = request.now;
    return undefined;
  }

  private onDeleteGateway(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    validateGatewayId(validator, request.labels.gatewayId);
    validator.throwIfInvalid();
    this.removeGateway(this.findGateway(request.labels.gatewayId, scopeOf(request)));
    return undefined;
  }

  private onUpdateCapability(request: OperationRequest): unknown {
    const { capabilityNamespace, capabilityConfiguration } = request.body;
    const validator = sitewiseValidator();
    validateGatewayId(validator, request.labels.gatewayId);
    validateNamespace(validator, capabilityNamespace);
    if (validator.required('capabilityConfiguration', capabilityConfiguration)) {
      validator.string('capabilityConfiguration', capabilityConfiguration, CAPABILITY_CONFIGURATION);
    }
    validator.throwIfInvalid();
    const gateway = this.findGateway(request.labels.gatewayId, scopeOf(request));
    if (request.now < gateway.processingUntil) {
      // "Your request has conflicting operations ... more than one operation on the same resource at the same time."
      throw new AwsError(SITEWISE_ERRORS.conflictingOperation.code, SITEWISE_ERRORS.conflictingOperation.status,
        `Gateway ${gateway.gatewayId} is processing another capability configuration update`,
        { resourceId: gateway.gatewayId, resourceArn: gateway.gatewayArn });
    }
    const status = this.applyUpdate(gateway, capabilityNamespace as string, capabilityConfiguration as string, request.now);
    return { capabilityNamespace, capabilitySyncStatus: status };
  }

  /** Stores a document the API accepted at `now` and hands it to the namespace's device. */
  private applyUpdate(gateway: GatewayRecord, namespace: string, document: string, now: number): SiteWiseSyncStatus {
    gateway.processingUntil = now + (gateway.updateProcessingMs ?? this.updateProcessingMs);
    const device = this.deviceOf(gateway, namespace);
    const script = device.script ?? this.defaultScript;
    const contentCheck = script.rejectWhen === false ? undefined : script.rejectWhen ?? defaultContentCheck;
    const status = device.receiveUpdate(document, now, (updateNumber, scriptUpdateNumber) => behaviourFor(script, {
      gatewayId: gateway.gatewayId, gatewayName: gateway.gatewayName, namespace, updateNumber, scriptUpdateNumber, document,
    }), contentCheck);
    gateway.lastUpdateDate = now;
    return status;
  }

  /** Runs `change` with the device events it records marked `outOfBand`. */
  private outOfBand<T>(change: () => T): T {
    this.markOutOfBand = true;
    try {
      return change();
    } finally {
      this.markOutOfBand = false;
    }
  }

  private onDescribeCapability(request: OperationRequest): unknown {
    const { gatewayId, capabilityNamespace } = request.labels;
    const validator = sitewiseValidator();
    validateGatewayId(validator, gatewayId);
    validateNamespace(validator, capabilityNamespace);
    validator.throwIfInvalid();
    const gateway = this.findGateway(gatewayId, scopeOf(request));
    const device = gateway.devices.get(capabilityNamespace);
    if (!device?.hasConfiguration) {
      throw new AwsError(SITEWISE_ERRORS.resourceNotFound.code, SITEWISE_ERRORS.resourceNotFound.status,
        `Capability configuration with namespace ${capabilityNamespace} not found for gateway ${gatewayId}`);
    }
    const status = device.statusAt(request.now) as SiteWiseSyncStatus;
    return {
      gatewayId,
      capabilityNamespace,
      capabilityConfiguration: device.snapshot().cloudConfiguration,
      capabilitySyncStatus: status,
    };
  }

  // ---- state -----------------------------------------------------------------------------------

  private addGateway(input: Record<string, unknown>, scope: Scope): GatewayRecord {
    const { gatewayName, gatewayPlatform, tags } = input;
    const gatewayVersion = input.gatewayVersion ?? '2';
    const validator = sitewiseValidator();
    if (validator.required('gatewayName', gatewayName)) validator.string('gatewayName', gatewayName, GATEWAY_NAME);
    validator.string('gatewayVersion', gatewayVersion, GATEWAY_VERSION);
    validateGatewayPlatform(validator, gatewayPlatform, String(gatewayVersion));
    validateTags(validator, tags);
    validator.throwIfInvalid();

    let gatewayId = this.random.uuidV4();
    while (this.gateways.has(gatewayId)) gatewayId = this.random.uuidV4();
    const now = this.clock.now();
    const gateway: GatewayRecord = {
      ...scope,
      gatewayId,
      gatewayName: gatewayName as string,
      gatewayArn: gatewayArn(scope, gatewayId),
      gatewayPlatform: gatewayPlatform as Record<string, unknown>,
      gatewayVersion: gatewayVersion as string,
      tags: { ...(tags as Record<string, string> | undefined) },
      creationDate: now,
      lastUpdateDate: now,
      devices: new Map(),
      processingUntil: now,
    };
    this.gateways.set(gatewayId, gateway);
    this.gatewaysCreated += 1;
    return gateway;
  }

  private removeGateway(gateway: GatewayRecord): void {
    // Settle first so reports that happened before the deletion still reach the event log.
    const now = this.clock.now();
    for (const device of gateway.devices.values()) device.settle(now);
    this.gateways.delete(gateway.gatewayId);
  }

  private describe(gateway: GatewayRecord, now: number): Record<string, unknown> {
    return {
      gatewayId: gateway.gatewayId,
      gatewayName: gateway.gatewayName,
      gatewayArn: gateway.gatewayArn,
      gatewayPlatform: gateway.gatewayPlatform,
      gatewayVersion: gateway.gatewayVersion,
      // Summaries carry the status only, never the configuration body.
      gatewayCapabilitySummaries: [...gateway.devices.values()]
        .filter((device) => device.hasConfiguration)
        .map((device) => ({ capabilityNamespace: device.namespace, capabilitySyncStatus: device.statusAt(now) })),
      creationDate: epochSeconds(gateway.creationDate),
      lastUpdateDate: epochSeconds(gateway.lastUpdateDate),
    };
  }

  /** The gateway if it exists in the caller's account and region; else ResourceNotFoundException, as for any unknown id. */
  private findGateway(gatewayId: string, scope: Scope): GatewayRecord {
    const gateway = this.gateways.get(gatewayId);
    if (!gateway || !inScope(gateway, scope)) {
      throw new AwsError(SITEWISE_ERRORS.resourceNotFound.code, SITEWISE_ERRORS.resourceNotFound.status, `Gateway ${gatewayId} does not exist`);
    }
    return gateway;
  }

  private requireGateway(gatewayId: string): GatewayRecord {
    const gateway = this.gateways.get(gatewayId);
    if (!gateway) throw new Error(`the SiteWise emulator has no gateway ${gatewayId}`);
    return gateway;
  }

  private deviceOf(gateway: GatewayRecord, namespace: string): SimulatedGatewayDevice {
    let device = gateway.devices.get(namespace);
    if (!device) {
      device = new SimulatedGatewayDevice(gateway.gatewayId, namespace,
        (event) => this.events.record(this.markOutOfBand ? { ...event, outOfBand: true } : event));
      gateway.devices.set(namespace, device);
    }
    return device;
  }
}

function gatewayArn(scope: Scope, gatewayId: string): string {
  return `arn:aws:iotsitewise:${scope.region}:${scope.accountId}:gateway/${gatewayId}`;
}
