import { unscopedValidationError } from '../shared/validation';

/** One wave of a rollout: a number of targets, a fraction of the fleet, or the rest. */
export class RolloutWave {
  /** Exactly `targets` targets (a canary of 1, say). */
  public static count(targets: number): RolloutWave {
    if (!Number.isInteger(targets) || targets < 1) {
      throw unscopedValidationError(`RolloutWave.count(targets) must be a whole number of at least 1, got ${targets}`);
    }
    return new RolloutWave('count', targets);
  }

  /** A fraction of the whole fleet, above 0 and at most 1, rounded up to whole targets (0.1 of 25 is 3). */
  public static fraction(fraction: number): RolloutWave {
    if (!(fraction > 0 && fraction <= 1)) {
      throw unscopedValidationError(`RolloutWave.fraction(fraction) must be above 0 and at most 1, got ${fraction}`);
    }
    return new RolloutWave('fraction', fraction);
  }

  /** Every target the waves before it left: the last wave. */
  public static rest(): RolloutWave {
    return new RolloutWave('rest', 0);
  }

  private constructor(private readonly kind: 'count' | 'fraction' | 'rest', private readonly value: number) {}

  /** @internal */
  public get _isRest(): boolean {
    return this.kind === 'rest';
  }

  /** @internal */
  public _size(fleetSize: number, left: number): number {
    switch (this.kind) {
      case 'count':
        return Math.min(this.value, left);
      case 'fraction':
        return Math.min(Math.ceil(this.value * fleetSize), left);
      case 'rest':
        return left;
    }
  }
}

/**
 * The waves of a rollout. Wave k+1 starts only when every target of wave k is in sync; the first
 * rejection fails the deploy, and the later waves get no call. Targets the listed waves leave
 * form one last wave.
 */
export class RolloutWaves {
  /** A canary of one target, then 10 % of the fleet, then the rest. */
  public static readonly CANARY_THEN_TEN_PERCENT = RolloutWaves.of(RolloutWave.count(1), RolloutWave.fraction(0.1), RolloutWave.rest());

  /** Every target at once (one wave). */
  public static readonly ALL_AT_ONCE = RolloutWaves.of(RolloutWave.rest());

  /** Waves of these numbers of targets, in order (`counts(1, 4, 15)`). */
  public static counts(...counts: number[]): RolloutWaves {
    return RolloutWaves.of(...counts.map((count) => RolloutWave.count(count)));
  }

  /** These waves, in order; `RolloutWave.rest()` may only be last. */
  public static of(...waves: RolloutWave[]): RolloutWaves {
    if (waves.length === 0) throw unscopedValidationError('RolloutWaves.of(...waves) needs at least one wave, got none');
    const rest = waves.findIndex((wave) => wave._isRest);
    if (rest !== -1 && rest !== waves.length - 1) {
      throw unscopedValidationError(`RolloutWave.rest() must be the last wave, got it as wave ${rest + 1} of ${waves.length}`);
    }
    return new RolloutWaves(waves);
  }

  private constructor(private readonly waves: RolloutWave[]) {}

  /**
   * The number of targets in each wave for a fleet of `fleetSize`: empty waves are left out, and
   * targets the waves leave form one last wave.
   */
  public sizes(fleetSize: number): number[] {
    const sizes: number[] = [];
    let left = fleetSize;
    for (const wave of this.waves) {
      const size = wave._size(fleetSize, left);
      if (size > 0) sizes.push(size);
      left -= size;
    }
    if (left > 0) sizes.push(left);
    return sizes;
  }
}
