import {
  GetAgentConfigurationCommand, GroundStationClient, RegisterAgentCommand, UpdateAgentStatusCommand, type GroundStationClientConfig,
} from '@aws-sdk/client-groundstation';
import type { ScaledClock, SimulatedTimer } from '../clock';
import {
  DEFAULT_COMPONENT_TYPE, DEFAULT_REGISTER_AFTER_MS, DEFAULT_REGISTER_RETRY_MS,
  type AgentStatusReportScript, type ComponentStatusScript, type GroundStationAgentScript,
} from './ground-station-agent-scripts';
import type { AgentStatusReport } from './ground-station-agents';
import { DEFAULT_INGRESS_ADDRESS, type AgentStatus, type ComponentStatus } from './ground-station-shapes';
import { EMULATOR_CREDENTIALS, type LocalAwsEndpoint } from './local-aws-endpoint';
import { SeededRandom } from './random';

/**
 * A simulated AWS Ground Station Agent: the process on a receiver instance that registers with
 * the service and reports task statuses, here driving the emulator (or any endpoint) through the
 * unmodified `@aws-sdk/client-groundstation` client, as the real agent drives the real service.
 * What it reports follows a script on the emulator's simulated time, so a test can say "registers
 * at once, healthy 2 s later" and wait a few real milliseconds.
 *
 *   const { arn } = emulator.groundStation.createDataflowEndpointGroup();
 *   const agent = new SimulatedGroundStationAgent({ emulator, capabilityArns: [arn] });
 *   agent.start(GroundStationAgentScripts.healthyAfter(2_000));
 *   await agent.finished();   // registered, read its configuration, reported SUCCESS
 *   await agent.stop();       // always: cancels timers and closes the client's sockets
 *
 * Scripts wait with timers on the clock, so they need a clock whose time moves (a ScaledClock).
 * With a clock a test moves by hand, drive the agent step by step instead: `register()`,
 * `readConfiguration()`, `sendStatus(…)`.
 */

export interface SimulatedGroundStationAgentOptions {
  /** The local endpoint: gives the URL, the clock and default public IPs. Or give `endpoint` and `clock`. */
  readonly emulator?: LocalAwsEndpoint;
  /** Service URL when there is no `emulator`. */
  readonly endpoint?: string;
  /** Simulated time of the script when there is no `emulator`. */
  readonly clock?: ScaledClock;
  /** Default us-east-1 (or the emulator's region). */
  readonly region?: string;
  /** Dataflow endpoint group ARNs the agent serves (its config file's `capabilities`); 1..20. */
  readonly capabilityArns: readonly string[];
  /**
   * The instance's public (Elastic) IPs. Default with an `emulator`: the ingress addresses of the
   * agent endpoints of its groups when it registers (a correctly configured agent); else DEFAULT_INGRESS_ADDRESS.
   */
  readonly publicIpAddresses?: readonly string[];
  /** Default ['10.0.0.10']. */
  readonly privateIpAddresses?: readonly string[];
  /** Default 'i-0123456789abcdef0'. */
  readonly instanceId?: string;
  /** Default 'c5.24xlarge'. */
  readonly instanceType?: string;
  /** Default '1.0.3555.0'. */
  readonly agentVersion?: string;
  /** Default [2, 3, 4, 5]. */
  readonly agentCpuCores?: readonly number[];
  /** Default: LAMINAR_FLOW and DIGITIZER 1.0.0. */
  readonly componentVersions?: ReadonlyArray<{ readonly componentType: string; readonly versions: readonly string[] }>;
  /** Seed of task and dataflow ids; default derived from the instance id, so the same agent sends the same ids every run. */
  readonly seed?: number;
  /** Simulated ms between RegisterAgent attempts after a failure; default DEFAULT_REGISTER_RETRY_MS. */
  readonly registerRetryMs?: number;
  /** Overrides of the SDK client's configuration, e.g. `maxAttempts` (default: the SDK's 3). */
  readonly clientConfig?: GroundStationClientConfig;
}

/** The members of one UpdateAgentStatus besides the agent id: what the emulator records of an accepted report. */
export type AgentStatusReportBody = AgentStatusReport;

/** A report the agent sent, and how the service answered. */
export interface SentStatusReport extends AgentStatusReportBody {
  /** Simulated epoch ms the call was made. */
  readonly at: number;
  /** Error name when the call failed (after the SDK's retries). */
  readonly error?: string;
}

export interface AgentCallError {
  readonly at: number;
  readonly operation: 'RegisterAgent' | 'GetAgentConfiguration' | 'UpdateAgentStatus';
  /** SDK error name, e.g. `ThrottlingException`. */
  readonly name: string;
  readonly message: string;
  readonly httpStatusCode?: number;
}

/** One ad hoc report for `sendStatus`; components default as in scripts. */
export type AgentStatusReportInput = Omit<AgentStatusReportScript, 'afterMs'>;

export type SimulatedAgentState = 'idle' | 'running' | 'finished' | 'stopped';

export class SimulatedGroundStationAgent {
  /** Every UpdateAgentStatus sent, in order. */
  public readonly sentReports: SentStatusReport[] = [];
  /** Every failed call (after the SDK's retries), in order. */
  public readonly errors: AgentCallError[] = [];

  private readonly client: GroundStationClient;
  private readonly clock: ScaledClock;
  private readonly random: SeededRandom;
  private readonly dataflowIds = new Map<string, string>();
  private currentState: SimulatedAgentState = 'idle';
  private registeredAgentId: string | undefined;
  private lastTaskingDocument: string | undefined;
  private running: Promise<void> | undefined;
  /** A bug in the script run itself (SDK errors are recorded in `errors` instead); `finished()` rethrows it. */
  private scriptFailure: unknown;
  private pendingSleep: { timer: SimulatedTimer; wake: () => void } | undefined;

  constructor(private readonly options: SimulatedGroundStationAgentOptions) {
    const clock = options.clock ?? options.emulator?.clock;
    const endpoint = options.endpoint ?? options.emulator?.url;
    if (!clock || !endpoint) throw new Error('SimulatedGroundStationAgent needs `emulator`, or `endpoint` and `clock`');
    if (options.capabilityArns.length === 0) throw new Error('SimulatedGroundStationAgent needs at least one capability ARN');
    this.clock = clock;
    this.random = new SeededRandom(options.seed ?? stringSeed(this.instanceId));
    this.client = new GroundStationClient({
      endpoint,
      region: options.region ?? options.emulator?.groundStation.region ?? 'us-east-1',
      credentials: { ...EMULATOR_CREDENTIALS },
      ...options.clientConfig,
    });
  }

  /** The id RegisterAgent returned; undefined until registered. */
  public get agentId(): string | undefined {
    return this.registeredAgentId;
  }

  /** The last tasking document GetAgentConfiguration returned. */
  public get taskingDocument(): string | undefined {
    return this.lastTaskingDocument;
  }

  public get state(): SimulatedAgentState {
    return this.currentState;
  }

  public get instanceId(): string {
    return this.options.instanceId ?? 'i-0123456789abcdef0';
  }

  /** Runs the script in the background; `finished()` tells when it is done, `stop()` ends it early. */
  public start(script: GroundStationAgentScript = {}): void {
    if (this.currentState !== 'idle') throw new Error(`the agent was already started (state ${this.currentState})`);
    this.currentState = 'running';
    // Caught here so a failing run never becomes an unhandled rejection when nobody awaits `finished()`.
    this.running = this.run(script).catch((error: unknown) => {
      this.scriptFailure = error;
    }).finally(() => {
      if (this.currentState === 'running') this.currentState = 'finished';
    });
  }

  /** Resolves when the script has run to its end (never on its own with `reportEveryMs`), or the agent was stopped. */
  public async finished(): Promise<void> {
    await this.running;
    if (this.scriptFailure !== undefined) throw this.scriptFailure;
  }

  /** Ends the script, cancels its timer, waits for a call in flight and closes the client. Safe to call twice. */
  public async stop(): Promise<void> {
    if (this.currentState === 'running' || this.currentState === 'idle') this.currentState = 'stopped';
    this.wake();
    await this.running;
    this.client.destroy();
  }

  /** RegisterAgent once; returns the agent id, or undefined (and records the error) if the call failed. */
  public async register(): Promise<string | undefined> {
    const at = this.clock.now();
    try {
      const { agentId } = await this.client.send(new RegisterAgentCommand({
        discoveryData: {
          publicIpAddresses: [...this.publicIpAddresses()],
          privateIpAddresses: [...this.options.privateIpAddresses ?? ['10.0.0.10']],
          capabilityArns: [...this.options.capabilityArns],
        },
        agentDetails: {
          agentVersion: this.options.agentVersion ?? '1.0.3555.0',
          instanceId: this.instanceId,
          instanceType: this.options.instanceType ?? 'c5.24xlarge',
          agentCpuCores: [...this.options.agentCpuCores ?? [2, 3, 4, 5]],
          componentVersions: (this.options.componentVersions ?? [
            { componentType: 'LAMINAR_FLOW', versions: ['1.0.0'] },
            { componentType: 'DIGITIZER', versions: ['1.0.0'] },
          ]).map((component) => ({ componentType: component.componentType, versions: [...component.versions] })),
        },
      }));
      this.registeredAgentId = agentId;
      return agentId;
    } catch (error) {
      this.recordError(at, 'RegisterAgent', error);
      return undefined;
    }
  }

  /** GetAgentConfiguration; returns the tasking document, or undefined (and records the error). */
  public async readConfiguration(): Promise<string | undefined> {
    const agentId = this.requireAgentId();
    const at = this.clock.now();
    try {
      const { taskingDocument } = await this.client.send(new GetAgentConfigurationCommand({ agentId }));
      this.lastTaskingDocument = taskingDocument;
      return taskingDocument;
    } catch (error) {
      this.recordError(at, 'GetAgentConfiguration', error);
      return undefined;
    }
  }

  /** One UpdateAgentStatus; resolves to what was sent, with `error` set if the call failed. */
  public async sendStatus(input: AgentStatusReportInput): Promise<SentStatusReport> {
    return this.send({
      taskId: input.taskId ?? this.random.uuidV4(),
      aggregateStatus: input.aggregateStatus,
      ...(input.signatureMap === undefined ? {} : { signatureMap: input.signatureMap }),
      componentStatuses: this.components(input.componentStatuses ?? [{}], input.aggregateStatus),
    });
  }

  private async run(script: GroundStationAgentScript): Promise<void> {
    await this.sleep(script.registerAfterMs ?? DEFAULT_REGISTER_AFTER_MS);
    while (this.isRunning() && await this.register() === undefined) await this.sleep(this.options.registerRetryMs ?? DEFAULT_REGISTER_RETRY_MS);
    if (!this.isRunning()) return;
    await this.readConfiguration();
    let last: SentStatusReport | undefined;
    for (const step of script.reports ?? []) {
      await this.sleep(step.afterMs);
      if (!this.isRunning()) return;
      last = await this.sendStatus(step);
    }
    if (script.reportEveryMs === undefined || !last) return;
    while (this.isRunning()) {
      await this.sleep(script.reportEveryMs);
      if (!this.isRunning()) return;
      const { at: _at, error: _error, ...body } = last;
      last = await this.send(body);
    }
  }

  private async send(report: AgentStatusReportBody): Promise<SentStatusReport> {
    const agentId = this.requireAgentId();
    const at = this.clock.now();
    const { signatureMap } = report;
    try {
      await this.client.send(new UpdateAgentStatusCommand({
        agentId,
        taskId: report.taskId,
        aggregateStatus: { status: report.aggregateStatus, ...(signatureMap === undefined ? {} : { signatureMap: { ...signatureMap } }) },
        componentStatuses: report.componentStatuses.map((component) => ({ ...component })),
      }));
      const done = { ...report, at };
      this.sentReports.push(done);
      return done;
    } catch (error) {
      const failed = { ...report, at, error: errorName(error) };
      this.sentReports.push(failed);
      this.recordError(at, 'UpdateAgentStatus', error);
      return failed;
    }
  }

  /** Expands scripted components: one per capability ARN where none is named, defaults filled in. */
  private components(scripts: readonly ComponentStatusScript[], aggregateStatus: AgentStatus): ComponentStatus[] {
    return scripts.flatMap((script) => (script.capabilityArn === undefined ? this.options.capabilityArns : [script.capabilityArn])
      .map((capabilityArn) => ({
        componentType: script.componentType ?? DEFAULT_COMPONENT_TYPE,
        capabilityArn,
        status: script.status ?? aggregateStatus,
        ...(script.bytesSent === undefined ? {} : { bytesSent: script.bytesSent }),
        ...(script.bytesReceived === undefined ? {} : { bytesReceived: script.bytesReceived }),
        ...(script.packetsDropped === undefined ? {} : { packetsDropped: script.packetsDropped }),
        dataflowId: script.dataflowId ?? this.dataflowIdOf(capabilityArn),
      })));
  }

  private dataflowIdOf(capabilityArn: string): string {
    let id = this.dataflowIds.get(capabilityArn);
    if (id === undefined) {
      id = this.random.uuidV4();
      this.dataflowIds.set(capabilityArn, id);
    }
    return id;
  }

  /** What a correctly configured instance reports: the ingress addresses of its groups' agent endpoints, read when it registers. */
  private publicIpAddresses(): readonly string[] {
    if (this.options.publicIpAddresses) return this.options.publicIpAddresses;
    const groundStation = this.options.emulator?.groundStation;
    const addresses = new Set<string>();
    for (const groupId of groundStation?.groupIds() ?? []) {
      const group = groundStation?.group(groupId);
      if (!group || !this.options.capabilityArns.includes(group.dataflowEndpointGroupArn)) continue;
      for (const endpoint of group.agentEndpoints) addresses.add(endpoint.ingressAddress);
    }
    // IpAddressList allows at most 20.
    return addresses.size === 0 ? [DEFAULT_INGRESS_ADDRESS] : [...addresses].slice(0, 20);
  }

  private requireAgentId(): string {
    if (this.registeredAgentId === undefined) throw new Error('the agent has not registered yet');
    return this.registeredAgentId;
  }

  private isRunning(): boolean {
    return this.currentState === 'running';
  }

  /** clock.sleep, but cancellable, so `stop()` leaves no timer behind. */
  private sleep(simulatedMs: number): Promise<void> {
    if (!this.isRunning() || simulatedMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.pendingSleep = undefined;
        resolve();
      };
      this.pendingSleep = { timer: this.clock.setTimeout(wake, simulatedMs), wake };
    });
  }

  private wake(): void {
    if (!this.pendingSleep) return;
    this.pendingSleep.timer.cancel();
    this.pendingSleep.wake();
  }

  private recordError(at: number, operation: AgentCallError['operation'], error: unknown): void {
    const metadata = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata;
    this.errors.push({
      at,
      operation,
      name: errorName(error),
      message: error instanceof Error ? error.message : String(error),
      ...(metadata?.httpStatusCode === undefined ? {} : { httpStatusCode: metadata.httpStatusCode }),
    });
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/** A stable seed from a string (sum of code points weighted by position). */
function stringSeed(text: string): number {
  let seed = 0;
  for (let i = 0; i < text.length; i++) seed = (seed * 31 + text.charCodeAt(i)) % 2147483647;
  return seed;
}
