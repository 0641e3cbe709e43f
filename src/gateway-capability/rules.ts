/**
 * Input rules of IoT SiteWise UpdateGatewayCapabilityConfiguration (service model 2019-12-02).
 *
 * Pure functions with no imports: the construct checks literal values at synth time and the
 * handler bundle imports the same rules to check values that were tokens at synth time.
 * Each returns `undefined` when the value is valid, or a message naming the value and the rule.
 */

/** Gateway ids are lowercase UUIDs; the all-zero UUID is reserved. */
export const GATEWAY_ID_PATTERN = /^(?!00000000-0000-0000-0000-000000000000)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `service:capability:version`, for example `iotsitewise:opcuacollector:3`. */
export const CAPABILITY_NAMESPACE_PATTERN = /^[a-zA-Z]+:[a-zA-Z]+:[0-9]+$/;
export const CAPABILITY_NAMESPACE_MAX_LENGTH = 512;

export const CAPABILITY_CONFIGURATION_MAX_LENGTH = 10_000_000;

export function checkGatewayId(value: string): string | undefined {
  if (!GATEWAY_ID_PATTERN.test(value)) {
    return `gatewayId must be a gateway UUID (36 lowercase characters matching ${GATEWAY_ID_PATTERN.source}), got ${quote(value)}`;
  }
  return undefined;
}

export function checkCapabilityNamespace(value: string): string | undefined {
  if (value.length < 1 || value.length > CAPABILITY_NAMESPACE_MAX_LENGTH) {
    return `capabilityNamespace must be 1 to ${CAPABILITY_NAMESPACE_MAX_LENGTH} characters, got ${value.length}`;
  }
  if (!CAPABILITY_NAMESPACE_PATTERN.test(value)) {
    return `capabilityNamespace must have the form service:capability:version (${CAPABILITY_NAMESPACE_PATTERN.source}), got ${quote(value)}`;
  }
  return undefined;
}

/** Checks length and JSON syntax of a capability configuration document. */
export function checkCapabilityConfiguration(value: string, property: string = 'capabilityConfiguration'): string | undefined {
  if (value.length < 1 || value.length > CAPABILITY_CONFIGURATION_MAX_LENGTH) {
    return `${property} must be 1 to ${CAPABILITY_CONFIGURATION_MAX_LENGTH.toLocaleString('en-US')} characters, got ${value.length.toLocaleString('en-US')}`;
  }
  try {
    JSON.parse(value);
  } catch (e) {
    return `${property} must be a JSON document: ${(e as Error).message}`;
  }
  return undefined;
}

/** Quotes a value for an error message, shortened so a long document never floods a reason. */
function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}
