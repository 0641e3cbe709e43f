import {
  DescribeGatewayCapabilityConfigurationCommand,
  IoTSiteWiseClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import { CapabilityTarget } from './settings';
import { sdkRetryStrategy } from '../shared/backoff';
import { hasConfiguredEndpoint } from '../shared/endpoint';
import { AwsError, describeError, isTransientAwsError, TerminalError } from '../shared/errors';

/**
 * SiteWise errors that waiting can fix beyond the SDK's own list: another update of the same
 * gateway is in progress.
 */
const TRANSIENT_CODES = ['ConflictingOperationException'];
/** The SDK treats LimitExceededException as throttling; for SiteWise it is a quota (HTTP 410). */
const TERMINAL_CODES = ['LimitExceededException'];

export function isTransientSiteWiseError(error: unknown): boolean {
  return isTransientAwsError(error, TRANSIENT_CODES, TERMINAL_CODES);
}

export function isNotFound(error: unknown): boolean {
  return (error as AwsError)?.name === 'ResourceNotFoundException';
}

let client: IoTSiteWiseClient | undefined;

/** One client per warm Lambda container. */
export function siteWiseClient(): IoTSiteWiseClient {
  client ??= new IoTSiteWiseClient({
    disableHostPrefix: hasConfiguredEndpoint('IOTSITEWISE'),
    retryStrategy: sdkRetryStrategy(),
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  });
  return client;
}

/** Writes the configuration document of a namespace; returns the status the API answered. */
export async function updateCapabilityConfiguration(target: CapabilityTarget, document: string): Promise<string> {
  const response = await siteWiseClient().send(new UpdateGatewayCapabilityConfigurationCommand({
    gatewayId: target.gatewayId,
    capabilityNamespace: target.namespace,
    capabilityConfiguration: document,
  }));
  return response.capabilitySyncStatus ?? 'UNKNOWN';
}

/** A namespace's configuration as SiteWise stores it: the document and its sync status. */
export interface DescribedCapability {
  readonly syncStatus: string;
  readonly configuration?: string;
}

/** Reads a namespace's stored document and its sync status. */
export async function describeCapability(target: CapabilityTarget): Promise<DescribedCapability> {
  const response = await siteWiseClient().send(new DescribeGatewayCapabilityConfigurationCommand({
    gatewayId: target.gatewayId,
    capabilityNamespace: target.namespace,
  }));
  return { syncStatus: response.capabilitySyncStatus ?? 'UNKNOWN', configuration: response.capabilityConfiguration };
}

/** The document stored for a namespace, or undefined when the namespace has none. */
export async function storedConfiguration(target: CapabilityTarget): Promise<string | undefined> {
  try {
    const response = await siteWiseClient().send(new DescribeGatewayCapabilityConfigurationCommand({
      gatewayId: target.gatewayId,
      capabilityNamespace: target.namespace,
    }));
    return response.capabilityConfiguration;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** `arn:<partition>:iotsitewise:<region>:<account>:gateway/<id>`, the resource of the gateway's tags. */
export function gatewayArn(environment: { partition: string; region: string; accountId: string }, gatewayId: string): string {
  return `arn:${environment.partition}:iotsitewise:${environment.region}:${environment.accountId}:gateway/${gatewayId}`;
}

export async function gatewayTags(arn: string): Promise<Record<string, string>> {
  const response = await siteWiseClient().send(new ListTagsForResourceCommand({ resourceArn: arn }));
  return response.tags ?? {};
}

export async function tagGateway(arn: string, tags: Record<string, string>): Promise<void> {
  await siteWiseClient().send(new TagResourceCommand({ resourceArn: arn, tags }));
}

export async function untagGateway(arn: string, keys: string[]): Promise<void> {
  await siteWiseClient().send(new UntagResourceCommand({ resourceArn: arn, tagKeys: keys }));
}

/** A short reason naming the gateway, the namespace and the AWS error. */
export function siteWiseFailure(target: CapabilityTarget, action: string, error: unknown): TerminalError {
  return new TerminalError(`Could not ${action} ${target.namespace} of gateway ${target.gatewayId}: ${describeError(error)}`);
}
