import type { ScaledClock } from '../clock';
import {
  behaviourFor, DEFAULT_SYNC_DELAY_MS, defaultContentCheck, SimulatedGatewayDevice, toDeviceScript,
  type DeviceScript, type DeviceScriptInput, type DeviceSnapshot,
} from './devices';
import { AwsError, epochSeconds, type AwsOperation, type OperationRequest } from './protocol';
import type { SeededRandom } from './random';
import type { DeviceEventLog, SiteWiseSyncStatus } from './records';
import {
  CAPABILITY_CONFIGURATION, GATEWAY_NAME, GATEWAY_VERSION, MAX_RESULTS, SITEWISE_ERRORS, SITEWISE_SERVICE, sitewiseValidator,
  validateGatewayId, validateGatewayPlatform, validateNamespace, validateTags,
} from './sitewise-shapes';

export interface SiteWiseEmulatorOptions {
  readonly clock: ScaledClock;
  /** Source of gateway ids. */
  readonly random: SeededRandom;
  readonly events: DeviceEventLog;
  /** Default us-east-1. Gateway ARNs use it; requests for other regions are still served. */
  readonly region?: string;
  /** Default 123456789012. */
  readonly accountId?: string;
  /** Script of devices nobody scripted; default: apply after 2 simulated seconds. */
  readonly defaultScript?: DeviceScriptInput;
}

/** Input of the `createGateway` test helper; every member has a default. */
export interface CreateGatewayInput {
  readonly gatewayName?: string;
  readonly gatewayPlatform?: Record<string, unknown>;
  readonly gatewayVersion?: string;
  readonly tags?: Record<string, string>;
}

export interface GatewaySnapshot {
  readonly gatewayId: string;
  readonly gatewayName: string;
  readonly gatewayArn: string;
  readonly gatewayPlatform: Readonly<Record<string, unknown>>;
  readonly gatewayVersion: string;
  /** Simulated epoch ms. */
  readonly creationDate: number;
  readonly lastUpdateDate: number;
  /** Namespaces that have a capability configuration. */
  readonly namespaces: readonly string[];
}

interface GatewayRecord {
  readonly gatewayId: string;
  gatewayName: string;
  readonly gatewayArn: string;
  readonly gatewayPlatform: Record<string, unknown>;
  readonly gatewayVersion: string;
  readonly tags?: Record<string, unknown>;
  readonly creationDate: number;
  lastUpdateDate: number;
  readonly devices: Map<string, SimulatedGatewayDevice>;
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
  private gatewaysCreated = 0;

  constructor(options: SiteWiseEmulatorOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.events = options.events;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.initialDefaultScript = options.defaultScript ? toDeviceScript(options.defaultScript) : DEFAULT_SCRIPT;
    this.defaultScript = this.initialDefaultScript;
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
    }).gatewayId;
  }

  /** Deletes a gateway behind the deployment's back, e.g. someone deleted it in the console. */
  public deleteGatewayOutOfBand(gatewayId: string): void {
    this.removeGateway(this.requireGateway(gatewayId));
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
      creationDate: gateway.creationDate,
      lastUpdateDate: gateway.lastUpdateDate,
      namespaces: [...gateway.devices.values()].filter((device) => device.hasConfiguration).map((device) => device.namespace),
    };
  }

  public gatewayIds(): string[] {
    return [...this.gateways.keys()];
  }

  /** Forgets all gateways and devices and restores the initial default script. */
  public reset(): void {
    this.gateways.clear();
    this.gatewaysCreated = 0;
    this.defaultScript = this.initialDefaultScript;
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
  public operations(): AwsOperation[] {
    const service = SITEWISE_SERVICE.signingName;
    return [
      { service, name: 'CreateGateway', method: 'POST', path: '/20200301/gateways', successStatus: 201, handler: (r) => this.onCreateGateway(r) },
      { service, name: 'ListGateways', method: 'GET', path: '/20200301/gateways', successStatus: 200, handler: (r) => this.onListGateways(r) },
      { service, name: 'DescribeGateway', method: 'GET', path: '/20200301/gateways/{gatewayId}', successStatus: 200, handler: (r) => this.onDescribeGateway(r) },
      { service, name: 'UpdateGateway', method: 'PUT', path: '/20200301/gateways/{gatewayId}', successStatus: 200, handler: (r) => this.onUpdateGateway(r) },
      { service, name: 'DeleteGateway', method: 'DELETE', path: '/20200301/gateways/{gatewayId}', successStatus: 200, handler: (r) => this.onDeleteGateway(r) },
      {
        service,
        name: 'UpdateGatewayCapabilityConfiguration',
        method: 'POST',
        path: '/20200301/gateways/{gatewayId}/capability',
        successStatus: 201,
        handler: (r) => this.onUpdateCapability(r),
      },
      {
        service,
        name: 'DescribeGatewayCapabilityConfiguration',
        method: 'GET',
        path: '/20200301/gateways/{gatewayId}/capability/{capabilityNamespace}',
        successStatus: 200,
        handler: (r) => this.onDescribeCapability(r),
      },
    ];
  }

  private onCreateGateway(request: OperationRequest): unknown {
    const { gatewayName, gatewayPlatform, gatewayVersion, tags } = request.body;
    const gateway = this.addGateway({ gatewayName, gatewayPlatform, gatewayVersion, tags });
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
    const all = [...this.gateways.values()];
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
    return this.describe(this.findGateway(request.labels.gatewayId), request.now);
  }

  private onUpdateGateway(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    validateGatewayId(validator, request.labels.gatewayId);
    if (validator.required('gatewayName', request.body.gatewayName)) validator.string('gatewayName', request.body.gatewayName, GATEWAY_NAME);
    validator.throwIfInvalid();
    const gateway = this.findGateway(request.labels.gatewayId);
    gateway.gatewayName = request.body.gatewayName as string;
    gateway.lastUpdateDate = request.now;
    return undefined;
  }

  private onDeleteGateway(request: OperationRequest): unknown {
    const validator = sitewiseValidator();
    validateGatewayId(validator, request.labels.gatewayId);
    validator.throwIfInvalid();
    this.removeGateway(this.findGateway(request.labels.gatewayId));
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
    const gateway = this.findGateway(request.labels.gatewayId);
    const namespace = capabilityNamespace as string;
    const document = capabilityConfiguration as string;
    const device = this.deviceOf(gateway, namespace);
    const script = device.script ?? this.defaultScript;
    const contentCheck = script.rejectWhen === false ? undefined : script.rejectWhen ?? defaultContentCheck;
    const status = device.receiveUpdate(document, request.now, (updateNumber, scriptUpdateNumber) => behaviourFor(script, {
      gatewayId: gateway.gatewayId, gatewayName: gateway.gatewayName, namespace, updateNumber, scriptUpdateNumber, document,
    }), contentCheck);
    gateway.lastUpdateDate = request.now;
    return { capabilityNamespace: namespace, capabilitySyncStatus: status };
  }

  private onDescribeCapability(request: OperationRequest): unknown {
    const { gatewayId, capabilityNamespace } = request.labels;
    const validator = sitewiseValidator();
    validateGatewayId(validator, gatewayId);
    validateNamespace(validator, capabilityNamespace);
    validator.throwIfInvalid();
    const gateway = this.findGateway(gatewayId);
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

  private addGateway(input: Record<string, unknown>): GatewayRecord {
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
      gatewayId,
      gatewayName: gatewayName as string,
      gatewayArn: `arn:aws:iotsitewise:${this.region}:${this.accountId}:gateway/${gatewayId}`,
      gatewayPlatform: gatewayPlatform as Record<string, unknown>,
      gatewayVersion: gatewayVersion as string,
      tags: tags as Record<string, unknown> | undefined,
      creationDate: now,
      lastUpdateDate: now,
      devices: new Map(),
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

  private findGateway(gatewayId: string): GatewayRecord {
    const gateway = this.gateways.get(gatewayId);
    if (!gateway) {
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
      device = new SimulatedGatewayDevice(gateway.gatewayId, namespace, (event) => this.events.record(event));
      gateway.devices.set(namespace, device);
    }
    return device;
  }
}
