import { Duration, Token } from 'aws-cdk-lib';

const UNITS: ReadonlyArray<[string, number]> = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]];

/**
 * A duration in the form the SiteWise Edge components read (`7d`, `90m`, `10s`): the largest
 * unit that divides it exactly. Undefined when it is not a whole number of seconds.
 */
export function edgeDurationString(duration: Duration): string | undefined {
  const seconds = duration.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds) || !Number.isInteger(seconds) || seconds <= 0) return undefined;
  const [unit, size] = UNITS.find(([, s]) => seconds % s === 0)!;
  return `${seconds / size}${unit}`;
}
