import type { ScaledClock } from '../clock';
import type { DeviceScriptInput } from './devices';
import { FaultInjector } from './faults';
import { SeededRandom } from './random';
import { DeviceEventLog, type DeviceEvent, type RecordedRequest } from './records';
import { AwsRestJsonServer } from './server';
import { SiteWiseEmulator } from './sitewise';
import { SITEWISE_SERVICE } from './sitewise-shapes';

export interface LocalAwsEndpointOptions {
  /** All emulator and device timing runs on this clock (simulated ms). */
  readonly clock: ScaledClock;
  /** Seed of gateway ids and fault draws; default 1. The same seed gives the same run. */
  readonly seed?: number;
  /** Default us-east-1; used in ARNs. */
  readonly region?: string;
  /** Default 123456789012; used in ARNs. */
  readonly accountId?: string;
  readonly sitewise?: {
    /** Script of unscripted SiteWise devices; default: apply after 2 simulated seconds. */
    readonly defaultScript?: DeviceScriptInput;
  };
}

/** Fake static credentials: the emulator reads the signing scope but never checks signatures. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret-access-key' };

/** Seed offset of the fault PRNG, so fault draws do not shift gateway ids and vice versa. */
const FAULT_SEED_OFFSET = 7919;

/**
 * A local AWS endpoint that unmodified AWS SDK v3 clients talk to through `endpoint` or
 * `AWS_ENDPOINT_URL`: the generic restJson1 server with the emulated services installed.
 */
export class LocalAwsEndpoint {
  public static async start(options: LocalAwsEndpointOptions): Promise<LocalAwsEndpoint> {
    const seed = options.seed ?? 1;
    const idRandom = new SeededRandom(seed);
    const faultRandom = new SeededRandom(seed + FAULT_SEED_OFFSET);
    const faults = new FaultInjector(faultRandom);
    const events = new DeviceEventLog();
    const server = await AwsRestJsonServer.start({ clock: options.clock, faults });
    const sitewise = new SiteWiseEmulator({
      clock: options.clock,
      random: idRandom,
      events,
      region: options.region,
      accountId: options.accountId,
      defaultScript: options.sitewise?.defaultScript,
    });
    server.addService(SITEWISE_SERVICE);
    server.addOperations(sitewise.operations());
    return new LocalAwsEndpoint(options.clock, seed, server, faults, events, sitewise, [idRandom, faultRandom]);
  }

  private constructor(
    public readonly clock: ScaledClock,
    private readonly seed: number,
    private readonly server: AwsRestJsonServer,
    /** Fault injection for all services. */
    public readonly faults: FaultInjector,
    private readonly eventLog: DeviceEventLog,
    /** Emulated IoT SiteWise and its simulated gateway devices. */
    public readonly sitewise: SiteWiseEmulator,
    private readonly randoms: readonly [SeededRandom, SeededRandom],
  ) {}

  /** e.g. `http://127.0.0.1:43123`. */
  public get url(): string {
    return this.server.url;
  }

  /** Every request so far, in arrival order (a live array; `reset` empties it). */
  public get requests(): readonly RecordedRequest[] {
    return this.server.requests;
  }

  /** Every device status change so far, ordered by simulated time (devices are settled first). */
  public get events(): DeviceEvent[] {
    return this.eventLog.list();
  }

  /**
   * Client configuration for an SDK v3 client talking to this endpoint. `disableHostPrefix`
   * matters for SiteWise: its operations are modeled with host prefix `api.`, so without it the
   * SDK would send requests to `api.127.0.0.1`, which does not resolve.
   */
  public clientConfig(): { endpoint: string; region: string; credentials: typeof EMULATOR_CREDENTIALS; disableHostPrefix: true } {
    return { endpoint: this.url, region: this.sitewise.region, credentials: { ...EMULATOR_CREDENTIALS }, disableHostPrefix: true };
  }

  /** Environment variables that point a process's default SDK configuration at this endpoint. */
  public environment(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_REGION: this.sitewise.region,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    };
  }

  /** Clears gateways, devices, scripts, faults, requests and events, and restarts the seeded sequences. */
  public reset(): void {
    this.sitewise.reset();
    this.faults.clear();
    this.server.requests.length = 0;
    this.eventLog.clear();
    this.randoms[0].reseed(this.seed);
    this.randoms[1].reseed(this.seed + FAULT_SEED_OFFSET);
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }
}
