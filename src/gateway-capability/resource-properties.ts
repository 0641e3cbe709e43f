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
  /** The JSON document to apply. */
  readonly CapabilityConfiguration: string;
  /** The document applied on delete; absent when no empty document is known. */
  readonly ResetConfiguration?: string;
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
}

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
