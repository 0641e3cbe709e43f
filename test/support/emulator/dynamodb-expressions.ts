import { attributeValuesEqual, validateAttributeMap, validationError, type AttributeMap } from './dynamodb-shapes';

/**
 * The subset of DynamoDB's expression language the emulator evaluates: condition (and filter)
 * expressions made of `attribute_exists(path)`, `attribute_not_exists(path)`, `operand = operand`
 * and `operand <> operand`, combined with AND, OR, NOT and parentheses, over top-level attribute
 * names; projection expressions listing top-level names. Paths are `#placeholder`s from
 * ExpressionAttributeNames or plain names that are not reserved words; operands are paths or
 * `:placeholder`s from ExpressionAttributeValues. What DynamoDB refuses is refused with its
 * ValidationException messages; what DynamoDB accepts but the emulator does not evaluate (other
 * functions and comparators, nested paths) fails the request with the internal error, naming the
 * emulator, so a test never mistakes it for an AWS answer.
 */

export type ExpressionKind = 'ConditionExpression' | 'FilterExpression' | 'ProjectionExpression';

type Token = { readonly kind: 'name' | 'placeholder' | 'value' | 'word' | 'symbol'; readonly text: string };

type Operand = { readonly kind: 'path'; readonly name: string } | { readonly kind: 'value'; readonly placeholder: string };

export type Condition =
  | { readonly kind: 'exists' | 'notExists'; readonly name: string }
  | { readonly kind: 'compare'; readonly operator: '=' | '<>'; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition };

/**
 * Words DynamoDB reserves in expressions that attribute names commonly collide with (a subset of
 * the Developer Guide's list of 573 reserved words; see ASSUMPTIONS.md).
 */
const RESERVED_WORDS = new Set([
  'ABORT', 'ACTION', 'ADD', 'ALL', 'AND', 'BETWEEN', 'BY', 'CHECK', 'COUNT', 'CURRENT', 'DATA', 'DATE', 'DAY', 'DELETE', 'DESCRIPTION',
  'DEVICE', 'DOMAIN', 'END', 'ERROR', 'EXISTS', 'FAILURE', 'FILE', 'FIRST', 'FROM', 'GROUP', 'HASH', 'HOUR', 'IN', 'INDEX', 'ITEM', 'KEY',
  'KEYS', 'LAST', 'LEVEL', 'LIMIT', 'LOCATION', 'MINUTE', 'MODE', 'MONTH', 'NAME', 'NAMESPACE', 'NOT', 'NULL', 'NUMBER', 'OBJECT', 'OR',
  'OWNER', 'PATH', 'RANGE', 'REGION', 'RESULT', 'ROLE', 'SECOND', 'SET', 'SIZE', 'SOURCE', 'STATE', 'STATUS', 'STREAM', 'STRING',
  'SYSTEM', 'TABLE', 'TIME', 'TIMESTAMP', 'TTL', 'TYPE', 'UPDATE', 'USER', 'VALUE', 'VALUES', 'VERSION', 'VIEW', 'YEAR', 'ZONE',
]);
/** Functions and comparators of DynamoDB's grammar that the emulator does not evaluate. */
const UNSUPPORTED_FUNCTIONS = new Set(['begins_with', 'contains', 'size', 'attribute_type']);
const UNSUPPORTED_SYMBOLS = new Set(['<', '<=', '>', '>=', '.', '[', ']']);
const UNSUPPORTED_WORDS = new Set(['BETWEEN', 'IN']);

/** The expression attribute names and values of one request, and which of them its expressions used. */
export class ExpressionContext {
  public readonly names: Readonly<Record<string, string>>;
  public readonly values: AttributeMap;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(body: Record<string, unknown>, expressionMembers: readonly ExpressionKind[]) {
    const present = expressionMembers.filter((member) => body[member] !== undefined && body[member] !== null);
    const names = body.ExpressionAttributeNames;
    const values = body.ExpressionAttributeValues;
    if (names !== undefined && names !== null) {
      if (present.length === 0) throw validationError('ExpressionAttributeNames can only be specified when using expressions');
      if (typeof names !== 'object' || Array.isArray(names) || Object.values(names).some((name) => typeof name !== 'string')) {
        throw validationError("1 validation error detected: Value at 'expressionAttributeNames' failed to satisfy constraint: Member must be a map of strings");
      }
      if (Object.keys(names).length === 0) throw validationError('ExpressionAttributeNames must not be empty');
    }
    if (values !== undefined && values !== null) {
      if (!present.some((member) => member !== 'ProjectionExpression')) {
        throw validationError(`ExpressionAttributeValues can only be specified when using expressions: ${present.length === 0 ? 'no expressions' : 'ProjectionExpression cannot use values'}`);
      }
      if (Object.keys(validateAttributeMap(values, 'expressionAttributeValues')).length === 0) throw validationError('ExpressionAttributeValues must not be empty');
    }
    this.names = (names ?? {}) as Record<string, string>;
    this.values = (values ?? {}) as AttributeMap;
  }

  /** After every expression of the request was parsed: DynamoDB refuses names and values no expression used. */
  public checkAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter((name) => !this.usedNames.has(name));
    if (unusedNames.length > 0) throw validationError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values).filter((value) => !this.usedValues.has(value));
    if (unusedValues.length > 0) throw validationError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }

  public resolveName(token: Token, kind: ExpressionKind): string {
    if (token.kind === 'placeholder') {
      const name = this.names[token.text];
      if (name === undefined) {
        throw validationError(`Invalid ${kind}: An expression attribute name used in the document path is not defined; attribute name: ${token.text}`);
      }
      this.usedNames.add(token.text);
      return name;
    }
    if (RESERVED_WORDS.has(token.text.toUpperCase())) {
      throw validationError(`Invalid ${kind}: Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    }
    return token.text;
  }

  public useValue(placeholder: string, kind: ExpressionKind): void {
    if (this.values[placeholder] === undefined) {
      throw validationError(`Invalid ${kind}: An expression attribute value used in expression is not defined; attribute value: ${placeholder}`);
    }
    this.usedValues.add(placeholder);
  }
}

export function parseCondition(expression: unknown, kind: 'ConditionExpression' | 'FilterExpression', context: ExpressionContext): Condition {
  if (typeof expression !== 'string') throw validationError(`1 validation error detected: Value at '${lowerFirst(kind)}' failed to satisfy constraint: Member must be a string`);
  if (expression.trim() === '') throw validationError(`Invalid ${kind}: The expression can not be empty;`);
  const parser = new Parser(tokenize(expression, kind), kind, context, expression);
  const condition = parser.condition();
  parser.expectEnd();
  return condition;
}

/** Top-level attribute names a ProjectionExpression lists. */
export function parseProjection(expression: unknown, context: ExpressionContext): string[] {
  const kind = 'ProjectionExpression';
  if (typeof expression !== 'string') throw validationError("1 validation error detected: Value at 'projectionExpression' failed to satisfy constraint: Member must be a string");
  if (expression.trim() === '') throw validationError(`Invalid ${kind}: The expression can not be empty;`);
  const tokens = tokenize(expression, kind);
  const names: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const token = tokens[i];
    if (token.kind === 'symbol' && UNSUPPORTED_SYMBOLS.has(token.text)) throw unsupported(kind, `the nested path at "${token.text}"`);
    if (token.kind !== 'name' && token.kind !== 'placeholder') throw syntaxError(kind, token.text, expression);
    names.push(context.resolveName(token, kind));
    const separator = tokens[i + 1];
    if (separator === undefined) break;
    if (separator.kind === 'symbol' && UNSUPPORTED_SYMBOLS.has(separator.text)) throw unsupported(kind, `the nested path at "${separator.text}"`);
    if (separator.text !== ',' || i + 2 >= tokens.length) throw syntaxError(kind, separator.text, expression);
  }
  return names;
}

export function evaluate(condition: Condition, item: AttributeMap | undefined, context: ExpressionContext): boolean {
  switch (condition.kind) {
    case 'exists': return item?.[condition.name] !== undefined;
    case 'notExists': return item?.[condition.name] === undefined;
    case 'and': return evaluate(condition.left, item, context) && evaluate(condition.right, item, context);
    case 'or': return evaluate(condition.left, item, context) || evaluate(condition.right, item, context);
    case 'not': return !evaluate(condition.operand, item, context);
    case 'compare': {
      const left = operandValue(condition.left, item, context);
      const right = operandValue(condition.right, item, context);
      // A comparison with a missing attribute is false, `<>` included.
      if (left === undefined || right === undefined) return false;
      const equal = attributeValuesEqual(left, right);
      return condition.operator === '=' ? equal : !equal;
    }
  }
}

function operandValue(operand: Operand, item: AttributeMap | undefined, context: ExpressionContext) {
  return operand.kind === 'value' ? context.values[operand.placeholder] : item?.[operand.name];
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly kind: 'ConditionExpression' | 'FilterExpression',
    private readonly context: ExpressionContext,
    private readonly source: string,
  ) {}

  public condition(): Condition {
    let left = this.conjunction();
    while (this.acceptWord('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  public expectEnd(): void {
    const token = this.tokens[this.position];
    if (token) throw this.unexpected(token);
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.acceptWord('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Condition {
    if (this.acceptWord('NOT')) return { kind: 'not', operand: this.negation() };
    return this.primary();
  }

  private primary(): Condition {
    const token = this.next();
    if (token.kind === 'symbol' && token.text === '(') {
      const inner = this.condition();
      this.expectSymbol(')');
      return inner;
    }
    if (token.kind === 'name' && this.peek()?.text === '(') {
      if (token.text === 'attribute_exists' || token.text === 'attribute_not_exists') {
        this.expectSymbol('(');
        const path = this.next();
        if (path.kind !== 'name' && path.kind !== 'placeholder') throw this.unexpected(path);
        const name = this.context.resolveName(path, this.kind);
        this.rejectNestedPath();
        this.expectSymbol(')');
        return { kind: token.text === 'attribute_exists' ? 'exists' : 'notExists', name };
      }
      if (UNSUPPORTED_FUNCTIONS.has(token.text)) throw unsupported(this.kind, `the function ${token.text}`);
      throw validationError(`Invalid ${this.kind}: Invalid function name; function: ${token.text}`);
    }
    this.position -= 1;
    const left = this.operand();
    const operator = this.next();
    if (operator.kind === 'symbol' && UNSUPPORTED_SYMBOLS.has(operator.text)) throw unsupported(this.kind, `the comparator ${operator.text}`);
    if (operator.kind === 'word' && UNSUPPORTED_WORDS.has(operator.text.toUpperCase())) throw unsupported(this.kind, operator.text.toUpperCase());
    if (operator.kind !== 'symbol' || (operator.text !== '=' && operator.text !== '<>')) throw this.unexpected(operator);
    const right = this.operand();
    if (left.kind === 'value' && right.kind === 'value') {
      throw validationError(`Invalid ${this.kind}: The expression has redundant parentheses or compares two values; operands: ${left.placeholder}, ${right.placeholder}`);
    }
    return { kind: 'compare', operator: operator.text, left, right };
  }

  private operand(): Operand {
    const token = this.next();
    if (token.kind === 'value') {
      this.context.useValue(token.text, this.kind);
      return { kind: 'value', placeholder: token.text };
    }
    if (token.kind === 'name' || token.kind === 'placeholder') {
      const name = this.context.resolveName(token, this.kind);
      this.rejectNestedPath();
      return { kind: 'path', name };
    }
    throw this.unexpected(token);
  }

  private rejectNestedPath(): void {
    const token = this.peek();
    if (token?.kind === 'symbol' && (token.text === '.' || token.text === '[')) throw unsupported(this.kind, `the nested path at "${token.text}"`);
  }

  private acceptWord(word: string): boolean {
    const token = this.peek();
    if (token && (token.kind === 'word' || token.kind === 'name') && token.text.toUpperCase() === word) {
      this.position += 1;
      return true;
    }
    return false;
  }

  private expectSymbol(symbol: string): void {
    const token = this.next();
    if (token.kind !== 'symbol' || token.text !== symbol) throw this.unexpected(token);
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (!token) throw validationError(`Invalid ${this.kind}: Syntax error; token: "<EOF>", near: "${this.source.slice(-20)}"`);
    this.position += 1;
    return token;
  }

  private unexpected(token: Token): Error {
    return syntaxError(this.kind, token.text, this.source);
  }
}

function tokenize(expression: string, kind: ExpressionKind): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(<>|<=|>=|[=<>(),.[\]])|(\S))/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < expression.length && (match = pattern.exec(expression)) !== null) {
    if (match[1]) tokens.push({ kind: 'placeholder', text: match[1] });
    else if (match[2]) tokens.push({ kind: 'value', text: match[2] });
    else if (match[3]) tokens.push({ kind: ['AND', 'OR', 'NOT', 'BETWEEN', 'IN'].includes(match[3].toUpperCase()) ? 'word' : 'name', text: match[3] });
    else if (match[4]) tokens.push({ kind: 'symbol', text: match[4] });
    else if (match[5]) throw validationError(`Invalid ${kind}: Syntax error; token: "${match[5]}", near: "${expression}"`);
    else break;
  }
  return tokens;
}

function syntaxError(kind: ExpressionKind, token: string, source: string): Error {
  return validationError(`Invalid ${kind}: Syntax error; token: "${token}", near: "${source}"`);
}

/** DynamoDB would evaluate this; the emulator cannot: a crash, answered as the internal error. */
function unsupported(kind: ExpressionKind, what: string): Error {
  return new Error(`the local emulator does not evaluate ${what} in a ${kind} (supported: attribute_exists, attribute_not_exists, =, <>, AND, OR, NOT, top-level names)`);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
