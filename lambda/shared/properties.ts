import { TerminalError } from './errors';

/**
 * Readers for custom resource properties, which CloudFormation passes as strings. A bad value
 * fails the operation before any AWS call, with a message naming the property and the rule.
 */
export function requiredString(props: Record<string, string>, name: string): string {
  const value = props[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new TerminalError(`Property ${name} is required, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function booleanProperty(props: Record<string, string>, name: string, defaultValue: boolean): boolean {
  const value = props[name];
  if (value === undefined) return defaultValue;
  if (String(value) === 'true') return true;
  if (String(value) === 'false') return false;
  throw new TerminalError(`Property ${name} must be "true" or "false", got ${JSON.stringify(value)}`);
}

export function integerProperty(props: Record<string, string>, name: string, defaultValue: number): number {
  const value = props[name];
  if (value === undefined) return defaultValue;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) {
    throw new TerminalError(`Property ${name} must be a whole number, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Fails the operation with a rule's message (the rules in src/) when the value breaks it. */
export function checkProperty(problem: string | undefined): void {
  if (problem) throw new TerminalError(`Invalid property: ${problem}`);
}
