import { checkOpcUaCollectorDocument } from '../../src/gateway-capability/opcua/document-rules';
import { checkPublisherDocument } from '../../src/gateway-capability/publisher/document-rules';
import {
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
  checkSyncTimeoutSeconds,
} from '../../src/gateway-capability/rules';
import { TerminalError } from '../shared/errors';
import { booleanProperty, integerProperty, requiredString } from '../shared/properties';

/** Where a configuration lives: one per gateway and namespace. */
export interface CapabilityTarget {
  readonly gatewayId: string;
  readonly namespace: string;
}

/** The resource's properties, parsed and checked. */
export interface GatewayCapabilitySettings extends CapabilityTarget {
  readonly configuration: string;
  readonly resetConfiguration?: string;
  readonly onDelete: ResetOnDelete;
  readonly waitForSync: boolean;
  readonly syncTimeoutMs: number;
  readonly failOnNotApplicable: boolean;
}

type RawProperties = Record<string, string> & Partial<GatewayCapabilityResourceProperties>;

/** Properties resources created by older versions of this library may lack. */
const DEFAULT_SYNC_TIMEOUT_SECONDS = 15 * 60;

/**
 * Parses the properties and checks again, now that tokens are resolved, the rules the
 * construct checked for literal values. `forDelete` skips the document being applied.
 */
export function parseSettings(raw: RawProperties, forDelete: boolean = false): GatewayCapabilitySettings {
  const gatewayId = requiredString(raw, 'GatewayId');
  const namespace = requiredString(raw, 'CapabilityNamespace');
  check(checkGatewayId(gatewayId));
  check(checkCapabilityNamespace(namespace));

  const configuration = forDelete ? raw.CapabilityConfiguration ?? '' : requiredString(raw, 'CapabilityConfiguration');
  if (!forDelete) check(checkCapabilityConfiguration(configuration));
  if (!forDelete && raw.DocumentRules === OPCUA_COLLECTOR_DOCUMENT_RULES) check(checkOpcUaCollectorDocument(configuration));
  if (!forDelete && raw.DocumentRules === PUBLISHER_DOCUMENT_RULES) check(checkPublisherDocument(configuration));
  const resetConfiguration = raw.ResetConfiguration === undefined || raw.ResetConfiguration === '' ? undefined : raw.ResetConfiguration;
  if (resetConfiguration !== undefined) check(checkCapabilityConfiguration(resetConfiguration, 'resetConfiguration'));

  const onDelete = raw.OnDelete === ResetOnDelete.RETAIN ? ResetOnDelete.RETAIN : ResetOnDelete.RESET;
  const syncTimeoutSeconds = integerProperty(raw, 'SyncTimeoutSeconds', DEFAULT_SYNC_TIMEOUT_SECONDS);
  check(checkSyncTimeoutSeconds(syncTimeoutSeconds));

  return {
    gatewayId,
    namespace,
    configuration,
    resetConfiguration,
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

function check(problem: string | undefined): void {
  if (problem) throw new TerminalError(`Invalid property: ${problem}`);
}
