import { createScaledClock, ScaledClockGlobals } from './scaled-clock';

/**
 * Simulated time shared by the local AWS emulator, the simulated devices, the CloudFormation
 * harness and the handler workers, so a test can run a 15 minute sync wait in a few seconds.
 *
 * Simulated time runs `scale` times faster than real time from a common origin:
 * `simulated = simStart + (Date.now() - realStart) * scale`.
 */
export interface ClockOrigin {
  /** Speed-up factor: 60 means one real second is one simulated minute. */
  readonly scale: number;
  /** Real epoch milliseconds at the origin. */
  readonly realStart: number;
  /** Simulated epoch milliseconds at the origin. */
  readonly simStart: number;
}

/** A timer on simulated time. */
export interface SimulatedTimer {
  /** Stops the timer, also after it re-armed for the rest of its delay. */
  cancel(): void;
}

export class ScaledClock {
  public readonly origin: ClockOrigin;
  /** The timers handler workers run on, on this clock: they never fire early in simulated time. */
  private readonly timers: ScaledClockGlobals;

  constructor(scale: number = 1, realStart: number = Date.now()) {
    if (!(scale > 0)) throw new Error(`ScaledClock: scale must be > 0, got ${scale}`);
    this.origin = { scale, realStart, simStart: realStart };
    this.timers = createScaledClock(this.origin);
  }

  public get scale(): number {
    return this.origin.scale;
  }

  /** Simulated epoch milliseconds. */
  public now(): number {
    const { scale, realStart, simStart } = this.origin;
    return simStart + (Date.now() - realStart) * scale;
  }

  /** Resolves after `simulatedMs` of simulated time. */
  public sleep(simulatedMs: number): Promise<void> {
    return this.timers.sleep(simulatedMs);
  }

  /** Calls `callback` once `simulatedMs` of simulated time have passed, never earlier. */
  public setTimeout(callback: () => void, simulatedMs: number): SimulatedTimer {
    const timeout = this.timers.setTimeout(callback, simulatedMs);
    return { cancel: () => this.timers.clearTimeout(timeout) };
  }
}
