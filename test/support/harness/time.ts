import { ScaledClock } from '../clock';

/** Thrown into pending harness work when the harness is disposed. */
export class HarnessDisposedError extends Error {
  constructor() {
    super('CloudFormation harness disposed');
    this.name = 'HarnessDisposedError';
  }
}

/**
 * Sleeps `simulatedMs` of simulated time. Rejects with HarnessDisposedError when `signal`
 * aborts, so polling loops (the waiter state machine) stop when a test disposes the harness.
 */
export function sleep(clock: ScaledClock, simulatedMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new HarnessDisposedError());
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(new HarnessDisposedError());
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, simulatedMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
