import { UNRECOGNIZED_CLIENT, type AwsServiceDefinition, type ModeledError } from './protocol';
import { InputValidator } from './validation';

/**
 * Service definition, errors and input constraints of AWS IoT SiteWise (2019-12-02) for the
 * gateway operations, from botocore's service-2.json (see /work/shared/reference/aws-apis.md §1).
 */

export const SITEWISE_ERRORS = {
  accessDenied: { code: 'AccessDeniedException', status: 403 },
  tooManyTags: { code: 'TooManyTagsException', status: 400 },
  invalidRequest: { code: 'InvalidRequestException', status: 400 },
  resourceNotFound: { code: 'ResourceNotFoundException', status: 404 },
  conflictingOperation: { code: 'ConflictingOperationException', status: 409 },
  resourceAlreadyExists: { code: 'ResourceAlreadyExistsException', status: 409 },
  limitExceeded: { code: 'LimitExceededException', status: 410 },
  throttling: { code: 'ThrottlingException', status: 429 },
  internalFailure: { code: 'InternalFailureException', status: 500 },
} as const satisfies Record<string, ModeledError>;

export const SITEWISE_SERVICE: AwsServiceDefinition = {
  signingName: 'iotsitewise',
  errorMessageMember: 'message',
  throttlingError: SITEWISE_ERRORS.throttling,
  internalError: SITEWISE_ERRORS.internalFailure,
  accessDeniedError: SITEWISE_ERRORS.accessDenied,
  unrecognizedClientError: UNRECOGNIZED_CLIENT,
};

/** Shape `ID` (current botocore: the all-zero UUID is excluded). */
export const GATEWAY_ID = { min: 36, max: 36, pattern: /^(?!00000000-0000-0000-0000-000000000000)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ };
export const CAPABILITY_NAMESPACE = { min: 1, max: 512, pattern: /^[a-zA-Z]+:[a-zA-Z]+:[0-9]+$/ };
export const CAPABILITY_CONFIGURATION = { min: 1, max: 10_000_000 };
export const GATEWAY_NAME = { min: 1, max: 256, pattern: /^[^\u0000-\u001F\u007F]+$/ };
export const GATEWAY_VERSION = { min: 1, max: 1024, pattern: /^[0-9]+$/ };
export const THING_NAME = { min: 1, max: 128, pattern: /^[a-zA-Z0-9:_-]+$/ };
export const ARN = { min: 1, max: 1600, pattern: /^arn:aws(-cn|-us-gov)?:[a-zA-Z0-9-:/_.]+$/ };
export const CORE_DEVICE_OPERATING_SYSTEMS = ['LINUX_AARCH64', 'LINUX_AMD64', 'WINDOWS_AMD64'];
/** `MaxResults` of list operations. */
export const MAX_RESULTS = { min: 1, max: 250 };

export function sitewiseValidator(): InputValidator {
  return new InputValidator(SITEWISE_ERRORS.invalidRequest);
}

export function validateGatewayId(validator: InputValidator, gatewayId: unknown): void {
  if (validator.required('gatewayId', gatewayId)) validator.string('gatewayId', gatewayId, GATEWAY_ID);
}

export function validateNamespace(validator: InputValidator, namespace: unknown): void {
  if (validator.required('capabilityNamespace', namespace)) validator.string('capabilityNamespace', namespace, CAPABILITY_NAMESPACE);
}

/** `GatewayPlatform`: exactly one of greengrass (legacy V1), greengrassV2, siemensIE. */
export function validateGatewayPlatform(validator: InputValidator, platform: unknown, gatewayVersion: string): void {
  if (!validator.required('gatewayPlatform', platform)) return;
  const members = validator.object('gatewayPlatform', platform);
  if (!members) return;
  const present = ['greengrass', 'greengrassV2', 'siemensIE'].filter((key) => members[key] !== undefined && members[key] !== null);
  if (present.length !== 1) {
    validator.fail(`Value at 'gatewayPlatform' failed to satisfy constraint: Member must have exactly one of greengrass, greengrassV2, siemensIE (got ${present.length})`);
    return;
  }
  const greengrass = validator.object('gatewayPlatform.greengrass', members.greengrass);
  if (greengrass && validator.required('gatewayPlatform.greengrass.groupArn', greengrass.groupArn)) {
    validator.string('gatewayPlatform.greengrass.groupArn', greengrass.groupArn, ARN);
  }
  const greengrassV2 = validator.object('gatewayPlatform.greengrassV2', members.greengrassV2);
  if (greengrassV2) {
    if (validator.required('gatewayPlatform.greengrassV2.coreDeviceThingName', greengrassV2.coreDeviceThingName)) {
      validator.string('gatewayPlatform.greengrassV2.coreDeviceThingName', greengrassV2.coreDeviceThingName, THING_NAME);
    }
    const os = greengrassV2.coreDeviceOperatingSystem;
    if (os !== undefined && !CORE_DEVICE_OPERATING_SYSTEMS.includes(os as string)) {
      validator.fail(`Value '${String(os)}' at 'gatewayPlatform.greengrassV2.coreDeviceOperatingSystem' failed to satisfy constraint: Member must satisfy enum value set: [${CORE_DEVICE_OPERATING_SYSTEMS.join(', ')}]`);
    }
    // The model docs: the operating system is required for MQTT-enabled (V3) gateways on Greengrass V2.
    if (os === undefined && gatewayVersion === '3') {
      validator.fail("Value null at 'gatewayPlatform.greengrassV2.coreDeviceOperatingSystem' failed to satisfy constraint: Member must not be null for gatewayVersion 3");
    }
  }
  const siemensIE = validator.object('gatewayPlatform.siemensIE', members.siemensIE);
  if (siemensIE && validator.required('gatewayPlatform.siemensIE.iotCoreThingName', siemensIE.iotCoreThingName)) {
    validator.string('gatewayPlatform.siemensIE.iotCoreThingName', siemensIE.iotCoreThingName, THING_NAME);
  }
}

/** `TagMap`: 1..50 entries, key 1..128, value 0..256. */
/** Tags a resource may have (AWS's tag limits, `TagMap` 1..50). */
export const MAX_TAGS = 50;

export function validateTags(validator: InputValidator, tags: unknown): void {
  const map = validator.object('tags', tags);
  if (!map) return;
  const entries = Object.entries(map);
  if (entries.length < 1 || entries.length > 50) {
    validator.fail(`Value at 'tags' failed to satisfy constraint: Member must have between 1 and 50 entries (got ${entries.length})`);
  }
  for (const [key, value] of entries) {
    validator.string('tags.key', key, { min: 1, max: 128 });
    if (validator.required(`tags.${key}`, value)) validator.string(`tags.${key}`, value, { min: 0, max: 256 });
  }
}
