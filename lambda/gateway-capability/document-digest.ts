import { createHash } from 'crypto';
import stableStringify from 'fast-json-stable-stringify';

/**
 * SHA-256 (hex) of a capability document as JSON: the same whatever its key order or spacing, so
 * that a document stored reformatted still counts as the one applied. A text that is not JSON is
 * hashed as it is.
 */
export function documentDigest(document: string): string {
  let canonical: string;
  try {
    canonical = stableStringify(JSON.parse(document));
  } catch {
    canonical = document;
  }
  return createHash('sha256').update(canonical).digest('hex');
}

/** Whether two documents are the same JSON (see documentDigest). */
export function sameDocument(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && documentDigest(a) === documentDigest(b);
}
