import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * An error for bad construct input, named like aws-cdk-lib's ValidationError and prefixed with
 * the construct path so the user can tell which of many resources is wrong.
 */
export function validationError(scope: IConstruct, message: string): Error {
  const error = new Error(`${scope.node.path}: ${message}`);
  error.name = 'ValidationError';
  return error;
}

/** Same as {@link validationError} for values checked before a construct exists. */
export function unscopedValidationError(message: string): Error {
  const error = new Error(message);
  error.name = 'ValidationError';
  return error;
}

/**
 * A duration in seconds. A literal one is checked with `rule` now, and the error shows it as it
 * was given (`got 2 hours`, not `got 7200 seconds`); a token is checked by the handler.
 */
export function checkedSeconds(scope: IConstruct, duration: Duration, rule: (seconds: number) => string | undefined): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Token.isUnresolved(seconds)) {
    const problem = rule(seconds);
    if (problem) throw validationError(scope, problem.replace(`got ${seconds} seconds`, `got ${duration.toHumanString()}`));
  }
  return seconds;
}
