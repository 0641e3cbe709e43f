/**
 * IAM identity-policy evaluation, as the emulator applies it to every request a registered role
 * sends (see iam.ts). It follows the IAM User Guide's "Policy evaluation logic" for a principal
 * in one account without permissions boundaries, session policies or SCPs:
 *
 * - an explicit `Deny` in any statement that applies wins;
 * - otherwise an `Allow` that applies allows;
 * - otherwise the request is implicitly denied.
 *
 * A statement applies when its `Action` (or `NotAction`), its `Resource` (or `NotResource`) and
 * every operator of its `Condition` match the request. What is not implemented (policy variables,
 * numeric and date operators, ...) throws, so a test never passes on a silently ignored rule.
 */

export type PolicyEffect = 'Allow' | 'Deny';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: PolicyEffect;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

/** What IAM evaluates: the action, the resource ARN (`*` for actions without a resource type) and the request context keys. */
export interface RequestContext {
  /** `service:Action`, e.g. `iotsitewise:UpdateGatewayCapabilityConfiguration`. */
  readonly action: string;
  readonly resource: string;
  /** Condition keys (case-insensitive names), e.g. `aws:ResourceTag/owner`; multivalued keys are lists. */
  readonly keys: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export type PolicyDecision =
  | { readonly effect: 'Allow'; readonly statement: PolicyStatement }
  | { readonly effect: 'ExplicitDeny'; readonly statement: PolicyStatement }
  | { readonly effect: 'ImplicitDeny' };

/** Raised for policy grammar the evaluator does not implement. */
export class UnsupportedPolicyError extends Error {}

export function evaluatePolicies(policies: readonly PolicyDocument[], request: RequestContext): PolicyDecision {
  const keys = normalizeKeys(request.keys);
  let allowedBy: PolicyStatement | undefined;
  for (const statement of policies.flatMap((policy) => statementsOf(policy))) {
    if (!statementApplies(statement, request, keys)) continue;
    if (statement.Effect === 'Deny') return { effect: 'ExplicitDeny', statement };
    if (statement.Effect === 'Allow') allowedBy ??= statement;
    else throw new UnsupportedPolicyError(`Effect must be Allow or Deny, got ${JSON.stringify(statement.Effect)}`);
  }
  return allowedBy ? { effect: 'Allow', statement: allowedBy } : { effect: 'ImplicitDeny' };
}

export function statementsOf(policy: PolicyDocument): readonly PolicyStatement[] {
  const statements = policy.Statement;
  return Array.isArray(statements) ? statements : [statements as PolicyStatement];
}

/** A policy element that may be one string or a list of them. */
export function listOf(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function statementApplies(statement: PolicyStatement, request: RequestContext, keys: ReadonlyMap<string, readonly string[]>): boolean {
  const actionMatches = statement.NotAction !== undefined
    ? !listOf(statement.NotAction).some((pattern) => actionMatchesPattern(pattern, request.action))
    : listOf(statement.Action).some((pattern) => actionMatchesPattern(pattern, request.action));
  if (!actionMatches) return false;
  const resourceMatches = statement.NotResource !== undefined
    ? !listOf(statement.NotResource).some((pattern) => resourceMatchesPattern(pattern, request.resource))
    : listOf(statement.Resource).some((pattern) => resourceMatchesPattern(pattern, request.resource));
  if (!resourceMatches) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, block]) => conditionHolds(operator, block, keys));
}

/** `service:Action` patterns: case-insensitive, `*` and `?` wildcards. */
export function actionMatchesPattern(pattern: string, action: string): boolean {
  return globRegExp(pattern, '.', 'i').test(action);
}

/**
 * Resource element matching (IAM User Guide, "IAM JSON policy elements: Resource"): `*` and `?`
 * within an ARN segment, and a `*` that ends a segment may expand beyond the colons.
 */
export function resourceMatchesPattern(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  assertNoPolicyVariables(pattern);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      const endsSegment = i === pattern.length - 1 || pattern[i + 1] === ':';
      source += endsSegment ? '.*' : '[^:]*';
    } else if (char === '?') {
      source += '[^:]';
    } else {
      source += escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 's').test(arn);
}

/** ArnLike / ArnEquals: each of the six colon-separated parts is matched on its own. */
function arnLike(pattern: string, arn: string): boolean {
  const patternParts = arnParts(pattern);
  const arnSegments = arnParts(arn);
  if (!patternParts || !arnSegments) return false;
  return patternParts.every((part, index) => globRegExp(part, '.', '').test(arnSegments[index]));
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

type Comparison = (policyValue: string, requestValue: string) => boolean;

const COMPARISONS: Record<string, { readonly compare: Comparison; readonly negated: boolean }> = {
  stringequals: { compare: (p, r) => p === r, negated: false },
  stringnotequals: { compare: (p, r) => p === r, negated: true },
  stringequalsignorecase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: true },
  stringlike: { compare: (p, r) => stringLike(p, r), negated: false },
  stringnotlike: { compare: (p, r) => stringLike(p, r), negated: true },
  arnequals: { compare: arnLike, negated: false },
  arnlike: { compare: arnLike, negated: false },
  arnnotequals: { compare: arnLike, negated: true },
  arnnotlike: { compare: arnLike, negated: true },
  bool: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
};

/**
 * One condition operator block: every key in it must hold. A key holds when any of the policy's
 * values matches any of the request's values (negated operators: none matches). A key missing
 * from the request fails a positive operator and satisfies a negated one, unless `...IfExists`
 * makes it hold; `Null` tests presence; `ForAnyValue:` / `ForAllValues:` compare value sets.
 */
function conditionHolds(operatorName: string, block: Readonly<Record<string, unknown>>, keys: ReadonlyMap<string, readonly string[]>): boolean {
  const [qualifier, bareOperator] = operatorName.includes(':') ? operatorName.split(':', 2) : [undefined, operatorName];
  const lower = bareOperator.toLowerCase();
  const ifExists = lower.endsWith('ifexists');
  const operator = ifExists ? lower.slice(0, -'ifexists'.length) : lower;
  return Object.entries(block).every(([key, raw]) => {
    assertNoPolicyVariables(key);
    const policyValues = (Array.isArray(raw) ? raw : [raw]).map((value) => String(value));
    policyValues.forEach(assertNoPolicyVariables);
    const requestValues = keys.get(key.toLowerCase());
    if (operator === 'null') {
      if (qualifier !== undefined) throw new UnsupportedPolicyError(`${operatorName} is not supported`);
      const absent = requestValues === undefined || requestValues.length === 0;
      return policyValues.some((value) => (value.toLowerCase() === 'true') === absent);
    }
    const comparison = COMPARISONS[operator];
    if (!comparison) throw new UnsupportedPolicyError(`the emulator's IAM does not implement the condition operator ${operatorName}`);
    const matches = (requestValue: string) => policyValues.some((policyValue) => comparison.compare(policyValue, requestValue));
    if (qualifier !== undefined) {
      const set = requestValues ?? [];
      switch (qualifier.toLowerCase()) {
        case 'forallvalues':
          return set.every((value) => (comparison.negated ? !matches(value) : matches(value)));
        case 'foranyvalue':
          return set.some((value) => (comparison.negated ? !matches(value) : matches(value)));
        default:
          throw new UnsupportedPolicyError(`unknown set operator ${qualifier} in ${operatorName}`);
      }
    }
    if (requestValues === undefined || requestValues.length === 0) return ifExists || comparison.negated;
    const anyMatch = requestValues.some(matches);
    return comparison.negated ? !anyMatch : anyMatch;
  });
}

/** StringLike: `*` and `?` match any characters, colons and slashes included; case-sensitive. */
function stringLike(pattern: string, value: string): boolean {
  return globRegExp(pattern, '.', '').test(value);
}

function globRegExp(pattern: string, any: string, flags: string): RegExp {
  const source = [...pattern].map((char) => (char === '*' ? `${any}*` : char === '?' ? any : escapeRegExp(char))).join('');
  return new RegExp(`^${source}$`, `s${flags}`);
}

function normalizeKeys(keys: RequestContext['keys']): Map<string, readonly string[]> {
  const normalized = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(keys)) {
    if (value === undefined) continue;
    normalized.set(name.toLowerCase(), typeof value === 'string' ? [value] : value);
  }
  return normalized;
}

function assertNoPolicyVariables(text: string): void {
  if (text.includes('${')) throw new UnsupportedPolicyError(`policy variables are not implemented by the emulator's IAM: ${text}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
