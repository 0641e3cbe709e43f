import { Duration, Token } from 'aws-cdk-lib';
import { checkNodePath, checkOpcUaEndpointUri, checkSecurityPairing } from './document-rules';
import {
  OpcUaDeadband, OpcUaDiscoveryOptions, OpcUaMessageSecurityMode, OpcUaPropertyGroupProps, OpcUaScanMode, OpcUaSecurityPolicy,
  OpcUaSourceProps, OpcUaSubscriptionOptions,
} from './opcua-options';
import { unscopedValidationError } from '../../shared/validation';
import { renderDuration } from '../document-values';

/** The gateway versions the OPC UA collector is documented for. */
export type CollectorVersion = 2 | 3;

const DEPRECATED_POLICIES = [OpcUaSecurityPolicy.BASIC128_RSA15, OpcUaSecurityPolicy.BASIC256];

/**
 * Checks one source against the rules of the SiteWise user guide and renders it as the
 * collector reads it. Errors name the source, the property, the value and the rule.
 */
export function renderSource(source: OpcUaSourceProps, version: CollectorVersion): Record<string, unknown> {
  const fail = (message: string) => unscopedValidationError(`OPC UA source ${JSON.stringify(source.name)}: ${message}`);
  if (!Token.isUnresolved(source.name) && source.name.trim().length === 0) throw fail('name must not be empty');
  checkEndpointUri(source.endpointUri, fail);

  const policy = source.securityPolicy ?? OpcUaSecurityPolicy.NONE;
  const mode = source.messageSecurityMode ?? OpcUaMessageSecurityMode.NONE;
  const pairing = checkSecurityPairing(policy, mode);
  if (pairing) throw fail(pairing);
  const trust = source.certificateTrust;
  const identity = source.identity;
  (source.includePaths ?? []).forEach((path, i) => checkRootPath(path, `includePaths[${i}]`, fail));

  const destination = source.destination ?? (version === 3 ? { type: 'MQTT' } : undefined);
  if (destination?.type === 'MQTT' && version === 2) {
    throw fail('destination MQTT needs an MQTT-enabled (V3) gateway; a Classic streams (V2) gateway sends to a Stream Manager stream (OpcUaDestination.streamManager)');
  }
  if (destination?.type === 'StreamManager' && version === 3) {
    throw fail('destination StreamManager needs a Classic streams (V2) gateway; an MQTT-enabled (V3) gateway sends to MQTT (OpcUaDestination.mqtt)');
  }
  if (version === 2 && (source.discovery !== undefined || source.defaultDataChangeTrigger !== undefined)) {
    throw fail('discovery and defaultDataChangeTrigger need an MQTT-enabled (V3) gateway');
  }

  return compact({
    name: source.name,
    endpoint: {
      certificateTrust: trust
        ? compact({ type: trust.type, certificateBody: trust.certificateBody, certificateChain: trust.certificateChain })
        : { type: 'TrustAny' },
      endpointUri: source.endpointUri,
      securityPolicy: policy,
      messageSecurityMode: mode,
      identityProvider: identity?.secret ? { type: 'Username', usernameSecretArn: identity.secret.secretArn } : { type: 'Anonymous' },
      nodeFilterRules: (source.includePaths ?? []).map((rootPath) => ({ action: 'INCLUDE', definition: { type: 'OpcUaRootPath', rootPath } })),
    },
    measurementDataStreamPrefix: source.measurementDataStreamPrefix ?? '',
    typeConversions: source.convertArraysToJson || source.convertDatetimesToIso8601
      ? compact({ array: source.convertArraysToJson ? 'JsonArray' : undefined, datetime: source.convertDatetimesToIso8601 ? 'ISO8601String' : undefined })
      : undefined,
    destination: destination && compact({
      type: destination.type,
      streamName: 'streamName' in destination ? destination.streamName : undefined,
      streamBufferSize: 'streamBufferSize' in destination ? destination.streamBufferSize : undefined,
    }),
    propertyGroups: source.propertyGroups && renderPropertyGroups(source.propertyGroups, fail),
    discoveryConfig: source.discovery && renderDiscovery(source.discovery, fail),
    defaultPropertyGroupConfig: source.defaultDataChangeTrigger && { dataChangeTrigger: source.defaultDataChangeTrigger },
  });
}

/** Whether the source uses a security policy the OPC Foundation deprecated. */
export function usesDeprecatedPolicy(source: OpcUaSourceProps): boolean {
  return source.securityPolicy !== undefined && DEPRECATED_POLICIES.includes(source.securityPolicy);
}

function checkEndpointUri(uri: string, fail: (message: string) => Error): void {
  const problem = Token.isUnresolved(uri) ? undefined : checkOpcUaEndpointUri(uri);
  if (problem) throw fail(problem);
}

function checkRootPath(path: string, property: string, fail: (message: string) => Error): void {
  const problem = Token.isUnresolved(path) ? undefined : checkNodePath(path, property);
  if (problem) throw fail(problem);
}

function renderPropertyGroups(groups: readonly OpcUaPropertyGroupProps[], fail: (message: string) => Error): Record<string, unknown>[] {
  const names = new Set<string>();
  const allNodes = groups.filter((g) => g.rootPaths === undefined || g.rootPaths.length === 0);
  if (allNodes.length > 0 && groups.length > 1) {
    throw fail(`property group ${JSON.stringify(allNodes[0].name)} has no rootPaths, so it covers every node and must be the source's only group`);
  }
  const claimed: Array<{ group: string; path: string }> = [];
  return groups.map((group) => {
    const groupFail = (message: string) => fail(`property group ${JSON.stringify(group.name)}: ${message}`);
    if (names.has(group.name)) throw groupFail('name must be unique within the source');
    names.add(group.name);
    for (const [i, path] of (group.rootPaths ?? []).entries()) {
      checkRootPath(path, `rootPaths[${i}]`, groupFail);
      const overlap = claimed.find((c) => overlaps(c.path, path));
      if (overlap) throw groupFail(`rootPaths[${i}] ${JSON.stringify(path)} overlaps ${JSON.stringify(overlap.path)} of property group ${JSON.stringify(overlap.group)}`);
      claimed.push({ group: group.name, path });
    }
    return compact({
      name: group.name,
      nodeFilterRuleDefinitions: group.rootPaths?.map((rootPath) => ({ type: 'OpcUaRootPath', rootPath })),
      deadband: group.deadband && renderDeadband(group.deadband, groupFail),
      scanMode: group.scanMode && renderScanMode(group.scanMode, groupFail),
      dataQuality: group.dataQuality && compact({ ...group.dataQuality }),
      subscription: group.subscription && renderSubscription(group.subscription, groupFail),
    });
  });
}

/**
 * Two root paths overlap when the literal part of one (up to its first wildcard) starts with the
 * other's: `/Line1/` and `/Line1/Temp/`, or `/Flow/FT-*` and `/Flow/FT-001`.
 */
function overlaps(a: string, b: string): boolean {
  const literal = (path: string) => {
    const cut = path.indexOf('*');
    return cut === -1 ? path.replace(/\/?$/, '/') : path.slice(0, cut);
  };
  const [x, y] = [literal(a), literal(b)];
  return x.startsWith(y) || y.startsWith(x);
}

function renderDeadband(deadband: OpcUaDeadband, fail: (message: string) => Error): Record<string, unknown> {
  if (deadband.type === 'PERCENT' && !(deadband.value >= 1 && deadband.value <= 100)) {
    throw fail(`deadband percent value must be from 1 to 100, got ${deadband.value}`);
  }
  if (deadband.type === 'ABSOLUTE' && !(deadband.value >= 0)) throw fail(`deadband absolute value must be 0 or more, got ${deadband.value}`);
  if (deadband.eguMin !== undefined && deadband.eguMax !== undefined && deadband.eguMin >= deadband.eguMax) {
    throw fail(`deadband eguMin must be below eguMax, got ${deadband.eguMin} and ${deadband.eguMax}`);
  }
  return compact({
    type: deadband.type,
    value: deadband.value,
    eguMin: deadband.eguMin,
    eguMax: deadband.eguMax,
    timeoutMilliseconds: deadband.timeout && milliseconds(deadband.timeout, 'deadband timeout', 100, fail),
  });
}

function renderScanMode(scanMode: OpcUaScanMode, fail: (message: string) => Error): Record<string, unknown> {
  return compact({
    type: scanMode.type,
    rate: scanMode.rate && milliseconds(scanMode.rate, 'scanMode rate', 1, fail),
    timestampToReturn: scanMode.timestampToReturn,
  });
}

function renderSubscription(subscription: OpcUaSubscriptionOptions, fail: (message: string) => Error): Record<string, unknown> {
  if (subscription.queueSize !== undefined && !(Number.isInteger(subscription.queueSize) && subscription.queueSize >= 1)) {
    throw fail(`subscription queueSize must be a whole number of at least 1, got ${subscription.queueSize}`);
  }
  return compact({
    dataChangeTrigger: subscription.dataChangeTrigger,
    queueSize: subscription.queueSize,
    publishingIntervalMilliseconds: subscription.publishingInterval && milliseconds(subscription.publishingInterval, 'subscription publishingInterval', 1, fail),
    snapshotFrequencyMilliseconds: subscription.snapshotFrequency && milliseconds(subscription.snapshotFrequency, 'subscription snapshotFrequency', 1, fail),
  });
}

function renderDiscovery(discovery: OpcUaDiscoveryOptions, fail: (message: string) => Error): Record<string, unknown> {
  const within = (value: number | undefined, property: string, min: number, max: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      throw fail(`discovery ${property} must be a whole number from ${min} to ${max}, got ${value}`);
    }
    return value;
  };
  const periodic = discovery.periodicDiscovery;
  const interval = periodic && renderDuration('discovery periodicDiscovery interval', periodic.interval,
    { finestUnit: 'seconds', min: Duration.seconds(30) }, (message) => { throw fail(message); });
  return compact({
    enableNodeTraversal: discovery.enableNodeTraversal,
    avoidNodeTreeLoops: discovery.avoidNodeTreeLoops,
    maxConcurrentBrowseRequests: within(discovery.maxConcurrentBrowseRequests, 'maxConcurrentBrowseRequests', 1, 500),
    maxNodesPerBrowseRequest: within(discovery.maxNodesPerBrowseRequest, 'maxNodesPerBrowseRequest', 1, 1000),
    periodicDiscovery: periodic && compact({ interval, maxNodesDiscoveredPerInterval: periodic.maxNodesDiscoveredPerInterval }),
  });
}

function milliseconds(duration: Duration, property: string, minimum: number, fail: (message: string) => Error): number {
  const ms = duration.toMilliseconds({ integral: false });
  if (!Token.isUnresolved(ms) && !(Number.isInteger(ms) && ms >= minimum)) {
    throw fail(`${property} must be a whole number of milliseconds, at least ${minimum} ms, got ${duration.toHumanString()}`);
  }
  return ms;
}

/** The object without its undefined members, so the document has only what was given. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
