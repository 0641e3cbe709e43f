import { differingPaths, parsedOrText } from './json-diff';
import { CheckResult } from './types';
import { waitUntil } from './waiting';
import { documentDigest, sameDocument } from '../gateway-capability/document-digest';
import { documentText } from '../gateway-capability/documents';
import { parseSettings } from '../gateway-capability/settings';
import { describeCapability, gatewayArn, gatewayTags, isNotFound, updateCapabilityConfiguration } from '../gateway-capability/sitewise';
import { ownershipKeys, stackEnvironment } from '../shared/ownership';
import { DeployedRecord } from '../shared/records';

/**
 * A SiteWise capability namespace: in sync when the gateway stores the deployed document (the same
 * JSON, whatever its key order and spacing) and reports IN_SYNC; drifted when it stores another
 * document or none.
 */
export async function checkGatewayCapability(record: DeployedRecord): Promise<CheckResult> {
  const settings = parseSettings(record.Properties);
  const target = `${settings.gatewayId}/${settings.namespace}`;
  const arn = gatewayArn(stackEnvironment(record.StackId), settings.gatewayId);
  const deployed = await documentText(settings.configuration);
  let stored: { configuration?: string; status: string } | undefined;
  try {
    stored = await describeCapability(settings);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const base = { record, target, targetArn: arn };
  if (!stored) {
    return { ...base, drifted: true, inSync: false, paths: ['/'], status: 'the gateway or its capability configuration no longer exists' };
  }
  const same = sameDocument(stored.configuration, deployed);
  const owner = (await gatewayTags(arn))[ownershipKeys(settings.namespace).owner];
  const ownedBy = owner !== undefined && owner !== record.OwnerId ? owner : undefined;
  return {
    ...base,
    drifted: !same,
    inSync: same && stored.status === 'IN_SYNC',
    paths: same ? [] : differingPaths(parsedOrText(deployed), parsedOrText(stored.configuration)),
    status: `capabilitySyncStatus ${stored.status}${same ? '' : ', another document stored'}`,
    ownedBy,
    remediate: ownedBy ? undefined : async (deadline) => {
      const digest = documentDigest(deployed);
      await updateCapabilityConfiguration(settings, deployed);
      return waitUntil(deadline, async () => {
        const now = await describeCapability(settings);
        if (!sameDocument(now.configuration, deployed)) return { done: true, outcome: `another writer stored another document (expected digest ${digest})` };
        if (now.status === 'IN_SYNC') return { done: true, outcome: 'IN_SYNC' };
        if (now.status === 'SYNC_FAILED') return { done: true, outcome: 'SYNC_FAILED' };
        return { done: false, status: now.status };
      });
    },
  };
}
