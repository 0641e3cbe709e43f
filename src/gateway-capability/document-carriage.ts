import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, AspectPriority, Aspects, IResolveContext, Lazy, Stack } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IConstruct } from 'constructs';
import { DocumentObject, TOKEN_MARKER_PREFIX, tokenMarker } from './resource-properties';

/**
 * Documents whose text is larger than this travel as an S3 object instead of inline. The
 * Provider framework hands a resource's properties, old and new on an update, to its waiter
 * state machine, whose input is limited to 256 KB; 64 KiB leaves room for both and keeps the
 * template small.
 */
export const INLINE_DOCUMENT_LIMIT_BYTES = 64 * 1024;

/** How a document reaches the handler: one of the two resolves to a value once the stack is synthesized. */
export interface DocumentProperties {
  /** The inline document, or a token resolving to nothing when the document travels as an S3 object. */
  readonly inline: string;
  /** A token: the document's S3 object, or nothing when the document is inline. */
  readonly s3: DocumentObject;
}

/**
 * Carries a capability document to the handler inline, or, when its text is larger than
 * `INLINE_DOCUMENT_LIMIT_BYTES`, as a file asset that CDK uploads with the stack.
 *
 * The choice waits for synthesis (an aspect), because typed documents render lazily: sources
 * may be added after the resource is defined. Tokens in the document (a secret's ARN, say)
 * become markers in the object, and their values stay in the template for CloudFormation to
 * resolve. Those values are rendered with the template, not in the aspect, so that a reference
 * to another stack becomes an import like any other.
 */
export class DocumentCarriage {
  /** Set by the aspect when the document travels as an S3 object. */
  private carried?: { readonly asset: s3assets.Asset; readonly text: string };
  private decided = false;

  /**
   * @param owner the construct the asset is created in
   * @param id the asset's id, also the document's name in messages
   * @param json the document, which may be a token
   * @param grantRead lets the handler read the object: called with its ARN and the ARN of all the bucket's objects
   */
  constructor(
    private readonly owner: Construct,
    private readonly id: string,
    private readonly json: string,
    private readonly grantRead: (objectArn: string, bucketObjectsArn: string) => void,
  ) {
    Aspects.of(owner).add({ visit: (node: IConstruct) => { if (node === owner) this.decide(); } }, { priority: AspectPriority.MUTATING });
  }

  /** The resource properties: exactly one of them resolves to a value. */
  public get properties(): DocumentProperties {
    return {
      inline: Lazy.uncachedString({ produce: () => (this.carried ? undefined : this.json) }),
      s3: Lazy.uncachedAny({ produce: (context) => this.carried && this.objectProperty(context) }) as unknown as DocumentObject,
    };
  }

  /** Decides once, at synthesis, whether the document is too large to be inline. */
  private decide(): void {
    if (this.decided) return;
    this.decided = true;
    const literal = literalText(Stack.of(this.owner).resolve(this.json));
    if (!literal || Buffer.byteLength(literal.text, 'utf8') <= INLINE_DOCUMENT_LIMIT_BYTES) return;
    if (literal.containsMarkerPrefix) {
      Annotations.of(this.owner).addWarningV2('cdk-edge-sync:largeDocumentInline',
        `The ${this.id} document is larger than ${INLINE_DOCUMENT_LIMIT_BYTES / 1024} KiB but stays in the template, because its text contains ` +
        `"${TOKEN_MARKER_PREFIX}", which marks tokens in documents carried through S3. The provider's 256 KB state machine input may not hold it.`);
      return;
    }

    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-edge-sync-'));
    const file = path.join(directory, 'document.json');
    fs.writeFileSync(file, literal.text);
    const asset = new s3assets.Asset(this.owner, this.id, { path: file });
    this.grantRead(asset.bucket.arnForObjects(asset.s3ObjectKey), asset.bucket.arnForObjects('*'));
    this.carried = { asset, text: literal.text };
  }

  private objectProperty(context: IResolveContext): DocumentObject {
    const { asset, text } = this.carried!;
    const literal = literalText(context.resolve(this.json));
    if (literal?.text !== text) {
      throw new Error(`cdk-edge-sync: the ${this.id} document of ${this.owner.node.path} changed after it was written to its asset`);
    }
    return {
      Bucket: asset.s3BucketName,
      Key: asset.s3ObjectKey,
      TokenValues: literal.tokenValues.length > 0 ? literal.tokenValues : undefined,
    };
  }
}

/** A document's text with a marker for each distinct token, and the tokens' values in marker order. */
interface LiteralText {
  readonly text: string;
  readonly tokenValues: any[];
  /** Whether the document's own text holds the prefix of the markers, which would make them ambiguous. */
  readonly containsMarkerPrefix: boolean;
}

/**
 * The text of a resolved document: a plain string, or an `Fn::Join` with an empty separator
 * whose parts are strings and intrinsics (what `Stack.toJsonString` renders). Anything else, a
 * document that is a single `Ref` for example, has no text to carry, so it stays inline.
 */
function literalText(resolved: unknown): LiteralText | undefined {
  if (typeof resolved === 'string') return { text: resolved, tokenValues: [], containsMarkerPrefix: resolved.includes(TOKEN_MARKER_PREFIX) };
  const join = (resolved as { 'Fn::Join'?: unknown } | undefined)?.['Fn::Join'];
  if (Object.keys(resolved ?? {}).length !== 1 || !Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;

  const tokenValues: any[] = [];
  const markers = new Map<string, string>();
  const parts = join[1] as unknown[];
  const text = parts.map((part) => {
    if (typeof part === 'string') return part;
    // The same token in many places (one secret for every source) needs its value once.
    const key = JSON.stringify(part);
    let marker = markers.get(key);
    if (marker === undefined) {
      marker = tokenMarker(tokenValues.length);
      markers.set(key, marker);
      tokenValues.push(part);
    }
    return marker;
  }).join('');
  const containsMarkerPrefix = parts.some((part) => typeof part === 'string' && part.includes(TOKEN_MARKER_PREFIX));
  return { text, tokenValues, containsMarkerPrefix };
}
