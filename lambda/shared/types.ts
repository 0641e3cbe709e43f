/**
 * The messages exchanged with aws-cdk-lib's custom resource Provider framework.
 * See custom-resources/lib/provider-framework/types.d.ts; declared here so the handlers
 * depend only on what they use.
 */

export type RequestType = 'Create' | 'Update' | 'Delete';

/** What CloudFormation sends, through the framework, to onEvent. Scalars arrive as strings. */
export interface OnEventRequest {
  readonly RequestType: RequestType;
  readonly RequestId: string;
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly ResourceType: string;
  readonly ResponseURL: string;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, string>;
  /** Present on Update only: the properties before this update (after it, on a rollback). */
  readonly OldResourceProperties?: Record<string, string>;
}

/**
 * What a handler remembers between onEvent and isComplete. The framework merges the onEvent
 * response into every isComplete request, so this travels with the request. It is the only state
 * that does: what isComplete answers with `IsComplete: false` is dropped (the framework's waiter
 * retries with its original input, aws-cdk-lib provider-framework/runtime/framework.js), so
 * isComplete keeps nothing between its invocations except what AWS shows.
 */
export interface WaitState {
  /** `wait`: isComplete has work (the device to wait for, or `Unfinished` calls); `none` completes at once. */
  readonly Mode: 'wait' | 'none';
  /**
   * onEvent's time ran out (calls throttled or failing for minutes) before it finished its calls:
   * the ownership tags, the write. isComplete makes them first, each decided again from what AWS
   * shows, so that a transient error fails nothing while the sync timeout has time left.
   */
  readonly Unfinished?: true;
  /** Epoch ms when onEvent started: the sync timeout counts from here. */
  readonly StartedAt: number;
  /** Epoch ms after which the operation fails with the last status seen. */
  readonly Deadline: number;
  /** The status the API answered when it accepted the configuration. */
  readonly AcceptedStatus?: string;
  /**
   * SiteWise: the digest of the document this operation wrote (the configuration, or the reset
   * document). The gateway being IN_SYNC counts only while it stores that document: another
   * writer may have replaced it meanwhile.
   */
  readonly AppliedDigest?: string;
  /**
   * A delete of a target this resource owns: the owner tag to remove once the target is reset or
   * deleted. Not before: isComplete's permissions on a target the template no longer names come
   * from that tag. (With `Unfinished`, isComplete decides it from the tags itself.)
   */
  readonly ReleaseOwnerTag?: string;
}

/** What onEvent returns to the framework. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly EdgeSyncWait: WaitState;
}

/** What isComplete receives: the request merged with the onEvent response. */
export type IsCompleteRequest = OnEventRequest & Partial<OnEventResponse>;

/** What isComplete returns. `Data` is allowed only with `IsComplete: true`. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
  /** Overrides the physical id onEvent returned (the framework merges this response last). */
  readonly PhysicalResourceId?: string;
}

/** The part of the Lambda context the handlers use. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** The handlers of one custom resource type. */
export interface ResourceHandler {
  onEvent(event: OnEventRequest, context: InvocationContext): Promise<OnEventResponse>;
  isComplete(event: IsCompleteRequest, context: InvocationContext): Promise<IsCompleteResponse>;
}
