import * as path from 'path';
import { App, CfnOutput, CustomResource, Duration, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';

/** Code of the scripted provider (see its header for the properties that drive it). */
export const SCRIPTED_PROVIDER_CODE = path.join(__dirname, 'fixtures', 'scripted-provider');

export interface ScriptedResourceOptions {
  /**
   * ResourceProperties; see fixtures/scripted-provider/index.js. A function can add other
   * resources to the stack and return properties referring to them.
   */
  readonly properties?: Record<string, unknown> | ((stack: Stack) => Record<string, unknown>);
  readonly serviceTimeout?: Duration;
  readonly removalPolicy?: RemovalPolicy;
  /** Ids of other scripted resources this one waits for. */
  readonly dependsOn?: string[];
}

export interface ScriptedAppOptions {
  readonly resources: Record<string, ScriptedResourceOptions>;
  /** Default 10 seconds. */
  readonly queryInterval?: Duration;
  /** Default 5 minutes. */
  readonly totalTimeout?: Duration;
  /**
   * Lambda Timeout of the onEvent function; default 5 minutes. At the tests' time scale a minute
   * is 100 ms of real time, too short for a first SDK call on a loaded machine.
   */
  readonly onEventTimeout?: Duration;
  /** A synchronous Provider (no isComplete handler). */
  readonly synchronous?: boolean;
  /** Outputs `<id><Attribute>` = `Fn::GetAtt [<id>, <Attribute>]` for every resource. */
  readonly outputAttributes?: string[];
  /** Statements added to the onEvent function's role (its DefaultPolicy), e.g. s3:GetObject for a ProbeObject. */
  readonly onEventStatements?: iam.PolicyStatement[];
}

/**
 * A fresh App with one stack: a shared async `cr.Provider` whose onEvent / isComplete functions
 * run the scripted provider, and one `CustomResource` per entry of `resources`. Building a new
 * app for every deployment is how a test changes the "template" between deploys.
 */
export function scriptedStack(options: ScriptedAppOptions): Stack {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'HarnessFixture');
  addScriptedResources(stack, options);
  return stack;
}

/**
 * A fresh App with a parent stack holding one CDK NestedStack per entry of `nested`, each with its
 * own scripted Provider and resources (as `scriptedStack` builds them); each nested stack depends
 * on the one before it, unless `parallel`. `parentOutputs`: parent outputs `<nested><id><Attribute>` reading a nested
 * resource's attribute (through the nested stack's Outputs).
 */
export function scriptedNestedStacks(
  nested: Record<string, ScriptedAppOptions>,
  parentOutputs: Array<{ nested: string; resource: string; attribute: string }> = [],
  layout: { readonly parallel?: boolean } = {},
): Stack {
  const app = new App({ builtinCloudFormationValidation: false });
  const parent = new Stack(app, 'HarnessNestedFixture');
  let previous: NestedStack | undefined;
  const resources = new Map<string, Map<string, CustomResource>>();
  for (const [id, options] of Object.entries(nested)) {
    const child = new NestedStack(parent, id);
    resources.set(id, addScriptedResources(child, options));
    if (previous && !layout.parallel) child.node.addDependency(previous);
    previous = child;
  }
  for (const output of parentOutputs) {
    const resource = resources.get(output.nested)!.get(output.resource)!;
    new CfnOutput(parent, `${output.nested}${output.resource}${output.attribute}`, { value: resource.getAttString(output.attribute) });
  }
  return parent;
}

function addScriptedResources(stack: Stack, options: ScriptedAppOptions): Map<string, CustomResource> {
  const code = lambda.Code.fromAsset(SCRIPTED_PROVIDER_CODE);
  const onEvent = new lambda.Function(stack, 'OnEvent', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.onEvent',
    code,
    timeout: options.onEventTimeout ?? Duration.minutes(5),
  });
  options.onEventStatements?.forEach((statement) => onEvent.addToRolePolicy(statement));
  const isComplete = options.synchronous ? undefined : new lambda.Function(stack, 'IsComplete', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.isComplete',
    code,
    timeout: Duration.minutes(2),
  });
  const provider = new cr.Provider(stack, 'Provider', {
    onEventHandler: onEvent,
    isCompleteHandler: isComplete,
    ...(isComplete ? {
      queryInterval: options.queryInterval ?? Duration.seconds(10),
      totalTimeout: options.totalTimeout ?? Duration.minutes(5),
    } : {}),
  });

  const created = new Map<string, CustomResource>();
  for (const [id, resource] of Object.entries(options.resources)) {
    const customResource = new CustomResource(stack, id, {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::Scripted',
      serviceTimeout: resource.serviceTimeout,
      removalPolicy: resource.removalPolicy,
      properties: { Name: id, ...(typeof resource.properties === 'function' ? resource.properties(stack) : resource.properties) },
    });
    created.set(id, customResource);
    for (const attribute of options.outputAttributes ?? []) {
      new CfnOutput(stack, `${id}${attribute}`, { value: customResource.getAttString(attribute) });
    }
  }
  for (const [id, resource] of Object.entries(options.resources)) {
    for (const dependency of resource.dependsOn ?? []) created.get(id)!.node.addDependency(created.get(dependency)!);
  }
  return created;
}
