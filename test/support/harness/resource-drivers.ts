import { randomBytes, randomUUID } from 'crypto';
import { CustomResourceEndpoint, DEFAULT_SERVICE_TIMEOUT_SECONDS } from './custom-resource-endpoint';
import { iamQuotaViolation, IamResourceState } from './iam-quotas';
import { ProviderFramework } from './provider-framework';
import { toResourceProperties } from './stack-state';
import { StubEnvironment, stubIdentity } from './stub-resources';
import { CustomResourceRequest, RequestType, ResourceProvider, ResourceProviderContext } from './types';

/**
 * How the harness performs Create / Update / Delete of one resource, by kind: custom
 * resources (a request to the ServiceToken, answered through the ResponseURL), resource types
 * with a registered provider (really created, e.g. on the local emulator) and stubs.
 */

export type OperationOutcome =
  | { readonly status: 'COMPLETE'; readonly physicalId: string; readonly attributes: Record<string, unknown> }
  /** `physicalId`: what CloudFormation learnt from the failed operation, if anything. */
  | { readonly status: 'FAILED'; readonly reason: string; readonly physicalId?: string }
  /** CloudFormation stopped waiting because another resource failed. */
  | { readonly status: 'CANCELLED' };

export interface CreateOperation {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

export interface UpdateOperation extends CreateOperation {
  readonly physicalId: string;
  readonly oldProperties: Record<string, unknown>;
  readonly previousAttributes: Record<string, unknown>;
  /** A rollback Update (properties are the pre-update ones). */
  readonly rollback: boolean;
}

export interface DeleteOperation extends CreateOperation {
  readonly physicalId: string;
}

export interface ResourceDriver {
  /** `cancel` resolves when CloudFormation gives up on in-flight operations. */
  create(operation: CreateOperation, cancel?: Promise<void>): Promise<OperationOutcome>;
  update(operation: UpdateOperation, cancel?: Promise<void>): Promise<OperationOutcome>;
  delete(operation: DeleteOperation): Promise<OperationOutcome>;
  /** The stack's update cleanup reached a resource this driver updated (nested stacks do their own cleanup then). */
  completeUpdate?(physicalId: string): Promise<void>;
}

export interface CustomResourceContext {
  readonly stackId: () => string;
  readonly region: string;
  readonly endpoint: CustomResourceEndpoint;
  /** The Provider framework behind a ServiceToken, as currently deployed. */
  frameworkFor(serviceToken: string): ProviderFramework;
  /** Keeps background work (the provider answering asynchronously) alive and observed. */
  track(work: Promise<unknown>): void;
}

/** `AWS::CloudFormation::CustomResource` / `Custom::*`. */
export class CustomResourceDriver implements ResourceDriver {
  constructor(private readonly context: CustomResourceContext) {}

  public create(operation: CreateOperation, cancel?: Promise<void>): Promise<OperationOutcome> {
    return this.send('Create', operation, {}, cancel);
  }

  public update(operation: UpdateOperation, cancel?: Promise<void>): Promise<OperationOutcome> {
    return this.send('Update', operation, { physicalId: operation.physicalId, oldProperties: operation.oldProperties }, cancel);
  }

  public delete(operation: DeleteOperation): Promise<OperationOutcome> {
    return this.send('Delete', operation, { physicalId: operation.physicalId });
  }

  private async send(
    requestType: RequestType,
    operation: CreateOperation,
    existing: { physicalId?: string; oldProperties?: Record<string, unknown> },
    cancel?: Promise<void>,
  ): Promise<OperationOutcome> {
    const serviceToken = String(operation.properties.ServiceToken);
    const framework = this.context.frameworkFor(serviceToken);
    const requestId = randomUUID();
    const stackId = this.context.stackId();
    const request: CustomResourceRequest = {
      RequestType: requestType,
      ServiceToken: serviceToken,
      ResponseURL: responseUrl(this.context.region, stackId, operation.logicalId, requestId),
      StackId: stackId,
      RequestId: requestId,
      LogicalResourceId: operation.logicalId,
      ...(existing.physicalId !== undefined ? { PhysicalResourceId: existing.physicalId } : {}),
      ResourceType: operation.type,
      ResourceProperties: toResourceProperties(operation.properties),
      ...(existing.oldProperties ? { OldResourceProperties: toResourceProperties(existing.oldProperties) } : {}),
    };
    const pending = this.context.endpoint.send(request, serviceTimeoutSeconds(operation.properties), () => {
      // The provider receives its own copy of the JSON, as over the wire.
      this.context.track(framework.handleRequest(JSON.parse(JSON.stringify(request))));
    });

    const outcome = cancel ? await Promise.race([pending.outcome, cancel.then(() => undefined)]) : await pending.outcome;
    if (outcome === undefined) {
      pending.abandon();
      return { status: 'CANCELLED' };
    }
    switch (outcome.status) {
      case 'SUCCESS':
        return { status: 'COMPLETE', physicalId: outcome.physicalId, attributes: outcome.data };
      case 'FAILED':
        return { status: 'FAILED', reason: outcome.reason, physicalId: outcome.physicalId };
      case 'ABANDONED':
        return { status: 'CANCELLED' };
    }
  }
}

/** A resource type the test registered a real provider for. */
export class ProvidedResourceDriver implements ResourceDriver {
  constructor(
    private readonly provider: ResourceProvider,
    private readonly context: (logicalId: string) => ResourceProviderContext,
  ) {}

  public async create(operation: CreateOperation): Promise<OperationOutcome> {
    return this.attempt(async () => {
      const result = await this.provider.create(operation.properties, this.context(operation.logicalId));
      return { status: 'COMPLETE', physicalId: result.physicalId, attributes: result.attributes ?? {} };
    });
  }

  public async update(operation: UpdateOperation): Promise<OperationOutcome> {
    if (!this.provider.update) {
      // No in-place update: a forward update replaces; a rollback returns to the untouched original.
      if (operation.rollback) return { status: 'COMPLETE', physicalId: operation.physicalId, attributes: operation.previousAttributes };
      return this.create(operation);
    }
    const update = this.provider.update.bind(this.provider);
    return this.attempt(async () => {
      const result = await update(operation.physicalId, operation.properties, operation.oldProperties, this.context(operation.logicalId));
      return {
        status: 'COMPLETE',
        physicalId: result?.physicalId ?? operation.physicalId,
        attributes: result?.attributes ?? operation.previousAttributes,
      };
    });
  }

  public async delete(operation: DeleteOperation): Promise<OperationOutcome> {
    return this.attempt(async () => {
      await this.provider.delete(operation.physicalId, operation.properties, this.context(operation.logicalId));
      return { status: 'COMPLETE', physicalId: operation.physicalId, attributes: {} };
    });
  }

  private async attempt(work: () => Promise<OperationOutcome>): Promise<OperationOutcome> {
    try {
      return await work();
    } catch (err) {
      return { status: 'FAILED', reason: err instanceof Error ? err.message : String(err) };
    }
  }
}

/** Everything else: created instantly with deterministic identifiers. */
export class StubResourceDriver implements ResourceDriver {
  constructor(private readonly environment: StubEnvironment) {}

  public async create(operation: CreateOperation): Promise<OperationOutcome> {
    const identity = stubIdentity(operation.type, operation.logicalId, operation.properties, this.environment);
    return { status: 'COMPLETE', ...identity };
  }

  /** A changed name property (FunctionName, RoleName...) yields a new physical id: a replacement, as in AWS. */
  public async update(operation: UpdateOperation): Promise<OperationOutcome> {
    return this.create(operation);
  }

  public async delete(operation: DeleteOperation): Promise<OperationOutcome> {
    return { status: 'COMPLETE', physicalId: operation.physicalId, attributes: {} };
  }
}

/**
 * IAM roles and policies: stubs that fail, as IAM does, when the role's policies would exceed
 * IAM's quotas (`iam-quotas.ts`) once the operation is done.
 */
export class IamResourceDriver extends StubResourceDriver {
  constructor(environment: StubEnvironment, private readonly stackResources: () => Iterable<IamResourceState>) {
    super(environment);
  }

  public async create(operation: CreateOperation): Promise<OperationOutcome> {
    const outcome = await super.create(operation);
    if (outcome.status !== 'COMPLETE') return outcome;
    const violation = iamQuotaViolation(this.stackResources(), { ...operation, physicalId: outcome.physicalId });
    return violation === undefined ? outcome : { status: 'FAILED', reason: violation };
  }
}

/**
 * `AWS::Lambda::Function`: a stub whose Create / Update lasts until the function can run, like
 * CloudFormation waiting for the function to become Active (`activate` boots its container).
 */
export class LambdaFunctionDriver extends StubResourceDriver {
  constructor(
    environment: StubEnvironment,
    private readonly activate: (operation: CreateOperation, physicalId: string, attributes: Record<string, unknown>) => Promise<void>,
  ) {
    super(environment);
  }

  public async create(operation: CreateOperation): Promise<OperationOutcome> {
    const outcome = await super.create(operation);
    if (outcome.status === 'COMPLETE') await this.activate(operation, outcome.physicalId, outcome.attributes);
    return outcome;
  }
}

/** The physical id CloudFormation invents for a custom resource whose Create it stopped waiting for. */
export function inventedPhysicalId(stackName: string, logicalId: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const suffix = [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `${stackName}-${logicalId}-${suffix}`;
}

function serviceTimeoutSeconds(properties: Record<string, unknown>): number {
  const value = Number(properties.ServiceTimeout);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_SERVICE_TIMEOUT_SECONDS;
}

/** Shaped like CloudFormation's pre-signed S3 URL; only the harness ever reads it. */
function responseUrl(region: string, stackId: string, logicalId: string, requestId: string): string {
  const key = encodeURIComponent(`${stackId}|${logicalId}|${requestId}`);
  return `https://cloudformation-custom-resource-response-${region.replace(/-/g, '')}.s3.amazonaws.com/${key}`
    + '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=7200'
    + `&X-Amz-Credential=AKIAHARNESS%2F20240101%2F${region}%2Fs3%2Faws4_request&X-Amz-Signature=${randomBytes(32).toString('hex')}`;
}
