import { Aws, Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EdgeSyncProvider } from '../provider/edge-sync-provider';

/**
 * Grants isComplete needs for the work onEvent hands it when its own time runs out (throttling
 * that outlasts onEvent's Lambda timeout): what EdgeSyncProvider grants onEvent only. Each
 * statement is added once per provider.
 */
const granted = new WeakMap<EdgeSyncProvider, Set<string>>();

/**
 * Confirming a handover (EdgeSyncProvider.grantHandoverConfirmation): read the tags of, and remove
 * only the handover tag from, a target whose handover tag names this stack.
 */
export function grantIsCompleteHandoverConfirmation(
  provider: EdgeSyncProvider, listTagsAction: string, untagAction: string, anyResourceArn: string, handoverTagKey: string,
): void {
  const handedOverByThisStack = { [`aws:ResourceTag/${handoverTagKey}`]: `${Aws.STACK_NAME}/*` };
  addOnce(provider, [listTagsAction], anyResourceArn, { StringLike: handedOverByThisStack });
  addOnce(provider, [untagAction], anyResourceArn, {
    'StringLike': handedOverByThisStack,
    'ForAllValues:StringEquals': { 'aws:TagKeys': [handoverTagKey] },
  });
}

function addOnce(provider: EdgeSyncProvider, actions: string[], resourceArn: string, conditions: Record<string, Record<string, unknown>>): void {
  const key = `${actions.join(',')}:${resourceArn}:${JSON.stringify(conditions)}`;
  const keys = granted.get(provider) ?? new Set<string>();
  granted.set(provider, keys);
  if (keys.has(key)) return;
  keys.add(key);
  // A list token like the provider's own statements, so that all of them share the role's default policy.
  const resources = Lazy.list({ produce: () => [resourceArn] });
  provider.isCompleteHandler.addToRolePolicy(new iam.PolicyStatement({ actions, resources, conditions }));
}
