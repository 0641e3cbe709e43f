import { AwsError, type ModeledError } from './protocol';

export interface StringConstraint {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
}

/** Longest value quoted in a message; capability configurations can be megabytes long. */
const MAX_QUOTED_VALUE = 80;

/**
 * Collects constraint violations of one request and throws them as a single modeled error with a
 * message in the style AWS services use for model validation, e.g.
 * `1 validation error detected: Value 'x' at 'gatewayId' failed to satisfy constraint: Member must
 * satisfy regular expression pattern: ^…$`. The member name is always in the message so a test (or a
 * handler's error report) can tell which input was wrong.
 */
export class InputValidator {
  private readonly violations: string[] = [];

  constructor(private readonly error: ModeledError) {}

  /** Records a violation for a missing member; returns true if the value is present. */
  public required(member: string, value: unknown): boolean {
    if (value !== undefined && value !== null) return true;
    this.violations.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return false;
  }

  /** Checks a string member if present (combine with `required` for required members). */
  public string(member: string, value: unknown, constraint: StringConstraint): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') {
      this.violations.push(`Value '${quote(String(JSON.stringify(value)))}' at '${member}' failed to satisfy constraint: Member must be a string`);
      return;
    }
    const prefix = `Value '${quote(value)}' at '${member}' failed to satisfy constraint:`;
    if (constraint.min !== undefined && value.length < constraint.min) {
      this.violations.push(`${prefix} Member must have length greater than or equal to ${constraint.min}`);
    }
    if (constraint.max !== undefined && value.length > constraint.max) {
      this.violations.push(`${prefix} Member must have length less than or equal to ${constraint.max}`);
    }
    if (constraint.pattern && value.length > 0 && !constraint.pattern.test(value)) {
      this.violations.push(`${prefix} Member must satisfy regular expression pattern: ${constraint.pattern.source}`);
    }
  }

  /** Checks that a member, if present, is a JSON object; returns it when it is. */
  public object(member: string, value: unknown): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.violations.push(`Value at '${member}' failed to satisfy constraint: Member must be a structure`);
    return undefined;
  }

  /** Records a violation that is not a plain shape constraint. */
  public fail(message: string): void {
    this.violations.push(message);
  }

  public throwIfInvalid(): void {
    if (this.violations.length === 0) return;
    throw new AwsError(this.error.code, this.error.status, validationSummary(this.violations));
  }
}

/** A value as quoted in a violation message: cut to MAX_QUOTED_VALUE characters, with its full length. */
export function quote(value: string): string {
  return value.length > MAX_QUOTED_VALUE ? `${value.slice(0, MAX_QUOTED_VALUE)}…(${value.length} characters)` : value;
}

/** The message of a model validation error: `N validation error(s) detected: ` and the violations joined by `; `. */
export function validationSummary(messages: readonly string[]): string {
  const count = messages.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${messages.join('; ')}`;
}
