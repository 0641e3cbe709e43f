import { ScaledClock } from '../clock';

/** Thrown into pending harness work when the harness is disposed. */
export class HarnessDisposedError extends Error {
  constructor() {
    super('CloudFormation harness disposed');
    this.name = 'HarnessDisposedError';
  }
}

export interface SimulatedTimer {
  cancel(): void;
}

/**
 * Calls `callback` once `simulatedMs` of simulated time have passed, never earlier: a real
 * timer can fire a millisecond early by the wall clock, which at a high scale would be a
 * simulated second, so it re-arms until the simulated deadline is really reached.
 */
export function setSimulatedTimeout(clock: ScaledClock, callback: () => void, simulatedMs: number): SimulatedTimer {
  const deadline = clock.now() + simulatedMs;
  let timer: NodeJS.Timeout;
  const arm = () => {
    timer = setTimeout(() => (clock.now() >= deadline ? callback() : arm()), Math.ceil(clock.toReal(deadline - clock.now())));
  };
  arm();
  return { cancel: () => clearTimeout(timer) };
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
    const timer = setSimulatedTimeout(clock, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, simulatedMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
