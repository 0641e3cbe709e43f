import { IoTSiteWiseClient, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-iotsitewise';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { isComplete, onEvent } from '../../lambda';
import { IsCompleteRequest, OnEventRequest, OnEventResponse } from '../../lambda/shared/types';

export const GATEWAY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const NAMESPACE = 'iotsitewise:opcuacollector:3';
export const DOCUMENT = '{"sources":[{"name":"Line 1","endpoint":{"endpointUri":"opc.tcp://203.0.113.0:49320"}}]}';
export const OLD_DOCUMENT = '{"sources":[{"name":"Line 1","endpoint":{"endpointUri":"opc.tcp://203.0.113.0:4840"}}]}';
export const RESOURCE_TYPE = 'Custom::EdgeSyncGatewayCapabilityConfiguration';

export function properties(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent',
    GatewayId: GATEWAY_ID,
    CapabilityNamespace: NAMESPACE,
    CapabilityConfiguration: DOCUMENT,
    ResetConfiguration: '{"sources":[]}',
    OnDelete: 'reset',
    WaitForSync: 'true',
    SyncTimeoutSeconds: '900',
    FailOnNotApplicable: 'false',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** The resource a request is about: its type, logical id, properties and (after Create) physical id. */
export interface RequestedResource {
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly ResourceProperties: Record<string, string>;
  readonly PhysicalResourceId: string;
}

/** A custom resource request as the Provider framework passes it to onEvent; Create has no physical id yet. */
export function customResourceRequest(
  RequestType: OnEventRequest['RequestType'],
  resource: RequestedResource,
  extra: Partial<OnEventRequest> = {},
): OnEventRequest {
  const { PhysicalResourceId, ...rest } = resource;
  return {
    RequestType,
    RequestId: 'request-1',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/test/1',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
    ...rest,
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId }),
    ...extra,
  };
}

/** A request for the gateway capability configuration of the tests' gateway and namespace. */
export function onEventRequest(
  RequestType: OnEventRequest['RequestType'],
  extra: Partial<OnEventRequest> = {},
): OnEventRequest {
  return customResourceRequest(RequestType, {
    ResourceType: RESOURCE_TYPE,
    LogicalResourceId: 'Collector',
    ResourceProperties: properties(),
    PhysicalResourceId: `${GATEWAY_ID}/${NAMESPACE}`,
  }, extra);
}

/** The request isComplete receives: the onEvent request merged with its response. */
export function isCompleteRequest(request: OnEventRequest, response: OnEventResponse): IsCompleteRequest {
  return { ...request, ...response };
}

/** A Lambda context with a fixed amount of time left. */
export function context(remainingMs: number = 300_000) {
  return { getRemainingTimeInMillis: () => remainingMs };
}

/**
 * Runs a handler under jest's fake clock, advancing it until the handler settles, so waits of
 * minutes take milliseconds.
 */
export async function withFakeTime<T>(run: () => Promise<T>): Promise<T> {
  let settled = false;
  const promise = run();
  promise.then(() => { settled = true; }, () => { settled = true; });
  while (!settled) await jest.advanceTimersByTimeAsync(250);
  return promise;
}

/** For each test of the calling file: reset the SDK mock, a fake clock at `start`, a quiet console. */
export function useFakeClock(start: number, resetMock: () => void): void {
  beforeEach(() => {
    resetMock();
    jest.useFakeTimers({ now: start });
    for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => {});
    // The handlers' EMF metric lines go to stdout directly (shared/metrics.ts).
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });
}

/** onEvent, then the first isComplete, as the framework runs them, under the fake clock. */
export async function runHandlers(request: OnEventRequest, remainingMs?: number) {
  const response = await withFakeTime(() => onEvent(request, context()));
  return { response, complete: await withFakeTime(() => isComplete(isCompleteRequest(request, response), context(remainingMs))) };
}

/**
 * A gateway's tags behind a mocked SiteWise client: TagResource, UntagResource and
 * ListTagsForResource act on the returned record (ownership, lambda/shared/ownership.ts).
 */
export function mockGatewayTags(sitewise: AwsClientStub<IoTSiteWiseClient>, initial: Record<string, string> = {}): Record<string, string> {
  const tags: Record<string, string> = { ...initial };
  sitewise.on(ListTagsForResourceCommand).callsFake(() => ({ tags: { ...tags } }));
  sitewise.on(TagResourceCommand).callsFake((input) => {
    Object.assign(tags, input.tags);
    return {};
  });
  sitewise.on(UntagResourceCommand).callsFake((input) => {
    for (const key of input.tagKeys) delete tags[key];
    return {};
  });
  return tags;
}
