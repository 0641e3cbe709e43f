import { CfnResource } from './template';

/** A resource as the stack currently knows it (CloudFormation's view after the last operation step). */
export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  /** `Ref` value. */
  readonly physicalId: string;
  /** Properties with intrinsics resolved, as last applied (template types, not stringified). */
  readonly properties: Record<string, unknown>;
  /** `Fn::GetAtt` values: a custom resource's Data, a registered provider's attributes, or stub values. */
  readonly attributes: Record<string, unknown>;
  /** The template entry it was deployed from (DeletionPolicy, UpdateReplacePolicy). */
  readonly definition: CfnResource;
  /** Logical ids it depended on when deployed; deletion runs in the reverse order. */
  readonly dependencies: readonly string[];
}

/**
 * ResourceProperties as CloudFormation sends them to a custom resource: every scalar
 * stringified (`42` → `"42"`, `true` → `"true"`, also inside lists and objects), and
 * `ServiceTimeout`, which configures CloudFormation itself, left out.
 */
export function toResourceProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const { ServiceTimeout: _serviceTimeout, ...rest } = properties;
  return stringifyScalars(rest) as Record<string, unknown>;
}

function stringifyScalars(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stringifyScalars(item)]));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}
