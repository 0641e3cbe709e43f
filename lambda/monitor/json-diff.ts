/** How many differing paths a check reports, and how long their list may be: it travels in a log line and an event. */
export const MAX_DIFF_PATHS = 20;
export const MAX_DIFF_CHARS = 1_000;

/**
 * The JSON Pointers (RFC 6901) at which `actual` differs from `expected`: a value changed, added
 * or removed. Objects are compared key by key, arrays index by index; a path is reported at the
 * highest level where the two differ in kind. At most `MAX_DIFF_PATHS` paths and
 * `MAX_DIFF_CHARS` characters, then `…` (and how many more) ends the list.
 */
export function differingPaths(expected: unknown, actual: unknown): string[] {
  const found: string[] = [];
  collect(expected, actual, '', found);
  return cut(found);
}

function collect(expected: unknown, actual: unknown, path: string, found: string[]): void {
  if (Object.is(expected, actual)) return;
  if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      collect(expected[key], actual[key], `${path}/${escape(key)}`, found);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) collect(expected[i], actual[i], `${path}/${i}`, found);
    return;
  }
  found.push(path === '' ? '/' : path);
}

function cut(paths: string[]): string[] {
  const kept: string[] = [];
  let chars = 0;
  for (const path of paths) {
    if (kept.length === MAX_DIFF_PATHS || chars + path.length > MAX_DIFF_CHARS) {
      kept.push(`… and ${paths.length - kept.length} more`);
      break;
    }
    kept.push(path);
    chars += path.length;
  }
  return kept;
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The document parsed as JSON, or its text when it is not JSON (a device may store anything). */
export function parsedOrText(document: string | undefined): unknown {
  if (document === undefined) return undefined;
  try {
    return JSON.parse(document);
  } catch {
    return document;
  }
}
