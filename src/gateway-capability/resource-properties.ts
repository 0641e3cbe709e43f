/**
 * The contract between the GatewayCapabilityConfiguration construct and its handler.
 *
 * No imports: the handler bundle imports this file too. CloudFormation passes every scalar
 * property to the handler as a string, hence the string types.
 */

/** CloudFormation resource type of a gateway capability configuration. */
export const GATEWAY_CAPABILITY_RESOURCE_TYPE = 'Custom::EdgeSyncGatewayCapabilityConfiguration';

/** What the handler does with the configuration when CloudFormation deletes the resource. */
export enum ResetOnDelete {
  /** Overwrite the configuration with `ResetConfiguration` and wait for the gateway to sync. */
  RESET = 'reset',
  /** Leave the configuration on the gateway. */
  RETAIN = 'retain',
}

export interface GatewayCapabilityResourceProperties {
  /** Gateway UUID. */
  readonly GatewayId: string;
  /** `service:capability:version`. */
  readonly CapabilityNamespace: string;
  /** The JSON document to apply; absent when it travels as an S3 object (`CapabilityConfigurationS3`). */
  readonly CapabilityConfiguration?: string;
  /** Where to read the document to apply when it is too large to be inline. */
  readonly CapabilityConfigurationS3?: DocumentObject;
  /** The document applied on delete; absent when no empty document is known or it travels as an S3 object. */
  readonly ResetConfiguration?: string;
  /** Where to read the document applied on delete when it is too large to be inline. */
  readonly ResetConfigurationS3?: DocumentObject;
  /** What happens on delete. */
  readonly OnDelete: string;
  /** `"true"` to wait for the gateway, `"false"` to return when the API accepts the document. */
  readonly WaitForSync: string;
  /** Seconds from the start of the operation until the deploy fails. */
  readonly SyncTimeoutSeconds: string;
  /** `"true"` to fail when the gateway reports NOT_APPLICABLE. */
  readonly FailOnNotApplicable: string;
  /**
   * `opcua-collector` or `publisher` when the document comes from a typed configuration whose rules the handler
   * checks again once tokens are resolved.
   */
  readonly DocumentRules?: string;
  /** Words a failure reason starts with (a fleet names the site and its wave). */
  readonly RolloutLabel?: string;
}

/**
 * A document too large to be inline in the template: an S3 object (a CDK file asset) holding its
 * text, in which every token of the document was replaced by a marker `<<cdk-edge-sync:N>>`; the
 * resolved value of marker N is `TokenValues[N]`, resolved by CloudFormation.
 */
export interface DocumentObject {
  readonly Bucket: string;
  readonly Key: string;
  /** Absent when the document holds no token. */
  readonly TokenValues?: string[];
}

/** The property holding a document inline, and the one holding its S3 object. */
export const DOCUMENT_PROPERTIES = {
  configuration: { inline: 'CapabilityConfiguration', s3: 'CapabilityConfigurationS3' },
  resetConfiguration: { inline: 'ResetConfiguration', s3: 'ResetConfigurationS3' },
} as const;

/** The marker standing for token N in a document's S3 object. */
export function tokenMarker(n: number): string {
  return `<<cdk-edge-sync:${n}>>`;
}

/** Matches every marker of a document's S3 object; group 1 is N. */
export const TOKEN_MARKER_PATTERN = /<<cdk-edge-sync:(\d+)>>/g;

/** A document whose own text holds this cannot have markers, so it stays inline. */
export const TOKEN_MARKER_PREFIX = '<<cdk-edge-sync:';

/** `DocumentRules` of an OpcUaCollectorConfiguration. */
export const OPCUA_COLLECTOR_DOCUMENT_RULES = 'opcua-collector';

/** `DocumentRules` of a PublisherConfiguration. */
export const PUBLISHER_DOCUMENT_RULES = 'publisher';

/** Attributes returned to CloudFormation (`Fn::GetAtt`). */
export interface GatewayCapabilityAttributes {
  /** The last capabilitySyncStatus: IN_SYNC, NOT_APPLICABLE, or the API's answer when not waiting. */
  readonly SyncStatus: string;
}

/** The physical id of a capability configuration: one per gateway and namespace. */
export function gatewayCapabilityPhysicalId(gatewayId: string, namespace: string): string {
  return `${gatewayId}/${namespace}`;
}
