import { Construct, IConstruct } from 'constructs';
import { RolloutWaves } from './rollout-waves';
import { orderInWaves } from './wave-plan';
import { validationError } from '../shared/validation';

/** What every fleet construct needs of a site. */
export interface PlannedSite {
  readonly siteId: string;
}

/**
 * Creates one resource per site with `create(site, label)`, in waves ordered by CloudFormation
 * dependencies (wave-plan.ts). Checks the site ids and `maxConcurrent`; `label` names the site
 * and its wave for failure reasons. Returns each site's wave.
 */
export function planFleet<S extends PlannedSite>(
  scope: Construct,
  sites: readonly S[],
  waves: RolloutWaves,
  maxConcurrent: number,
  describe: (site: S) => string,
  create: (site: S, label: string) => IConstruct,
): Record<string, number> {
  if (sites.length === 0) throw validationError(scope, 'sites must list at least one site, got none');
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw validationError(scope, `maxConcurrent must be a whole number of at least 1, got ${maxConcurrent}`);
  }
  const ids = new Set<string>();
  for (const site of sites) {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(site.siteId)) {
      throw validationError(scope, `siteId must be 1 to 64 letters, digits and hyphens, got ${JSON.stringify(site.siteId)}`);
    }
    if (ids.has(site.siteId)) throw validationError(scope, `siteId ${site.siteId} is listed twice; each site must have its own id`);
    ids.add(site.siteId);
  }
  const sizes = waves.sizes(sites.length);
  const waveOfSite: Record<string, number> = {};
  const resources: IConstruct[][] = [];
  let next = 0;
  sizes.forEach((size, index) => {
    resources.push(sites.slice(next, next + size).map((site) => {
      waveOfSite[site.siteId] = index + 1;
      return create(site, `site ${site.siteId} (${describe(site)}), wave ${index + 1} of ${sizes.length}`);
    }));
    next += size;
  });
  orderInWaves(scope, resources, maxConcurrent);
  return waveOfSite;
}

/** Fails synth if two sites name the same target (`key` of a site, unless unresolved). */
export function checkDistinctTargets<S extends PlannedSite>(
  scope: Construct, sites: readonly S[], key: (site: S) => string | undefined, what: string,
): void {
  const seen = new Map<string, string>();
  for (const site of sites) {
    const target = key(site);
    if (target === undefined) continue;
    const other = seen.get(target);
    if (other !== undefined) {
      const rule = what === 'gateway' ? 'one gateway and namespace takes one configuration' : 'one stream takes one configuration';
      throw validationError(scope, `sites ${other} and ${site.siteId} both name ${what} ${target}; ${rule}`);
    }
    seen.set(target, site.siteId);
  }
}
