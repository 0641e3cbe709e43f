/**
 * What the harness plays of AWS Step Functions for the Provider framework's waiter: StartExecution's
 * input limit. The execution itself is replayed by provider-framework.ts.
 */

/** StartExecution's `input`: "Length constraints apply to the payload size, and are expressed as bytes in UTF-8 encoding", at most 262,144. */
export const MAX_EXECUTION_INPUT_BYTES = 262_144;

/** An error of the Step Functions API as the SDK throws it in the framework Lambda. */
export class StepFunctionsServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
    // The stack the framework's FAILED Reason carries, shaped like the SDK's in the Lambda runtime.
    this.stack = [
      `${name}: ${message}`,
      `    at de_${name}Res (/var/runtime/node_modules/@aws-sdk/client-sfn/dist-cjs/index.js:1:1)`,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
    ].join('\n');
  }
}

/**
 * Refuses an execution input over the limit the way the service validates a member's length
 * (which error Step Functions answers is an assumption: see the emulator's ASSUMPTIONS.md).
 */
export function checkExecutionInput(input: string): void {
  const bytes = Buffer.byteLength(input, 'utf8');
  if (bytes <= MAX_EXECUTION_INPUT_BYTES) return;
  throw new StepFunctionsServiceError('ValidationException',
    `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EXECUTION_INPUT_BYTES}`
    + ` (the input is ${bytes} bytes)`);
}
