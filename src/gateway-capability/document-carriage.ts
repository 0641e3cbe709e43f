import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, AspectPriority, Aspects, IResolveContext, Lazy, Stack } from 'aws-cdk-lib';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IConstruct } from 'constructs';
import { DocumentObject, TOKEN_MARKER_PREFIX, tokenMarker } from './resource-properties';

/**
 * The most bytes a resource's inline documents may take in its resource event, where each is a
 * JSON string (quotes and backslashes escaped once more). The Provider framework starts its
 * Step Functions waiter with the whole event as input, limited to 262,144 bytes; an update or
 * its rollback carries the old and the new properties, so two resources' worth of documents
 * (2 x 64 KiB) leave room for everything else in the event.
 */
export const INLINE_DOCUMENTS_BUDGET_BYTES = 64 * 1024;

/**
 * What a carried document still adds to the event: its bucket and key, and for each token in
 * it a value CloudFormation resolves at deploy time (an ARN, typically), counted at 256 bytes.
 */
const CARRIED_DOCUMENT_BYTES = 200;
const TOKEN_VALUE_BYTES = 256;

/** How a document reaches the handler: one of the two resolves to a value once the stack is synthesized. */
export interface DocumentProperties {
  /** The inline document, or a token resolving to nothing when the document travels as an S3 object. */
  readonly inline: string;
  /** A token: the document's S3 object, or nothing when the document is inline. */
  readonly s3: DocumentObject;
}

/** One document of the resource, and how it travels once decided. */
interface CarriedDocument {
  readonly id: string;
  readonly json: string;
  carried?: { readonly asset: s3assets.Asset; readonly text: string };
}

/**
 * Carries a resource's capability documents to the handler: inline while, together, they take at
 * most `INLINE_DOCUMENTS_BUDGET_BYTES` of the resource event as JSON strings; otherwise the
 * largest travel as file assets that CDK uploads with the stack, until the rest fits.
 *
 * The choice waits for synthesis (an aspect), because typed documents render lazily: sources
 * may be added after the resource is defined. Tokens in a carried document (a secret's ARN, say)
 * become markers in the object, and their values stay in the template for CloudFormation to
 * resolve. Those values are rendered with the template, not in the aspect, so that a reference
 * to another stack becomes an import like any other.
 */
export class DocumentCarriage {
  private readonly documents: CarriedDocument[] = [];
  private decided = false;

  /**
   * @param owner the construct the assets are created in
   * @param onCarried called with each asset written, to let the handler read it
   */
  constructor(private readonly owner: Construct, private readonly onCarried: (asset: s3assets.Asset) => void) {
    Aspects.of(owner).add({ visit: (node: IConstruct) => { if (node === owner) this.decide(); } }, { priority: AspectPriority.MUTATING });
  }

  /**
   * Adds a document, which may be a token. `id` names its asset and the document in messages.
   * Returns the resource properties: exactly one of them resolves to a value.
   */
  public add(id: string, json: string): DocumentProperties {
    const document: CarriedDocument = { id, json };
    this.documents.push(document);
    return {
      inline: Lazy.uncachedString({ produce: () => (document.carried ? undefined : document.json) }),
      s3: Lazy.uncachedAny({ produce: (context) => document.carried && this.objectProperty(document, context) }) as unknown as DocumentObject,
    };
  }

  /** Decides once, at synthesis, which documents travel as S3 objects: the largest first, until the rest fits the budget. */
  private decide(): void {
    if (this.decided) return;
    this.decided = true;
    const stack = Stack.of(this.owner);
    const measured = this.documents.map((document) => {
      const literal = literalText(stack.resolve(document.json));
      // A document that is not a literal text (a single token) has no text to carry; its size is unknown here.
      const inlineBytes = literal ? Buffer.byteLength(JSON.stringify(literal.text), 'utf8') : 0;
      const carriedBytes = literal ? CARRIED_DOCUMENT_BYTES + literal.tokenValues.length * TOKEN_VALUE_BYTES : inlineBytes;
      return { document, literal, saving: inlineBytes - carriedBytes, inlineBytes };
    });
    let total = measured.reduce((sum, m) => sum + m.inlineBytes, 0);
    const candidates = measured.filter((m) => m.literal && m.saving > 0).sort((a, b) => b.saving - a.saving);
    for (const candidate of candidates) {
      if (total <= INLINE_DOCUMENTS_BUDGET_BYTES) break;
      if (candidate.literal!.containsMarkerPrefix) {
        Annotations.of(this.owner).addWarningV2('cdk-edge-sync:largeDocumentInline',
          `The ${candidate.document.id} document stays in the template, because its text contains "${TOKEN_MARKER_PREFIX}", ` +
          'which marks tokens in documents carried through S3. The provider\'s 256 KB state machine input may not hold the resource\'s documents.');
        continue;
      }
      this.carry(candidate.document, candidate.literal!.text);
      total -= candidate.saving;
    }
  }

  private carry(document: CarriedDocument, text: string): void {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-edge-sync-'));
    const file = path.join(directory, 'document.json');
    fs.writeFileSync(file, text);
    const asset = new s3assets.Asset(this.owner, document.id, { path: file });
    document.carried = { asset, text };
    this.onCarried(asset);
  }

  private objectProperty(document: CarriedDocument, context: IResolveContext): DocumentObject {
    const { asset, text } = document.carried!;
    const literal = literalText(context.resolve(document.json));
    if (literal?.text !== text) {
      throw new Error(`cdk-edge-sync: the ${document.id} document of ${this.owner.node.path} changed after it was written to its asset`);
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
