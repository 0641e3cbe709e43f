import type { OperationRequest } from './protocol';

/**
 * The account and region a resource lives in. AWS keeps resources per account and region: a
 * request sees only those of the account that signed it (its principal's) in the region it was
 * signed for (its credential scope).
 */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export function scopeOf(request: Pick<OperationRequest, 'accountId' | 'region'>): Scope {
  return { accountId: request.accountId, region: request.region };
}

export function inScope(resource: Scope, scope: Scope): boolean {
  return resource.accountId === scope.accountId && resource.region === scope.region;
}

/** Account and region fields of an ARN (`arn:partition:service:region:account:...`). */
export function scopeOfArn(arn: string): Partial<Scope> {
  const [, , , region, accountId] = arn.split(':');
  return { region, accountId };
}
