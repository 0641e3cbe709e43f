import type { ScaledClock } from '../clock';
import type { DeviceScriptInput } from './devices';
import { DynamoDbEmulator } from './dynamodb';
import { DYNAMODB_SERVICE } from './dynamodb-shapes';
import type { EdgeAgentScriptInput } from './edge-agent-scripts';
import { EVENTBRIDGE_SERVICE, EventBridgeEmulator } from './eventbridge';
import { FaultInjector } from './faults';
import { GroundStationEmulator } from './ground-station';
import { GROUND_STATION_SERVICE } from './ground-station-shapes';
import { IamEmulator } from './iam';
import { KinesisVideoEmulator } from './kinesis-video';
import { KINESIS_VIDEO_SERVICE } from './kinesis-video-shapes';
import { SeededRandom } from './random';
import { DeviceEventLog, type DeviceEvent, type RecordedRequest } from './records';
import { S3_SERVICE, S3Emulator } from './s3';
import { SecretsRegistry } from './secrets';
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
    /** How long a gateway processes a capability update (another one meanwhile conflicts); default DEFAULT_UPDATE_PROCESSING_MS. */
    readonly updateProcessingMs?: number;
  };
  readonly kinesisVideo?: {
    /** Script of unscripted Edge Agents; default: acknowledge after 1 simulated second, IN_SYNC 2 s later. */
    readonly defaultAgentScript?: EdgeAgentScriptInput;
    /** Whether the per-stream and per-account call quotas apply; default true. */
    readonly rateLimits?: boolean;
  };
  readonly groundStation?: {
    /** Whether an agent whose public IPs miss an endpoint's ingress address makes it UNVERIFIED_IP_OWNERSHIP; default true. */
    readonly verifyIpOwnership?: boolean;
  };
}

/**
 * The home account's administrator: may do anything in that account. The emulator reads the
 * access key and the signing scope but never checks signatures.
 */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret-access-key' };
const DEFAULT_ACCOUNT_ID = '123456789012';

/** Seed offset of the fault PRNG, so fault draws do not shift gateway ids and vice versa. */
const FAULT_SEED_OFFSET = 7919;
/** Seed offset of stream versions and secret ARN suffixes, so they shift neither gateway ids nor faults. */
const KINESIS_VIDEO_SEED_OFFSET = 104729;
/** Seed offset of dataflow endpoint group and agent ids, so they shift no other sequence. */
const GROUND_STATION_SEED_OFFSET = 1299709;
/** Seed offset of EventBridge event ids. */
const EVENTBRIDGE_SEED_OFFSET = 15485863;

/** A seeded sequence and the seed `reset` restarts it from. */
interface SeededSequence {
  readonly random: SeededRandom;
  readonly seed: number;
}

/**
 * A local AWS endpoint that unmodified AWS SDK v3 clients talk to through `endpoint` or
 * `AWS_ENDPOINT_URL`: the generic REST server with the emulated services installed.
 */
export class LocalAwsEndpoint {
  public static async start(options: LocalAwsEndpointOptions): Promise<LocalAwsEndpoint> {
    const seed = options.seed ?? 1;
    const sequence = (offset: number): SeededSequence => ({ random: new SeededRandom(seed + offset), seed: seed + offset });
    const ids = sequence(0);
    const faultDraws = sequence(FAULT_SEED_OFFSET);
    const kinesisVideoIds = sequence(KINESIS_VIDEO_SEED_OFFSET);
    const groundStationIds = sequence(GROUND_STATION_SEED_OFFSET);
    const eventIds = sequence(EVENTBRIDGE_SEED_OFFSET);
    const faults = new FaultInjector(faultDraws.random);
    const events = new DeviceEventLog();
    const homeAccountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    const iam = new IamEmulator({ homeAccountId, homeAdministratorKey: EMULATOR_CREDENTIALS.accessKeyId, now: () => options.clock.now() });
    const server = await AwsRestJsonServer.start({ clock: options.clock, faults, iam });
    const sitewise = new SiteWiseEmulator({
      clock: options.clock,
      random: ids.random,
      events,
      region: options.region,
      accountId: options.accountId,
      defaultScript: options.sitewise?.defaultScript,
      updateProcessingMs: options.sitewise?.updateProcessingMs,
    });
    server.addService(SITEWISE_SERVICE);
    server.addOperations(sitewise.operations());
    const secrets = new SecretsRegistry({ random: kinesisVideoIds.random, region: sitewise.region, accountId: sitewise.accountId });
    const kinesisVideo = new KinesisVideoEmulator({
      clock: options.clock,
      random: kinesisVideoIds.random,
      events,
      secrets,
      region: options.region,
      accountId: options.accountId,
      defaultAgentScript: options.kinesisVideo?.defaultAgentScript,
      rateLimits: options.kinesisVideo?.rateLimits,
    });
    server.addService(KINESIS_VIDEO_SERVICE);
    server.addOperations(kinesisVideo.operations());
    const groundStation = new GroundStationEmulator({
      clock: options.clock,
      random: groundStationIds.random,
      events,
      region: options.region,
      accountId: options.accountId,
      verifyIpOwnership: options.groundStation?.verifyIpOwnership,
    });
    server.addService(GROUND_STATION_SERVICE);
    server.addOperations(groundStation.operations());
    const s3 = new S3Emulator({ clock: options.clock, region: options.region, accountId: options.accountId });
    server.addService(S3_SERVICE);
    server.addOperations(s3.operations());
    const dynamodb = new DynamoDbEmulator({ clock: options.clock, region: options.region, accountId: options.accountId });
    server.addService(DYNAMODB_SERVICE);
    server.addOperations(dynamodb.operations());
    const eventBridge = new EventBridgeEmulator({ random: eventIds.random, region: options.region, accountId: options.accountId });
    server.addService(EVENTBRIDGE_SERVICE);
    server.addOperations(eventBridge.operations());
    return new LocalAwsEndpoint(options.clock, server, faults, iam, events, sitewise, kinesisVideo, secrets, groundStation, s3,
      dynamodb, eventBridge, [ids, faultDraws, kinesisVideoIds, groundStationIds, eventIds]);
  }

  private constructor(
    public readonly clock: ScaledClock,
    private readonly server: AwsRestJsonServer,
    /** Fault injection for all services. */
    public readonly faults: FaultInjector,
    /** Who signs requests (administrator keys, roles the harness registers) and the requests IAM refused. */
    public readonly iam: IamEmulator,
    private readonly eventLog: DeviceEventLog,
    /** Emulated IoT SiteWise and its simulated gateway devices. */
    public readonly sitewise: SiteWiseEmulator,
    /** Emulated Kinesis Video Streams and the simulated Edge Agents of its hub devices. */
    public readonly kinesisVideo: KinesisVideoEmulator,
    /** In-memory Secrets Manager secrets, e.g. the media URI secrets of edge configurations. */
    public readonly secrets: SecretsRegistry,
    /** Emulated AWS Ground Station: dataflow endpoint groups whose agent endpoints' health follows the registered agents. */
    public readonly groundStation: GroundStationEmulator,
    /** In-memory S3 objects (e.g. a stack's file assets) that S3Client GetObject reads (path-style). */
    public readonly s3: S3Emulator,
    /** In-memory DynamoDB tables (a stack's `AWS::DynamoDB::Table` resources) and their items, over awsJson1_0. */
    public readonly dynamodb: DynamoDbEmulator,
    /**
     * EventBridge PutEvents onto the default bus or custom buses; `eventBridge.received()` lists what
     * arrived. (Not `events`: that is the device event log.)
     */
    public readonly eventBridge: EventBridgeEmulator,
    private readonly sequences: readonly SeededSequence[],
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

  /** The events of one service, typed, e.g. `eventsOf('kinesisvideo')`. */
  public eventsOf<S extends DeviceEvent['service']>(service: S): Array<Extract<DeviceEvent, { service: S }>> {
    return this.events.filter((event): event is Extract<DeviceEvent, { service: S }> => event.service === service);
  }

  /**
   * Client configuration for an SDK v3 client talking to this endpoint. `disableHostPrefix`
   * matters for SiteWise: its operations are modeled with host prefix `api.`, so without it the
   * SDK would send requests to `api.127.0.0.1`, which does not resolve. An S3Client also needs
   * `forcePathStyle: true`, or it would put the bucket name in the host.
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

  /**
   * Clears gateways, devices, streams, edge agents, secrets, dataflow endpoint groups, Ground
   * Station agents and overrides, S3 buckets and objects, DynamoDB tables, EventBridge events and buses, scripts, faults, quotas, requests,
   * events and IAM denials, and restarts the seeded sequences. Registered roles stay.
   */
  public reset(): void {
    this.sitewise.reset();
    this.s3.reset();
    this.kinesisVideo.reset();
    this.groundStation.reset();
    this.dynamodb.reset();
    this.eventBridge.reset();
    this.secrets.reset();
    this.iam.reset();
    this.faults.clear();
    this.server.requests.length = 0;
    this.eventLog.clear();
    for (const { random, seed } of this.sequences) random.reseed(seed);
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }
}
