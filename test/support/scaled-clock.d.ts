import type { ClockOrigin } from './clock';

/** Where a scaled clock reads the wall clock from, in real epoch milliseconds. */
export interface ScaledClockOptions extends ClockOrigin {
  /** @default Date.now */
  readonly realNow?: () => number;
}

/** The clock globals a Lambda worker runs on. */
export interface ScaledClockGlobals {
  readonly Date: DateConstructor;
  performanceNow(): number;
  setTimeout<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): NodeJS.Timeout;
  clearTimeout(timeout: NodeJS.Timeout | undefined): void;
  setInterval<A extends unknown[]>(callback: (...args: A) => void, ms?: number, ...args: A): NodeJS.Timeout;
  sleep<T = void>(ms?: number, value?: T, options?: { signal?: AbortSignal; ref?: boolean }): Promise<T>;
  every<T = void>(ms?: number, value?: T, options?: { signal?: AbortSignal; ref?: boolean }): AsyncIterable<T>;
  abortSignalTimeout(ms: number): AbortSignal;
}

export function createScaledClock(options: ScaledClockOptions): ScaledClockGlobals;
export function installScaledClock(origin: ClockOrigin): void;
