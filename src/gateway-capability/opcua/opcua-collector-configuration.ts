import { Annotations, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { OpcUaSourceProps } from './opcua-options';
import { CollectorVersion, renderSource, usesDeprecatedPolicy } from './opcua-source-document';
import { unscopedValidationError } from '../../shared/validation';
import { CapabilityConfiguration, CapabilityConfigurationConfig } from '../capability-configuration';
import { CapabilityNamespace } from '../capability-namespace';

/** Properties of an {@link OpcUaCollectorConfiguration}. */
export interface OpcUaCollectorProps {
  /**
   * The OPC UA sources; more can be added with `addSource`.
   *
   * @default - none yet
   */
  readonly sources?: OpcUaSourceProps[];
}

/**
 * The OPC UA collector configuration of a SiteWise Edge gateway: every OPC UA source of the
 * gateway in one document, as the SiteWise user guide describes it, checked at synth time.
 *
 * All sources of a gateway live in one document, so several parts of an app can add sources
 * to the same configuration with `addSource` until the app is synthesized.
 */
export class OpcUaCollectorConfiguration extends CapabilityConfiguration {
  /** A collector configuration for a Classic streams (V2) gateway: namespace `iotsitewise:opcuacollector:2`. */
  public static v2(props: OpcUaCollectorProps = {}): OpcUaCollectorConfiguration {
    return new OpcUaCollectorConfiguration(2, props);
  }

  /** A collector configuration for an MQTT-enabled (V3) gateway: namespace `iotsitewise:opcuacollector:3`. */
  public static v3(props: OpcUaCollectorProps = {}): OpcUaCollectorConfiguration {
    return new OpcUaCollectorConfiguration(3, props);
  }

  /** The namespace the document is for. */
  public readonly namespace: CapabilityNamespace;

  private readonly sources: OpcUaSourceProps[] = [];
  private readonly rendered: Record<string, unknown>[] = [];
  private readonly secretReaders: iam.IGrantable[] = [];

  private constructor(private readonly version: CollectorVersion, props: OpcUaCollectorProps) {
    super();
    this.namespace = version === 2 ? CapabilityNamespace.OPC_UA_COLLECTOR_V2 : CapabilityNamespace.OPC_UA_COLLECTOR_V3;
    for (const source of props.sources ?? []) this.addSource(source);
  }

  /**
   * Adds an OPC UA source. Its name must be unique within the gateway; the source is checked now.
   */
  public addSource(source: OpcUaSourceProps): void {
    if (!Token.isUnresolved(source.name) && this.sources.some((s) => s.name === source.name)) {
      throw unscopedValidationError(`OPC UA source ${JSON.stringify(source.name)}: name must be unique within the gateway, and another source has it`);
    }
    this.rendered.push(renderSource(source, this.version));
    this.sources.push(source);
    const secret = source.identity?.secret;
    if (secret) this.secretReaders.forEach((grantee) => secret.grantRead(grantee));
  }

  /**
   * Lets the gateway's role read the user name secrets of the sources, those added later too.
   * The SiteWise Edge OPC UA collector reads them on the gateway.
   */
  public grantSecretsRead(grantee: iam.IGrantable): void {
    this.secretReaders.push(grantee);
    this.usernameSecrets().forEach((secret) => secret.grantRead(grantee));
  }

  public bind(scope: IConstruct): CapabilityConfigurationConfig {
    const json = Lazy.string({
      produce: () => {
        this.sources.filter(usesDeprecatedPolicy).forEach((source) => Annotations.of(scope).addWarningV2(
          'cdk-edge-sync:deprecatedOpcUaSecurityPolicy',
          `OPC UA source ${JSON.stringify(source.name)} uses security policy ${source.securityPolicy}, which the OPC Foundation deprecated`,
        ));
        const document = { sources: this.rendered };
        const hasTokens = this.usernameSecrets().length > 0 || Token.isUnresolved(JSON.stringify(document));
        return hasTokens ? Stack.of(scope).toJsonString(document) : JSON.stringify(document);
      },
    });
    return { json, namespace: this.namespace };
  }

  private usernameSecrets(): secretsmanager.ISecret[] {
    return this.sources.flatMap((s) => (s.identity?.secret ? [s.identity.secret] : []));
  }
}
