import { createHash } from 'crypto';
import type { OwnershipKeys } from '../../src/shared/ownership-tags';

/**
 * Who owns a configured target, recorded where AWS keeps it: tags on the target (a SiteWise
 * gateway, one pair per capability namespace; a Kinesis Video stream). The owner is the resource
 * that applied the configuration, `<stack name>/<logical id>`.
 *
 * - An apply claims an unowned target. A target owned by another resource is taken over only when
 *   it already runs exactly the configuration being applied, which is what a rename, a new parent
 *   or a move to another stack looks like; the previous owner is kept in the handover tag until
 *   its own Delete confirms the handover. Any other apply fails, naming the owner.
 * - A Delete destroys (resets or deletes) only what its resource owns, or what nobody owns
 *   (configured before ownership was recorded). Of a target another resource now owns, it only
 *   confirms the handover. Of a target it took over whose previous owner is still recorded, it is
 *   the rollback of that takeover (or the new owner's removal before the old one confirmed): it
 *   hands the target back and leaves the configuration as it is.
 */

export { HANDOVER_TAG, OWNER_TAG, ownershipKeys } from '../../src/shared/ownership-tags';
export type { OwnershipKeys } from '../../src/shared/ownership-tags';

/** AWS's limit on tag values. */
const MAX_TAG_VALUE = 256;

/**
 * `<stack name>/<logical id>` of the resource a request is for: a tag value of at most 256
 * characters (a very long logical id is shortened, with a hash). IAM policies grant on the
 * stack name prefix, `<stack name>/*`.
 */
export function ownerIdOf(stackId: string, logicalId: string): string {
  const stackName = stackId.split('/')[1] ?? stackId;
  const id = `${stackName}/${logicalId}`;
  if (id.length <= MAX_TAG_VALUE) return id;
  const hash = shortHash(logicalId, 16);
  return `${stackName}/${logicalId.slice(0, MAX_TAG_VALUE - stackName.length - hash.length - 2)}~${hash}`;
}

/** The partition, region and account of a stack (its id is an ARN), for the ARNs of the targets it configures. */
export function stackEnvironment(stackId: string): { partition: string; region: string; accountId: string } {
  const [, partition = 'aws', , region = '', accountId = ''] = stackId.split(':');
  return { partition, region, accountId };
}

/** What an apply finds on its target. */
export type ApplyOwnership =
  | { readonly kind: 'mine' }
  | { readonly kind: 'unowned' }
  | { readonly kind: 'others'; readonly owner: string };

export function applyOwnership(tags: Readonly<Record<string, string>>, keys: OwnershipKeys, me: string): ApplyOwnership {
  const owner = tags[keys.owner];
  if (owner === undefined || owner === '') return { kind: 'unowned' };
  return owner === me ? { kind: 'mine' } : { kind: 'others', owner };
}

/** What a destructive Delete may do to its target. */
export type DeleteOwnership =
  /** Reset or delete it; `release`: then remove the owner tag, which names this resource. */
  | { readonly kind: 'destroy'; readonly release: boolean }
  /** Leave it to `owner`; `confirmHandover`: this resource is the one it took over from. */
  | { readonly kind: 'leave'; readonly owner: string; readonly confirmHandover: boolean }
  /** This resource took it over from `to`, which has not confirmed: give it back, leave the configuration. */
  | { readonly kind: 'giveBack'; readonly to: string };

export function deleteOwnership(tags: Readonly<Record<string, string>>, keys: OwnershipKeys, me: string): DeleteOwnership {
  const owner = tags[keys.owner];
  const handover = tags[keys.handover];
  if (owner === undefined || owner === '') return { kind: 'destroy', release: false };
  if (owner !== me) return { kind: 'leave', owner, confirmHandover: handover === me };
  if (handover !== undefined && handover !== '' && handover !== me) return { kind: 'giveBack', to: handover };
  return { kind: 'destroy', release: true };
}

/** The reason an apply fails on a target another resource owns. */
export function ownedByAnotherMessage(what: string, owner: string, keys: OwnershipKeys): string {
  return `${what} is configured by ${owner} (tag ${keys.owner}), with another configuration. Change it there, or remove it there first; ` +
    'a resource takes over a configuration only when it applies exactly the same one (a rename or a move). ' +
    `If ${owner} no longer exists, remove the tag.`;
}

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * Whether a Delete's physical id is one CloudFormation invented (`<stack>-<logical id>-<suffix>`)
 * for a Create it stopped waiting for when another resource failed. That Create may have claimed
 * and configured the target its properties name; only its owner tag can tell.
 */
export function isInventedPhysicalId(stackId: string, logicalId: string, physicalId: string | undefined): boolean {
  const stackName = stackId.split('/')[1] ?? stackId;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escape(stackName)}-${escape(logicalId)}-[A-Za-z0-9]+$`).test(physicalId ?? '');
}
