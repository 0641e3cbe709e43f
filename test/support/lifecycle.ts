import { EdgeEnvironment, EdgeEnvironmentOptions, startEdgeEnvironment } from './edge-environment';

/**
 * Lifecycle tests run under IAM as AWS applies it: each one ends by asserting that no request
 * was denied and that no role or policy of any deployed stack grants a service action on `*`.
 * A test about a denial asserts its denials itself and uses plain `test`.
 */
export interface LifecycleTest {
  (name: string, body: () => Promise<void>, timeout?: number): void;
  /**
   * A lifecycle test that shows a known defect: it asserts the correct outcome and fails until
   * the defect is fixed (Jest `test.failing`), then it must become a `lifecycleTest`. Name the
   * defect in a comment above it.
   */
  failing(name: string, body: () => Promise<void>, timeout?: number): void;
}

/** `lifecycleTest` for a test file whose environment `current()` returns (set in its beforeEach). */
export function lifecycleTests(current: () => EdgeEnvironment): LifecycleTest {
  const strict = (body: () => Promise<void>) => async () => {
    await body();
    expectLeastPrivilege(current());
  };
  const lifecycleTest = ((name, body, timeout) => test(name, strict(body), timeout)) as LifecycleTest;
  lifecycleTest.failing = (name, body, timeout) => test.failing(name, strict(body), timeout);
  return lifecycleTest;
}

/** No request was denied, and no deployed role or policy allows a service action on `*`. */
export function expectLeastPrivilege(env: EdgeEnvironment): void {
  expect(env.emulator.iam.denials).toEqual([]);
  for (const harness of env.harnesses) expect(harness.wildcardGrants()).toEqual([]);
}

/**
 * A fresh edge environment for each test of the calling file (started before it, stopped after
 * it) and the file's `lifecycleTest`. `env` always stands for the current test's environment.
 */
export function useEdgeEnvironment(options: EdgeEnvironmentOptions = {}): { env: EdgeEnvironment; lifecycleTest: LifecycleTest } {
  let current: EdgeEnvironment | undefined;
  beforeEach(async () => {
    current = await startEdgeEnvironment(options);
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  const now = (): EdgeEnvironment => {
    if (!current) throw new Error('the edge environment exists only while a test runs');
    return current;
  };
  // Forwards to the current environment, so test files can keep one `env` constant.
  const env = new Proxy({} as EdgeEnvironment, { get: (_, property) => Reflect.get(now(), property) });
  return { env, lifecycleTest: lifecycleTests(now) };
}
