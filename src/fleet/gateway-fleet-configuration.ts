import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RolloutWaves } from './rollout-waves';
import { orderInWaves } from './wave-plan';
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
  public readonly waveOfSite: { [siteId: string]: number } = {};

  constructor(scope: Construct, id: string, props: GatewayFleetConfigurationProps) {
    super(scope, id);
    if (props.sites.length === 0) throw validationError(this, 'sites must list at least one site, got none');
    const maxConcurrent = props.maxConcurrent ?? 10;
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw validationError(this, `maxConcurrent must be a whole number of at least 1, got ${maxConcurrent}`);
    }
    this.checkUnique(props.sites);

    const sizes = (props.waves ?? RolloutWaves.CANARY_THEN_TEN_PERCENT).sizes(props.sites.length);
    const waves: GatewayCapabilityConfiguration[][] = [];
    let next = 0;
    sizes.forEach((size, index) => {
      const wave = props.sites.slice(next, next + size).map((site) => {
        this.waveOfSite[site.siteId] = index + 1;
        const label = `site ${site.siteId} (gateway ${site.gatewayId}), wave ${index + 1} of ${sizes.length}`;
        const configuration = this.siteConfiguration(props, site);
        const resource = new GatewayCapabilityConfiguration(this, `Site-${site.siteId}`, {
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
      waves.push(wave);
      next += size;
    });
    orderInWaves(this, waves, maxConcurrent);
  }

  private siteConfiguration(props: GatewayFleetConfigurationProps, site: GatewaySite): CapabilityConfiguration {
    try {
      return props.configuration.configurationFor(this, site);
    } catch (error) {
      throw validationError(this, `site ${site.siteId}: ${(error as Error).message}`);
    }
  }

  private checkUnique(sites: readonly GatewaySite[]): void {
    const ids = new Set<string>();
    const gateways = new Map<string, string>();
    for (const site of sites) {
      if (!/^[A-Za-z0-9-]{1,64}$/.test(site.siteId)) {
        throw validationError(this, `siteId must be 1 to 64 letters, digits and hyphens, got ${JSON.stringify(site.siteId)}`);
      }
      if (ids.has(site.siteId)) throw validationError(this, `siteId ${site.siteId} is listed twice; each site must have its own id`);
      ids.add(site.siteId);
      if (Token.isUnresolved(site.gatewayId)) continue;
      const other = gateways.get(site.gatewayId);
      if (other !== undefined) {
        throw validationError(this, `sites ${other} and ${site.siteId} both name gateway ${site.gatewayId}; one gateway and namespace takes one configuration`);
      }
      gateways.set(site.gatewayId, site.siteId);
    }
  }

  /** Checks the site's document once rendered (typed documents render at synthesis, when every source is added). */
  private forbidTrustAny(configuration: CapabilityConfiguration, site: GatewaySite): void {
    const json = configuration.bind(this.configurations[site.siteId]).json;
    this.node.addValidation({
      validate: () => {
        const rendered = Stack.of(this).resolve(json);
        const text = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
        return /certificateTrust\\?"\s*:\s*\{\s*\\?"type\\?"\s*:\s*\\?"TrustAny/.test(text)
          ? [`site ${site.siteId}: an OPC UA source trusts any server certificate (TrustAny), and forbidTrustAnyCertificates is set`]
          : [];
      },
    });
  }
}
