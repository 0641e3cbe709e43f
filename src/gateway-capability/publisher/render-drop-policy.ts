/** Renders `dropPolicy`, shared by the V2 publisher and V3 real-time destinations. Internal. */
import { Duration } from 'aws-cdk-lib';
import { Fail, renderDuration, renderGigabytes } from '../document-values';
import { PublisherDropPolicy } from './drop-policy';

// Limits from the User Guide, "Configure the AWS IoT SiteWise publisher component".
const CUTOFF_AGE = { finestUnit: 'minutes', min: Duration.minutes(5), max: Duration.days(7) } as const;
const RETENTION_PERIOD = { finestUnit: 'minutes', min: Duration.minutes(1), max: Duration.days(30) } as const;
const ROTATION_PERIOD = { finestUnit: 'minutes', min: Duration.minutes(1), minExclusive: true } as const;

export function renderDropPolicy(policy: PublisherDropPolicy, fail: Fail): { [key: string]: any } {
  const property = 'dropPolicy';
  const document: { [key: string]: any } = {
    cutoffAge: renderDuration(`${property}.cutoffAge`, policy.cutoffAge, CUTOFF_AGE, fail),
  };
  const exportPolicy = policy.exportPolicy;
  if (exportPolicy) {
    const where = `${property}.exportPolicy`;
    const rendered: { [key: string]: any } = {};
    if (exportPolicy.retentionPeriod) {
      rendered.retentionPeriod = renderDuration(`${where}.retentionPeriod`, exportPolicy.retentionPeriod, RETENTION_PERIOD, fail);
    }
    if (exportPolicy.rotationPeriod) {
      rendered.rotationPeriod = renderDuration(`${where}.rotationPeriod`, exportPolicy.rotationPeriod, ROTATION_PERIOD, fail);
    }
    const { retentionPeriod, rotationPeriod } = exportPolicy;
    if (retentionPeriod && rotationPeriod && !retentionPeriod.isUnresolved() && !rotationPeriod.isUnresolved()
      && retentionPeriod.toMilliseconds({ integral: false }) < rotationPeriod.toMilliseconds({ integral: false })) {
      fail(`${where}.retentionPeriod must be at least rotationPeriod, got ${retentionPeriod.toHumanString()} and rotationPeriod ${rotationPeriod.toHumanString()}`);
    }
    if (exportPolicy.exportSizeLimit) {
      rendered.exportSizeLimitGB = renderGigabytes(`${where}.exportSizeLimitGB`, exportPolicy.exportSizeLimit, fail);
    }
    document.exportPolicy = rendered;
  }
  return document;
}

