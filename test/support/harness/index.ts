import { randomUUID } from 'crypto';
import { setMaxListeners } from 'events';
import * as fs from 'fs';
import { Stack } from 'aws-cdk-lib';
import { ScaledClock } from '../clock';
import { resolveAssetPlaceholders, synthesizeStack, SynthesizedStack } from './cloud-assembly';
import { CustomResourceEndpoint } from './custom-resource-endpoint';
import { findFunctionByArn, lambdaConfiguration, providerForServiceToken, providerUserFunctionIds } from './deployed-functions';
import { metricsOfLogLines, MetricRecord } from './emf';
import {
  IAM_MANAGED_POLICY_TYPE, IAM_POLICY_TYPE, IAM_ROLE_POLICY_TYPE, IAM_ROLE_TYPE, RoleSessionRegistry, rolePolicies, roleNameOf, sessionCredentials,
  SessionCredentials, WildcardGrant, wildcardGrants,
} from './iam-policies';
import { LambdaFunctionConfiguration, LambdaService, LambdaServiceError } from './lambda-runner';
import { NESTED_STACK_TYPE, NestedChild, NestedStackDriver } from './nested-stacks';
import { ProviderFramework } from './provider-framework';
import {
  CreateOperation, CustomResourceDriver, IamResourceDriver, LambdaFunctionDriver, ProvidedResourceDriver, ResourceDriver, StubResourceDriver,
} from './resource-drivers';
import { EVENTS_RULE_TYPE, eventsRuleProvider, scheduledEvent, selectInputPath } from './schedules';
import { CloudFormationStack } from './stack';
import { DeployedResource } from './stack-state';
import { checkExecutionInput } from './step-functions';
import { CfnTemplate, isCustomResourceType, LAMBDA_FUNCTION_TYPE, STATE_MACHINE_TYPE } from './template';
import { HarnessDisposedError, sleep } from './time';
import { InvocationRecord, RequestType, ResourceProvider, ResponseRecord, StackEvent, StackOperationResult, StackStatus, WaiterStartRecord } from './types';

export * from './types';
export { CREATE_FAILED_PHYSICAL_ID_MARKER } from './provider-framework';
export { MAX_RESPONSE_BYTES, DEFAULT_SERVICE_TIMEOUT_SECONDS } from './custom-resource-endpoint';
export { MAX_EXECUTION_INPUT_BYTES } from './step-functions';
export type { IamPolicyDocument, RoleSessionRegistry, SessionCredentials, WildcardGrant } from './iam-policies';
export type { AssetEnvironment, FileAssetDestination, SynthesizedStack } from './cloud-assembly';
export { resolveAssetPlaceholders } from './cloud-assembly';
export type { CfnTemplate } from './template';
export { HarnessDisposedError } from './time';
export { NESTED_STACK_TYPE } from './nested-stacks';
export { IAM_QUOTAS } from './iam-quotas';
export { EVENTS_RULE_TYPE, MAX_TARGETS_PER_RULE, ruleProblem, scheduleExpressionProblem, scheduledEvent } from './schedules';
export { EMF_UNITS, InvalidEmfError, MAX_DIMENSIONS_PER_SET, MAX_METRICS_PER_DIRECTIVE, metricsOfLine, metricsOfLogLines } from './emf';
export type { MetricRecord } from './emf';

/** One target invocation of `runSchedule`. */
export interface ScheduledInvocation {
  readonly ruleLogicalId: string;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly targetId: string;
  /** The function the target's Arn names; undefined when it is not a Lambda function of this stack. */
  readonly functionLogicalId?: string;
  /** The payload the function received: the Scheduled Event, or the target's Input / InputPath selection. */
  readonly event: unknown;
  /** `not-invoked`: EventBridge could not invoke the target (see `reason`); nothing ran. */
  readonly outcome: 'success' | 'error' | 'timeout' | 'not-invoked';
  /** The function's return value (success). */
  readonly result?: unknown;
  /** Lambda's error payload (error, timeout). */
  readonly error?: { readonly errorType: string; readonly errorMessage: string; readonly trace?: string[] };
  readonly reason?: string;
  /** Simulated epoch ms the invocation started, and how long it took. */
  readonly startedAt: number;
  readonly durationMs: number;
}

/** A metric value of `harness.metrics()`, with the function whose log it came from. */
export interface FunctionMetricRecord extends MetricRecord {
  readonly functionLogicalId: string;
}

/** Resource types whose operations IAM's quotas can refuse. */
const IAM_TYPES = new Set([IAM_ROLE_TYPE, IAM_POLICY_TYPE, IAM_ROLE_POLICY_TYPE, IAM_MANAGED_POLICY_TYPE]);

export interface CloudFormationHarnessOptions {
  /** Simulated time for every wait: waiter polling, ServiceTimeout, Lambda timeouts, and the handlers' own clock. */
  readonly clock: ScaledClock;
  /**
   * Extra environment for every handler (e.g. `AWS_ENDPOINT_URL` of the local emulator); wins over
   * the template's. Credentials in it are ignored: Lambda reserves them for the execution role.
   */
  readonly env?: Record<string, string>;
  /**
   * Where each function's execution role session is registered (the local endpoint's
   * `emulator.iam`), so its requests are authorized against the role's policies as the stack has
   * them at that moment. Without it the sessions' keys are known nowhere, and every request a
   * handler signs is refused as an unknown key would be.
   */
  readonly iam?: RoleSessionRegistry;
  /** Resource types the harness really creates, e.g. `{ 'AWS::IoTSiteWise::Gateway': gatewayOnEmulator }`. */
  readonly resourceProviders?: Record<string, ResourceProvider>;
  /** CloudFormation stack name; default: the CDK stack's name. */
  readonly stackName?: string;
  /** Template parameter values (default: each parameter's Default). */
  readonly parameters?: Record<string, string>;
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Default `123456789012`. */
  readonly accountId?: string;
  /** Print handler logs to stdout as they happen (they are always kept for `logs()`). */
  readonly echoLogs?: boolean;
  /** Called with every stack event as it happens (a demo's live status). */
  readonly onProgress?: (event: StackEvent) => void;
  /**
   * Where file assets are published before each deploy, as `cdk deploy` uploads them to the
   * bootstrap bucket (e.g. the local endpoint's `emulator.s3`). Default: not published.
   */
  readonly assetStore?: AssetStore;
}

/**
 * Receives a stack's file assets (packaging `file`, the stack's template included) at the bucket
 * and key the asset manifest names, placeholders resolved. Directory (`zip`) assets, which are
 * Lambda code that the harness runs from the cloud assembly, are not published.
 */
export interface AssetStore {
  putObject(bucket: string, key: string, body: Buffer): void | Promise<void>;
}

/** A deployed resource as `harness.resource()` shows it. */
export type ResourceView = Pick<DeployedResource, 'logicalId' | 'type' | 'physicalId' | 'attributes' | 'properties'>;

/**
 * Deploys a synthesized CDK stack the way CloudFormation would, without AWS: custom resources
 * backed by a `custom_resources.Provider` run their bundled handler code from the cloud assembly
 * (each Lambda function in worker threads on simulated time), the harness plays the Provider
 * framework and CloudFormation around them, and every other resource is a stub unless a
 * `resourceProviders` entry creates it for real.
 *
 * @example
 * const harness = new CloudFormationHarness({ clock: new ScaledClock(600), env: { AWS_ENDPOINT_URL: emulator.url } });
 * const created = await harness.deploy(stack);           // CREATE_COMPLETE / ROLLBACK_COMPLETE
 * harness.resource('Sync').attributes;                   // the custom resource's Data
 * await harness.deploy(changedStack);                    // UPDATE_COMPLETE / UPDATE_ROLLBACK_COMPLETE
 * await harness.destroy();                               // DELETE_COMPLETE
 * await harness.dispose();
 */
export class CloudFormationHarness {
  /** Every user handler invocation, oldest first. */
  public readonly invocations: InvocationRecord[] = [];
  /** Every stack event of every operation, oldest first. */
  public readonly events: StackEvent[] = [];
  /** Errors thrown by background work (a provider answering after CloudFormation stopped listening, ...). */
  public readonly backgroundErrors: Error[] = [];
  /** Every StartExecution of a waiter, with its input size, oldest first. */
  public readonly waiterStarts: WaiterStartRecord[] = [];
  private readonly region: string;
  private readonly accountId: string;
  /** Makes this harness's session keys differ from another harness's on the same endpoint. */
  private readonly sessionSalt = randomUUID();
  private readonly registeredSessions = new Set<string>();
  private readonly abort = new AbortController();
  private readonly background = new Set<Promise<unknown>>();
  private readonly assetPaths = new Map<string, string>();
  private readonly lambda: LambdaService;
  private readonly endpoint: CustomResourceEndpoint;
  /** The deployed stack (`stack`) and how its resources are driven; nested stacks have their own scopes. */
  private readonly root: StackScope;
  /** Every nested stack ever created, by stack id. */
  private readonly children = new Map<string, ChildScope>();
  private busy = false;

  constructor(private readonly options: CloudFormationHarnessOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    const { clock } = options;
    // Every waiting resource listens for dispose(); a 100-resource stack is not a leak.
    setMaxListeners(0, this.abort.signal);
    this.endpoint = new CustomResourceEndpoint(clock, this.abort.signal);
    this.lambda = new LambdaService({
      clock,
      region: this.region,
      accountId: this.accountId,
      env: options.env ?? {},
      echoLogs: options.echoLogs ?? false,
      signal: this.abort.signal,
      onInvocation: (record) => this.invocations.push(record),
      credentialsFor: (config) => this.sessionFor(config),
    });
    this.root = { functionPrefix: '', userFunctionIds: new Set(), drivers: undefined as unknown as ScopeDrivers };
    (this.root as { drivers: ScopeDrivers }).drivers = this.createDrivers(this.root);
  }

  /** Resource drivers of one stack (the root or a nested one), bound to that stack's state. */
  private createDrivers(scope: StackScope): ScopeDrivers {
    const stubEnvironment = this.stubEnvironment(scope);
    const requireStack = () => {
      if (!scope.stack) throw new Error('Nothing deployed yet');
      return scope.stack;
    };
    return {
      customResource: new CustomResourceDriver({
        stackId: () => requireStack().stackId,
        region: this.region,
        endpoint: this.endpoint,
        frameworkFor: (serviceToken) => this.frameworkFor(scope, serviceToken),
        track: (work) => this.track(work),
      }),
      lambdaFunction: new LambdaFunctionDriver(stubEnvironment,
        (operation, physicalId, attributes) => this.activateFunction(scope, operation, physicalId, attributes)),
      stub: new StubResourceDriver(stubEnvironment),
      iam: new IamResourceDriver(stubEnvironment, () => scope.stack?.resources.values() ?? []),
      nested: new NestedStackDriver({
        parentStackName: () => requireStack().stackName,
        templateAt: (templateUrl) => this.nestedTemplateAt(templateUrl),
        createChild: (logicalId, stackName) => this.createChild(scope, logicalId, stackName),
        child: (stackId) => this.children.get(stackId),
      }),
      // EventBridge rules are validated like PutRule (a bad schedule expression fails the resource) unless the test provides its own.
      provided: new Map(Object.entries({ [EVENTS_RULE_TYPE]: eventsRuleProvider(), ...this.options.resourceProviders }).map(([type, provider]) => [
        type,
        new ProvidedResourceDriver(provider, (logicalId) => ({
          logicalId,
          stackName: requireStack().stackName,
          region: this.region,
          accountId: this.accountId,
        })),
      ])),
    };
  }

  private get stack(): CloudFormationStack | undefined {
    return this.root.stack;
  }

  /**
   * The nested stacks (`AWS::CloudFormation::Stack` resources) of every operation so far, oldest
   * first, at any depth, deleted ones included: their status, resources, outputs and events.
   */
  public nestedStacks(): NestedStackView[] {
    return [...this.children.values()].map((child) => ({
      logicalIdPath: child.logicalIdPath,
      stackName: child.stack.stackName,
      stackId: child.stack.stackId,
      status: child.stack.status,
      outputs: { ...child.stack.outputs },
      parameters: { ...child.parameters },
      events: child.events,
      resources: [...child.stack.resources.values()]
        .map(({ logicalId, type, physicalId, attributes, properties }) => ({ logicalId, type, physicalId, attributes, properties })),
    }));
  }

  /** Current stack status (undefined before the first deploy). */
  public get status(): StackStatus | undefined {
    return this.stack?.status;
  }

  public get stackId(): string | undefined {
    return this.stack?.stackId;
  }

  /** Every response PUT to a ResponseURL, with its size, including late ones. */
  public get responses(): readonly ResponseRecord[] {
    return this.endpoint.responses;
  }

  /**
   * Allow statements of the deployed roles and policies that grant actions on `*` (or use
   * NotResource): least privilege means there are none.
   */
  public wildcardGrants(): WildcardGrant[] {
    return wildcardGrants(this.allResources());
  }

  /** Resolved outputs of the current stack. */
  public get outputs(): Record<string, unknown> {
    return { ...this.stack?.outputs };
  }

  /** The template of the current stack (after a rollback: the previous one). */
  public get template(): CfnTemplate | undefined {
    return this.stack?.template;
  }

  /**
   * Synthesizes `stack` (or takes an already synthesized one), publishes its file assets to
   * `assetStore` and creates the CloudFormation stack, or updates it when it exists. Resolves
   * with the final status; CloudFormation failures (and rollbacks) are results, not exceptions.
   */
  public async deploy(stack: Stack | SynthesizedStack): Promise<StackOperationResult> {
    const synthesized = stack instanceof Stack ? synthesizeStack(stack) : stack;
    // Object keys are content hashes: keep the first copy, so unchanged code keeps its warm containers.
    synthesized.assetPathsByObjectKey.forEach((assetPath, objectKey) => {
      if (!this.assetPaths.has(objectKey)) this.assetPaths.set(objectKey, assetPath);
    });
    const target = this.stackNamed(this.options.stackName ?? synthesized.stackName);
    const userFunctionIds = providerUserFunctionIds(synthesized.template);
    return this.exclusive(async () => {
      // Only once the operation is ours: a rejected concurrent deploy must not replace the running one's set.
      this.root.userFunctionIds = userFunctionIds;
      await this.publishFileAssets(synthesized);
      return target.deploy(synthesized.template);
    });
  }

  /** Deletes the stack. */
  public async destroy(): Promise<StackOperationResult> {
    if (!this.stack) return { status: 'DELETE_COMPLETE', events: [], durationMs: 0, outputs: {} };
    const stack = this.stack;
    return this.exclusive(() => stack.destroy());
  }

  /** A deployed resource by logical id, or by a unique prefix of it (CDK appends a hash). */
  public resource(logicalIdOrPrefix: string): ResourceView {
    const stack = this.requireStack();
    const record = stack.resources.get(this.logicalId(logicalIdOrPrefix, [...stack.resources.keys()]));
    if (!record) throw new Error(`No deployed resource ${logicalIdOrPrefix}`);
    const { logicalId, type, physicalId, attributes, properties } = record;
    return { logicalId, type, physicalId, attributes, properties };
  }

  /** Every resource currently deployed. */
  public resources(): ResourceView[] {
    return [...(this.stack?.resources.values() ?? [])]
      .map(({ logicalId, type, physicalId, attributes, properties }) => ({ logicalId, type, physicalId, attributes, properties }));
  }

  /** Whether a resource (by logical id or unique prefix) is currently deployed. */
  public has(logicalIdOrPrefix: string): boolean {
    const ids = [...(this.stack?.resources.keys() ?? [])];
    return ids.includes(this.logicalId(logicalIdOrPrefix, ids));
  }

  /** Log lines of a Lambda function (by logical id or unique prefix): START/END/REPORT and the handler's output. */
  public logs(functionLogicalIdOrPrefix: string): string[] {
    return this.lambda.logs(this.logicalId(functionLogicalIdOrPrefix, this.lambda.logGroups()));
  }

  /**
   * Fires every schedule of the deployed stack once, as EventBridge would: for each
   * `AWS::Events::Rule` with a `ScheduleExpression` that is enabled (`State` ENABLED or absent),
   * each target that is a Lambda function of this stack is invoked with the Scheduled Event (or the
   * target's `Input` / `InputPath`), under its own execution role's session, if an
   * `AWS::Lambda::Permission` lets `events.amazonaws.com` invoke it from that rule (else, as in
   * AWS, it is not invoked). Resolves with every target's outcome once all have finished.
   */
  public async runSchedule(options: { ruleLogicalId?: string } = {}): Promise<ScheduledInvocation[]> {
    const stack = this.requireStack();
    const resources = [...stack.resources.values()];
    const ruleIds = resources.filter((resource) => resource.type === EVENTS_RULE_TYPE).map((resource) => resource.logicalId);
    const only = options.ruleLogicalId === undefined ? undefined : this.logicalId(options.ruleLogicalId, ruleIds);
    if (only !== undefined && !ruleIds.includes(only)) throw new Error(`No deployed AWS::Events::Rule ${options.ruleLogicalId}`);
    const rules = resources.filter((resource) => resource.type === EVENTS_RULE_TYPE && (only === undefined || resource.logicalId === only))
      .filter((rule) => typeof (rule.properties as any).ScheduleExpression === 'string')
      .filter((rule) => ['ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', undefined].includes((rule.properties as any).State));
    const { clock } = this.options;
    const targetsOf = (rule: DeployedResource): Array<Record<string, any>> => (rule.properties as any).Targets ?? [];
    const runs = rules.flatMap((rule) => targetsOf(rule).map(async (target): Promise<ScheduledInvocation> => {
      const ruleArn = String(rule.attributes.Arn);
      const startedAt = clock.now();
      const base = { ruleLogicalId: rule.logicalId, ruleName: rule.physicalId, ruleArn, targetId: String(target.Id), startedAt };
      const scheduled = scheduledEvent(randomUUID(), startedAt, this.accountId, this.region, ruleArn);
      const event = target.Input !== undefined ? JSON.parse(String(target.Input))
        : target.InputPath !== undefined ? selectInputPath(scheduled, String(target.InputPath)) : scheduled;
      if (target.InputTransformer !== undefined) throw new Error(`CloudFormation harness: InputTransformer of rule ${rule.logicalId} is not supported`);
      const fn = findFunctionByArn(resources, String(target.Arn));
      if (!fn) return { ...base, event, outcome: 'not-invoked', reason: `${target.Arn} is not a Lambda function of this stack`, durationMs: 0 };
      if (!eventBridgeMayInvoke(resources, fn, ruleArn)) {
        return {
          ...base,
          functionLogicalId: fn.logicalId,
          event,
          outcome: 'not-invoked',
          durationMs: 0,
          reason: `no AWS::Lambda::Permission lets events.amazonaws.com invoke ${fn.physicalId} from ${ruleArn}`,
        };
      }
      const output = await this.lambda.invoke(this.functionConfiguration(this.root, fn), JSON.stringify(event));
      const durationMs = clock.now() - startedAt;
      const payload = JSON.parse(output.Payload);
      if (!output.FunctionError) return { ...base, functionLogicalId: fn.logicalId, event, outcome: 'success', result: payload, durationMs };
      return {
        ...base, functionLogicalId: fn.logicalId, event, outcome: payload?.errorType === 'Sandbox.Timedout' ? 'timeout' : 'error', error: payload, durationMs,
      };
    }));
    return Promise.all(runs);
  }

  /**
   * The metric values CloudWatch would extract from the Embedded Metric Format lines the functions
   * logged (one function by logical id or unique prefix, or all), in log order. Lines that do not
   * claim EMF are ignored; a line that does and breaks the specification throws InvalidEmfError.
   */
  public metrics(functionLogicalIdOrPrefix?: string): FunctionMetricRecord[] {
    const groups = functionLogicalIdOrPrefix === undefined
      ? this.lambda.logGroups()
      : [this.logicalId(functionLogicalIdOrPrefix, this.lambda.logGroups())];
    return groups.flatMap((logicalId) => metricsOfLogLines(this.lambda.logs(logicalId))
      .map((record) => ({ ...record, functionLogicalId: logicalId })));
  }

  /** Waits until background work (waiters CloudFormation stopped listening to) has finished. */
  public async idle(): Promise<void> {
    while (this.background.size > 0) {
      await Promise.allSettled([...this.background]);
    }
  }

  /** Stops all background work and terminates every handler worker. */
  public async dispose(): Promise<void> {
    this.abort.abort();
    await this.lambda.dispose();
    await Promise.allSettled([...this.background]);
  }

  /** Uploads the file assets like `cdk deploy` before its stack operation; a failure fails the deploy before it starts. */
  private async publishFileAssets(synthesized: SynthesizedStack): Promise<void> {
    const store = this.options.assetStore;
    if (!store) return;
    const environment = { accountId: this.accountId, region: this.region, partition: 'aws' };
    for (const asset of synthesized.fileAssets) {
      if (asset.packaging !== 'file') continue;
      const bucket = resolveAssetPlaceholders(asset.bucketName, environment);
      const key = resolveAssetPlaceholders(asset.objectKey, environment);
      await store.putObject(bucket, key, fs.readFileSync(asset.path));
    }
  }

  private frameworkFor(scope: StackScope, serviceToken: string): ProviderFramework {
    const stack = scope.stack;
    if (!stack) throw new Error('Nothing deployed yet');
    const resources = () => [...stack.resources.values()];
    const config = providerForServiceToken(resources(), serviceToken);
    const { clock } = this.options;
    return new ProviderFramework(config, {
      invokeFunction: async (functionArn, payload) => {
        const fn = findFunctionByArn(resources(), functionArn);
        if (!fn) throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${functionArn}`);
        return this.lambda.invoke(this.functionConfiguration(scope, fn), payload);
      },
      putResponse: async (responseUrl, body) => this.endpoint.put(responseUrl, body),
      sleep: (ms) => sleep(clock, ms, this.abort.signal),
      stateMachineExists: (arn) => resources().some((resource) => resource.type === STATE_MACHINE_TYPE
        && (resource.physicalId === arn || resource.attributes.Arn === arn)),
      startExecution: async (input, execution) => {
        const event = JSON.parse(input) as { LogicalResourceId: string; RequestType: RequestType };
        const record = { at: clock.now(), logicalResourceId: event.LogicalResourceId, requestType: event.RequestType, bytes: Buffer.byteLength(input, 'utf8') };
        try {
          checkExecutionInput(input);
        } catch (error) {
          this.waiterStarts.push({ ...record, accepted: false });
          throw error;
        }
        this.waiterStarts.push({ ...record, accepted: true });
        this.track(execution());
      },
    });
  }

  /**
   * The session credentials Lambda gives `config`'s execution environment, registered with the
   * IAM of the endpoint so that requests signed with them carry the role's permissions as the
   * stack has them at the moment of each request. A function without a role gets keys nobody knows.
   */
  private sessionFor(config: LambdaFunctionConfiguration): SessionCredentials {
    const roleArn = config.roleArn;
    const credentials = sessionCredentials(this.sessionSalt, roleArn ?? 'no-role', config.functionName);
    if (!roleArn || !this.options.iam || this.registeredSessions.has(credentials.accessKeyId)) return credentials;
    const roleName = roleNameOf(roleArn);
    this.options.iam.registerRole(credentials.accessKeyId, {
      sessionArn: `arn:aws:sts::${roleArn.split(':')[4]}:assumed-role/${roleName}/${config.functionName}`,
      roleArn,
      // Role names are unique across the stacks (generated from each stack's name): the role's own stack has its policies.
      policies: () => rolePolicies(this.allResources(), roleName),
    });
    this.registeredSessions.add(credentials.accessKeyId);
    return credentials;
  }

  /** Every resource of the root stack and its nested stacks. */
  private allResources(): DeployedResource[] {
    return [this.root.stack, ...[...this.children.values()].map((child) => child.stack)]
      .flatMap((stack) => (stack && stack.status !== 'DELETE_COMPLETE' ? [...stack.resources.values()] : []));
  }

  /** A function's Lambda configuration; a nested stack's functions are keyed by their stack's path (logical ids repeat across nested stacks). */
  private functionConfiguration(
    scope: StackScope,
    fn: Pick<DeployedResource, 'logicalId' | 'physicalId' | 'properties' | 'attributes'>,
  ): LambdaFunctionConfiguration {
    return { ...lambdaConfiguration(fn, this.assetPaths), logicalId: scope.functionPrefix + fn.logicalId };
  }

  /** The template of the file asset (`*.nested.template.json`) a nested stack's TemplateURL points to. */
  private nestedTemplateAt(templateUrl: string): CfnTemplate {
    for (const [objectKey, assetPath] of this.assetPaths) {
      if (templateUrl.endsWith(`/${objectKey}`) && fs.statSync(assetPath).isFile()) {
        return JSON.parse(fs.readFileSync(assetPath, 'utf8')) as CfnTemplate;
      }
    }
    throw new Error(`TemplateURL must be a supported URL: no file asset of the cloud assembly is at ${templateUrl}`);
  }

  private createChild(parent: StackScope, logicalId: string, stackName: string): NestedChild {
    const logicalIdPath = [...(parent.logicalIdPath ?? []), logicalId];
    const scope: ChildScope = {
      functionPrefix: `${logicalIdPath.join('/')}/`,
      userFunctionIds: new Set(),
      drivers: undefined as unknown as ScopeDrivers,
      logicalIdPath,
      parameters: {},
      events: [],
      stack: undefined as unknown as CloudFormationStack,
    };
    scope.drivers = this.createDrivers(scope);
    scope.stack = this.newStack(scope, stackName, {
      get parameters() {
        return scope.parameters;
      },
    });
    // The child's functions: known once its template is; deployNested reads the template after this.
    const deploy = scope.stack.deployNested.bind(scope.stack);
    scope.stack.deployNested = (template, cancelledByParent) => {
      scope.userFunctionIds = providerUserFunctionIds(template);
      return deploy(template, cancelledByParent);
    };
    this.children.set(scope.stack.stackId, scope);
    return scope;
  }

  /** Stub identities use the stack name, known only once a stack is deployed. */
  private stubEnvironment(scope: StackScope) {
    const harness = this;
    return {
      get stackName() {
        return scope.stack?.stackName ?? harness.options.stackName ?? 'Stack';
      },
      region: this.region,
      accountId: this.accountId,
    };
  }

  private driverFor(scope: StackScope, type: string): ResourceDriver {
    const drivers = scope.drivers;
    if (isCustomResourceType(type)) return drivers.customResource;
    const provided = drivers.provided.get(type);
    if (provided) return provided;
    if (type === LAMBDA_FUNCTION_TYPE) return drivers.lambdaFunction;
    if (type === NESTED_STACK_TYPE) return drivers.nested;
    return IAM_TYPES.has(type) ? drivers.iam : drivers.stub;
  }

  /** Boots a Provider user function's container while the function is "being created". */
  private async activateFunction(
    scope: StackScope, operation: CreateOperation, physicalId: string, attributes: Record<string, unknown>,
  ): Promise<void> {
    if (!scope.userFunctionIds.has(operation.logicalId)) return;
    const { logicalId, properties } = operation;
    try {
      await this.lambda.prewarm(this.functionConfiguration(scope, { logicalId, physicalId, properties, attributes }));
    } catch {
      // Not runnable here (no asset, not Node.js): the first invocation reports why.
    }
  }

  private stackNamed(stackName: string): CloudFormationStack {
    if (this.stack && this.stack.stackName !== stackName) {
      throw new Error(`This harness deploys stack ${this.stack.stackName}; use another harness (or the stackName option) for ${stackName}`);
    }
    this.root.stack ??= this.newStack(this.root, stackName, { parameters: this.options.parameters ?? {} });
    return this.root.stack;
  }

  private newStack(scope: StackScope, stackName: string, parameters: { readonly parameters: Record<string, string> }): CloudFormationStack {
    const child = scope.logicalIdPath !== undefined ? (scope as ChildScope) : undefined;
    const services = {
      clock: this.options.clock,
      region: this.region,
      accountId: this.accountId,
      get parameters() {
        return parameters.parameters;
      },
      driverFor: (type: string) => this.driverFor(scope, type),
      onEvent: (event: StackEvent) => {
        const recorded = child ? { ...event, stackName } : event;
        child?.events.push(recorded);
        this.events.push(recorded);
        this.options.onProgress?.(recorded);
      },
      onResourceDeleted: (resource: DeployedResource) => {
        if (resource.type === LAMBDA_FUNCTION_TYPE) this.lambda.retireFunction(scope.functionPrefix + resource.logicalId);
      },
    };
    return new CloudFormationStack(stackName, services);
  }

  private requireStack(): CloudFormationStack {
    if (!this.stack) throw new Error('Nothing deployed yet');
    return this.stack;
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('Another stack operation is in progress');
    if (this.abort.signal.aborted) throw new HarnessDisposedError();
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => {
      if (!(err instanceof HarnessDisposedError)) this.backgroundErrors.push(err instanceof Error ? err : new Error(String(err)));
    }).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** Exact logical id; else the one that is `idOrPrefix` plus CDK's 8-character hash; else a unique prefix match. */
  private logicalId(idOrPrefix: string, candidates: string[]): string {
    if (candidates.includes(idOrPrefix)) return idOrPrefix;
    const hashed = candidates.filter((candidate) => new RegExp(`^${escapeRegExp(idOrPrefix)}[0-9A-F]{8}$`).test(candidate));
    if (hashed.length === 1) return hashed[0];
    const matches = candidates.filter((candidate) => candidate.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new Error(`${idOrPrefix} matches several logical ids: ${matches.join(', ')}`);
    return idOrPrefix;
  }
}

/** A nested stack as `harness.nestedStacks()` shows it. */
export interface NestedStackView {
  /** Logical ids of the `AWS::CloudFormation::Stack` resources from the root stack down to it. */
  readonly logicalIdPath: readonly string[];
  readonly stackName: string;
  readonly stackId: string;
  readonly status?: StackStatus;
  readonly outputs: Record<string, unknown>;
  readonly parameters: Record<string, string>;
  /** Its stack events, oldest first (also in `harness.events`, with `stackName`). */
  readonly events: readonly StackEvent[];
  readonly resources: ResourceView[];
}

interface ScopeDrivers {
  readonly customResource: ResourceDriver;
  readonly lambdaFunction: ResourceDriver;
  readonly stub: ResourceDriver;
  readonly iam: ResourceDriver;
  readonly nested: ResourceDriver;
  readonly provided: Map<string, ResourceDriver>;
}

/** One stack the harness deploys (the root, or a nested stack) and how its resources are driven. */
interface StackScope {
  stack?: CloudFormationStack;
  /** '' for the root; `<logical id path>/` for a nested stack, whose functions' logical ids repeat in its siblings. */
  readonly functionPrefix: string;
  /** Functions some Provider invokes, in the template being deployed: booted when created. */
  userFunctionIds: Set<string>;
  drivers: ScopeDrivers;
  readonly logicalIdPath?: readonly string[];
}

interface ChildScope extends StackScope, NestedChild {
  stack: CloudFormationStack;
  readonly logicalIdPath: readonly string[];
  readonly events: StackEvent[];
}

/**
 * Whether a resource-based policy statement of the stack (`AWS::Lambda::Permission`) lets
 * EventBridge invoke `fn` for `ruleArn`: action lambda:InvokeFunction (or lambda:*), principal
 * events.amazonaws.com, FunctionName the function's name or ARN, SourceArn absent or the rule's.
 */
function eventBridgeMayInvoke(resources: readonly DeployedResource[], fn: DeployedResource, ruleArn: string): boolean {
  return resources.some((resource) => {
    if (resource.type !== 'AWS::Lambda::Permission') return false;
    const { Action: action, Principal: principal, FunctionName: functionName, SourceArn: sourceArn } = resource.properties as Record<string, unknown>;
    return (action === 'lambda:InvokeFunction' || action === 'lambda:*')
      && principal === 'events.amazonaws.com'
      && (functionName === fn.physicalId || functionName === fn.attributes.Arn)
      && (sourceArn === undefined || sourceArn === ruleArn);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
