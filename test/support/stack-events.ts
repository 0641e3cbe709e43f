import type { StackEvent } from './harness';

/**
 * The reason of the first failure (`CREATE_FAILED`, `UPDATE_FAILED`, ...) of the resource whose
 * logical id starts with `logicalIdPrefix` (CDK appends a hash), or '' when it did not fail.
 */
export function failureReason(events: readonly StackEvent[], logicalIdPrefix: string): string {
  return events.find((event) => event.status.endsWith('_FAILED') && event.logicalId.startsWith(logicalIdPrefix))?.reason ?? '';
}
