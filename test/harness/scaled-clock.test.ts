import { setTimeout as realSleep } from 'node:timers/promises';
import * as util from 'node:util';
import { createScaledClock, ScaledClockGlobals } from '../support/scaled-clock';

const SCALE = 600;
const NINETY_SECONDS = 90_000;

/**
 * A wall clock running 10% slow against the monotonic clock Node's timers use, so every real
 * timer fires early by Date.now(), as it can by up to a millisecond on a real machine.
 */
function slowWallClock(): () => number {
  const start = Date.now();
  return () => start + Math.floor((Date.now() - start) * 0.9);
}

function clockOnSlowWall() {
  const realNow = slowWallClock();
  return createScaledClock({ scale: SCALE, realStart: realNow(), simStart: 1_000_000, realNow });
}

test('a setTimeout callback runs only once its simulated delay has passed on the simulated clock', async () => {
  const clock = clockOnSlowWall();
  const before = clock.Date.now();
  const fired = await new Promise<{ at: number; arg: string }>((resolve) => {
    clock.setTimeout((arg: string) => resolve({ at: clock.Date.now(), arg }), NINETY_SECONDS, 'passed through');
  });

  expect(fired.at - before).toBeGreaterThanOrEqual(NINETY_SECONDS);
  expect(fired.arg).toBe('passed through');
});

test.each([
  ['timers/promises setTimeout', (clock: ScaledClockGlobals) => clock.sleep(NINETY_SECONDS)],
  ['util.promisify(setTimeout)', (clock: ScaledClockGlobals) => (util.promisify(clock.setTimeout) as (ms: number) => Promise<void>)(NINETY_SECONDS)],
])('%s lasts its simulated delay on the simulated clock', async (_, sleep) => {
  const clock = clockOnSlowWall();
  const before = clock.Date.now();
  await sleep(clock);

  expect(clock.Date.now() - before).toBeGreaterThanOrEqual(NINETY_SECONDS);
});

test('the promise sleep resolves with its value', async () => {
  await expect(clockOnSlowWall().sleep(1_000, 'value')).resolves.toBe('value');
});

test('clearTimeout cancels a timer that has already re-armed for the rest of its simulated delay', async () => {
  const clock = clockOnSlowWall();
  const callback = jest.fn();
  // 90 simulated seconds are 150 real ms; on the slow wall clock only 81 have passed by then.
  const timeout = clock.setTimeout(callback, NINETY_SECONDS);
  await realSleep(160);
  clock.clearTimeout(timeout);
  await realSleep(150);

  expect(callback).not.toHaveBeenCalled();
});

test('AbortSignal.timeout aborts only after its simulated delay, with a TimeoutError', async () => {
  const clock = clockOnSlowWall();
  const before = clock.Date.now();
  const signal = clock.abortSignalTimeout(NINETY_SECONDS);
  const abortedAt = await new Promise<number>((resolve) => signal.addEventListener('abort', () => resolve(clock.Date.now())));

  expect(abortedAt - before).toBeGreaterThanOrEqual(NINETY_SECONDS);
  expect(signal.reason).toMatchObject({ name: 'TimeoutError' });
});

test('Date keeps working as a function, a constructor and for instanceof', () => {
  const clock = createScaledClock({ scale: SCALE, realStart: Date.now(), simStart: Date.UTC(2030, 0, 1) });

  expect(new clock.Date().getUTCFullYear()).toBe(2030);
  expect(clock.Date()).toMatch(/2030/);
  expect(new clock.Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
  expect(new Date() instanceof clock.Date).toBe(true);
  expect(new clock.Date() instanceof Date).toBe(true);
});
