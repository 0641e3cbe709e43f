import { Token } from 'aws-cdk-lib';
import { checkCapabilityNamespace } from './rules';
import { unscopedValidationError } from '../shared/validation';

/**
 * The namespace of a gateway capability configuration, `service:capability:version`.
 *
 * Use the constants for the namespaces documented by AWS IoT SiteWise and `of()` for any other.
 */
export class CapabilityNamespace {
  /** OPC UA collector of a Classic streams, V2 gateway. */
  public static readonly OPC_UA_COLLECTOR_V2 = new CapabilityNamespace('iotsitewise:opcuacollector:2', '{"sources":[]}');

  /** OPC UA collector of an MQTT-enabled, V3 gateway. */
  public static readonly OPC_UA_COLLECTOR_V3 = new CapabilityNamespace('iotsitewise:opcuacollector:3', '{"sources":[]}');

  /** Publisher of a Classic streams, V2 gateway. */
  public static readonly PUBLISHER_V2 = new CapabilityNamespace('iotsitewise:publisher:2');

  /** Publisher of an MQTT-enabled, V3 gateway. */
  public static readonly PUBLISHER_V3 = new CapabilityNamespace('iotsitewise:publisher:3');

  /**
   * Any namespace, for example a partner data source's.
   *
   * A literal value is checked against `^[a-zA-Z]+:[a-zA-Z]+:[0-9]+$` (1 to 512 characters);
   * a token is checked by the handler before any AWS call.
   */
  public static of(namespace: string): CapabilityNamespace {
    if (!Token.isUnresolved(namespace)) {
      const problem = checkCapabilityNamespace(namespace);
      if (problem) throw unscopedValidationError(problem);
      const known = [
        CapabilityNamespace.OPC_UA_COLLECTOR_V2,
        CapabilityNamespace.OPC_UA_COLLECTOR_V3,
        CapabilityNamespace.PUBLISHER_V2,
        CapabilityNamespace.PUBLISHER_V3,
      ].find((ns) => ns.value === namespace);
      if (known) return known;
    }
    return new CapabilityNamespace(namespace);
  }

  /** The namespace string, for example `iotsitewise:opcuacollector:3`. */
  public readonly value: string;

  /**
   * The documented empty configuration of this namespace, applied when the resource is deleted.
   *
   * @default - none: a deleted configuration of this namespace is left on the gateway unless the
   * construct is given a `resetConfiguration`.
   */
  public readonly emptyConfiguration?: string;

  private constructor(value: string, emptyConfiguration?: string) {
    this.value = value;
    this.emptyConfiguration = emptyConfiguration;
  }

  public toString(): string {
    return this.value;
  }
}
