import * as path from 'path';
import { ArnFormat, Aws, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { DocumentReadPolicies } from './document-read-policies';
import { GATEWAY_HANDLER_ACTIONS, KNOWN_CAPABILITY_NAMESPACES, ownershipKeys, STREAM_IS_COMPLETE_ACTIONS, STREAM_ON_EVENT_ACTIONS } from './owned-targets';
import { MONITOR_PROPERTIES } from '../monitor/monitor-properties';
import { validationError } from '../shared/validation';

/** The handler bundle built by the `bundle` task from lambda/ and shipped in the npm package. */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'provider');

/** Longest apply phase of onEvent (retries of throttled or conflicting calls included). */
const ON_EVENT_TIMEOUT = Duration.minutes(3);

/** One isComplete invocation polls for up to four minutes, then yields to the framework. */
const IS_COMPLETE_TIMEOUT = Duration.minutes(5);

/**
 * The framework's own limits. The handler enforces each resource's sync timeout (at most
 * 55 minutes from the start of onEvent), so it always answers before the framework's
 * `Operation timed out` and before CloudFormation's service timeout.
 */
const QUERY_INTERVAL = Duration.seconds(5);
const TOTAL_TIMEOUT = Duration.minutes(55);

/**
 * Most resource ARNs one handler statement lists before it falls back to all resources of that
 * kind in the account and region: three statements of 20 ARNs keep a role's inline policy well
 * under IAM's 10,240 characters.
 */
export const MAX_EXACT_ARNS = 20;

/** Every edge-sync custom resource tells CloudFormation to stop waiting after this long. */
export const SERVICE_TIMEOUT = Duration.minutes(60);

/** Which of the two handlers needs a permission. */
export enum HandlerRole {
  ON_EVENT = 'onEvent',
  IS_COMPLETE = 'isComplete',
  /** The drift monitor's function, if the stack has one (EdgeSyncMonitor); its grants wait for it. */
  MONITOR = 'monitor',
  /** The drift monitor's function when it remediates: the writes, granted only then. */
  REMEDIATION = 'remediation',
}

/** What the drift monitor's metrics call an edge-sync resource (see lambda/monitor/signals.ts). */
export interface MonitoredResource {
  /** `<gateway id>/<namespace>`, the stream name or ARN as given, the dataflow endpoint group id. */
  readonly target: string;
}

/** The drift monitor of a stack, as the provider needs it. */
export interface MonitorAttachment {
  readonly role: iam.IRole;
  readonly tableName: string;
  /** Whether the monitor re-applies drifted configurations: then it gets the REMEDIATION grants too. */
  readonly remediate: boolean;
}

/**
 * The one custom resource provider of a stack that every cdk-edge-sync construct shares:
 * one onEvent and one isComplete function, one waiter state machine, however many resources.
 */
export class EdgeSyncProvider extends Construct {
  /** Returns the stack's provider, creating it on first use. */
  public static getOrCreate(scope: IConstruct): EdgeSyncProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(EdgeSyncProvider.ID);
    return existing instanceof EdgeSyncProvider ? existing : new EdgeSyncProvider(stack, EdgeSyncProvider.ID);
  }

  private static readonly ID = 'EdgeSyncProvider';

  public readonly serviceToken: string;
  public readonly onEventHandler: lambda.Function;
  public readonly isCompleteHandler: lambda.Function;

  /** One statement per handler and action list, its resources growing with each construct. */
  private readonly statements = new Map<string, { readonly arns: string[]; readonly scopeArn: string }>();
  /** Targets claimed by constructs of this stack, to refuse two resources writing one target. */
  private readonly claims = new Map<string, string>();
  private documentReadPolicies?: DocumentReadPolicies;
  private readonly conditionalStatements = new Set<string>();
  /** The monitor's statements, added to its role once it exists. */
  private readonly monitorStatements: Array<{ readonly statement: iam.PolicyStatement; readonly remediation: boolean }> = [];
  private monitorAttachment?: MonitorAttachment;
  private readonly monitored = new Map<IConstruct, MonitoredResource>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);

    const common: Omit<lambda.FunctionProps, 'handler'> = {
      runtime: lambda.determineLatestNodeRuntime(this),
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      memorySize: 256,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
    };
    this.onEventHandler = new lambda.Function(this, 'OnEventHandler', {
      ...common,
      ...this.roleAndLogs('OnEventHandler'),
      handler: 'index.onEvent',
      timeout: ON_EVENT_TIMEOUT,
      description: 'cdk-edge-sync: applies edge configurations (onEvent)',
    });
    this.isCompleteHandler = new lambda.Function(this, 'IsCompleteHandler', {
      ...common,
      ...this.roleAndLogs('IsCompleteHandler'),
      handler: 'index.isComplete',
      timeout: IS_COMPLETE_TIMEOUT,
      description: 'cdk-edge-sync: waits until edge devices report a terminal state (isComplete)',
    });

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventHandler,
      isCompleteHandler: this.isCompleteHandler,
      queryInterval: QUERY_INTERVAL,
      totalTimeout: TOTAL_TIMEOUT,
    });
    this.serviceToken = provider.serviceToken;

    // Targets this stack configured that the template no longer names: their cleanup Delete and
    // the rollback Update back to them run under this template's policies, even when the template
    // has no resource of that kind or namespace left (the provider stays for the others).
    for (const namespace of KNOWN_CAPABILITY_NAMESPACES) this.grantOwnedGateways(namespace);
    this.grantOwnedStreams();
  }

  /** The owned-target grants (grantOwned, grantHandoverConfirmation) of one capability namespace on any gateway. */
  public grantOwnedGateways(namespace: string): void {
    const anyGateway = Stack.of(this).formatArn({ service: 'iotsitewise', resource: 'gateway', resourceName: '*' });
    const keys = ownershipKeys(namespace);
    for (const role of [HandlerRole.ON_EVENT, HandlerRole.IS_COMPLETE]) {
      this.grantOwned(role, GATEWAY_HANDLER_ACTIONS, anyGateway, keys.owner);
      this.grantHandoverConfirmation(role, 'iotsitewise:ListTagsForResource', 'iotsitewise:UntagResource', anyGateway, keys.handover);
    }
  }

  /** The owned-target grants of any stream. */
  private grantOwnedStreams(): void {
    const anyStream = Stack.of(this).formatArn({ service: 'kinesisvideo', resource: 'stream', resourceName: '*' });
    const keys = ownershipKeys();
    this.grantOwned(HandlerRole.IS_COMPLETE, STREAM_IS_COMPLETE_ACTIONS, anyStream, keys.owner);
    this.grantOwned(HandlerRole.ON_EVENT, STREAM_ON_EVENT_ACTIONS, anyStream, keys.owner);
    for (const role of [HandlerRole.ON_EVENT, HandlerRole.IS_COMPLETE]) {
      this.grantHandoverConfirmation(role, 'kinesisvideo:ListTagsForStream', 'kinesisvideo:UntagStream', anyStream, keys.handover);
    }
  }

  /**
   * A handler's own role and log group: the role may write to that log group and, through
   * `grant`, call the actions it needs, and nothing else (no AWS managed policy); the logs are
   * kept for a month.
   */
  private roleAndLogs(id: string): { role: iam.IRole; logGroup: logs.ILogGroup } {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [Stack.of(this).formatArn({
        service: 'logs', resource: 'log-group', resourceName: `${logGroup.logGroupName}:log-stream:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    }));
    return { role, logGroup };
  }

  /**
   * Allows one handler to call `actions` on `resourceArn`, and nothing else. With more than
   * MAX_EXACT_ARNS resources of one kind, the statement names `scopeArn` (that kind of resource in
   * this account and region) instead, so the shared role's policy stays under IAM's size limit.
   */
  public grant(role: HandlerRole, actions: string[], resourceArn: string, scopeArn: string): void {
    const key = `${role}:${[...actions].sort().join(',')}`;
    let entry = this.statements.get(key);
    if (!entry) {
      const created = { arns: [] as string[], scopeArn };
      entry = created;
      this.statements.set(key, created);
      this.addStatement(role, new iam.PolicyStatement({
        actions,
        resources: Lazy.list({ produce: () => (created.arns.length > MAX_EXACT_ARNS ? [created.scopeArn] : created.arns) }),
      }));
    }
    if (!entry.arns.includes(resourceArn)) entry.arns.push(resourceArn);
  }

  /**
   * Allows one handler to call `actions` on any resource of `anyResourceArn` (that kind in this
   * account and region) whose owner tag `ownerTagKey` names a resource of this stack
   * (`<stack name>/*`). That is what a target no longer in the template needs: its cleanup Delete
   * and the rollback Update back to it run under the new template's policies, which name only the
   * new targets.
   */
  public grantOwned(role: HandlerRole, actions: string[], anyResourceArn: string, ownerTagKey: string): void {
    this.addConditionalStatement(role, actions, anyResourceArn, { StringLike: { [`aws:ResourceTag/${ownerTagKey}`]: `${Aws.STACK_NAME}/*` } });
  }

  /**
   * Lets a handler confirm a handover: read the tags of, and remove only the handover tag from, a
   * target that a resource of this stack handed over to another resource (of this or another
   * stack). onEvent confirms; isComplete too, when it finishes what onEvent had no time for.
   */
  public grantHandoverConfirmation(
    role: HandlerRole, listTagsAction: string, untagAction: string, anyResourceArn: string, handoverTagKey: string,
  ): void {
    const handedOverByThisStack = { [`aws:ResourceTag/${handoverTagKey}`]: `${Aws.STACK_NAME}/*` };
    this.addConditionalStatement(role, [listTagsAction], anyResourceArn, { StringLike: handedOverByThisStack });
    this.addConditionalStatement(role, [untagAction], anyResourceArn, {
      'StringLike': handedOverByThisStack,
      'ForAllValues:StringEquals': { 'aws:TagKeys': [handoverTagKey] },
    });
  }

  private addConditionalStatement(
    role: HandlerRole, actions: string[], resourceArn: string, conditions: Record<string, Record<string, unknown>>,
  ): void {
    const key = `${role}:${[...actions].sort().join(',')}:${resourceArn}:${JSON.stringify(conditions)}`;
    if (this.conditionalStatements.has(key)) return;
    this.conditionalStatements.add(key);
    // A list token like the other statements of the role, so that all of them share its default policy.
    this.addStatement(role, new iam.PolicyStatement({ actions, resources: Lazy.list({ produce: () => [resourceArn] }), conditions }));
  }

  private addStatement(role: HandlerRole, statement: iam.PolicyStatement): void {
    switch (role) {
      case HandlerRole.ON_EVENT:
        this.onEventHandler.addToRolePolicy(statement);
        return;
      case HandlerRole.IS_COMPLETE:
        this.isCompleteHandler.addToRolePolicy(statement);
        return;
      case HandlerRole.MONITOR:
      case HandlerRole.REMEDIATION: {
        const entry = { statement, remediation: role === HandlerRole.REMEDIATION };
        this.monitorStatements.push(entry);
        this.attachMonitorStatement(entry);
        return;
      }
    }
  }

  /**
   * Connects the stack's drift monitor: its role gets the reads every resource granted it (and
   * those granted later), the carried documents, and the handlers record what they deploy in its
   * table.
   */
  public attachMonitor(attachment: MonitorAttachment): void {
    if (this.monitorAttachment) throw new Error('the stack\'s provider already has a drift monitor');
    this.monitorAttachment = attachment;
    for (const entry of this.monitorStatements) this.attachMonitorStatement(entry);
    this.documentReadPolicies?.addRole(attachment.role);
  }

  private attachMonitorStatement(entry: { readonly statement: iam.PolicyStatement; readonly remediation: boolean }): void {
    const attachment = this.monitorAttachment;
    if (attachment && (attachment.remediate || !entry.remediation)) attachment.role.addToPrincipalPolicy(entry.statement);
  }

  /**
   * Lets both handlers record what they deploy in the monitor's table (lambda/shared/records.ts).
   * A list token like every statement of the handlers' roles: one literal statement among them
   * would make aws-cdk-lib put the rest into separate policies that the custom resources do not
   * depend on, deleted before them when the stack is destroyed.
   */
  public grantRecordWrites(tableArn: string): void {
    for (const role of [HandlerRole.ON_EVENT, HandlerRole.IS_COMPLETE]) {
      this.addStatement(role, new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'],
        resources: Lazy.list({ produce: () => [tableArn] }),
      }));
    }
  }

  /** Records `resource` for the drift monitor's metrics and alarms. */
  public registerMonitored(resource: IConstruct, monitored: MonitoredResource): void {
    this.monitored.set(resource, monitored);
  }

  /** What the monitor's metrics call `resource`, if it is an edge-sync resource of this stack. */
  public monitoredResource(resource: IConstruct): MonitoredResource | undefined {
    return this.monitored.get(resource);
  }

  /**
   * The properties that tell the handlers where to record what they deploy (the monitor's table)
   * and what the monitor calls the resource; none while the stack has no monitor.
   */
  public monitorProperties(resource: IConstruct): Record<string, string> {
    return {
      [MONITOR_PROPERTIES.table]: Lazy.uncachedString({ produce: () => this.monitorAttachment?.tableName }),
      [MONITOR_PROPERTIES.constructPath]: Lazy.uncachedString({ produce: () => (this.monitorAttachment ? resource.node.path : undefined) }),
    };
  }

  /**
   * Lets the handlers read `asset`, a configuration document carried as a file asset, for `reader`
   * (see DocumentReadPolicies).
   */
  public grantDocumentRead(reader: IConstruct, asset: s3assets.Asset): void {
    this.documentReadPolicies ??= new DocumentReadPolicies(this, 'DocumentReads', [
      this.onEventHandler.role!, this.isCompleteHandler.role!, ...(this.monitorAttachment ? [this.monitorAttachment.role] : []),
    ]);
    this.documentReadPolicies.grant(reader, asset);
  }

  /**
   * Records that `claimant` writes `target`; a second claim on the same target is a synth error,
   * because two resources would overwrite each other's configuration.
   */
  public claim(claimant: IConstruct, target: string, description: string): void {
    const previous = this.claims.get(target);
    if (previous !== undefined) {
      throw validationError(claimant, `${description} is already configured by ${previous} in this stack; two resources would overwrite each other`);
    }
    this.claims.set(target, claimant.node.path);
  }
}
