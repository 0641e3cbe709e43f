import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CapabilityNamespace } from './capability-namespace';
import { containsTokens } from './document-values';
import { checkCapabilityConfiguration } from './rules';
import { validationError } from '../shared/validation';

/** The rendered form of a {@link CapabilityConfiguration}. */
export interface CapabilityConfigurationConfig {
  /** The configuration document as a JSON string (may contain tokens). */
  readonly json: string;

  /**
   * The namespace the document is written for, when the configuration knows it (typed
   * configurations such as `OpcUaCollectorConfiguration`).
   *
   * @default - any namespace: the resource's `namespace` decides
   */
  readonly namespace?: CapabilityNamespace;
}

/**
 * The JSON document of a gateway capability configuration, for example the OPC UA sources of a gateway.
 *
 * The service treats the document as an opaque string; this class makes sure it is JSON before
 * anything is deployed.
 */
export abstract class CapabilityConfiguration {
  /**
   * A configuration from a JSON-serialisable object.
   *
   * Tokens inside the object (for example a secret's ARN) are resolved at deploy time.
   */
  public static fromObject(document: { [key: string]: any }): CapabilityConfiguration {
    return new ObjectConfiguration(document);
  }

  /**
   * A configuration from a JSON string.
   *
   * A literal string is checked at synth time to be JSON of 1 to 10,000,000 characters;
   * a token is checked by the handler before any AWS call.
   */
  public static fromJson(json: string): CapabilityConfiguration {
    return new JsonConfiguration(json);
  }

  /** Renders the document for the resource that uses it. */
  public abstract bind(scope: IConstruct): CapabilityConfigurationConfig;
}

class ObjectConfiguration extends CapabilityConfiguration {
  constructor(private readonly document: { [key: string]: any }) {
    super();
  }

  public bind(scope: IConstruct): CapabilityConfigurationConfig {
    let json: string | undefined;
    try {
      // Plain documents render as plain JSON so they are validated now; documents holding
      // tokens render to an Fn::Join that CloudFormation resolves, with correct quoting.
      json = JSON.stringify(this.document);
      if (json !== undefined && containsTokens(this.document)) json = Stack.of(scope).toJsonString(this.document);
    } catch (e) {
      throw validationError(scope, `configuration must be JSON-serialisable: ${(e as Error).message}`);
    }
    if (json === undefined || typeof this.document !== 'object' || this.document === null) {
      throw validationError(scope, `configuration must be a JSON object, got ${String(this.document)}`);
    }
    return { json: checkLiteral(scope, json) };
  }
}

class JsonConfiguration extends CapabilityConfiguration {
  constructor(private readonly json: string) {
    super();
  }

  public bind(scope: IConstruct): CapabilityConfigurationConfig {
    return { json: checkLiteral(scope, this.json) };
  }
}


function checkLiteral(scope: IConstruct, json: string, property: string = 'configuration'): string {
  if (json === undefined || json === null) {
    throw validationError(scope, `${property} must be a JSON document, got ${json}`);
  }
  if (!Token.isUnresolved(json)) {
    const problem = checkCapabilityConfiguration(json, property);
    if (problem) throw validationError(scope, problem);
  }
  return json;
}
