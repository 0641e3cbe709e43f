import * as path from 'path';
import { ArnFormat, Aws, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { MONITOR_ENVIRONMENT, RECORDS_TABLE_KEY } from './monitor-properties';
import { EdgeSyncProvider } from '../provider/edge-sync-provider';
import { validationError } from '../shared/validation';

/** The handler bundle (lambda/), shared with the provider's functions. */
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'provider');

/** The CloudWatch namespace of every cdk-edge-sync metric. */
const NAMESPACE = 'CdkEdgeSync';

/** Longest a monitor run may take: Lambda's limit. Checks of 400 resources take under a minute; remediation waits take the rest. */
const MONITOR_TIMEOUT = Duration.minutes(15);
const MAX_REMEDIATION_TIMEOUT = Duration.minutes(12);

/** Properties of an {@link EdgeSyncMonitor}. */
export interface EdgeSyncMonitorProps {
  /**
   * How often the monitor checks every edge-sync resource of the stack: whole minutes, from
   * 1 minute to 1 day.
   *
   * @default Duration.minutes(15)
   */
  readonly interval?: Duration;

  /**
   * Re-apply the deployed configuration to a drifted SiteWise capability namespace or Kinesis
   * Video stream, and wait for the device as a deploy would (up to `remediationTimeout`). A target
   * that another resource owns now is reported, never changed; Ground Station is never remediated.
   *
   * @default false
   */
  readonly remediate?: boolean;

  /**
   * How long one run waits for remediated devices to report IN_SYNC: at most 12 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly remediationTimeout?: Duration;

  /**
   * The event bus drift events go to (`source: cdk-edge-sync`,
   * `detail-type: Edge Configuration Drift Detected`).
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * A topic the monitor's alarms notify, when they go into ALARM and back to OK.
   *
   * @default - the alarms notify nobody
   */
  readonly alarmTopic?: sns.ITopic;
}

/** Options of a metric of the monitor. */
export interface EdgeSyncMetricOptions {
  /**
   * The period over which the metric is aggregated.
   *
   * @default - the monitor's interval
   */
  readonly period?: Duration;
}

/** Options of {@link EdgeSyncMonitor.addDashboard}. */
export interface EdgeSyncDashboardOptions {
  /**
   * The dashboard's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The period of the deploy metrics' graphs (sync time percentiles, failures, throttles).
   *
   * @default Duration.hours(1)
   */
  readonly deployPeriod?: Duration;
}

/** Options of {@link EdgeSyncMonitor.alarmOnDrift}. */
export interface DriftAlarmOptions {
  /**
   * How many consecutive runs must find the resource drifted before the alarm fires.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;
}

/**
 * Checks on a schedule that the edge still runs what the stack deployed, and tells when it does
 * not: one per stack, shared by every edge-sync resource of the stack (like the provider).
 *
 * CloudFormation's drift detection skips custom resources. The monitor reads what each resource
 * deployed (the deploy handlers record it in the monitor's DynamoDB table) and compares it with
 * what the device shows, writing for every resource the metrics `Drifted`, `InSync` and (Ground
 * Station) `Ready` in namespace `CdkEdgeSync` as Embedded Metric Format log lines, and sending an
 * EventBridge event for every resource that drifted, with the JSON paths that differ.
 *
 * Adding a monitor to a stack that is deployed already updates each edge-sync resource once (it
 * gains the properties that tell the handlers where to record), which applies the same
 * configuration again.
 */
export class EdgeSyncMonitor extends Construct {
  /** The stack's monitor, created with the default properties on first use. */
  public static of(scope: IConstruct): EdgeSyncMonitor {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(EdgeSyncMonitor.ID);
    return existing instanceof EdgeSyncMonitor ? existing : new EdgeSyncMonitor(stack, EdgeSyncMonitor.ID);
  }

  /**
   * Creates the stack's monitor with `props`. Fails if the stack has one already: call it before
   * anything calls `EdgeSyncMonitor.of`.
   */
  public static enable(scope: IConstruct, props: EdgeSyncMonitorProps = {}): EdgeSyncMonitor {
    const stack = Stack.of(scope);
    if (stack.node.tryFindChild(EdgeSyncMonitor.ID)) {
      throw validationError(scope, `stack ${stack.node.path} has an EdgeSyncMonitor already; enable it once, before EdgeSyncMonitor.of`);
    }
    return new EdgeSyncMonitor(stack, EdgeSyncMonitor.ID, props);
  }

  /**
   * A deploy metric of the handlers (`SyncSeconds`, `SyncFailures`, `SyncTimeouts`, `Throttles`)
   * for one resource type (`GatewayCapabilityConfiguration`, `StreamEdgeConfiguration`,
   * `DataflowEndpointGroupReadiness`) and request type (`Create`, `Update`, `Delete`). The
   * handlers write them whether or not the stack has a monitor.
   */
  public static metricDeploy(metricName: string, resourceType: string, requestType: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: NAMESPACE, metricName, dimensionsMap: { ResourceType: resourceType, RequestType: requestType }, ...props,
    });
  }

  private static readonly ID = 'EdgeSyncMonitor';

  /** The function that checks the devices. */
  public readonly handler: lambda.IFunction;

  /** Where the deploy handlers record what each resource deployed. */
  public readonly recordsTable: dynamodb.ITable;

  /**
   * The stack-wide alarms: any resource drifted; any resource out of sync. Per-resource alarms
   * come from `alarmOnDrift`.
   */
  public readonly alarms: cloudwatch.IAlarm[];

  /** How often the monitor runs. */
  public readonly interval: Duration;

  private readonly alarmTopic?: sns.ITopic;
  private readonly provider: EdgeSyncProvider;

  private constructor(scope: Stack, id: string, props: EdgeSyncMonitorProps = {}) {
    super(scope, id);
    this.interval = props.interval ?? Duration.minutes(15);
    const minutes = this.interval.toMinutes({ integral: false });
    if (!Token.isUnresolved(minutes) && (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)) {
      throw validationError(this, `interval must be whole minutes from 1 minute to 1 day, got ${this.interval.toHumanString()}`);
    }
    const remediationTimeout = props.remediationTimeout ?? Duration.minutes(5);
    const remediationSeconds = remediationTimeout.toSeconds({ integral: false });
    if (!Token.isUnresolved(remediationSeconds) && (remediationSeconds < 1 || remediationSeconds > MAX_REMEDIATION_TIMEOUT.toSeconds())) {
      throw validationError(this,
        `remediationTimeout must be from 1 second to ${MAX_REMEDIATION_TIMEOUT.toHumanString()}, got ${remediationTimeout.toHumanString()}`);
    }
    this.alarmTopic = props.alarmTopic;

    // Records are derived state: the table goes with the stack, whatever it holds.
    const table = new dynamodb.Table(this, 'Records', {
      partitionKey: { name: RECORDS_TABLE_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.recordsTable = table;

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [Stack.of(this).formatArn({
        service: 'logs', resource: 'log-group', resourceName: `${logGroup.logGroupName}:log-stream:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
    }));
    const eventBusName = props.eventBus?.eventBusName ?? 'default';
    const eventBusArn = props.eventBus?.eventBusArn
      ?? Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBusArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [table.tableArn] }));

    this.handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.determineLatestNodeRuntime(this),
      code: lambda.Code.fromAsset(HANDLER_ASSET_DIR),
      handler: 'index.monitor',
      memorySize: 256,
      timeout: MONITOR_TIMEOUT,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      // One run at a time: two would check and remediate the same devices.
      reservedConcurrentExecutions: 1,
      description: 'cdk-edge-sync: checks that edge devices still run what the stack deployed',
      environment: {
        [MONITOR_ENVIRONMENT.table]: table.tableName,
        [MONITOR_ENVIRONMENT.remediate]: String(props.remediate ?? false),
        [MONITOR_ENVIRONMENT.remediationTimeoutSeconds]: Token.isUnresolved(remediationSeconds)
          ? Token.asString(remediationSeconds) : String(remediationSeconds),
        [MONITOR_ENVIRONMENT.eventBus]: eventBusName,
      },
    });

    new events.Rule(this, 'Schedule', {
      description: 'cdk-edge-sync: runs the drift monitor',
      schedule: events.Schedule.rate(this.interval),
      targets: [new targets.LambdaFunction(this.handler, { retryAttempts: 0 })],
    });

    this.provider = EdgeSyncProvider.getOrCreate(this);
    this.provider.grantRecordWrites(table.tableArn);
    this.provider.attachMonitor({ role, tableName: table.tableName, remediate: props.remediate ?? false });

    this.alarms = [
      this.alarm('AnyDrifted', this.metricDriftedResources(), 'cdk-edge-sync: an edge configuration of this stack drifted'),
      this.alarm('AnyOutOfSync', this.metricOutOfSyncResources(), 'cdk-edge-sync: an edge device of this stack is not in sync with what the stack deployed'),
    ];
  }

  /** How many resources of the stack were found drifted in a run (the Sum of `Drifted` over the stack). */
  public metricDriftedResources(options: EdgeSyncMetricOptions = {}): cloudwatch.Metric {
    return this.stackMetric('Drifted', options);
  }

  /** How many resources of the stack were found in sync in a run; compare with the number of resources. */
  public metricInSyncResources(options: EdgeSyncMetricOptions = {}): cloudwatch.Metric {
    return this.stackMetric('InSync', options);
  }

  /** How many resources of the stack were not in sync in a run: the checks made, less those in sync. */
  public metricOutOfSyncResources(options: EdgeSyncMetricOptions = {}): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: 'checked - insync',
      usingMetrics: {
        checked: this.stackMetric('InSync', options, cloudwatch.Stats.SAMPLE_COUNT),
        insync: this.stackMetric('InSync', options),
      },
      period: options.period ?? this.interval,
      label: 'Out-of-sync resources',
    });
  }

  /** `Drifted` of one edge-sync resource: 1 when the last run found it drifted. */
  public metricDrifted(resource: IConstruct, options: EdgeSyncMetricOptions = {}): cloudwatch.Metric {
    return this.resourceMetric(resource, 'Drifted', options);
  }

  /** `InSync` of one edge-sync resource: 1 when the last run found the device in sync with the deployed configuration. */
  public metricInSync(resource: IConstruct, options: EdgeSyncMetricOptions = {}): cloudwatch.Metric {
    return this.resourceMetric(resource, 'InSync', options);
  }

  /** `Ready` of a DataflowEndpointGroupReadiness: 1 when every agent endpoint was ready. */
  public metricReady(resource: IConstruct, options: EdgeSyncMetricOptions = {}): cloudwatch.Metric {
    return this.resourceMetric(resource, 'Ready', options);
  }

  /** An alarm when `resource` (an edge-sync construct of this stack) is found drifted. */
  public alarmOnDrift(resource: IConstruct, options: DriftAlarmOptions = {}): cloudwatch.Alarm {
    const metric = this.metricDrifted(resource);
    return this.alarm(`Drifted${Names.nodeUniqueId(resource.node)}`, metric,
      `cdk-edge-sync: ${resource.node.path} drifted`, options.evaluationPeriods);
  }

  /**
   * Adds a CloudWatch dashboard: deploy sync time percentiles and failures by resource and request
   * type; drifted and out-of-sync resources and Ground Station readiness from the monitor's runs;
   * the monitor's alarms. The layout is drawn in docs/dashboard-layout.svg.
   */
  public addDashboard(id: string = 'Dashboard', options: EdgeSyncDashboardOptions = {}): cloudwatch.Dashboard {
    const deployPeriod = options.deployPeriod ?? Duration.hours(1);
    const deploySearch = (metricName: string, statistic: string, label: string) => new cloudwatch.MathExpression({
      expression: `SEARCH('{${NAMESPACE},ResourceType,RequestType} MetricName="${metricName}"', '${statistic}', ${deployPeriod.toSeconds()})`,
      usingMetrics: {},
      label,
      period: deployPeriod,
    });
    const readiness = new cloudwatch.MathExpression({
      expression: `SEARCH('{${NAMESPACE},Stack,ConstructPath,Target} MetricName="Ready" Stack="${Aws.STACK_NAME}"', 'Minimum', ${this.interval.toSeconds()})`,
      usingMetrics: {},
      label: 'Ready',
      period: this.interval,
    });
    const dashboard = new cloudwatch.Dashboard(this, id, { dashboardName: options.dashboardName });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# cdk-edge-sync: ${Aws.STACK_NAME}\nDeploys (left) and what the drift monitor found every ${this.interval.toHumanString()} (right).`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Sync time (p50, p90, p99), seconds',
        left: [deploySearch('SyncSeconds', 'p50', 'p50'), deploySearch('SyncSeconds', 'p90', 'p90'), deploySearch('SyncSeconds', 'p99', 'p99')],
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Sync failures, timeouts and throttles',
        left: [deploySearch('SyncFailures', 'Sum', 'failures'), deploySearch('SyncTimeouts', 'Sum', 'timeouts')],
        right: [deploySearch('Throttles', 'Sum', 'throttles')],
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Drifted and out-of-sync resources',
        left: [this.metricDriftedResources({}), this.metricOutOfSyncResources({})],
        leftYAxis: { min: 0 },
        width: 8,
        height: 6,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Ground Station readiness (1 ready, 0 not)', left: [readiness], leftYAxis: { min: 0, max: 1 }, width: 16, height: 6 }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 8, height: 6 }),
    );
    return dashboard;
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string, evaluationPeriods: number = 1): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods,
      // No run, no data: not a drift (a failing monitor shows in its own Errors metric).
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    if (this.alarmTopic) {
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
      alarm.addOkAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    }
    return alarm;
  }

  private stackMetric(metricName: string, options: EdgeSyncMetricOptions, statistic: string = cloudwatch.Stats.SUM): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { Stack: Aws.STACK_NAME },
      statistic,
      period: options.period ?? this.interval,
    });
  }

  private resourceMetric(resource: IConstruct, metricName: string, options: EdgeSyncMetricOptions): cloudwatch.Metric {
    const monitored = this.provider.monitoredResource(resource);
    if (!monitored) {
      throw validationError(this, `${resource.node.path} is not an edge-sync resource of stack ${Stack.of(this).node.path}`);
    }
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { Stack: Aws.STACK_NAME, ConstructPath: resource.node.path, Target: monitored.target },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: options.period ?? this.interval,
    });
  }
}
