/**
 * Rules of the publisher document that the handler bundle checks again once tokens are resolved
 * (a duration or a destination name from a parameter, say). No imports: the bundle imports it.
 * Returns the first problem, naming the destination or section, or undefined.
 */

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** Seconds of a document duration such as `7d` or `10m`, or undefined if it is not one. */
export function documentDurationSeconds(value: unknown): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(String(value));
  return match ? Number(match[1]) * UNIT_SECONDS[match[2]] : undefined;
}

export function checkPublisherDocument(json: string): string | undefined {
  let document: any;
  try {
    document = JSON.parse(json);
  } catch (e) {
    return `the publisher document must be JSON: ${(e as Error).message}`;
  }
  if (Array.isArray(document?.destinations)) return checkV3(document.destinations);
  const dropPolicy = document?.SiteWisePublisherConfiguration?.dropPolicy;
  return dropPolicy ? checkDropPolicy(dropPolicy, 'publisher SiteWisePublisherConfiguration') : undefined;
}

function checkV3(destinations: any[]): string | undefined {
  const realtime = destinations.filter((d) => d?.type === 'SITEWISE_REALTIME');
  if (realtime.length > 1) return `publisher: at most one real-time destination per gateway, got ${realtime.length}`;
  const names = new Set<string>();
  for (const destination of destinations) {
    const section = `publisher destination ${JSON.stringify(destination?.name)}`;
    if (typeof destination?.name !== 'string' || destination.name.trim() === '') return `${section}: name must not be empty`;
    if (names.has(destination.name)) return `${section}: name must be unique`;
    names.add(destination.name);
    const problem = destination.config?.dropPolicy && checkDropPolicy(destination.config.dropPolicy, section);
    if (problem) return problem;
  }
  return undefined;
}

function checkDropPolicy(dropPolicy: any, section: string): string | undefined {
  const cutoff = documentDurationSeconds(dropPolicy.cutoffAge);
  if (dropPolicy.cutoffAge !== undefined && (cutoff === undefined || cutoff < 300 || cutoff > 7 * 86_400)) {
    return `${section}: dropPolicy.cutoffAge must be from 5 minutes to 7 days, written like "7d", got ${JSON.stringify(dropPolicy.cutoffAge)}`;
  }
  const exportPolicy = dropPolicy.exportPolicy ?? {};
  const retention = documentDurationSeconds(exportPolicy.retentionPeriod);
  const rotation = documentDurationSeconds(exportPolicy.rotationPeriod);
  if (exportPolicy.retentionPeriod !== undefined && (retention === undefined || retention < 60 || retention > 30 * 86_400)) {
    return `${section}: dropPolicy.exportPolicy.retentionPeriod must be from 1 minute to 30 days, got ${JSON.stringify(exportPolicy.retentionPeriod)}`;
  }
  if (retention !== undefined && rotation !== undefined && retention < rotation) {
    return `${section}: dropPolicy.exportPolicy.retentionPeriod (${exportPolicy.retentionPeriod}) must be at least rotationPeriod (${exportPolicy.rotationPeriod})`;
  }
  return undefined;
}
