import { ScaledClock, SimulatedTimer } from '../clock';
import { HarnessDisposedError } from './time';
import { CustomResourceRequest, CustomResourceResponse, ResponseRecord } from './types';

/** CloudFormation's limit on the whole response body. */
export const MAX_RESPONSE_BYTES = 4096;
/** Default (and maximum) `ServiceTimeout` of a custom resource, in seconds. */
export const DEFAULT_SERVICE_TIMEOUT_SECONDS = 3600;

export type CustomResourceOutcome =
  | { readonly status: 'SUCCESS'; readonly physicalId: string; readonly data: Record<string, unknown>; readonly noEcho: boolean }
  /** `physicalId` is absent when CloudFormation never got a usable response (timeout, oversized body). */
  | { readonly status: 'FAILED'; readonly reason: string; readonly physicalId?: string }
  /** CloudFormation stopped waiting (another resource failed). */
  | { readonly status: 'ABANDONED' };

export interface PendingRequest {
  readonly outcome: Promise<CustomResourceOutcome>;
  /** Stop listening, as CloudFormation does when it cancels an in-flight operation. */
  abandon(): void;
}

/**
 * CloudFormation's side of the custom resource protocol: sends a request, then listens on the
 * pre-signed ResponseURL for the first response, until `ServiceTimeout` (simulated seconds).
 * Every PUT is recorded, including late ones nobody listens to any more.
 */
export class CustomResourceEndpoint {
  public readonly responses: ResponseRecord[] = [];
  private readonly requestsByUrl = new Map<string, CustomResourceRequest>();
  private readonly listeners = new Map<string, (outcome: CustomResourceOutcome) => void>();

  constructor(
    private readonly clock: ScaledClock,
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * Sends `request` by calling `deliver` (CloudFormation invokes the ServiceToken asynchronously)
   * and resolves with how CloudFormation judges the response.
   */
  public send(request: CustomResourceRequest, serviceTimeoutSeconds: number, deliver: () => void): PendingRequest {
    const url = request.ResponseURL;
    this.requestsByUrl.set(url, request);
    let timer: SimulatedTimer | undefined;
    const outcome = new Promise<CustomResourceOutcome>((resolve, reject) => {
      const onAbort = () => {
        this.listeners.delete(url);
        timer?.cancel();
        reject(new HarnessDisposedError());
      };
      const finish = (result: CustomResourceOutcome) => {
        if (!this.listeners.has(url)) return;
        this.listeners.delete(url);
        timer?.cancel();
        this.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      if (this.signal?.aborted) {
        reject(new HarnessDisposedError());
        return;
      }
      this.listeners.set(url, finish);
      this.signal?.addEventListener('abort', onAbort, { once: true });
      timer = this.clock.setTimeout(() => finish({ status: 'FAILED', reason: noResponseReason(request.RequestId) }), serviceTimeoutSeconds * 1000);
    });
    deliver();
    return { outcome, abandon: () => this.listeners.get(url)?.({ status: 'ABANDONED' }) };
  }

  /** The HTTPS PUT to a ResponseURL. */
  public put(url: string, body: string): void {
    const request = this.requestsByUrl.get(url);
    if (!request) throw new Error(`PUT to unknown ResponseURL ${url}`);
    const listener = this.listeners.get(url);
    const bytes = Buffer.byteLength(body, 'utf8');
    let parsed: CustomResourceResponse | undefined;
    try {
      parsed = JSON.parse(body) as CustomResourceResponse;
    } catch {
      parsed = undefined;
    }
    this.responses.push({
      at: this.clock.now(),
      logicalResourceId: request.LogicalResourceId,
      requestType: request.RequestType,
      requestId: request.RequestId,
      bytes,
      body: parsed ?? ({ Status: 'FAILED', Reason: body } as CustomResourceResponse),
      accepted: listener !== undefined,
    });
    listener?.(judgeResponse(request, bytes, parsed));
  }
}

function judgeResponse(request: CustomResourceRequest, bytes: number, response: CustomResourceResponse | undefined): CustomResourceOutcome {
  if (bytes > MAX_RESPONSE_BYTES) return { status: 'FAILED', reason: 'Response object is too long.' };
  if (!response || (response.Status !== 'SUCCESS' && response.Status !== 'FAILED')) {
    return { status: 'FAILED', reason: `Invalid response object: ${JSON.stringify(response)}` };
  }
  if (response.Status === 'FAILED') {
    return {
      status: 'FAILED',
      physicalId: response.PhysicalResourceId,
      reason: `Received response status [FAILED] from custom resource. Message returned: ${response.Reason ?? ''} (RequestId: ${request.RequestId})`,
    };
  }
  if (!response.PhysicalResourceId) {
    return { status: 'FAILED', reason: 'Invalid PhysicalResourceId' };
  }
  return { status: 'SUCCESS', physicalId: response.PhysicalResourceId, data: response.Data ?? {}, noEcho: response.NoEcho === true };
}

function noResponseReason(requestId: string): string {
  return `CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${requestId}]. `
    + 'If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.';
}
