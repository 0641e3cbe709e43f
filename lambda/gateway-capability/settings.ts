import { DocumentSource } from './documents';
import { checkOpcUaCollectorDocument } from '../../src/gateway-capability/opcua/document-rules';
import { checkPublisherDocument } from '../../src/gateway-capability/publisher/document-rules';
import {
  DocumentObject,
  GatewayCapabilityResourceProperties,
  gatewayCapabilityPhysicalId,
  OPCUA_COLLECTOR_DOCUMENT_RULES,
  PUBLISHER_DOCUMENT_RULES,
  ResetOnDelete,
} from '../../src/gateway-capability/resource-properties';
import {
  checkCapabilityConfiguration,
  checkCapabilityNamespace,
  checkGatewayId,
} from '../../src/gateway-capability/rules';
import { checkSyncTimeoutSeconds } from '../../src/shared/rules';
import { TerminalError } from '../shared/errors';
import { booleanProperty, checkProperty, integerProperty, requiredString } from '../shared/properties';

/** Where a configuration lives: one per gateway and namespace. */
export interface CapabilityTarget {
  readonly gatewayId: string;
  readonly namespace: string;
}

/** The resource's properties, parsed and checked; the documents are checked once read (`checkDocuments`). */
export interface GatewayCapabilitySettings extends CapabilityTarget {
  readonly configuration: DocumentSource;
  readonly resetConfiguration?: DocumentSource;
  /** `DocumentRules`: the typed document whose rules `configuration` must meet. */
  readonly documentRules?: string;
  readonly onDelete: ResetOnDelete;
  readonly waitForSync: boolean;
  readonly syncTimeoutMs: number;
  readonly failOnNotApplicable: boolean;
}

type RawProperties = Record<string, any> & Partial<GatewayCapabilityResourceProperties>;

/** Properties resources created by older versions of this library may lack. */
const DEFAULT_SYNC_TIMEOUT_SECONDS = 15 * 60;

/**
 * Parses the properties and checks again, now that tokens are resolved, the rules the
 * construct checked for literal values. `forDelete` skips the document being applied.
 * The documents are checked by `checkConfiguration` and `checkResetConfiguration` once read,
 * because one carried as an S3 object is read only by onEvent.
 */
export function parseSettings(raw: RawProperties, forDelete: boolean = false): GatewayCapabilitySettings {
  const gatewayId = requiredString(raw, 'GatewayId');
  const namespace = requiredString(raw, 'CapabilityNamespace');
  checkProperty(checkGatewayId(gatewayId));
  checkProperty(checkCapabilityNamespace(namespace));

  const configuration = documentSource(raw, 'CapabilityConfiguration', 'CapabilityConfigurationS3')
    ?? (forDelete ? { inline: '' } : { inline: requiredString(raw, 'CapabilityConfiguration') });
  const resetConfiguration = documentSource(raw, 'ResetConfiguration', 'ResetConfigurationS3');

  const onDelete = raw.OnDelete === ResetOnDelete.RETAIN ? ResetOnDelete.RETAIN : ResetOnDelete.RESET;
  const syncTimeoutSeconds = integerProperty(raw, 'SyncTimeoutSeconds', DEFAULT_SYNC_TIMEOUT_SECONDS);
  checkProperty(checkSyncTimeoutSeconds(syncTimeoutSeconds));

  return {
    gatewayId,
    namespace,
    configuration,
    resetConfiguration,
    documentRules: raw.DocumentRules,
    onDelete,
    waitForSync: booleanProperty(raw, 'WaitForSync', true),
    syncTimeoutMs: syncTimeoutSeconds * 1000,
    failOnNotApplicable: booleanProperty(raw, 'FailOnNotApplicable', false),
  };
}

export function physicalIdOf(target: CapabilityTarget): string {
  return gatewayCapabilityPhysicalId(target.gatewayId, target.namespace);
}

/** The gateway and namespace a physical id names, or undefined if it is not one of ours. */
export function targetOfPhysicalId(physicalId: string | undefined): CapabilityTarget | undefined {
  const match = /^([^/]+)\/([^/]+)$/.exec(physicalId ?? '');
  if (!match || checkGatewayId(match[1]) || checkCapabilityNamespace(match[2])) return undefined;
  return { gatewayId: match[1], namespace: match[2] };
}

/** Checks the document to apply: JSON within the API's limits, and the rules of its typed document. */
export function checkConfiguration(document: string, documentRules: string | undefined): void {
  checkProperty(checkCapabilityConfiguration(document));
  if (documentRules === OPCUA_COLLECTOR_DOCUMENT_RULES) checkProperty(checkOpcUaCollectorDocument(document));
  if (documentRules === PUBLISHER_DOCUMENT_RULES) checkProperty(checkPublisherDocument(document));
}

/** Checks the document applied on delete. */
export function checkResetConfiguration(document: string): void {
  checkProperty(checkCapabilityConfiguration(document, 'resetConfiguration'));
}

/**
 * A document given inline (`name`) or as an S3 object (`objectName`); undefined when neither is
 * set. An empty inline document counts as not set (the construct renders absent ones so).
 */
function documentSource(raw: RawProperties, name: string, objectName: string): DocumentSource | undefined {
  const object = raw[objectName] as DocumentObject | undefined;
  if (object !== undefined) {
    if (raw[name] !== undefined) throw new TerminalError(`Invalid properties: give one of ${name} and ${objectName}, got both`);
    if (typeof object !== 'object' || object === null) {
      throw new TerminalError(`Property ${objectName} must be an object with Bucket and Key, got ${JSON.stringify(object)}`);
    }
    for (const key of ['Bucket', 'Key'] as const) {
      if (typeof object[key] !== 'string' || object[key] === '') {
        throw new TerminalError(`Property ${objectName}.${key} is required, got ${JSON.stringify(object[key])}`);
      }
    }
    if (object.TokenValues !== undefined && !Array.isArray(object.TokenValues)) {
      throw new TerminalError(`Property ${objectName}.TokenValues must be a list, got ${JSON.stringify(object.TokenValues)}`);
    }
    return { object, property: objectName };
  }
  const inline = raw[name];
  if (inline === undefined || inline === '') return undefined;
  if (typeof inline !== 'string') throw new TerminalError(`Property ${name} must be a string, got ${JSON.stringify(inline)}`);
  return { inline };
}
