/**
 * Converts typed values (Duration, Size, tokens) to the forms of the SiteWise Edge capability
 * documents (publisher, OPC UA collector) and checks the documented rules. Internal: not
 * exported from the package.
 */
import { Duration, Size, SizeRoundingBehavior, Token, Tokenization } from 'aws-cdk-lib';

/** Throws a ValidationError for one section of the document (a destination, a stream...). */
export type Fail = (message: string) => never;

/** Makes the Fail of one section, whose messages start with the section: `publisher destination "Cloud": ...`. */
export type FailIn = (section: string) => Fail;

/** The rules of one duration field. The document writes durations as `<n>d|h|m|s`. */
export interface DurationRule {
  /** The finest unit the field accepts: the User Guide documents `m`, `h`, `d`, and `s` only for maxBatchWaitTime. */
  readonly finestUnit: 'seconds' | 'minutes';
  readonly min: Duration;
  /** True when the value must be longer than `min` (rotationPeriod: "greater than one minute"). */
  readonly minExclusive?: boolean;
  readonly max?: Duration;
}

const UNITS: ReadonlyArray<{ label: string; suffix: string; millis: number }> = [
  { label: 'days', suffix: 'd', millis: 86_400_000 },
  { label: 'hours', suffix: 'h', millis: 3_600_000 },
  { label: 'minutes', suffix: 'm', millis: 60_000 },
  { label: 'seconds', suffix: 's', millis: 1_000 },
];

/**
 * Renders a duration in the largest unit that divides it exactly (`7d`, `6h`, `90m`, `10s`),
 * after checking its range and that it is whole in the field's finest unit.
 */
export function renderDuration(property: string, value: Duration, rule: DurationRule, fail: Fail): string {
  const units = UNITS.slice(0, rule.finestUnit === 'seconds' ? 4 : 3);
  if (value.isUnresolved()) {
    // A token cannot be converted between units: write its amount in the unit it was given in.
    const unit = units.find((u) => u.label === value.unitLabel());
    if (!unit) {
      fail(`${property} must be given in Duration.${units.map((u) => u.label).join('(), Duration.')}() when it is a token, got Duration.${value.unitLabel()}()`);
    }
    return `${Tokenization.stringifyNumber(amountIn(value, unit.label))}${unit.suffix}`;
  }
  const millis = value.toMilliseconds({ integral: false });
  const minMillis = rule.min.toMilliseconds();
  if (rule.minExclusive ? millis <= minMillis : millis < minMillis) {
    fail(`${property} must be ${rule.minExclusive ? 'longer than' : 'at least'} ${rule.min.toHumanString()}, got ${value.toHumanString()}`);
  }
  if (rule.max && millis > rule.max.toMilliseconds()) {
    fail(`${property} must be at most ${rule.max.toHumanString()}, got ${value.toHumanString()}`);
  }
  const unit = units.find((u) => Number.isInteger(millis / u.millis));
  if (!unit) {
    fail(`${property} must be a whole number of ${rule.finestUnit}, got ${value.toHumanString()}`);
  }
  return `${millis / unit.millis}${unit.suffix}`;
}

function amountIn(value: Duration, label: string): number {
  switch (label) {
    case 'days': return value.toDays();
    case 'hours': return value.toHours();
    case 'minutes': return value.toMinutes();
    default: return value.toSeconds();
  }
}

/** Renders a size as the whole number of GB (gibibytes) of the document's `...GB` fields, at least 1. */
export function renderGigabytes(property: string, value: Size, fail: Fail): number {
  if (value.isUnresolved()) {
    // Size cannot convert a token between units, and refuses any rounding option on one.
    try {
      return value.toGibibytes();
    } catch {
      fail(`${property} must be given in Size.gibibytes() when it is a token`);
    }
  }
  let gigabytes: number;
  try {
    gigabytes = value.toGibibytes({ rounding: SizeRoundingBehavior.FAIL });
  } catch {
    fail(`${property} must be a whole number of GB, got ${value.toHumanString()}`);
  }
  if (gigabytes < 1) {
    fail(`${property} must be at least 1 GB, got ${gigabytes} GB`);
  }
  return gigabytes;
}

/** Checks a literal string that the document requires to be non-empty. */
export function checkNotEmpty(property: string, value: string, fail: Fail): string {
  if (!Token.isUnresolved(value) && value.trim() === '') {
    fail(`${property} must not be empty, got ${quote(value)}`);
  }
  return value;
}

/** True when the document holds a token anywhere, so it must be rendered by the stack. */
export function containsTokens(value: unknown): boolean {
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(containsTokens);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, v]) => Token.isUnresolved(key) || containsTokens(v));
  }
  return false;
}

/** Quotes a value for an error message, shortened so a long value never floods it. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}
