'use strict';
/**
 * Simulated time's Date, performance.now and timers: they run `scale` times faster than the
 * wall clock from the origin the harness shares with the emulator. A Lambda worker installs
 * them as its globals; `ScaledClock` (clock.ts) uses the timers for the harness and emulator.
 * Plain CommonJS because the worker runs without ts-jest; `scaled-clock.d.ts` types it.
 */
const util = require('node:util');
const timers = require('node:timers');
const timersPromises = require('node:timers/promises');

/**
 * Builds the simulated clock globals without installing them.
 *
 * Date is a constructor function inheriting from the real Date (statics via the prototype
 * chain, instances are real Dates) rather than a `class ... extends Date`, so that `Date()`
 * still works as a function and `instanceof Date` stays true for Dates made elsewhere (Node
 * internals, values created before the swap).
 *
 * `realNow` is the wall clock; tests pass one that drifts from the clock Node's timers run on.
 */
function createScaledClock({ scale, realStart, simStart, realNow = Date.now }) {
  const RealDate = Date;
  const simulatedNow = () => simStart + (realNow() - realStart) * scale;

  function SimulatedDate(...args) {
    if (!new.target) return new RealDate(simulatedNow()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [simulatedNow()] : args, new.target);
  }
  Object.setPrototypeOf(SimulatedDate, RealDate);
  SimulatedDate.prototype = RealDate.prototype;
  SimulatedDate.now = () => Math.floor(simulatedNow());

  const realPerformanceNow = performance.now.bind(performance);

  // A simulated delay as Node reads one (non-numbers, negatives and NaN are 0) and its real
  // counterpart, rounded up because Node runs timers on whole milliseconds.
  const simulatedDelay = (ms) => {
    const value = Number(ms);
    return Number.isFinite(value) && value > 0 ? value : 0;
  };
  const toReal = (ms) => Math.ceil(simulatedDelay(ms) / scale);
  // Node's timers run on the monotonic clock, Date on the wall clock: a timer can fire up to a
  // real millisecond early by Date.now() (more if the wall clock is slewed), which at a high
  // scale cuts a simulated wait short by a simulated second. So timers re-arm until the
  // simulated deadline has really been reached.
  const realUntil = (deadline) => Math.max(1, Math.ceil((deadline - simulatedNow()) / scale));

  const realSetTimeout = timers.setTimeout;
  const realClearTimeout = timers.clearTimeout;
  const realSetInterval = timers.setInterval;
  const realSleep = timersPromises.setTimeout;
  const realEvery = timersPromises.setInterval;

  async function sleep(ms, value, options) {
    const deadline = simulatedNow() + simulatedDelay(ms);
    let result = await realSleep(toReal(ms), value, options);
    while (simulatedNow() < deadline) result = await realSleep(realUntil(deadline), value, options);
    return result;
  }

  /** The re-armed real timer behind a Timeout that setTimeout handed out, for clearTimeout. */
  const rearmed = new WeakMap();
  function setTimeout(callback, ms, ...args) {
    if (typeof callback !== 'function') return realSetTimeout(callback, ms, ...args); // Node's own error
    const deadline = simulatedNow() + simulatedDelay(ms);
    const timeout = realSetTimeout(function fire() {
      if (simulatedNow() >= deadline) {
        rearmed.delete(timeout);
        callback.apply(timeout, args);
        return;
      }
      const next = realSetTimeout(fire, realUntil(deadline));
      if (!timeout.hasRef()) next.unref();
      rearmed.set(timeout, next);
    }, toReal(ms));
    return timeout;
  }
  // util.promisify(setTimeout) must keep resolving after the (scaled) delay.
  setTimeout[util.promisify.custom] = sleep;

  function clearTimeout(timeout) {
    realClearTimeout(timeout);
    if (timeout !== null && typeof timeout === 'object' && rearmed.has(timeout)) {
      realClearTimeout(rearmed.get(timeout));
      rearmed.delete(timeout);
    }
  }

  return {
    Date: SimulatedDate,
    performanceNow: () => realPerformanceNow() * scale,
    setTimeout,
    clearTimeout,
    setInterval: (callback, ms, ...args) => realSetInterval(callback, toReal(ms), ...args),
    sleep,
    every: (ms, value, options) => realEvery(toReal(ms), value, options),
    abortSignalTimeout: (ms) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms).unref();
      return controller.signal;
    },
  };
}

/** Replaces the clock globals of this thread with a scaled clock. */
function installScaledClock(origin) {
  const clock = createScaledClock(origin);
  globalThis.Date = clock.Date;
  performance.now = clock.performanceNow;
  globalThis.setTimeout = timers.setTimeout = clock.setTimeout;
  globalThis.clearTimeout = timers.clearTimeout = clock.clearTimeout;
  globalThis.setInterval = timers.setInterval = clock.setInterval;
  timersPromises.setTimeout = clock.sleep;
  timersPromises.setInterval = clock.every;
  if (timersPromises.scheduler) {
    timersPromises.scheduler.wait = (ms, options) => clock.sleep(ms, undefined, options);
  }
  AbortSignal.timeout = clock.abortSignalTimeout;
}

module.exports = { createScaledClock, installScaledClock };
