import { createHash } from 'crypto';
import { DeployedResource } from './stack-state';

/**
 * The IAM side of a deployed stack: which identity policies a role has *now* (as the stack's
 * resources stand at this step of the operation), the credentials a Lambda function's
 * execution environment signs with, and grants of service actions on `*`.
 */

/** A policy document as the template has it (resolved). */
export interface IamPolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown;
}

/**
 * Where the harness registers each function's role session, so that requests signed with its
 * credentials are authorized against the role's policies at the moment of the request (the
 * local endpoint's `emulator.iam`).
 */
export interface RoleSessionRegistry {
  registerRole(accessKeyId: string, registration: {
    readonly sessionArn: string;
    readonly roleArn: string;
    readonly policies: () => readonly IamPolicyDocument[];
  }): void;
}

/** The temporary credentials Lambda gives a function's execution environment. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

export const IAM_ROLE_TYPE = 'AWS::IAM::Role';
export const IAM_POLICY_TYPE = 'AWS::IAM::Policy';
export const IAM_ROLE_POLICY_TYPE = 'AWS::IAM::RolePolicy';
export const IAM_MANAGED_POLICY_TYPE = 'AWS::IAM::ManagedPolicy';

/**
 * The identity policies role `roleName` has right now: its inline `Policies`, every
 * `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` that lists it in `Roles`, every
 * `AWS::IAM::RolePolicy` naming it, and the stack's managed policies in its `ManagedPolicyArns`.
 * AWS managed policies (`arn:aws:iam::aws:policy/...`) are not known here and grant nothing.
 */
export function rolePolicies(resources: Iterable<DeployedResource>, roleName: string): IamPolicyDocument[] {
  const all = [...resources];
  const role = all.find((resource) => resource.type === IAM_ROLE_TYPE && resource.physicalId === roleName);
  if (!role) return [];
  const roleProperties = role.properties as { Policies?: Array<{ PolicyDocument: IamPolicyDocument }>; ManagedPolicyArns?: string[] };
  const documents: IamPolicyDocument[] = (roleProperties.Policies ?? []).map((policy) => policy.PolicyDocument);
  const attachedArns = new Set(roleProperties.ManagedPolicyArns ?? []);
  for (const resource of all) {
    const properties = resource.properties as { PolicyDocument?: IamPolicyDocument; Roles?: string[]; RoleName?: string };
    const listsRole = (properties.Roles ?? []).includes(roleName);
    const applies = (resource.type === IAM_POLICY_TYPE && listsRole)
      || (resource.type === IAM_ROLE_POLICY_TYPE && properties.RoleName === roleName)
      || (resource.type === IAM_MANAGED_POLICY_TYPE && (listsRole || attachedArns.has(resource.physicalId)));
    if (applies && properties.PolicyDocument) documents.push(properties.PolicyDocument);
  }
  return documents;
}

/** A statement that allows a service action on every resource. */
export interface WildcardGrant {
  /** Logical id of the role or policy resource holding it. */
  readonly logicalId: string;
  readonly actions: readonly string[];
}

/**
 * Allow statements whose `Resource` is `*` (or that use `NotResource`), in any role or policy of
 * the stack: least privilege means every service action names the resources it acts on.
 */
export function wildcardGrants(resources: Iterable<DeployedResource>): WildcardGrant[] {
  const grants: WildcardGrant[] = [];
  for (const resource of resources) {
    const properties = resource.properties as { PolicyDocument?: IamPolicyDocument; Policies?: Array<{ PolicyDocument: IamPolicyDocument }> };
    const isPolicy = [IAM_POLICY_TYPE, IAM_ROLE_POLICY_TYPE, IAM_MANAGED_POLICY_TYPE].includes(resource.type);
    const documents = resource.type === IAM_ROLE_TYPE
      ? (properties.Policies ?? []).map((policy) => policy.PolicyDocument)
      : isPolicy && properties.PolicyDocument ? [properties.PolicyDocument] : [];
    for (const document of documents) {
      const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]) as Array<Record<string, unknown>>;
      for (const statement of statements) {
        if (statement.Effect !== 'Allow') continue;
        const resourcesOf = [statement.Resource].flat();
        if (statement.NotResource === undefined && !resourcesOf.includes('*')) continue;
        grants.push({ logicalId: resource.logicalId, actions: [statement.Action ?? statement.NotAction].flat().map(String) });
      }
    }
  }
  return grants;
}

/** Role name of a role ARN (`arn:aws:iam::123456789012:role/path/Name` → `Name`). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/**
 * Deterministic session credentials of one function's execution role, distinct per harness
 * (`salt`), role and function, shaped like STS's (`ASIA…`).
 */
export function sessionCredentials(salt: string, roleArn: string, functionName: string): SessionCredentials {
  const digest = createHash('sha256').update(`${salt}\n${roleArn}\n${functionName}`).digest('hex').toUpperCase();
  return {
    accessKeyId: `ASIA${digest.slice(0, 16)}`,
    secretAccessKey: digest.slice(16, 56).toLowerCase(),
    sessionToken: `harness-session-${digest.slice(0, 32).toLowerCase()}`,
  };
}
