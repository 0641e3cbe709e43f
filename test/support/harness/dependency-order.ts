export interface DependencyRunResult {
  readonly succeeded: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
  /** Never started: a dependency failed, or `stopOnFailure` stopped scheduling. */
  readonly skipped: ReadonlySet<string>;
}

export interface DependencyRunOptions {
  /** Start nothing new after the first failure (CloudFormation on create/update); otherwise keep going where possible (delete). */
  readonly stopOnFailure: boolean;
}

/**
 * Runs `run(key)` for every key as soon as all keys it depends on have succeeded, with
 * independent keys running concurrently, the way CloudFormation walks a stack's resources.
 * Dependencies outside `keys` are ignored. If `run` throws, nothing new starts and the first
 * error is rethrown once everything running has settled.
 */
export async function runInDependencyOrder(
  keys: readonly string[],
  dependenciesOf: (key: string) => readonly string[],
  run: (key: string) => Promise<boolean>,
  options: DependencyRunOptions,
): Promise<DependencyRunResult> {
  const known = new Set(keys);
  const dependencies = new Map(keys.map((key) => [key, dependenciesOf(key).filter((dependency) => known.has(dependency) && dependency !== key)]));
  const succeeded = new Set<string>();
  const failed = new Set<string>();
  const started = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const errors: unknown[] = [];

  const startReady = () => {
    if ((options.stopOnFailure && failed.size > 0) || errors.length > 0) return;
    for (const key of keys) {
      if (started.has(key) || !dependencies.get(key)!.every((dependency) => succeeded.has(dependency))) continue;
      started.add(key);
      running.set(key, run(key).then((ok) => {
        running.delete(key);
        (ok ? succeeded : failed).add(key);
        startReady();
      }, (err: unknown) => {
        // Not a resource failure but a harness error (or disposal): let the others settle, then throw.
        running.delete(key);
        failed.add(key);
        errors.push(err);
      }));
    }
  };

  startReady();
  while (running.size > 0) {
    await Promise.race(running.values());
  }

  if (errors.length > 0) throw errors[0];
  const skipped = new Set(keys.filter((key) => !started.has(key)));
  // Without a failure, everything whose dependencies succeeded was started: the rest wait on each other.
  if (failed.size === 0 && skipped.size > 0) {
    throw new Error(`CloudFormation harness: circular dependency between ${[...skipped].join(', ')}`);
  }
  return { succeeded, failed, skipped };
}
