import { IAM_MANAGED_POLICY_TYPE, IAM_POLICY_TYPE, IAM_ROLE_POLICY_TYPE, IAM_ROLE_TYPE, IamPolicyDocument } from './iam-policies';

/**
 * IAM's quotas on a role's policies, as CloudFormation meets them when it creates or updates a
 * role or policy (IAM User Guide, "IAM and AWS STS quotas"): sizes count characters of the
 * policy document without whitespace.
 */
export const IAM_QUOTAS = {
  /** A customer managed policy's document. */
  managedPolicySize: 6_144,
  /** All inline policies of one role together. */
  rolePolicySize: 10_240,
  /** Managed policies attached to one role (the default quota; it can be raised to 20). */
  managedPoliciesPerRole: 10,
} as const;

/** A resource as it would be after the operation. */
export interface IamResourceState {
  readonly logicalId: string;
  readonly type: string;
  /** The role name for a role, the policy ARN for a managed policy. */
  readonly physicalId: string;
  readonly properties: Record<string, unknown>;
}

interface IamProperties {
  readonly PolicyDocument?: IamPolicyDocument;
  readonly Policies?: ReadonlyArray<{ readonly PolicyDocument: IamPolicyDocument }>;
  readonly ManagedPolicyArns?: readonly string[];
  readonly Roles?: readonly string[];
  readonly RoleName?: string;
}

/**
 * Why IAM would refuse `candidate` given the stack's other resources, in CloudFormation's words;
 * undefined if it fits. Only roles of the stack are checked (a role elsewhere is not known here).
 */
export function iamQuotaViolation(stackResources: Iterable<IamResourceState>, candidate: IamResourceState): string | undefined {
  const after = [...stackResources].filter((resource) => resource.logicalId !== candidate.logicalId);
  after.push(candidate);
  const properties = candidate.properties as IamProperties;

  if (candidate.type === IAM_MANAGED_POLICY_TYPE && properties.PolicyDocument && size(properties.PolicyDocument) > IAM_QUOTAS.managedPolicySize) {
    return limitExceeded(`Cannot exceed quota for PolicySize: ${IAM_QUOTAS.managedPolicySize}`);
  }
  const roles = rolesOf(candidate, after);
  for (const role of roles) {
    const inline = inlineSize(role, after);
    if (inline > IAM_QUOTAS.rolePolicySize) {
      return limitExceeded(`Maximum policy size of ${IAM_QUOTAS.rolePolicySize} bytes exceeded for role ${role.physicalId}`);
    }
    const attached = attachedCount(role, after);
    if (attached > IAM_QUOTAS.managedPoliciesPerRole) {
      return limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${IAM_QUOTAS.managedPoliciesPerRole}`);
    }
  }
  return undefined;
}

/** The roles of the stack whose quotas `candidate` counts against. */
function rolesOf(candidate: IamResourceState, resources: readonly IamResourceState[]): IamResourceState[] {
  const roles = resources.filter((resource) => resource.type === IAM_ROLE_TYPE);
  const properties = candidate.properties as IamProperties;
  switch (candidate.type) {
    case IAM_ROLE_TYPE:
      return [candidate];
    case IAM_POLICY_TYPE:
    case IAM_MANAGED_POLICY_TYPE:
      return roles.filter((role) => (properties.Roles ?? []).includes(role.physicalId));
    case IAM_ROLE_POLICY_TYPE:
      return roles.filter((role) => role.physicalId === properties.RoleName);
    default:
      return [];
  }
}

/** The role's inline policies together: its own `Policies`, and each `AWS::IAM::Policy` / `RolePolicy` on it. */
function inlineSize(role: IamResourceState, resources: readonly IamResourceState[]): number {
  let total = ((role.properties as IamProperties).Policies ?? []).reduce((sum, policy) => sum + size(policy.PolicyDocument), 0);
  for (const resource of resources) {
    const properties = resource.properties as IamProperties;
    const applies = (resource.type === IAM_POLICY_TYPE && (properties.Roles ?? []).includes(role.physicalId))
      || (resource.type === IAM_ROLE_POLICY_TYPE && properties.RoleName === role.physicalId);
    if (applies && properties.PolicyDocument) total += size(properties.PolicyDocument);
  }
  return total;
}

/** Managed policies attached to the role: its `ManagedPolicyArns` (AWS managed ones too) and each managed policy of the stack listing it. */
function attachedCount(role: IamResourceState, resources: readonly IamResourceState[]): number {
  const arns = new Set((role.properties as IamProperties).ManagedPolicyArns ?? []);
  for (const resource of resources) {
    if (resource.type === IAM_MANAGED_POLICY_TYPE && ((resource.properties as IamProperties).Roles ?? []).includes(role.physicalId)) {
      arns.add(resource.physicalId);
    }
  }
  return arns.size;
}

/** Characters of a policy document without whitespace outside its strings. */
function size(document: IamPolicyDocument): number {
  return JSON.stringify(document).length;
}

function limitExceeded(message: string): string {
  return `Resource handler returned message: "${message} (Service: Iam, Status Code: 409)" (HandlerErrorCode: ServiceLimitExceeded)`;
}
