import { Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkDistinctTargets, planFleet } from './fleet-plan';
import { RolloutWaves } from './rollout-waves';
import { validationError } from '../shared/validation';
import { EdgeDeletionOptions, EdgeRecorderOptions, EdgeUploaderOptions } from '../stream-edge/edge-options';
import { StreamEdgeConfiguration } from '../stream-edge/stream-edge-configuration';

/** One camera site of a fleet: its stream, its hub device, and the values its configuration is built from. */
export interface CameraSite {
  /** The site's id, unique in the fleet: it names the site's resource and the site in errors and failure reasons. */
  readonly siteId: string;

  /** The site's Kinesis video stream, by name. */
  readonly streamName: string;

  /** The ARN of the site's hub device (an IoT thing) that runs the Edge Agent. */
  readonly hubDeviceArn: string;

  /**
   * Site-specific values for the configuration builder (the camera's media URI secret ARN...).
   *
   * @default - none
   */
  readonly parameters?: { [key: string]: string };
}

/** One site's edge configuration: what StreamEdgeConfiguration takes besides the stream and hub. */
export interface CameraSiteEdgeConfiguration {
  /** What the Edge Agent records, and when. */
  readonly recorder: EdgeRecorderOptions;

  /**
   * When the Edge Agent uploads.
   *
   * @default - no uploader
   */
  readonly uploader?: EdgeUploaderOptions;

  /**
   * How long media stays on the hub.
   *
   * @default - the service's defaults
   */
  readonly deletion?: EdgeDeletionOptions;
}

/** Builds each camera site's edge configuration. */
export interface ICameraSiteConfiguration {
  /** The edge configuration of `site`; errors name the site. */
  edgeConfigurationFor(scope: Construct, site: CameraSite): CameraSiteEdgeConfiguration;
}

/** Properties of a {@link StreamEdgeFleetConfiguration}. */
export interface StreamEdgeFleetConfigurationProps {
  /** The sites, in rollout order. */
  readonly sites: CameraSite[];

  /** Builds each site's edge configuration. */
  readonly configuration: ICameraSiteConfiguration;

  /**
   * The waves: wave k+1 starts only when every hub of wave k reports IN_SYNC.
   *
   * @default RolloutWaves.CANARY_THEN_TEN_PERCENT
   */
  readonly waves?: RolloutWaves;

  /**
   * Most sites in one stack: a larger fleet is split into nested stacks of at most this many
   * sites each (each with its own provider), keeping the wave order across them. At most 400.
   *
   * @default 200
   */
  readonly sitesPerStack?: number;

  /**
   * How many hubs of a wave apply at once. StartEdgeConfigurationUpdate allows 10 calls per
   * second per account; 10 at once stay within it.
   *
   * @default 10
   */
  readonly maxConcurrent?: number;

  /**
   * How long each hub may take to report IN_SYNC.
   *
   * @default Duration.minutes(25)
   */
  readonly syncTimeout?: Duration;
}

/**
 * One edge configuration rolled out to a fleet of camera hubs in waves: one
 * StreamEdgeConfiguration per site, ordered so that CloudFormation starts a wave only when the
 * previous one is in sync; the first rejection stops the rollout (see GatewayFleetConfiguration).
 */
export class StreamEdgeFleetConfiguration extends Construct {
  /** Each site's resource, by site id. */
  public readonly configurations: { [siteId: string]: StreamEdgeConfiguration } = {};

  /** Each site's wave (1 for the first), by site id. */
  public readonly waveOfSite: { [siteId: string]: number };

  constructor(scope: Construct, id: string, props: StreamEdgeFleetConfigurationProps) {
    super(scope, id);
    checkDistinctTargets(this, props.sites, (site) => (Token.isUnresolved(site.streamName) ? undefined : site.streamName), 'stream');
    this.waveOfSite = planFleet(this, props.sites, props.waves ?? RolloutWaves.CANARY_THEN_TEN_PERCENT,
      props.maxConcurrent ?? 10, props.sitesPerStack ?? 200,
      (site) => `stream ${site.streamName}`,
      (parent, site, label) => {
        let edge: CameraSiteEdgeConfiguration;
        try {
          edge = props.configuration.edgeConfigurationFor(parent, site);
        } catch (error) {
          throw validationError(this, `site ${site.siteId}: ${(error as Error).message}`);
        }
        let resource: StreamEdgeConfiguration;
        try {
          resource = new StreamEdgeConfiguration(parent, `Site-${site.siteId}`, {
            streamName: site.streamName,
            hubDeviceArn: site.hubDeviceArn,
            ...edge,
            syncTimeout: props.syncTimeout,
            rolloutLabel: label,
          });
        } catch (error) {
          throw validationError(this, `site ${site.siteId}: ${(error as Error).message}`);
        }
        this.configurations[site.siteId] = resource;
        return resource;
      });
  }
}
