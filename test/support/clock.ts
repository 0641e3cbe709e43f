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

export class ScaledClock {
  public readonly origin: ClockOrigin;

  constructor(scale: number = 1, realStart: number = Date.now()) {
    if (!(scale > 0)) throw new Error(`ScaledClock: scale must be > 0, got ${scale}`);
    this.origin = { scale, realStart, simStart: realStart };
  }

  public get scale(): number {
    return this.origin.scale;
  }

  /** Simulated epoch milliseconds. */
  public now(): number {
    const { scale, realStart, simStart } = this.origin;
    return simStart + (Date.now() - realStart) * scale;
  }

  /** Real milliseconds that correspond to `simulatedMs` of simulated time. */
  public toReal(simulatedMs: number): number {
    return Math.max(0, simulatedMs / this.origin.scale);
  }

  /** Resolves after `simulatedMs` of simulated time. */
  public sleep(simulatedMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.toReal(simulatedMs)));
  }

  /** setTimeout in simulated milliseconds. */
  public setTimeout(fn: () => void, simulatedMs: number): NodeJS.Timeout {
    return setTimeout(fn, this.toReal(simulatedMs));
  }
}
