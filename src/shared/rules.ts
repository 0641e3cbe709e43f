/**
 * Input rules shared by every construct. Pure functions with no imports: the constructs check
 * literal values at synth time and the handler bundle imports the same rules to check values
 * that were tokens at synth time. Each returns `undefined` when the value is valid, or a message
 * naming the property, the value and the rule.
 */

/** The longest wait the shared provider allows, so its own timeouts never fire first. */
export const MAX_SYNC_TIMEOUT_SECONDS = 55 * 60;

export function checkSyncTimeoutSeconds(seconds: number, property: string = 'syncTimeout'): string | undefined {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SYNC_TIMEOUT_SECONDS) {
    return `${property} must be a whole number of seconds from 1 second to ${MAX_SYNC_TIMEOUT_SECONDS / 60} minutes, got ${seconds} seconds`;
  }
  return undefined;
}
