/**
 * Deterministic pseudo-random numbers so a test run with a given seed always produces the same
 * gateway ids and the same fault pattern. Park-Miller "minimal standard" generator: plain
 * multiplication and modulo (the products stay below 2^53, so doubles are exact), which keeps it
 * free of bitwise operators.
 */
export class SeededRandom {
  private static readonly MODULUS = 2147483647;
  private static readonly MULTIPLIER = 48271;

  private static initialState(seed: number): number {
    const reduced = Math.abs(Math.floor(seed)) % SeededRandom.MODULUS;
    // 0 is a fixed point of the generator; map it to any other value.
    return reduced === 0 ? 1 : reduced;
  }

  private state: number;

  constructor(seed: number) {
    this.state = SeededRandom.initialState(seed);
  }

  /** Restarts the sequence as if freshly constructed with `seed`. */
  public reseed(seed: number): void {
    this.state = SeededRandom.initialState(seed);
  }

  /** A float in [0, 1). */
  public next(): number {
    this.state = (this.state * SeededRandom.MULTIPLIER) % SeededRandom.MODULUS;
    return (this.state - 1) / (SeededRandom.MODULUS - 1);
  }

  /** An integer in [0, bound). */
  public nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** `length` characters of `alphabet`, one `nextInt(alphabet.length)` draw per character, first character first. */
  public nextString(length: number, alphabet: string): string {
    return Array.from({ length }, () => alphabet[this.nextInt(alphabet.length)]).join('');
  }

  /** A lowercase RFC 4122 version 4 UUID (version nibble 4, variant 8..b). */
  public uuidV4(): string {
    const hex = (count: number) => Array.from({ length: count }, () => this.nextInt(16).toString(16)).join('');
    const variant = (8 + this.nextInt(4)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }
}

/** The 62 ASCII letters and digits, e.g. of Kinesis Video stream versions and Secrets Manager ARN suffixes. */
export const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
