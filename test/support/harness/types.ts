/**
 * Shapes shared by the CloudFormation lifecycle harness: the custom resource wire protocol
 * (what CloudFormation sends and expects back), stack events and the records a test inspects.
 */

export type RequestType = 'Create' | 'Update' | 'Delete';

/** A custom resource request exactly as CloudFormation sends it to the ServiceToken. */
export interface CustomResourceRequest {
  RequestType: RequestType;
  ServiceToken: string;
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  ResourceProperties: Record<string, unknown>;
  OldResourceProperties?: Record<string, unknown>;
}

/** The body a custom resource provider PUTs to the ResponseURL. */
export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId?: string;
  StackId?: string;
  RequestId?: string;
  LogicalResourceId?: string;
  NoEcho?: boolean;
  Data?: Record<string, unknown>;
}

export type StackStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED';

export type ResourceStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED' | 'DELETE_SKIPPED';

/** One line of `describe-stack-events`, in simulated time. */
export interface StackEvent {
  /** Simulated epoch milliseconds. */
  readonly at: number;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId?: string;
  readonly status: ResourceStatus | StackStatus;
  readonly reason?: string;
  /** The nested stack the event is from (absent for the deployed stack's own events). */
  readonly stackName?: string;
}

export interface StackOperationResult {
  /** Final stack status of the operation. */
  readonly status: StackStatus;
  /** Events of this operation only, oldest first. */
  readonly events: StackEvent[];
  /** Simulated milliseconds from start to final status. */
  readonly durationMs: number;
  /** Resolved stack outputs after the operation. */
  readonly outputs: Record<string, unknown>;
}

/** One invocation of a user Lambda function (a custom resource handler). */
export interface InvocationRecord {
  /** Logical id of the AWS::Lambda::Function. */
  readonly functionLogicalId: string;
  readonly functionName: string;
  /** The function's `Handler` setting, e.g. `index.onEvent`. */
  readonly handler: string;
  /** RequestType / LogicalResourceId / RequestId of the event, when it is a custom resource event. */
  readonly requestType?: RequestType;
  readonly logicalResourceId?: string;
  readonly requestId?: string;
  readonly awsRequestId: string;
  readonly coldStart: boolean;
  /** Simulated epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: 'success' | 'error' | 'timeout';
  /** The event the function received (parsed). */
  readonly event: any;
  /** Parsed return value (success) or Lambda error payload (error/timeout). */
  readonly payload: any;
}

/** One response PUT to a ResponseURL, whether or not CloudFormation was still listening. */
export interface ResponseRecord {
  /** Simulated epoch milliseconds. */
  readonly at: number;
  readonly logicalResourceId: string;
  readonly requestType: RequestType;
  readonly requestId: string;
  /** Size of the JSON body in bytes (CloudFormation's limit is 4096). */
  readonly bytes: number;
  readonly body: CustomResourceResponse;
  /** False when the request had already timed out or been cancelled. */
  readonly accepted: boolean;
}

/** One states:StartExecution of a Provider's waiter, accepted or refused. */
export interface WaiterStartRecord {
  /** Simulated epoch milliseconds. */
  readonly at: number;
  readonly logicalResourceId: string;
  readonly requestType: RequestType;
  /** UTF-8 bytes of the execution input (the whole resource event). */
  readonly bytes: number;
  /** False when StartExecution refused it (over 262,144 bytes). */
  readonly accepted: boolean;
}

/** Context given to a registered resource provider. */
export interface ResourceProviderContext {
  readonly logicalId: string;
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
}

export interface ResourceProviderResult {
  readonly physicalId: string;
  /** Values for `Fn::GetAtt`. */
  readonly attributes?: Record<string, unknown>;
}

/**
 * Makes the harness really create a resource of one CloudFormation type (e.g. an
 * `AWS::IoTSiteWise::Gateway` on the local emulator) instead of deploying a stub.
 * Properties arrive resolved (intrinsics replaced), with their template types.
 * Without `update`, a property change replaces the resource (create new, delete old in cleanup).
 */
export interface ResourceProvider {
  create(properties: Record<string, any>, context: ResourceProviderContext): Promise<ResourceProviderResult>;
  update?(
    physicalId: string,
    properties: Record<string, any>,
    oldProperties: Record<string, any>,
    context: ResourceProviderContext,
  ): Promise<Partial<ResourceProviderResult> | void>;
  delete(physicalId: string, properties: Record<string, any>, context: ResourceProviderContext): Promise<void>;
}
