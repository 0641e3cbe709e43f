/**
 * Whether the AWS SDK will send this service's requests to a configured endpoint
 * (`AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`), as it does for a local emulator.
 *
 * Services whose operations carry a host prefix (IoT SiteWise sends to `api.<host>`) must
 * disable the prefix then, or the request goes to a host that does not exist
 * (aws/aws-sdk-js-v3#7146).
 */
export function hasConfiguredEndpoint(serviceEnvName: string): boolean {
  if (/^true$/i.test(process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return false;
  return Boolean(process.env[`AWS_ENDPOINT_URL_${serviceEnvName}`] || process.env.AWS_ENDPOINT_URL);
}
