import { randomBytes } from 'crypto';
import { OperationOutcome, CreateOperation, DeleteOperation, ResourceDriver, UpdateOperation } from './resource-drivers';
import { CloudFormationStack } from './stack';
import { CfnTemplate } from './template';
import { StackOperationResult } from './types';

/**
 * `AWS::CloudFormation::Stack`: a nested stack, deployed as a child CloudFormationStack from the
 * template its `TemplateURL` names (a file asset of the cloud assembly), with the resource's
 * `Parameters`, its Outputs as the resource's `Outputs.<Name>` attributes and its Arn (the child's
 * stack id) as physical id.
 *
 * Lifecycle as CloudFormation runs it: a Create runs the child's create to completion (a failed
 * child rolls itself back, then the resource is CREATE_FAILED). An Update stops once the child's
 * resources are updated: the child's cleanup runs in the parent's cleanup (`completeUpdate`), and
 * when the parent rolls back, its rollback Update of the resource rolls the child back to its
 * previous template, whether the child failed or had completed its update. A Delete deletes the
 * child's resources.
 */
export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/** What the driver needs from the harness for the nested stacks of one parent stack. */
export interface NestedStackContext {
  readonly parentStackName: () => string;
  /** The template of the file asset a TemplateURL points to; throws when there is none. */
  templateAt(templateUrl: string): CfnTemplate;
  /** A new child stack for the parent's resource `logicalId`. */
  createChild(logicalId: string, stackName: string): NestedChild;
  /** The child stack with this stack id (the resource's physical id). */
  child(stackId: string): NestedChild | undefined;
}

export interface NestedChild {
  readonly stack: CloudFormationStack;
  /** The values of the resource's `Parameters` the child resolves `Ref`s of its parameters with. */
  parameters: Record<string, string>;
}

export class NestedStackDriver implements ResourceDriver {
  constructor(private readonly context: NestedStackContext) {}

  public async create(operation: CreateOperation, cancel?: Promise<void>): Promise<OperationOutcome> {
    let template: CfnTemplate;
    try {
      template = this.context.templateAt(String(operation.properties.TemplateURL));
    } catch (err) {
      return { status: 'FAILED', reason: err instanceof Error ? err.message : String(err) };
    }
    const child = this.context.createChild(operation.logicalId, childStackName(this.context.parentStackName(), operation.logicalId));
    child.parameters = parametersOf(operation.properties);
    const result = await child.stack.deployNested(template, cancel);
    const stackId = child.stack.stackId;
    if (result.status === 'CREATE_COMPLETE') return { status: 'COMPLETE', physicalId: stackId, attributes: outputAttributes(stackId, result) };
    // Cancelled (a sibling failed): the child has rolled itself back.
    if (result.cancelled) return { status: 'CANCELLED' };
    return {
      status: 'FAILED',
      physicalId: stackId,
      reason: `Embedded stack ${stackId} was not successfully created: The following resource(s) failed to create: [${result.failures.join(', ')}]. `,
    };
  }

  public async update(operation: UpdateOperation, cancel?: Promise<void>): Promise<OperationOutcome> {
    const child = this.context.child(operation.physicalId);
    if (!child) return { status: 'FAILED', reason: `Stack with id ${operation.physicalId} does not exist` };
    const stackId = child.stack.stackId;
    if (operation.rollback) {
      child.parameters = parametersOf(operation.properties);
      const result = child.stack.hasPendingUpdate
        ? await child.stack.rollBackNestedUpdate()
        : await child.stack.deploy(this.context.templateAt(String(operation.properties.TemplateURL)));
      if (result.status === 'UPDATE_ROLLBACK_COMPLETE' || result.status === 'UPDATE_COMPLETE') {
        return { status: 'COMPLETE', physicalId: stackId, attributes: outputAttributes(stackId, result) };
      }
      return { status: 'FAILED', physicalId: stackId, reason: `Embedded stack ${stackId} was not successfully rolled back: it is in ${result.status}` };
    }
    let template: CfnTemplate;
    try {
      template = this.context.templateAt(String(operation.properties.TemplateURL));
    } catch (err) {
      return { status: 'FAILED', reason: err instanceof Error ? err.message : String(err) };
    }
    child.parameters = parametersOf(operation.properties);
    const result = await child.stack.deployNested(template, cancel);
    if (result.failures.length === 0 && !result.cancelled && !result.status.includes('FAILED') && !result.status.includes('ROLLBACK')) {
      return { status: 'COMPLETE', physicalId: stackId, attributes: outputAttributes(stackId, result) };
    }
    // Cancelled (a sibling failed): the child waits, like a failed one, for the parent's rollback.
    if (result.cancelled && result.failures.length === 0) return { status: 'CANCELLED' };
    const failures = result.failures.length > 0 ? result.failures.join(', ') : `(stack in ${result.status})`;
    return {
      status: 'FAILED',
      physicalId: stackId,
      reason: `Embedded stack ${stackId} was not successfully updated: The following resource(s) failed to update: [${failures}]. `,
    };
  }

  public async delete(operation: DeleteOperation): Promise<OperationOutcome> {
    const child = this.context.child(operation.physicalId);
    if (!child) return { status: 'COMPLETE', physicalId: operation.physicalId, attributes: {} };
    const result = await child.stack.destroy();
    if (result.status === 'DELETE_COMPLETE') return { status: 'COMPLETE', physicalId: operation.physicalId, attributes: {} };
    const failed = result.events.filter((event) => event.status === 'DELETE_FAILED').map((event) => event.logicalId);
    return {
      status: 'FAILED',
      physicalId: operation.physicalId,
      reason: `Embedded stack ${operation.physicalId} was not successfully deleted: The following resource(s) failed to delete: [${failed.join(', ')}]. `,
    };
  }

  public async completeUpdate(physicalId: string): Promise<void> {
    await this.context.child(physicalId)?.stack.completeNestedUpdate();
  }
}

/** CloudFormation names a nested stack `<parent>-<logicalId>-<suffix>`. */
function childStackName(parentStackName: string, logicalId: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const suffix = [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `${parentStackName}-${logicalId}-${suffix}`;
}

/** Parameter values are strings, as CloudFormation passes them. */
function parametersOf(properties: Record<string, unknown>): Record<string, string> {
  const parameters = (properties.Parameters ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
}

/** `Fn::GetAtt [Nested, Outputs.<Name>]`, and the stack's Arn. */
function outputAttributes(stackId: string, result: StackOperationResult): Record<string, unknown> {
  const attributes: Record<string, unknown> = { Arn: stackId };
  for (const [name, value] of Object.entries(result.outputs)) attributes[`Outputs.${name}`] = value;
  return attributes;
}
