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
