import { Aws, Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { EdgeSyncProvider, HandlerRole } from '../provider/edge-sync-provider';

/**
 * Grants isComplete needs for the work onEvent hands it when its own time runs out (throttling
 * that outlasts onEvent's Lambda timeout): the same as onEvent has for that work, where
 * EdgeSyncProvider grants it to onEvent only. Each is added once per provider.
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

/**
 * Reading configuration documents carried as file assets (EdgeSyncProvider.grantDocumentReads):
 * `s3:GetObject` on the `.json` objects of the stack's file asset bucket, which also holds the
 * handlers' code (one asset, a child of the function that bound it first).
 */
export function grantIsCompleteDocumentReads(provider: EdgeSyncProvider): void {
  const handlerCode = provider.onEventHandler.node.findChild('Code') as s3assets.Asset;
  const documents = handlerCode.bucket.arnForObjects('*.json');
  provider.grant(HandlerRole.IS_COMPLETE, ['s3:GetObject'], documents, documents);
}

function addOnce(provider: EdgeSyncProvider, actions: string[], resourceArn: string, conditions: Record<string, Record<string, unknown>>): void {
  const key = `${actions.join(',')}:${resourceArn}:${JSON.stringify(conditions)}`;
  const keys = granted.get(provider) ?? new Set<string>();
  granted.set(provider, keys);
  if (keys.has(key)) return;
  keys.add(key);
  // A list token like the provider's own statements, so that all of them share the role's default policy.
  provider.isCompleteHandler.addToRolePolicy(new iam.PolicyStatement({ actions, resources: Lazy.list({ produce: () => [resourceArn] }), conditions }));
}
