import { createHash } from 'crypto';
import { CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IConstruct } from 'constructs';

/**
 * Object ARNs one policy names. Resolved, an ARN takes at most 141 characters with its quotes and
 * comma (`arn:aws-us-gov:s3:::cdk-<qualifier>-assets-<account>-<region>/<sha256>.json`, the
 * longest partition and region names), so 40 of them and the statement stay under IAM's 6,144
 * characters for a managed policy.
 */
export const MAX_OBJECTS_PER_POLICY = 40;

/**
 * Policies the documents of one stack may need. While an update or its rollback runs, the old
 * and the new policies are both attached to the role, and IAM attaches at most 10 managed
 * policies to a role by default.
 */
export const MAX_DOCUMENT_READ_POLICIES = 5;

/**
 * The handlers' permission to read the S3 objects of carried documents: `s3:GetObject` on exactly
 * those objects, never the rest of the bucket (where CDK also puts other stacks' templates).
 * onEvent reads them, and isComplete when it finishes what onEvent had no time for.
 *
 * The policies are managed policies whose logical ids are a hash of the objects they name.
 * The rollback of a failed update re-applies the previous document, whose object only the
 * previous template names, and the cleanup Delete of a replaced or removed resource reads its
 * previous reset document. A policy with a new logical id is created before the resources that
 * depend on it are updated, and the policy it replaces is deleted only in the cleanup phase,
 * after the resources that depended on it (or, if the update fails, the new one is deleted after
 * the rollback). So during an update, its rollback and both cleanups, the role may read the old
 * and the new objects. A policy updated in place would name only the new ones.
 */
export class DocumentReadPolicies extends Construct {
  /** Object ARNs by asset hash: one object per distinct document. */
  private readonly objects = new Map<string, string>();
  private readonly policies: iam.ManagedPolicy[] = [];
  private readonly readers = new Set<IConstruct>();

  constructor(scope: Construct, id: string, private readonly roles: iam.IRole[]) {
    super(scope, id);
  }

  /** Lets `role` (the drift monitor's) read every document the handlers read, now and later. */
  public addRole(role: iam.IRole): void {
    this.roles.push(role);
    for (const policy of this.policies) policy.attachToRole(role);
  }

  /** Lets the handlers read `asset` for `reader`, a custom resource that depends on the policies from now on. */
  public grant(reader: IConstruct, asset: s3assets.Asset): void {
    this.objects.set(asset.assetHash, asset.bucket.arnForObjects(asset.s3ObjectKey));
    this.readers.add(reader);
    const chunks = this.chunks();
    if (chunks.length > MAX_DOCUMENT_READ_POLICIES) {
      throw new Error(
        `${Stack.of(this).stackName}: ${this.objects.size} configuration documents travel through S3 in this stack; the handlers ` +
        `may read at most ${MAX_OBJECTS_PER_POLICY * MAX_DOCUMENT_READ_POLICIES} (${MAX_DOCUMENT_READ_POLICIES} managed policies of ` +
        `${MAX_OBJECTS_PER_POLICY} objects: an update needs the old and the new ones, and IAM attaches at most 10 to a role by default). ` +
        'Split the configurations over more stacks.',
      );
    }
    chunks.forEach((hashes, index) => {
      const policy = this.policies[index] ?? this.createPolicy(index);
      // A new logical id whenever the objects change: see the class comment.
      const digest = createHash('sha256').update(hashes.join(',')).digest('hex').slice(0, 16).toUpperCase();
      (policy.node.defaultChild as CfnResource).overrideLogicalId(`EdgeSyncDocumentReads${digest}`);
    });
    for (const each of this.readers) this.policies.forEach((policy) => each.node.addDependency(policy));
  }

  /** Asset hashes in a stable order, `MAX_OBJECTS_PER_POLICY` per policy. */
  private chunks(): string[][] {
    const hashes = [...this.objects.keys()].sort();
    const chunks: string[][] = [];
    for (let i = 0; i < hashes.length; i += MAX_OBJECTS_PER_POLICY) chunks.push(hashes.slice(i, i + MAX_OBJECTS_PER_POLICY));
    return chunks;
  }

  private createPolicy(index: number): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, `Reads${index}`, {
      description: 'cdk-edge-sync: the configuration documents the handlers read from the asset bucket',
      roles: this.roles,
      statements: [new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: Lazy.list({ produce: () => (this.chunks()[index] ?? []).map((hash) => this.objects.get(hash)!) }),
      })],
    });
    this.policies.push(policy);
    return policy;
  }
}
