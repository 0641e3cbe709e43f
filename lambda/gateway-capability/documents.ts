import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DocumentObject, TOKEN_MARKER_PATTERN } from '../../src/gateway-capability/resource-properties';
import { sdkRetryStrategy } from '../shared/backoff';
import { hasConfiguredEndpoint } from '../shared/endpoint';
import { describeError, isTransientAwsError, TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';
import { retryTransientErrors } from '../shared/wait';

/**
 * A capability document as the resource carries it: inline, or, when it is too large for the
 * template, as an S3 object (a CDK file asset) with markers where its tokens were.
 */
export type DocumentSource =
  | { readonly inline: string }
  | { readonly object: DocumentObject; readonly property: string };

let client: S3Client | undefined;

/** One client per warm Lambda container. */
function s3Client(): S3Client {
  client ??= new S3Client({
    // A local endpoint (an IP address or localhost) has no bucket subdomains.
    forcePathStyle: hasConfiguredEndpoint('S3'),
    retryStrategy: sdkRetryStrategy(),
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000 },
  });
  return client;
}

/**
 * The document's text. An S3 object is read, retrying throttling, 5xx and network errors until
 * `until`, and each marker is replaced by the value CloudFormation resolved for its token.
 */
export async function documentText(source: DocumentSource, until: number): Promise<string> {
  if ('inline' in source) return source.inline;
  const { object, property } = source;
  const location = `s3://${object.Bucket}/${object.Key}`;
  let text: string;
  try {
    text = await retryTransientErrors(async () => {
      const response = await s3Client().send(new GetObjectCommand({ Bucket: object.Bucket, Key: object.Key }));
      return response.Body!.transformToString('utf-8');
    }, { isTransient: (error) => isTransientAwsError(error), until, what: `read ${property} from ${location}` });
  } catch (error) {
    if (error instanceof TerminalError) throw error;
    throw new TerminalError(`Could not read ${property} from ${location}: ${describeError(error)}`);
  }
  const values = object.TokenValues ?? [];
  logger.info('read the document from its S3 object', { property, location, length: text.length, tokens: values.length });
  return text.replace(TOKEN_MARKER_PATTERN, (marker, index: string) => {
    const value = values[Number(index)];
    if (typeof value !== 'string') {
      throw new TerminalError(`Invalid property: ${property}.TokenValues has no value for ${marker} of ${location} (${values.length} values)`);
    }
    return value;
  });
}
