import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { containsTokens } from '../document-values';
import { PublisherV2Props, PublisherV3Props } from './publisher-props';
import { renderV2 } from './render-v2';
import { renderV3 } from './render-v3';
import { validationError } from '../../shared/validation';
import { CapabilityConfiguration, CapabilityConfigurationConfig } from '../capability-configuration';
import { CapabilityNamespace } from '../capability-namespace';
import { checkCapabilityConfiguration } from '../rules';

/**
 * A typed configuration of the AWS IoT SiteWise Edge publisher, the gateway capability that
 * sends data to the cloud.
 *
 * Use `v2()` for a Classic streams, V2 gateway (`iotsitewise:publisher:2`) and `v3()` for an
 * MQTT-enabled, V3 gateway (`iotsitewise:publisher:3`). The documented rules (ranges,
 * at most one real-time destination, ...) are checked at synth time for values that are not
 * tokens; durations and sizes are written in the document's forms (`"7d"`, `10` GB).
 */
export class PublisherConfiguration extends CapabilityConfiguration {
  /** The publisher of a Classic streams, V2 gateway (`iotsitewise:publisher:2`). */
  public static v2(props: PublisherV2Props = {}): PublisherConfiguration {
    return new PublisherConfiguration(CapabilityNamespace.PUBLISHER_V2, props, undefined);
  }

  /** The publisher of an MQTT-enabled, V3 gateway (`iotsitewise:publisher:3`). */
  public static v3(props: PublisherV3Props): PublisherConfiguration {
    return new PublisherConfiguration(CapabilityNamespace.PUBLISHER_V3, undefined, props);
  }

  /** The namespace the document is written for. */
  public readonly namespace: CapabilityNamespace;

  private readonly v2Props?: PublisherV2Props;
  private readonly v3Props?: PublisherV3Props;

  private constructor(namespace: CapabilityNamespace, v2Props?: PublisherV2Props, v3Props?: PublisherV3Props) {
    super();
    this.namespace = namespace;
    this.v2Props = v2Props;
    this.v3Props = v3Props;
  }

  /** Renders the document, throwing a ValidationError that names the rule a value breaks. */
  public bind(scope: IConstruct): CapabilityConfigurationConfig {
    const failIn = (section: string) => (message: string): never => {
      throw validationError(scope, `${section}: ${message}`);
    };
    const document = this.v3Props ? renderV3(this.v3Props.destinations, failIn) : renderV2(this.v2Props ?? {}, failIn);
    // Tokens (bucket and role ARNs...) need the stack's rendering for correct JSON quoting.
    if (containsTokens(document)) {
      return { json: Stack.of(scope).toJsonString(document), namespace: this.namespace };
    }
    const json = JSON.stringify(document);
    const problem = checkCapabilityConfiguration(json, 'configuration');
    if (problem) throw validationError(scope, problem);
    return { json, namespace: this.namespace };
  }
}
