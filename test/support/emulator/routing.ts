import type { AwsOperation } from './protocol';

/** Fields of the SigV4 credential scope `AKID/date/region/service/aws4_request`. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

/**
 * Reads the credential scope from an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
 * Signature=…` header. The signature itself is not verified: the point is only to know which
 * service the SDK meant, and that it signed the request at all.
 */
export function parseCredentialScope(authorization: string): CredentialScope | undefined {
  const match = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(authorization);
  if (!match) return undefined;
  return { accessKeyId: match[1], date: match[2], region: match[3], service: match[4] };
}

type TemplateSegment = { readonly literal: string } | { readonly label: string; readonly greedy: boolean };

/** A compiled `http` trait path such as `/20200301/gateways/{gatewayId}/capability/{capabilityNamespace}`. */
export class PathTemplate {
  /** Number of literal segments; a more literal template wins when two match the same path. */
  public readonly specificity: number;
  private readonly segments: readonly TemplateSegment[];

  constructor(public readonly template: string) {
    this.segments = splitPath(template).map((segment) => {
      const label = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      return label ? { label: label[1], greedy: label[2] === '+' } : { literal: segment };
    });
    this.specificity = this.segments.filter((segment) => 'literal' in segment).length;
  }

  /** Decoded label values if `path` (without query string) matches, else undefined. */
  public match(path: string): Record<string, string> | undefined {
    const parts = splitPath(path);
    const labels: Record<string, string> = {};
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      if ('literal' in segment) {
        if (parts[i] !== segment.literal) return undefined;
        continue;
      }
      if (segment.greedy) {
        // A greedy label swallows the rest of the path, slashes included (used by no operation yet).
        const rest = parts.slice(i);
        if (rest.length === 0) return undefined;
        labels[segment.label] = rest.map(decodeSegment).join('/');
        return labels;
      }
      // Non-greedy labels are encoded with encodeURIComponent-like rules by the SDK, so
      // `iotsitewise:opcuacollector:3` arrives as `iotsitewise%3Aopcuacollector%3A3`.
      if (parts[i] === undefined || parts[i] === '') return undefined;
      labels[segment.label] = decodeSegment(parts[i]);
    }
    return parts.length === this.segments.length ? labels : undefined;
  }
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds the operation of a service for a method and path (REST), or by name (awsJson, from `X-Amz-Target`). */
export class OperationRouter {
  private readonly routes: Array<{ operation: AwsOperation; template: PathTemplate }> = [];

  public add(operation: AwsOperation): void {
    const duplicate = this.routes.find((route) =>
      route.operation.service === operation.service && route.operation.name === operation.name);
    if (duplicate) throw new Error(`operation ${operation.service}:${operation.name} is already registered`);
    this.routes.push({ operation, template: new PathTemplate(operation.path) });
  }

  /** An awsJson operation by its name (the part of `X-Amz-Target` after the service's target prefix). */
  public findByName(service: string, name: string): AwsOperation | undefined {
    return this.routes.find((route) => route.operation.service === service && route.operation.name === name)?.operation;
  }

  public find(service: string, method: string, path: string): { operation: AwsOperation; labels: Record<string, string> } | undefined {
    let best: { operation: AwsOperation; labels: Record<string, string>; specificity: number } | undefined;
    for (const route of this.routes) {
      if (route.operation.service !== service || route.operation.method !== method) continue;
      const labels = route.template.match(path);
      if (labels && (!best || route.template.specificity > best.specificity)) {
        best = { operation: route.operation, labels, specificity: route.template.specificity };
      }
    }
    return best && { operation: best.operation, labels: best.labels };
  }
}
