/**
 * The aws-cdk-lib `custom_resources.Provider` framework, replayed by the harness instead of
 * running the framework Lambdas and the waiter state machine.
 *
 * Transliterated from aws-cdk-lib 2.276.0
 * `custom-resources/lib/provider-framework/runtime/{framework,cfn-response,util}.js`; function
 * names match the originals so the two can be compared side by side. What the framework does
 * through AWS (Lambda Invoke of the user functions, StartExecution of the waiter, the S3 PUT of
 * the response) goes through `FrameworkServices`.
 */
import { LambdaInvokeOutput } from './lambda-runner';
import { HarnessDisposedError } from './time';
import { CustomResourceRequest } from './types';

export const CREATE_FAILED_PHYSICAL_ID_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
export const MISSING_PHYSICAL_ID_MARKER = 'AWSCDK::CustomResourceProviderFramework::MISSING_PHYSICAL_ID';

/** Step Functions `Retry` of the waiter's isComplete task. */
export interface WaiterRetryPolicy {
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

/** One Provider as deployed: the user functions and the waiter's retry policy. */
export interface ProviderFrameworkConfiguration {
  readonly userOnEventFunctionArn: string;
  /** Absent for a synchronous Provider (no isCompleteHandler). */
  readonly userIsCompleteFunctionArn?: string;
  readonly waiter?: WaiterRetryPolicy;
  /** ARN of the waiter state machine. */
  readonly waiterStateMachineArn?: string;
}

export interface FrameworkServices {
  /** Lambda Invoke, RequestResponse. */
  invokeFunction(functionArn: string, payload: string): Promise<LambdaInvokeOutput>;
  /** HTTPS PUT of `body` to the pre-signed ResponseURL. */
  putResponse(responseUrl: string, body: string): Promise<void>;
  /** Waits `ms` simulated milliseconds (the waiter's retry interval). */
  sleep(ms: number): Promise<void>;
  /**
   * states:StartExecution of the waiter with `input`: throws what the API would refuse (an input
   * over 262,144 bytes), else runs `execution` in the background and returns at once.
   */
  startExecution(input: string, execution: () => Promise<void>): Promise<void>;
  /**
   * Whether the waiter state machine still exists. A deleted state machine's executions are
   * terminated on their next state transition (DeleteStateMachine's API reference).
   */
  stateMachineExists(stateMachineArn: string): boolean;
}

/** Framework event: the CloudFormation request plus whatever the user onEvent returned. */
type FrameworkEvent = CustomResourceRequest & Record<string, any>;

/** Thrown by isComplete to make Step Functions retry (`class Retry extends Error {}`). */
class Retry extends Error {}

/** A response the framework would submit, before it is serialized. */
interface SubmitOptions {
  readonly reason?: string;
  readonly noEcho?: boolean;
}

/**
 * Handles one CloudFormation request the way the framework's onEvent Lambda (and, for async
 * providers, the waiter state machine it starts) would.
 */
export class ProviderFramework {
  constructor(
    private readonly config: ProviderFrameworkConfiguration,
    private readonly services: FrameworkServices,
  ) {}

  /** framework.onEvent, wrapped in safeHandler. */
  public handleRequest(cfnRequest: CustomResourceRequest): Promise<void> {
    return this.safeHandler(cfnRequest as FrameworkEvent, (event) => this.onEvent(event));
  }

  private async onEvent(cfnRequest: FrameworkEvent): Promise<void> {
    const sanitizedRequest = { ...cfnRequest, ResponseURL: '...' };
    cfnRequest.ResourceProperties = cfnRequest.ResourceProperties || {};
    const onEventResult = await this.invokeUserFunction(this.config.userOnEventFunctionArn, sanitizedRequest, cfnRequest.ResponseURL);
    const resourceEvent = createResponseEvent(cfnRequest, onEventResult);
    if (!this.config.userIsCompleteFunctionArn) {
      return this.submitResponse('SUCCESS', resourceEvent, { noEcho: resourceEvent.NoEcho });
    }
    // states:StartExecution with the merged event as input; the framework Lambda ends here. If
    // StartExecution fails, the user onEvent has already run: safeHandler answers FAILED.
    const input = JSON.stringify(resourceEvent);
    await this.services.startExecution(input, () => this.runWaiterExecution(input));
  }

  /** framework.isComplete, wrapped in safeHandler: one attempt of the waiter's task. */
  private async isComplete(event: FrameworkEvent): Promise<void> {
    const sanitizedRequest = { ...event, ResponseURL: '...' };
    const isCompleteResult = await this.invokeUserFunction(this.config.userIsCompleteFunctionArn!, sanitizedRequest, event.ResponseURL);
    if (isCompleteResult === null || isCompleteResult === undefined) {
      // What `!isCompleteResult.IsComplete` throws in the framework when the handler returned nothing.
      throw frameworkError(new TypeError(`Cannot read properties of ${isCompleteResult} (reading 'IsComplete')`), 'isComplete');
    }
    if (!isCompleteResult.IsComplete) {
      throw isCompleteResult.Data && Object.keys(isCompleteResult.Data).length > 0
        ? frameworkError(new Error('"Data" is not allowed if "IsComplete" is "False"'), 'isComplete')
        : new Retry(JSON.stringify(event));
    }
    const response = { ...event, ...isCompleteResult, Data: { ...event.Data, ...isCompleteResult.Data } };
    await this.submitResponse('SUCCESS', response, { noEcho: event.NoEcho });
  }

  /**
   * The waiter state machine: one Task (framework isComplete) with
   * `Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds, MaxAttempts, BackoffRate }]` and
   * `Catch: States.ALL → onTimeout`. Only Retry errors escape safeHandler, so only "not complete
   * yet" is retried; exhausting the attempts goes to onTimeout.
   */
  private async runWaiterExecution(input: string): Promise<void> {
    const waiter = this.config.waiter ?? { intervalSeconds: 5, maxAttempts: 360, backoffRate: 1 };
    const stateMachine = this.config.waiterStateMachineArn;
    for (let retries = 0; ; retries++) {
      if (stateMachine !== undefined && !this.services.stateMachineExists(stateMachine)) return;
      try {
        await this.safeHandler(JSON.parse(input) as FrameworkEvent, (event) => this.isComplete(event));
        return;
      } catch (err) {
        if (!(err instanceof Retry)) throw err;
        if (retries >= waiter.maxAttempts) {
          // Step Functions passes the Lambda error to the Catch as { Error, Cause: JSON of the error payload }.
          const cause = JSON.stringify({ errorType: err.name, errorMessage: err.message, trace: stackLines(err) });
          return this.onTimeout({ Error: err.name, Cause: cause });
        }
        await this.services.sleep(waiter.intervalSeconds * 1000 * Math.pow(waiter.backoffRate, retries));
      }
    }
  }

  /** framework.onTimeout (not wrapped in safeHandler: if it throws, nobody answers CloudFormation). */
  private async onTimeout(timeoutEvent: { Error: string; Cause: string }): Promise<void> {
    let isCompleteRequest: FrameworkEvent;
    try {
      isCompleteRequest = JSON.parse(JSON.parse(timeoutEvent.Cause).errorMessage);
    } catch (e) {
      throw new Error(`timeoutHandler: cannot read the isComplete request from the timeout event (${(e as Error)?.name ?? 'Error'})`);
    }
    await this.submitResponse('FAILED', isCompleteRequest, { reason: 'Operation timed out', noEcho: isCompleteRequest.NoEcho });
  }

  private async invokeUserFunction(functionArn: string, sanitizedPayload: FrameworkEvent, responseUrl: string): Promise<any> {
    let resp: LambdaInvokeOutput;
    try {
      resp = await this.services.invokeFunction(functionArn, JSON.stringify({ ...sanitizedPayload, ResponseURL: responseUrl }));
    } catch (err) {
      if (err instanceof HarnessDisposedError) throw err;
      // An AWS SDK error from the Invoke call itself.
      throw frameworkError(err as Error, 'invokeUserFunction');
    }
    const jsonPayload = parseJsonPayload(resp.Payload);
    if (resp.FunctionError) {
      const errorMessage = jsonPayload.errorMessage || 'error';
      const arn = functionArn.split(':');
      const functionName = arn[arn.length - 1];
      const message = [errorMessage, '', `Logs: /aws/lambda/${functionName}`, ''].join('\n');
      const e = frameworkError(new Error(message), 'invokeUserFunction');
      if (jsonPayload.trace) e.stack = [message, ...jsonPayload.trace.slice(1)].join('\n');
      throw e;
    }
    return jsonPayload;
  }

  /** cfn-response.safeHandler */
  private async safeHandler(event: FrameworkEvent, block: (event: FrameworkEvent) => Promise<void>): Promise<void> {
    if (event.RequestType === 'Delete' && event.PhysicalResourceId === CREATE_FAILED_PHYSICAL_ID_MARKER) {
      // "ignoring DELETE event caused by a failed CREATE event"
      await this.submitResponse('SUCCESS', event);
      return;
    }
    try {
      await block(event);
    } catch (e) {
      if (e instanceof Retry || e instanceof HarnessDisposedError) throw e;
      if (!event.PhysicalResourceId && event.RequestType === 'Create') {
        // "CREATE failed, responding with a marker physical resource id so that the subsequent DELETE will be ignored"
        event.PhysicalResourceId = CREATE_FAILED_PHYSICAL_ID_MARKER;
      }
      // includeStackTraces = true
      await this.submitResponse('FAILED', event, { reason: (e as Error).stack });
    }
  }

  /** cfn-response.submitResponse (the PUT is retried by the framework; here it cannot fail). */
  private async submitResponse(status: 'SUCCESS' | 'FAILED', event: FrameworkEvent, options: SubmitOptions = {}): Promise<void> {
    const noEcho = !!options.noEcho || !!event.NoEcho;
    const json = {
      Status: status,
      Reason: options.reason || status,
      StackId: event.StackId,
      RequestId: event.RequestId,
      PhysicalResourceId: event.PhysicalResourceId || MISSING_PHYSICAL_ID_MARKER,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: noEcho ? true : undefined,
      Data: event.Data,
    };
    await this.services.putResponse(event.ResponseURL, JSON.stringify(json));
  }
}

/** framework.createResponseEvent */
function createResponseEvent(cfnRequest: FrameworkEvent, onEventResult: any): FrameworkEvent {
  onEventResult = onEventResult || {};
  const physicalResourceId = onEventResult.PhysicalResourceId || defaultPhysicalResourceId(cfnRequest);
  if (cfnRequest.RequestType === 'Delete' && physicalResourceId !== cfnRequest.PhysicalResourceId) {
    throw frameworkError(
      new Error(`DELETE: cannot change the physical resource ID from "${cfnRequest.PhysicalResourceId}" to "${onEventResult.PhysicalResourceId}" during deletion`),
      'createResponseEvent',
    );
  }
  return { ...cfnRequest, ...onEventResult, PhysicalResourceId: physicalResourceId };
}

function defaultPhysicalResourceId(req: FrameworkEvent): string | undefined {
  switch (req.RequestType) {
    case 'Create':
      return req.RequestId;
    case 'Update':
    case 'Delete':
      return req.PhysicalResourceId;
    default:
      throw frameworkError(new Error(`Invalid "RequestType" in request "${JSON.stringify(req)}"`), 'defaultPhysicalResourceId');
  }
}

/** util.parseJsonPayload */
function parseJsonPayload(payload: string | undefined): any {
  const text = new TextDecoder().decode(Buffer.from(payload ?? ''));
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw frameworkError(new Error(`return values from user-handlers must be JSON objects. got: "${text}"`), 'parseJsonPayload');
  }
}

/**
 * Gives an error raised inside the framework the stack trace it would have in the framework
 * Lambda (file /var/task/framework.js), instead of harness paths, so a FAILED Reason (which is
 * the stack) has the same shape and roughly the same size as in AWS.
 */
function frameworkError<E extends Error>(error: E, functionName: string): E {
  error.stack = [
    `${error.name}: ${error.message}`,
    `    at ${functionName} (/var/task/framework.js:1:1)`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
  ].join('\n');
  return error;
}

function stackLines(error: Error): string[] {
  return String(error.stack ?? '').split('\n');
}
