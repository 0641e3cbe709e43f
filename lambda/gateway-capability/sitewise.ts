import {
  DescribeGatewayCapabilityConfigurationCommand,
  IoTSiteWiseClient,
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

/** Reads the sync status of a namespace's configuration. */
export async function describeSyncStatus(target: CapabilityTarget): Promise<string> {
  const response = await siteWiseClient().send(new DescribeGatewayCapabilityConfigurationCommand({
    gatewayId: target.gatewayId,
    capabilityNamespace: target.namespace,
  }));
  return response.capabilitySyncStatus ?? 'UNKNOWN';
}

/** A short reason naming the gateway, the namespace and the AWS error. */
export function siteWiseFailure(target: CapabilityTarget, action: string, error: unknown): TerminalError {
  return new TerminalError(`Could not ${action} ${target.namespace} of gateway ${target.gatewayId}: ${describeError(error)}`);
}
