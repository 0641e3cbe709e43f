/**
 * Rules of the OPC UA collector document (SiteWise user guide, "Configure an OPC UA source"),
 * with no imports: OpcUaCollectorConfiguration checks literal values at synth time, and the
 * handler bundle checks the rendered document again once tokens are resolved.
 * Each returns `undefined` when the value is valid, or a message naming the value and the rule.
 */

export function checkOpcUaEndpointUri(uri: string): string | undefined {
  const match = /^opc\.tcp:\/\/([^\s:/]+)(?::(\d{1,5}))?(\/\S*)?$/.exec(uri);
  if (!match || (match[2] !== undefined && Number(match[2]) > 65535)) {
    return `endpointUri must be an OPC UA TCP endpoint, opc.tcp://host:port, got ${JSON.stringify(uri)}`;
  }
  return undefined;
}

export function checkSecurityPairing(policy: string, mode: string): string | undefined {
  if ((policy === 'NONE') !== (mode === 'NONE')) {
    return `securityPolicy ${policy} cannot be used with messageSecurityMode ${mode}: NONE goes only with NONE, ` +
      'and any other policy needs SIGN or SIGN_AND_ENCRYPT';
  }
  return undefined;
}

export function checkNodePath(path: string, property: string): string | undefined {
  const segments = path.split('/').slice(1);
  if (!path.startsWith('/') || segments.some((s, i) => s === '' && i < segments.length - 1) || segments.some((s) => s.includes('**') && s !== '**')) {
    return `${property} must be a node path starting with '/', with '*' inside a name and '**' only as a whole level, got ${JSON.stringify(path)}`;
  }
  return undefined;
}

/**
 * Checks a rendered collector document: every source's endpoint, security pairing and node paths.
 * Returns the first problem, naming the source.
 */
export function checkOpcUaCollectorDocument(json: string): string | undefined {
  let document: { sources?: unknown };
  try {
    document = JSON.parse(json);
  } catch (e) {
    return `the OPC UA collector document must be JSON: ${(e as Error).message}`;
  }
  if (!Array.isArray(document.sources)) return 'the OPC UA collector document must have a sources list';
  for (const source of document.sources as any[]) {
    const endpoint = source?.endpoint ?? {};
    const problem = checkOpcUaEndpointUri(String(endpoint.endpointUri))
      ?? checkSecurityPairing(String(endpoint.securityPolicy), String(endpoint.messageSecurityMode))
      ?? (endpoint.nodeFilterRules ?? []).map((rule: any, i: number) => checkNodePath(String(rule?.definition?.rootPath), `includePaths[${i}]`)).find(Boolean);
    if (problem) return `OPC UA source ${JSON.stringify(source?.name)}: ${problem}`;
  }
  return undefined;
}
