import {
  GroundStationClient, type GroundStationClientConfig, type RegisterAgentCommandInput, type UpdateAgentStatusCommandInput,
} from '@aws-sdk/client-groundstation';
import { DEFAULT_INGRESS_ADDRESS, EMULATOR_CREDENTIALS, type LocalAwsEndpoint } from '../support/emulator';

export { withMember } from './emulator-test-support';

/** Helpers for the Ground Station emulator tests: an unmodified SDK client, valid inputs to vary, and waiting on simulated devices. */

/** An unmodified SDK client aimed at the emulator; one attempt so a test sees raw errors. */
export function groundStationClient(emulator: LocalAwsEndpoint, overrides: GroundStationClientConfig = {}): GroundStationClient {
  return new GroundStationClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { ...EMULATOR_CREDENTIALS },
    maxAttempts: 1,
    ...overrides,
  });
}

/** The error a call rejected with (fails the test if it resolved). */
export async function errorOf(call: Promise<unknown>): Promise<any> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A valid RegisterAgent input serving `capabilityArns` from DEFAULT_INGRESS_ADDRESS. */
export function registerAgentInput(capabilityArns: string[], publicIpAddresses: string[] = [DEFAULT_INGRESS_ADDRESS]): RegisterAgentCommandInput {
  return {
    discoveryData: { publicIpAddresses, privateIpAddresses: ['10.0.0.10'], capabilityArns },
    agentDetails: {
      agentVersion: '1.0.3555.0',
      instanceId: 'i-0123456789abcdef0',
      instanceType: 'c5.24xlarge',
      agentCpuCores: [2, 3, 4, 5],
      componentVersions: [{ componentType: 'LAMINAR_FLOW', versions: ['1.0.0'] }],
    },
  };
}

export const TASK_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';
export const DATAFLOW_ID = 'a1b2c3d4-e5f6-4a0b-9c1d-2e3f4a5b6c7d';

/** A valid UpdateAgentStatus input: aggregate SUCCESS with one SUCCESS component for `capabilityArn`. */
export function updateAgentStatusInput(agentId: string, capabilityArn: string): UpdateAgentStatusCommandInput {
  return {
    agentId,
    taskId: TASK_ID,
    aggregateStatus: { status: 'SUCCESS', signatureMap: { timeout: false } },
    componentStatuses: [{
      componentType: 'LAMINAR_FLOW',
      capabilityArn,
      status: 'SUCCESS',
      bytesSent: 1_024,
      bytesReceived: 2_048,
      packetsDropped: 0,
      dataflowId: DATAFLOW_ID,
    }],
  };
}


/** Polls `condition` every few real ms until it holds; simulated devices act on their own time. */
export async function eventually(condition: () => boolean, what: string, timeoutMs: number = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} real ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A raw restJson1 answer: status, `x-amzn-ErrorType`, parsed body. */
export interface RawGroundStationResponse {
  readonly status: number;
  readonly errorType: string | null;
  readonly body: Record<string, any>;
}

/**
 * CreateDataflowEndpointGroupV2 is newer than the Ground Station SDK here (3.523 has no command for
 * it), so tests send it as a newer SDK would: restJson1 `POST /dataflowEndpointGroupV2` with a JSON
 * body, signed only as far as the emulator looks (access key and credential scope).
 */
export async function createDataflowEndpointGroupV2(
  emulator: LocalAwsEndpoint,
  input: unknown,
  signer: { readonly accessKeyId?: string; readonly region?: string } = {},
): Promise<RawGroundStationResponse> {
  const accessKeyId = signer.accessKeyId ?? EMULATOR_CREDENTIALS.accessKeyId;
  const region = signer.region ?? 'us-east-1';
  const response = await fetch(`${emulator.url}/dataflowEndpointGroupV2`, {
    method: 'POST',
    headers: {
      'authorization': `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261121/${region}/groundstation/aws4_request, SignedHeaders=host;x-amz-date, Signature=00ff`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: text === '' ? {} : JSON.parse(text) };
}
