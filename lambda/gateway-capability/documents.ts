import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DocumentObject, TOKEN_MARKER_PATTERN } from '../../src/gateway-capability/resource-properties';
import { S3_BACKOFF } from '../shared/backoff';
import { OutOfTimeError } from '../shared/call-budget';
import { budgetedClientOptions } from '../shared/client-options';
import { hasConfiguredEndpoint } from '../shared/endpoint';
import { describeError, isTransientAwsError, TerminalError } from '../shared/errors';
import { logger } from '../shared/logger';

/**
 * A capability document as the resource carries it: inline, or, when it is too large for the
 * template, as an S3 object (a CDK file asset) with markers where its tokens were.
 */
export type DocumentSource =
  | { readonly inline: string }
  | { readonly object: DocumentObject; readonly property: string };

/** Longest one read of a document may take (SiteWise documents are at most a few MB). */
const REQUEST_TIMEOUT_MS = 30_000;

let client: S3Client | undefined;

/** One client per warm Lambda container. */
function s3Client(): S3Client {
  client ??= new S3Client({
    // A local endpoint (an IP address or localhost) has no bucket subdomains.
    forcePathStyle: hasConfiguredEndpoint('S3'),
    ...budgetedClientOptions((error) => isTransientAwsError(error), S3_BACKOFF, REQUEST_TIMEOUT_MS),
  });
  return client;
}

/**
 * The document's text. An S3 object is read (the client retries throttling, 5xx and network errors
 * within the call budget; one that still fails passes as it is, for the caller to judge), and each
 * marker is replaced by the value CloudFormation resolved for its token.
 */
export async function documentText(source: DocumentSource): Promise<string> {
  if ('inline' in source) return source.inline;
  const { object, property } = source;
  const location = `s3://${object.Bucket}/${object.Key}`;
  let text: string;
  try {
    const response = await s3Client().send(new GetObjectCommand({ Bucket: object.Bucket, Key: object.Key }));
    text = await response.Body!.transformToString('utf-8');
  } catch (error) {
    if (error instanceof OutOfTimeError || isTransientAwsError(error)) throw error;
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
