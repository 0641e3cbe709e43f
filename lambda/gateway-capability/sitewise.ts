import {
  DescribeGatewayCapabilityConfigurationCommand,
  IoTSiteWiseClient,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateGatewayCapabilityConfigurationCommand,
} from '@aws-sdk/client-iotsitewise';
import { CapabilityTarget } from './settings';
import { BackoffPolicy, SITEWISE_BACKOFF, SITEWISE_CONFLICT_BACKOFF } from '../shared/backoff';
import { OutOfTimeError } from '../shared/call-budget';
import { budgetedClientOptions } from '../shared/client-options';
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

function backoffFor(error: unknown): BackoffPolicy {
  return (error as AwsError)?.name === 'ConflictingOperationException' ? SITEWISE_CONFLICT_BACKOFF : SITEWISE_BACKOFF;
}

export function isNotFound(error: unknown): boolean {
  return (error as AwsError)?.name === 'ResourceNotFoundException';
}

/** Longest one attempt of a call may take: the gateway APIs answer in well under a second. */
const REQUEST_TIMEOUT_MS = 10_000;

let client: IoTSiteWiseClient | undefined;

/** One client per warm Lambda container. */
export function siteWiseClient(): IoTSiteWiseClient {
  client ??= new IoTSiteWiseClient({
    disableHostPrefix: hasConfiguredEndpoint('IOTSITEWISE'),
    ...budgetedClientOptions(isTransientSiteWiseError, backoffFor, REQUEST_TIMEOUT_MS),
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

/** A namespace's configuration as DescribeGatewayCapabilityConfiguration shows it. */
export interface StoredCapability {
  readonly configuration?: string;
  readonly status: string;
}

export async function describeCapability(target: CapabilityTarget): Promise<StoredCapability> {
  const response = await siteWiseClient().send(new DescribeGatewayCapabilityConfigurationCommand({
    gatewayId: target.gatewayId,
    capabilityNamespace: target.namespace,
  }));
  return { configuration: response.capabilityConfiguration, status: response.capabilitySyncStatus ?? 'UNKNOWN' };
}

/** The document stored for a namespace, or undefined when the namespace has none. */
export async function storedConfiguration(target: CapabilityTarget): Promise<string | undefined> {
  try {
    return (await describeCapability(target)).configuration;
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

/**
 * A call about `target`: errors the caller judges (transient ones, which mean this invocation's
 * time is up, and a gateway not found) pass as they are; any other fails with a short reason.
 */
export async function siteWiseCall<T>(target: CapabilityTarget, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TerminalError || error instanceof OutOfTimeError || isNotFound(error) || isTransientSiteWiseError(error)) throw error;
    throw siteWiseFailure(target, action, error);
  }
}
