import { evaluatePolicies, type PolicyDecision, type PolicyDocument } from './iam-policy';

/**
 * Who may call the emulator, and what they may do. Every request is signed with an access key:
 *
 * - the emulator's administrator keys (`EMULATOR_CREDENTIALS` for the home account, or
 *   `administratorCredentials(accountId)` for another one) may do anything in their account,
 *   like a test's own setup would;
 * - role keys, registered by the CloudFormation harness for each Lambda function's execution
 *   role (`registerRole`), are authorized against the identity policies that role has *at the
 *   moment of the request*, which the harness reads from its stack;
 * - any other key is refused as AWS refuses an unknown key.
 *
 * Access to a resource of another account is denied: none of the emulated resources has a
 * resource-based policy that could allow it.
 */

/** The identity a request was signed as. */
export interface Principal {
  /** e.g. `arn:aws:sts::123456789012:assumed-role/Role/Function`, or the account root for administrators. */
  readonly arn: string;
  readonly accountId: string;
  /** Administrators are allowed everything in their own account. */
  readonly administrator: boolean;
  /** The role whose policies apply (`aws:PrincipalArn`), for role principals. */
  readonly roleArn?: string;
  /** The role's identity policies as they are now. */
  readonly policies?: () => readonly PolicyDocument[];
}

export interface RoleRegistration {
  /** Session ARN, e.g. `arn:aws:sts::123456789012:assumed-role/MyRole/my-function`. */
  readonly sessionArn: string;
  /** `arn:aws:iam::123456789012:role/MyRole`. */
  readonly roleArn: string;
  /** Read at every request: the role's inline and attached policies as deployed right now. */
  readonly policies: () => readonly PolicyDocument[];
}

/** What one request asks IAM for. */
export interface AuthorizationRequest {
  readonly action: string;
  /** Resource ARN, or `*` for an action without a resource type. */
  readonly resource: string;
  /** The account that owns the resource (default: the ARN's account field). */
  readonly resourceAccount?: string;
  /** Tags of the resource, for `aws:ResourceTag/<key>`. */
  readonly resourceTags?: Readonly<Record<string, string>>;
  /** The region the request was signed for (`aws:RequestedRegion`). */
  readonly region: string;
  /** Service-specific and request condition keys (`aws:RequestTag/<key>`, `aws:TagKeys`). */
  readonly keys?: Readonly<Record<string, string | readonly string[]>>;
}

/** A request IAM refused. */
export interface Denial {
  /** Simulated epoch ms. */
  readonly at: number;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** `implicit`: no policy allows it; `explicit`: a Deny statement; `cross-account`: the resource is another account's. */
  readonly reason: 'implicit' | 'explicit' | 'cross-account';
  /** The message of the access-denied answer. */
  readonly message: string;
}

export type AuthorizationResult = { readonly allowed: true } | { readonly allowed: false; readonly denial: Denial };

export interface IamEmulatorOptions {
  /** The account of `EMULATOR_CREDENTIALS`. */
  readonly homeAccountId: string;
  readonly homeAdministratorKey: string;
  readonly now: () => number;
}

export class IamEmulator {
  /** Every request refused so far, oldest first (`reset` empties it). */
  public readonly denials: Denial[] = [];
  /** How many requests of role principals were evaluated (allowed or not). */
  public evaluations = 0;
  private readonly principals = new Map<string, Principal>();

  constructor(private readonly options: IamEmulatorOptions) {
    this.principals.set(options.homeAdministratorKey, administrator(options.homeAccountId));
  }

  /** Credentials that may do anything in `accountId` (default: the home account). */
  public administratorCredentials(accountId: string = this.options.homeAccountId): { accessKeyId: string; secretAccessKey: string } {
    if (accountId === this.options.homeAccountId) return { accessKeyId: this.options.homeAdministratorKey, secretAccessKey: 'emulator-secret-access-key' };
    const accessKeyId = `AKIDADMIN${accountId}`;
    this.principals.set(accessKeyId, administrator(accountId));
    return { accessKeyId, secretAccessKey: 'emulator-secret-access-key' };
  }

  /** Makes `accessKeyId` sign as a role session whose permissions are `registration.policies()` at each request. */
  public registerRole(accessKeyId: string, registration: RoleRegistration): void {
    const accountId = registration.roleArn.split(':')[4];
    this.principals.set(accessKeyId, {
      arn: registration.sessionArn,
      accountId,
      administrator: false,
      roleArn: registration.roleArn,
      policies: registration.policies,
    });
  }

  /** The principal an access key signs as, or undefined for a key AWS would not know. */
  public principal(accessKeyId: string): Principal | undefined {
    return this.principals.get(accessKeyId);
  }

  /** Evaluates one request; a refusal is recorded in `denials`. */
  public authorize(principal: Principal, request: AuthorizationRequest): AuthorizationResult {
    const resourceAccount = request.resourceAccount ?? (request.resource === '*' ? principal.accountId : request.resource.split(':')[4]);
    const crossAccount = resourceAccount !== undefined && resourceAccount !== '' && resourceAccount !== principal.accountId;
    if (principal.administrator && !crossAccount) return { allowed: true };
    if (!principal.administrator) this.evaluations += 1;

    let decision: PolicyDecision = { effect: 'ImplicitDeny' };
    if (!principal.administrator) {
      decision = evaluatePolicies(principal.policies?.() ?? [], {
        action: request.action,
        resource: request.resource,
        keys: {
          'aws:PrincipalArn': principal.roleArn ?? principal.arn,
          'aws:PrincipalAccount': principal.accountId,
          'aws:RequestedRegion': request.region,
          'aws:ResourceAccount': resourceAccount,
          ...Object.fromEntries(Object.entries(request.resourceTags ?? {}).map(([key, value]) => [`aws:ResourceTag/${key}`, value])),
          ...request.keys,
        },
      });
      if (decision.effect === 'Allow' && !crossAccount) return { allowed: true };
    }
    const reason: Denial['reason'] = decision.effect === 'ExplicitDeny' ? 'explicit'
      : crossAccount && (principal.administrator || decision.effect === 'Allow') ? 'cross-account' : 'implicit';
    const because = {
      'explicit': 'with an explicit deny in an identity-based policy',
      'implicit': `because no identity-based policy allows the ${request.action} action`,
      'cross-account': `because no resource-based policy allows the ${request.action} action`,
    }[reason];
    const denial: Denial = {
      at: this.options.now(),
      principal: principal.arn,
      action: request.action,
      resource: request.resource,
      reason,
      message: `User: ${principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${because}`,
    };
    this.denials.push(denial);
    return { allowed: false, denial };
  }

  /** Forgets the denials and the evaluation count; registered principals stay (the harness's functions keep their roles). */
  public reset(): void {
    this.denials.length = 0;
    this.evaluations = 0;
  }
}

function administrator(accountId: string): Principal {
  return { arn: `arn:aws:iam::${accountId}:root`, accountId, administrator: true };
}
