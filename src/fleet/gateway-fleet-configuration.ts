import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkDistinctTargets, planFleet } from './fleet-plan';
import { RolloutWaves } from './rollout-waves';
import { CapabilityConfiguration } from '../gateway-capability/capability-configuration';
import { CapabilityNamespace } from '../gateway-capability/capability-namespace';
import { GatewayCapabilityConfiguration } from '../gateway-capability/gateway-capability-configuration';
import { validationError } from '../shared/validation';

/** One site of a gateway fleet: its gateway and the values its configuration is built from. */
export interface GatewaySite {
  /** The site's id, unique in the fleet: it names the site's resource and the site in errors and failure reasons. */
  readonly siteId: string;

  /** The site's IoT SiteWise gateway. */
  readonly gatewayId: string;

  /**
   * Site-specific values for the configuration builder (endpoints, secret ARNs...).
   *
   * @default - none
   */
  readonly parameters?: { [key: string]: string };
}

/** Builds each site's configuration: shared settings, with the site's own endpoints and secrets. */
export interface IGatewaySiteConfiguration {
  /** The configuration of `site`; typed configurations validate it, errors name the site. */
  configurationFor(scope: Construct, site: GatewaySite): CapabilityConfiguration;
}

/** Properties of a {@link GatewayFleetConfiguration}. */
export interface GatewayFleetConfigurationProps {
  /** The sites, in rollout order. */
  readonly sites: GatewaySite[];

  /** The capability namespace every site's configuration is for. */
  readonly namespace: CapabilityNamespace;

  /** Builds each site's configuration. */
  readonly configuration: IGatewaySiteConfiguration;

  /**
   * The waves: wave k+1 starts only when every gateway of wave k reports IN_SYNC.
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
   * How many gateways of a wave apply at once.
   *
   * @default 10
   */
  readonly maxConcurrent?: number;

  /**
   * Refuse, at synth, any OPC UA source that trusts any server certificate (`TrustAny`).
   *
   * @default false
   */
  readonly forbidTrustAnyCertificates?: boolean;

  /**
   * How long each gateway may take to report IN_SYNC.
   *
   * @default Duration.minutes(15)
   */
  readonly syncTimeout?: Duration;
}

/**
 * One capability configuration rolled out to a fleet of SiteWise gateways in waves: one
 * GatewayCapabilityConfiguration per site, ordered so that CloudFormation starts a wave only
 * when the previous one is in sync. The first gateway that rejects its document fails the
 * deploy with a reason naming its site and wave; the later waves receive no call, and
 * CloudFormation's rollback returns the waves already done to their previous configuration.
 */
export class GatewayFleetConfiguration extends Construct {
  /** Each site's resource, by site id. */
  public readonly configurations: { [siteId: string]: GatewayCapabilityConfiguration } = {};

  /** Each site's wave (1 for the first), by site id. */
  public readonly waveOfSite: { [siteId: string]: number };

  constructor(scope: Construct, id: string, props: GatewayFleetConfigurationProps) {
    super(scope, id);
    checkDistinctTargets(this, props.sites, (site) => (Token.isUnresolved(site.gatewayId) ? undefined : site.gatewayId), 'gateway');
    this.waveOfSite = planFleet(this, props.sites, props.waves ?? RolloutWaves.CANARY_THEN_TEN_PERCENT,
      props.maxConcurrent ?? 10, props.sitesPerStack ?? 200,
      (site) => `gateway ${site.gatewayId}`,
      (parent, site, label) => {
        const configuration = this.siteConfiguration(parent, props, site);
        const resource = new GatewayCapabilityConfiguration(parent, `Site-${site.siteId}`, {
          gatewayId: site.gatewayId,
          namespace: props.namespace,
          configuration,
          syncTimeout: props.syncTimeout,
          rolloutLabel: label,
        });
        this.configurations[site.siteId] = resource;
        if (props.forbidTrustAnyCertificates) this.forbidTrustAny(configuration, site);
        return resource;
      });
  }

  private siteConfiguration(parent: Construct, props: GatewayFleetConfigurationProps, site: GatewaySite): CapabilityConfiguration {
    try {
      return props.configuration.configurationFor(parent, site);
    } catch (error) {
      throw validationError(this, `site ${site.siteId}: ${(error as Error).message}`);
    }
  }

  /** Checks the site's document once rendered (typed documents render at synthesis, when every source is added). */
  private forbidTrustAny(configuration: CapabilityConfiguration, site: GatewaySite): void {
    const json = configuration.bind(this.configurations[site.siteId]).json;
    this.node.addValidation({
      validate: () => {
        const rendered = Stack.of(this.configurations[site.siteId]).resolve(json);
        const text = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
        return /certificateTrust\\?"\s*:\s*\{\s*\\?"type\\?"\s*:\s*\\?"TrustAny/.test(text)
          ? [`site ${site.siteId}: an OPC UA source trusts any server certificate (TrustAny), and forbidTrustAnyCertificates is set`]
          : [];
      },
    });
  }
}
