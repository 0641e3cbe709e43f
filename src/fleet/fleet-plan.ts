import { NestedStack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { RolloutWaves } from './rollout-waves';
import { orderInWaves } from './wave-plan';
import { validationError } from '../shared/validation';

/** What every fleet construct needs of a site. */
export interface PlannedSite {
  readonly siteId: string;
}

/**
 * Most sites one stack (or nested stack) holds: one custom resource each, plus the provider's
 * resources and the wave barriers, well under CloudFormation's 500 resources, and a template well
 * under 1 MB.
 */
export const MAX_SITES_PER_STACK = 400;

/**
 * Creates one resource per site with `create(scope, site, label)`, in waves ordered by
 * CloudFormation dependencies (wave-plan.ts). Checks the site ids and `maxConcurrent`; `label`
 * names the site and its wave for failure reasons. Returns each site's wave.
 *
 * A fleet of more than `sitesPerStack` sites is split into nested stacks (each with its own
 * provider): each wave's sites go into nested stacks of at most `sitesPerStack`, and every nested
 * stack of wave k+1 depends on every nested stack of wave k, so the wave order holds across them.
 * A site that fails fails its nested stack, which fails the parent stack's update: CloudFormation
 * then starts no later wave and rolls back the nested stacks done.
 */
export function planFleet<S extends PlannedSite>(
  scope: Construct,
  sites: readonly S[],
  waves: RolloutWaves,
  maxConcurrent: number,
  sitesPerStack: number,
  describe: (site: S) => string,
  create: (scope: Construct, site: S, label: string) => IConstruct,
): Record<string, number> {
  if (sites.length === 0) throw validationError(scope, 'sites must list at least one site, got none');
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw validationError(scope, `maxConcurrent must be a whole number of at least 1, got ${maxConcurrent}`);
  }
  if (!Number.isInteger(sitesPerStack) || sitesPerStack < 1 || sitesPerStack > MAX_SITES_PER_STACK) {
    throw validationError(scope, `sitesPerStack must be a whole number from 1 to ${MAX_SITES_PER_STACK}, got ${sitesPerStack}`);
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
  const label = (site: S, wave: number) => `site ${site.siteId} (${describe(site)}), wave ${wave} of ${sizes.length}`;
  const nested = sites.length > sitesPerStack;
  const resources: IConstruct[][] = [];
  let previousStacks: NestedStack[] = [];
  let next = 0;
  sizes.forEach((size, index) => {
    const waveSites = sites.slice(next, next + size);
    next += size;
    for (const site of waveSites) waveOfSite[site.siteId] = index + 1;
    if (!nested) {
      resources.push(waveSites.map((site) => create(scope, site, label(site, index + 1))));
      return;
    }
    const stacks: NestedStack[] = [];
    for (let part = 0; part * sitesPerStack < waveSites.length; part++) {
      const stack = new NestedStack(scope, `Wave${index + 1}Part${part + 1}`, {
        description: `cdk-edge-sync fleet ${scope.node.path}: wave ${index + 1} of ${sizes.length}, part ${part + 1}`,
      });
      const partSites = waveSites.slice(part * sitesPerStack, (part + 1) * sitesPerStack);
      const partResources = partSites.map((site) => create(stack, site, label(site, index + 1)));
      orderInWaves(stack, [partResources], maxConcurrent);
      for (const previous of previousStacks) stack.node.addDependency(previous);
      stacks.push(stack);
    }
    previousStacks = stacks;
  });
  if (!nested) orderInWaves(scope, resources, maxConcurrent);
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
