import { AwsError, type ModeledError } from './protocol';
import { quote, validationSummary, type StringConstraint } from './validation';

/**
 * Model validation for services whose validation error names the offending member, like AWS
 * Ground Station's `InvalidParameterException { message, parameterName }`. Messages read like the
 * shared InputValidator's (`1 validation error detected: Value 'x' at 'taskId' failed to satisfy
 * constraint: …`); in addition every violation keeps its member path, and the error's
 * `parameterName` is the path of the first one. Paths follow AWS's validation messages: dotted
 * members, list items as `<list>.<1-based index>.member`, e.g. `componentStatuses.21.member.dataflowId`.
 */

export interface CountRange {
  readonly min?: number;
  readonly max?: number;
}

interface Violation {
  readonly parameterName: string;
  readonly message: string;
}

/** The path of member `member` (or of the item itself) of the `index`-th (0-based) item of list `list`. */
export function listItem(list: string, index: number, member?: string): string {
  const item = `${list}.${index + 1}.member`;
  return member === undefined ? item : `${item}.${member}`;
}

export class ParameterValidator {
  private readonly violations: Violation[] = [];

  constructor(private readonly error: ModeledError) {}

  /** Records a violation for a missing member; returns true if the value is present. */
  public required(member: string, value: unknown): boolean {
    if (value !== undefined && value !== null) return true;
    this.add(member, `Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return false;
  }

  /** Checks a string member if present (combine with `required` for required members). */
  public string(member: string, value: unknown, constraint: StringConstraint = {}): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string') {
      this.typeMismatch(member, value, 'a string');
      return;
    }
    const prefix = `Value '${quote(value)}' at '${member}' failed to satisfy constraint:`;
    const tooShort = constraint.min !== undefined && value.length < constraint.min;
    if (tooShort) this.add(member, `${prefix} Member must have length greater than or equal to ${constraint.min}`);
    if (constraint.max !== undefined && value.length > constraint.max) {
      this.add(member, `${prefix} Member must have length less than or equal to ${constraint.max}`);
    }
    // An empty string is checked against the pattern too (ComponentTypeString has only a pattern), unless it is already too short.
    if (constraint.pattern && !(tooShort && value.length === 0) && !constraint.pattern.test(value)) {
      this.add(member, `${prefix} Member must satisfy regular expression pattern: ${constraint.pattern.source}`);
    }
  }

  /** Checks an Integer or Long member if present; JSON numbers with a fraction are not integers. */
  public integer(member: string, value: unknown, range: CountRange = {}): void {
    if (value === undefined || value === null) return;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.typeMismatch(member, value, 'an integer');
      return;
    }
    if (range.min !== undefined && value < range.min) {
      this.add(member, `Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${range.min}`);
    }
    if (range.max !== undefined && value > range.max) {
      this.add(member, `Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${range.max}`);
    }
  }

  public boolean(member: string, value: unknown): void {
    if (value === undefined || value === null || typeof value === 'boolean') return;
    this.typeMismatch(member, value, 'a boolean');
  }

  public enumValue(member: string, value: unknown, allowed: readonly string[]): void {
    if (value === undefined || value === null) return;
    if (typeof value === 'string' && allowed.includes(value)) return;
    this.add(member, `Value '${quote(String(JSON.stringify(value)))}' at '${member}' failed to satisfy constraint: `
      + `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }

  /** Checks a structure member if present; returns its members when it is a JSON object. */
  public structure(member: string, value: unknown): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.typeMismatch(member, value, 'a structure');
    return undefined;
  }

  /** Checks a list member if present; returns its items when it is a JSON array (even of the wrong length, so they are checked too). */
  public list(member: string, value: unknown, range: CountRange = {}): readonly unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.typeMismatch(member, value, 'a list');
      return undefined;
    }
    const prefix = `Value at '${member}' failed to satisfy constraint:`;
    if (range.min !== undefined && value.length < range.min) {
      this.add(member, `${prefix} Member must have length greater than or equal to ${range.min} (got ${value.length})`);
    }
    if (range.max !== undefined && value.length > range.max) {
      this.add(member, `${prefix} Member must have length less than or equal to ${range.max} (got ${value.length})`);
    }
    return value;
  }

  /** Checks a list of strings: the list's length, then every item against `constraint`. */
  public stringList(member: string, value: unknown, range: CountRange, constraint: StringConstraint = {}): readonly string[] | undefined {
    const items = this.list(member, value, range);
    items?.forEach((item, index) => {
      if (this.required(listItem(member, index), item)) this.string(listItem(member, index), item, constraint);
    });
    return items?.every((item) => typeof item === 'string') ? items as readonly string[] : undefined;
  }

  /** Checks a map member if present; returns its entries when it is a JSON object. */
  public map(member: string, value: unknown): Array<[string, unknown]> | undefined {
    const members = this.structure(member, value);
    return members && Object.entries(members);
  }

  /** Records a violation that is not a plain shape constraint. */
  public fail(member: string, message: string): void {
    this.add(member, message);
  }

  public get valid(): boolean {
    return this.violations.length === 0;
  }

  public throwIfInvalid(): void {
    if (this.violations.length === 0) return;
    throw new AwsError(this.error.code, this.error.status, validationSummary(this.violations.map((v) => v.message)), {
      parameterName: this.violations[0].parameterName,
    });
  }

  private typeMismatch(member: string, value: unknown, expected: string): void {
    this.add(member, `Value '${quote(String(JSON.stringify(value)))}' at '${member}' failed to satisfy constraint: Member must be ${expected}`);
  }

  private add(parameterName: string, message: string): void {
    this.violations.push({ parameterName, message });
  }
}
