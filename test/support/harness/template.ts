import { evaluateCondition, IntrinsicContext, referencedAttributes, referencedLogicalIds, TemplateError } from './intrinsics';

/** The parts of a CloudFormation template the harness reads. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type?: string; readonly Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Condition?: string }>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Condition?: string;
  readonly Metadata?: unknown;
}

export const CUSTOM_RESOURCE_TYPE = 'AWS::CloudFormation::CustomResource';
export const LAMBDA_FUNCTION_TYPE = 'AWS::Lambda::Function';
export const STATE_MACHINE_TYPE = 'AWS::StepFunctions::StateMachine';

export function isCustomResourceType(type: string): boolean {
  return type === CUSTOM_RESOURCE_TYPE || type.startsWith('Custom::');
}

/**
 * A template with its conditions evaluated: which resources exist, and what each one
 * depends on (Ref / GetAtt / Sub / DependsOn), which is CloudFormation's processing order.
 */
export class TemplateModel {
  private readonly conditionCache = new Map<string, boolean>();

  constructor(
    public readonly template: CfnTemplate,
    private readonly baseContext: Omit<IntrinsicContext, 'condition'>,
  ) {}

  /** Intrinsic context whose `condition` evaluates this template's Conditions. */
  public context(): IntrinsicContext {
    return { ...this.baseContext, condition: (name) => this.condition(name) };
  }

  public condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) return cached;
    const expression = this.template.Conditions?.[name];
    if (expression === undefined) throw new TemplateError(`unknown condition ${name}`);
    const value = evaluateCondition(expression, this.context());
    this.conditionCache.set(name, value);
    return value;
  }

  /** Logical ids of resources whose `Condition` (if any) is true, in template order. */
  public resourceIds(): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => resource.Condition === undefined || this.condition(resource.Condition))
      .map(([logicalId]) => logicalId);
  }

  public resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new TemplateError(`unknown resource ${logicalId}`);
    return resource;
  }

  /** Resources `logicalId` must wait for. */
  public dependencies(logicalId: string): string[] {
    const resource = this.resource(logicalId);
    const isResource = (id: string) => id !== logicalId && id in this.template.Resources;
    const found = referencedLogicalIds(resource.Properties ?? {}, isResource);
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    dependsOn.filter(isResource).forEach((id) => found.add(id));
    return [...found];
  }

  /** Attributes of `logicalId` read anywhere in the template (a custom resource must return them in Data). */
  public attributesReadFrom(logicalId: string): Set<string> {
    return referencedAttributes({ Resources: this.template.Resources, Outputs: this.template.Outputs }, logicalId);
  }
}
