import { createHash } from 'crypto';

/**
 * The tags that record who owns a configured target (see the handlers' shared/ownership.ts):
 * the owner tag's value is `<stack name>/<logical id>` of the resource that applied the
 * configuration, the handover tag's the resource it took the target over from. A SiteWise
 * gateway has one pair per capability namespace; a Kinesis Video stream one pair.
 */
export const OWNER_TAG = 'cdk-edge-sync:owner';
export const HANDOVER_TAG = 'cdk-edge-sync:handover';

/** AWS's limit on tag keys. */
const MAX_TAG_KEY = 128;

export interface OwnershipKeys {
  readonly owner: string;
  readonly handover: string;
}

/** The tag keys of one target: `cdk-edge-sync:owner:iotsitewise:opcuacollector:3` on a gateway, `cdk-edge-sync:owner` on a stream. */
export function ownershipKeys(qualifier?: string): OwnershipKeys {
  const key = (prefix: string) => {
    if (qualifier === undefined) return prefix;
    const full = `${prefix}:${qualifier}`;
    return full.length <= MAX_TAG_KEY ? full : `${prefix}:${createHash('sha256').update(qualifier).digest('hex').slice(0, 32)}`;
  };
  return { owner: key(OWNER_TAG), handover: key(HANDOVER_TAG) };
}
