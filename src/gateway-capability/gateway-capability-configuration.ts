import { Annotations, CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { CfnGateway } from 'aws-cdk-lib/aws-iotsitewise';
import { Construct } from 'constructs';
import { CapabilityConfiguration } from './capability-configuration';
import { CapabilityNamespace } from './capability-namespace';
import { DocumentCarriage } from './document-carriage';
import { OpcUaCollectorConfiguration } from './opcua/opcua-collector-configuration';
import { PublisherConfiguration } from './publisher/publisher-configuration';
import {
  GATEWAY_CAPABILITY_RESOURCE_TYPE,
  GatewayCapabilityResourceProperties,
  OPCUA_COLLECTOR_DOCUMENT_RULES,
  PUBLISHER_DOCUMENT_RULES,
  ResetOnDelete,
} from './resource-properties';
import { checkGatewayId } from './rules';
import { EdgeSyncProvider, HandlerRole, SERVICE_TIMEOUT } from '../provider/edge-sync-provider';
import { GATEWAY_HANDLER_ACTIONS } from '../provider/owned-targets';
import { checkSyncTimeoutSeconds } from '../shared/rules';
import { checkedSeconds, validationError } from '../shared/validation';

/** What the handlers call on a gateway (provider/owned-targets.ts). */
const ON_EVENT_ACTIONS = GATEWAY_HANDLER_ACTIONS;
const IS_COMPLETE_ACTIONS = GATEWAY_HANDLER_ACTIONS;
/** What the drift monitor reads on a gateway (EdgeSyncMonitor), and writes when it remediates. */
const MONITOR_ACTIONS = ['iotsitewise:DescribeGatewayCapabilityConfiguration', 'iotsitewise:ListTagsForResource'];
const REMEDIATION_ACTIONS = ['iotsitewise:UpdateGatewayCapabilityConfiguration'];

/** Properties of a {@link GatewayCapabilityConfiguration}. */
export interface GatewayCapabilityConfigurationProps {
  /**
   * The id (a UUID) of the gateway to configure, as a string or a token.
   *
   * Give exactly one of `gatewayId` and `gateway`.
   *
   * @default - taken from `gateway`
   */
  readonly gatewayId?: string;

  /**
   * The gateway to configure, defined in this app.
   *
   * Give exactly one of `gatewayId` and `gateway`.
   *
   * @default - taken from `gatewayId`
   */
  readonly gateway?: CfnGateway;

  /**
   * The capability namespace, for example `CapabilityNamespace.OPC_UA_COLLECTOR_V3`.
   *
   * @default - the namespace of a typed configuration (`OpcUaCollectorConfiguration`,
   * `PublisherConfiguration`); required with `CapabilityConfiguration.fromObject` or `fromJson`
   */
  readonly namespace?: CapabilityNamespace;

  /**
   * The configuration document of the capability. It replaces the whole document of the namespace.
   *
   * A document larger than 64 KiB travels as an S3 file asset, which `cdk deploy` uploads with
   * the stack, instead of inline in the template.
   */
  readonly configuration: CapabilityConfiguration;

  /**
   * Wait until the gateway reports the configuration IN_SYNC before CloudFormation continues.
   *
   * When false the resource succeeds as soon as the API accepts the document, as CloudFormation
   * does for `AWS::IoTSiteWise::Gateway`.
   *
   * @default true
   */
  readonly waitForSync?: boolean;

  /**
   * How long to wait for the gateway, from the start of the create, update or delete, before the
   * deploy fails with the last status seen. At most 55 minutes.
   *
   * @default Duration.minutes(15)
   */
  readonly syncTimeout?: Duration;

  /**
   * Words a failure reason starts with, to tell which of many resources failed (a fleet names
   * the site and its wave).
   *
   * @default - none
   */
  readonly rolloutLabel?: string;

  /**
   * Fail the deploy when the gateway reports NOT_APPLICABLE (the capability is not supported,
   * typical of partner data sources) instead of treating it as success.
   *
   * @default false
   */
  readonly failOnNotApplicable?: boolean;

  /**
   * What happens to the configuration on the gateway when the resource is deleted or replaced.
   * No AWS API deletes a capability configuration: `DESTROY` overwrites it with the namespace's
   * empty document (or `resetConfiguration`) and waits for the gateway to sync; `RETAIN` leaves
   * it as it is. `RETAIN_ON_UPDATE_OR_DELETE` leaves it too, except after a create that failed:
   * CloudFormation then deletes the resource (`DeletionPolicy: RetainExceptOnCreate`) and the
   * document it wrote is overwritten as with `DESTROY`. `SNAPSHOT` is not supported.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The document that replaces the configuration when the resource is deleted with
   * `RemovalPolicy.DESTROY`.
   *
   * @default - the namespace's documented empty document (`{"sources":[]}` for the OPC UA
   * collector); for a namespace without one, the configuration is left on the gateway.
   */
  readonly resetConfiguration?: CapabilityConfiguration;
}

/**
 * Applies an IoT SiteWise gateway capability configuration and waits until the gateway
 * reports it IN_SYNC.
 *
 * The deploy fails, and CloudFormation rolls back to the previous document, when the gateway
 * rejects the configuration (SYNC_FAILED) or does not sync within `syncTimeout`.
 */
export class GatewayCapabilityConfiguration extends Construct {
  /** The id of the configured gateway (may be a token). */
  public readonly gatewayId: string;

  /** The capability namespace. */
  public readonly namespace: string;

  /**
   * The capabilitySyncStatus at the end of the deploy: `IN_SYNC`, `NOT_APPLICABLE`, or, with
   * `waitForSync: false`, the status the API answered with (usually `OUT_OF_SYNC`).
   *
   * @attribute
   */
  public readonly attrSyncStatus: string;

  constructor(scope: Construct, id: string, props: GatewayCapabilityConfigurationProps) {
    super(scope, id);

    this.gatewayId = this.resolveGatewayId(props);
    const rendered = props.configuration.bind(this);
    const namespace = this.resolveNamespace(props.namespace, rendered.namespace);
    this.namespace = namespace.value;
    const syncTimeoutSeconds = checkedSeconds(this, props.syncTimeout ?? Duration.minutes(15), checkSyncTimeoutSeconds);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    const onDelete = onDeleteFor(this, removalPolicy);

    const resetConfiguration = props.resetConfiguration?.bind(this).json ?? namespace.emptyConfiguration;
    if (onDelete === ResetOnDelete.RESET && resetConfiguration === undefined) {
      Annotations.of(this).addInfo(
        `No empty document is known for namespace ${this.namespace}: deleting this resource leaves its configuration on the gateway. Set resetConfiguration to choose one.`,
      );
    }

    const provider = EdgeSyncProvider.getOrCreate(this);
    provider.claim(this, `iotsitewise:${this.gatewayId}/${this.namespace}`, `capability namespace ${this.namespace} of gateway ${this.gatewayId}`);
    const gatewayArn = (resourceName: string) => Stack.of(this).formatArn({ service: 'iotsitewise', resource: 'gateway', resourceName });
    provider.grant(HandlerRole.ON_EVENT, ON_EVENT_ACTIONS, gatewayArn(this.gatewayId), gatewayArn('*'));
    provider.grant(HandlerRole.IS_COMPLETE, IS_COMPLETE_ACTIONS, gatewayArn(this.gatewayId), gatewayArn('*'));
    provider.grant(HandlerRole.MONITOR, MONITOR_ACTIONS, gatewayArn(this.gatewayId), gatewayArn('*'));
    provider.grant(HandlerRole.REMEDIATION, REMEDIATION_ACTIONS, gatewayArn(this.gatewayId), gatewayArn('*'));
    provider.registerMonitored(this, { target: `${this.gatewayId}/${this.namespace}` });
    // Gateways this stack configured that the template no longer names: their cleanup Delete and
    // the rollback Update back to them run under this template's policies.
    // (The provider grants the same for the namespaces the library knows, whatever the template names.)
    if (!Token.isUnresolved(this.namespace)) provider.grantOwnedGateways(this.namespace);
    // Documents too large for the template and the waiter's input travel as S3 objects, which onEvent reads.
    const carriage = new DocumentCarriage(this, (asset) => provider.grantDocumentRead(this, asset));
    const configuration = carriage.add('Configuration', rendered.json);
    const reset = onDelete === ResetOnDelete.RESET && resetConfiguration !== undefined ? carriage.add('ResetConfiguration', resetConfiguration) : undefined;

    const properties: GatewayCapabilityResourceProperties = {
      GatewayId: this.gatewayId,
      CapabilityNamespace: this.namespace,
      CapabilityConfiguration: configuration.inline,
      CapabilityConfigurationS3: configuration.s3,
      ResetConfiguration: reset?.inline,
      ResetConfigurationS3: reset?.s3,
      OnDelete: onDelete,
      WaitForSync: String(props.waitForSync ?? true),
      SyncTimeoutSeconds: Token.isUnresolved(syncTimeoutSeconds) ? Token.asString(syncTimeoutSeconds) : String(syncTimeoutSeconds),
      FailOnNotApplicable: String(props.failOnNotApplicable ?? false),
      DocumentRules: documentRulesOf(props.configuration),
      RolloutLabel: props.rolloutLabel,
    };
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: GATEWAY_CAPABILITY_RESOURCE_TYPE,
      properties: { ...properties, ...provider.monitorProperties(this) },
      serviceTimeout: SERVICE_TIMEOUT,
      removalPolicy,
    });
    this.attrSyncStatus = resource.getAttString('SyncStatus');
  }

  private resolveNamespace(given: CapabilityNamespace | undefined, ofConfiguration: CapabilityNamespace | undefined): CapabilityNamespace {
    if (given && ofConfiguration && given.value !== ofConfiguration.value) {
      throw validationError(this, `namespace ${given.value} does not match the configuration, which is written for ${ofConfiguration.value}`);
    }
    const namespace = given ?? ofConfiguration;
    if (!namespace) {
      throw validationError(this, 'namespace is required: a configuration from CapabilityConfiguration.fromObject or fromJson does not say which namespace it is for');
    }
    return namespace;
  }

  private resolveGatewayId(props: GatewayCapabilityConfigurationProps): string {
    if ((props.gatewayId === undefined) === (props.gateway === undefined)) {
      throw validationError(this, `give exactly one of gatewayId and gateway, got ${props.gatewayId === undefined ? 'neither' : 'both'}`);
    }
    const gatewayId = props.gatewayId ?? props.gateway!.attrGatewayId;
    if (!Token.isUnresolved(gatewayId)) {
      const problem = checkGatewayId(gatewayId);
      if (problem) throw validationError(this, problem);
    }
    return gatewayId;
  }
}

/** Which typed document's rules the handler checks again once tokens are resolved. */
function documentRulesOf(configuration: CapabilityConfiguration): string | undefined {
  if (configuration instanceof OpcUaCollectorConfiguration) return OPCUA_COLLECTOR_DOCUMENT_RULES;
  if (configuration instanceof PublisherConfiguration) return PUBLISHER_DOCUMENT_RULES;
  return undefined;
}

function onDeleteFor(scope: Construct, removalPolicy: RemovalPolicy): ResetOnDelete {
  switch (removalPolicy) {
    case RemovalPolicy.DESTROY:
    // RetainExceptOnCreate: CloudFormation sends a Delete only to roll back a failed create, which must not leave its document behind.
    case RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE:
      return ResetOnDelete.RESET;
    case RemovalPolicy.RETAIN:
      return ResetOnDelete.RETAIN;
    default:
      throw validationError(scope, `removalPolicy must be DESTROY, RETAIN or RETAIN_ON_UPDATE_OR_DELETE, got ${removalPolicy}: a capability configuration has no snapshot`);
  }
}
