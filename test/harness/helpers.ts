import { ScaledClock } from '../support/clock';
import { CloudFormationHarness, CloudFormationHarnessOptions, InvocationRecord, StackEvent } from '../support/harness';

/** 600×: one simulated minute per 100 real milliseconds. */
export const TEST_SCALE = 600;

/** A harness on a fresh 600× clock, disposed after each test of the calling file. */
export function useHarness(options: Partial<CloudFormationHarnessOptions> = {}): () => CloudFormationHarness {
  let harness: CloudFormationHarness | undefined;
  beforeEach(() => {
    harness = new CloudFormationHarness({ clock: new ScaledClock(TEST_SCALE), ...options });
  });
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });
  return () => harness!;
}

/** The statuses one resource went through, in order. */
export function statuses(events: readonly StackEvent[], logicalId: string): string[] {
  return events.filter((event) => event.logicalId === logicalId).map((event) => event.status);
}

export function eventOf(events: readonly StackEvent[], logicalId: string, status: string): StackEvent | undefined {
  return events.find((event) => event.logicalId === logicalId && event.status === status);
}

/** User handler invocations for one custom resource, as `RequestType handler` pairs. */
export function calls(invocations: readonly InvocationRecord[], logicalResourceId: string): string[] {
  return invocations
    .filter((invocation) => invocation.logicalResourceId === logicalResourceId)
    .map((invocation) => `${invocation.requestType} ${invocation.handler.replace('index.', '')}`);
}
