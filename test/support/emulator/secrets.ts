import { ALPHANUMERIC, type SeededRandom } from './random';

/**
 * A minimal in-memory AWS Secrets Manager: just enough for the simulated Kinesis Video Edge Agent
 * to look up the secret behind an edge configuration's `MediaUriSecretArn`. No HTTP API: tests
 * create and delete secrets directly.
 */

export interface SecretsRegistryOptions {
  /** Source of the 6-character ARN suffixes. */
  readonly random: SeededRandom;
  readonly region: string;
  readonly accountId: string;
}

export interface SecretSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly secretString: string;
}

/** Secrets Manager secret names: 1..512 of these characters. */
const SECRET_NAME = /^[a-zA-Z0-9/_+=.@-]{1,512}$/;
const SUFFIX_LENGTH = 6;

export class SecretsRegistry {
  private readonly random: SeededRandom;
  private readonly arnPrefix: string;
  /** By full ARN. */
  private readonly secrets = new Map<string, SecretSnapshot>();

  constructor(options: SecretsRegistryOptions) {
    this.random = options.random;
    this.arnPrefix = `arn:aws:secretsmanager:${options.region}:${options.accountId}:secret:`;
  }

  /**
   * Creates a secret and returns its ARN, `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`
   * like Secrets Manager's. Names must be unique among existing secrets.
   */
  public create(name: string, secretString: string): string {
    if (!SECRET_NAME.test(name)) throw new Error(`invalid secret name ${JSON.stringify(name)}: 1..512 characters of [a-zA-Z0-9/_+=.@-]`);
    if (this.list().some((secret) => secret.name === name)) throw new Error(`a secret named ${name} already exists`);
    let arn = this.newArn(name);
    while (this.secrets.has(arn)) arn = this.newArn(name);
    this.secrets.set(arn, { name, arn, secretString });
    return arn;
  }

  /**
   * Creates a secret in the format the Kinesis Video Edge Agent reads: a JSON object whose
   * case-sensitive key `MediaURI` holds the camera's RTSP URI or the media file location.
   */
  public createMediaUri(name: string, mediaUri: string): string {
    return this.create(name, JSON.stringify({ MediaURI: mediaUri }));
  }

  /** Deletes the secret a full or partial ARN names (no recovery window); throws if there is none. */
  public delete(arn: string): void {
    const secret = this.resolve(arn);
    if (!secret) throw new Error(`the secrets registry has no secret ${arn}`);
    this.secrets.delete(secret.arn);
  }

  /** Whether a full ARN, or a partial ARN without the random suffix, names an existing secret. */
  public exists(arn: string): boolean {
    return this.resolve(arn) !== undefined;
  }

  /** The secret string behind a full or partial ARN, or undefined when there is no such secret. */
  public secretString(arn: string): string | undefined {
    return this.resolve(arn)?.secretString;
  }

  public list(): SecretSnapshot[] {
    return [...this.secrets.values()];
  }

  public reset(): void {
    this.secrets.clear();
  }

  /** Secrets Manager accepts a partial ARN (without `-XXXXXX`) wherever it accepts a full one. */
  private resolve(arn: string): SecretSnapshot | undefined {
    const exact = this.secrets.get(arn);
    if (exact) return exact;
    if (!arn.startsWith(this.arnPrefix)) return undefined;
    const name = arn.slice(this.arnPrefix.length);
    return this.list().find((secret) => secret.name === name);
  }

  private newArn(name: string): string {
    return `${this.arnPrefix}${name}-${this.random.nextString(SUFFIX_LENGTH, ALPHANUMERIC)}`;
  }
}
