/**
 * CloudFormation intrinsic functions, evaluated the way CloudFormation does at deploy time,
 * against the harness's deployed stack state.
 */

/** Returned for `Ref: AWS::NoValue`; the enclosing property or list item is dropped. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A template problem (unsupported intrinsic, unknown reference): CloudFormation's "Template error". */
export class TemplateError extends Error {
  constructor(message: string) {
    super(`Template error: ${message}`);
    this.name = 'TemplateError';
  }
}

export interface IntrinsicContext {
  /** `AWS::Region`, `AWS::StackName`, ... */
  readonly pseudoParameters: Record<string, unknown>;
  /** Template parameter values (defaults or overrides). */
  readonly parameters: Record<string, unknown>;
  readonly mappings: Record<string, Record<string, Record<string, unknown>>>;
  condition(name: string): boolean;
  /** `Ref` of a resource: its physical id. */
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
}

const AVAILABILITY_ZONE_SUFFIXES = ['a', 'b', 'c', 'd', 'e', 'f'];

export function resolveIntrinsics(value: unknown, context: IntrinsicContext): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveIntrinsics(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && isIntrinsicName(keys[0])) {
      return resolveFunction(keys[0], value[keys[0]], context);
    }
    const resolved: Record<string, unknown> = {};
    for (const key of keys) {
      const item = resolveIntrinsics(value[key], context);
      if (item !== NO_VALUE) resolved[key] = item;
    }
    return resolved;
  }
  return value;
}

/** Evaluates a condition expression from the template's `Conditions` section. */
export function evaluateCondition(expression: unknown, context: IntrinsicContext): boolean {
  // `{ Condition: Name }` refers to another condition; it is only meaningful inside conditions,
  // elsewhere a property may legitimately be called `Condition`.
  if (isObject(expression) && Object.keys(expression).length === 1 && typeof expression.Condition === 'string') {
    return context.condition(expression.Condition);
  }
  const result = resolveIntrinsics(expression, context);
  if (typeof result !== 'boolean') {
    throw new TemplateError(`condition did not evaluate to a boolean: ${JSON.stringify(expression)}`);
  }
  return result;
}

/**
 * Logical ids a value refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub`, restricted to
 * `isResource` (so parameters and pseudo parameters are ignored). Used for dependency order.
 */
export function referencedLogicalIds(value: unknown, isResource: (id: string) => boolean): Set<string> {
  const found = new Set<string>();
  visitReferences(value, (logicalId) => {
    if (isResource(logicalId)) found.add(logicalId);
  });
  return found;
}

/** The `Fn::GetAtt` attribute names the template reads from `logicalId` (including `${Id.Attr}` in Fn::Sub). */
export function referencedAttributes(value: unknown, logicalId: string): Set<string> {
  const found = new Set<string>();
  visitReferences(value, (id, attribute) => {
    if (id === logicalId && attribute !== undefined) found.add(attribute);
  });
  return found;
}

function visitReferences(value: unknown, visit: (logicalId: string, attribute?: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item) => visitReferences(item, visit));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, argument] of Object.entries(value)) {
    if (key === 'Ref' && typeof argument === 'string') {
      visit(argument);
    } else if (key === 'Fn::GetAtt') {
      const [id, attribute] = getAttArguments(argument);
      visit(id, typeof attribute === 'string' ? attribute : undefined);
      if (typeof attribute !== 'string') visitReferences(attribute, visit);
    } else if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
      if (typeof text === 'string') {
        for (const name of subPlaceholders(text)) {
          if (isObject(variables) && name in variables) continue;
          const [id, ...rest] = name.split('.');
          visit(id, rest.length > 0 ? rest.join('.') : undefined);
        }
      }
      visitReferences(variables, visit);
    } else {
      visitReferences(argument, visit);
    }
  }
}

function resolveFunction(name: string, argument: unknown, context: IntrinsicContext): unknown {
  switch (name) {
    case 'Ref':
      return resolveRef(String(argument), context);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArguments(argument);
      return context.getAtt(logicalId, String(resolveIntrinsics(attribute, context)));
    }
    case 'Fn::Join': {
      const [delimiter, list] = expectArray(name, argument, 2);
      const items = resolveIntrinsics(list, context);
      if (!Array.isArray(items)) throw new TemplateError(`Fn::Join needs a list, got ${JSON.stringify(items)}`);
      return items.map((item) => scalarToString(name, item)).join(String(delimiter));
    }
    case 'Fn::Sub':
      return resolveSub(argument, context);
    case 'Fn::Select': {
      const [index, list] = expectArray(name, argument, 2);
      const items = resolveIntrinsics(list, context);
      const position = Number(resolveIntrinsics(index, context));
      if (!Array.isArray(items) || !Number.isInteger(position) || position < 0 || position >= items.length) {
        throw new TemplateError(`Fn::Select index ${position} out of bounds of ${JSON.stringify(items)}`);
      }
      return items[position];
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArray(name, argument, 2);
      return String(resolveIntrinsics(source, context)).split(String(delimiter));
    }
    case 'Fn::If': {
      const [conditionName, whenTrue, whenFalse] = expectArray(name, argument, 3);
      return resolveIntrinsics(context.condition(String(conditionName)) ? whenTrue : whenFalse, context);
    }
    case 'Fn::Equals': {
      const [left, right] = expectArray(name, argument, 2).map((item) => resolveIntrinsics(item, context));
      return JSON.stringify(left) === JSON.stringify(right);
    }
    case 'Fn::And':
      return expectArray(name, argument).every((item) => evaluateCondition(item, context));
    case 'Fn::Or':
      return expectArray(name, argument).some((item) => evaluateCondition(item, context));
    case 'Fn::Not':
      return !evaluateCondition(expectArray(name, argument, 1)[0], context);
    case 'Fn::FindInMap': {
      const [mapName, topKey, secondKey, options] = expectArray(name, argument).map((item) => resolveIntrinsics(item, context));
      const found = context.mappings[String(mapName)]?.[String(topKey)]?.[String(secondKey)];
      if (found !== undefined) return found;
      if (isObject(options) && 'DefaultValue' in options) return options.DefaultValue;
      throw new TemplateError(`Fn::FindInMap: no ${mapName}.${topKey}.${secondKey}`);
    }
    case 'Fn::GetAZs': {
      const region = String(resolveIntrinsics(argument, context) || context.pseudoParameters['AWS::Region']);
      return AVAILABILITY_ZONE_SUFFIXES.map((suffix) => `${region}${suffix}`);
    }
    case 'Fn::Base64':
      return Buffer.from(String(resolveIntrinsics(argument, context)), 'utf8').toString('base64');
    case 'Fn::ToJsonString':
      return JSON.stringify(resolveIntrinsics(argument, context));
    case 'Fn::Length': {
      const items = resolveIntrinsics(argument, context);
      if (!Array.isArray(items)) throw new TemplateError('Fn::Length needs a list');
      return items.length;
    }
    default:
      throw new TemplateError(`intrinsic function ${name} is not supported by the harness`);
  }
}

function resolveRef(name: string, context: IntrinsicContext): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  if (name in context.pseudoParameters) return context.pseudoParameters[name];
  if (name in context.parameters) return context.parameters[name];
  return context.ref(name);
}

function resolveSub(argument: unknown, context: IntrinsicContext): string {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string') throw new TemplateError('Fn::Sub needs a string');
  const resolvedVariables = isObject(variables) ? (resolveIntrinsics(variables, context) as Record<string, unknown>) : {};
  // `${!Literal}` is an escape for a literal `${Literal}`.
  return text.replace(/\$\{([^}]*)\}/g, (_match, placeholder: string) => {
    if (placeholder.startsWith('!')) return `\${${placeholder.slice(1)}}`;
    const name = placeholder.trim();
    if (name in resolvedVariables) return scalarToString('Fn::Sub', resolvedVariables[name]);
    const dot = name.indexOf('.');
    if (dot > 0 && !(name in context.pseudoParameters)) {
      return scalarToString('Fn::Sub', context.getAtt(name.slice(0, dot), name.slice(dot + 1)));
    }
    return scalarToString('Fn::Sub', resolveRef(name, context));
  });
}

function subPlaceholders(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = match[1].trim();
    if (!name.startsWith('!') && !name.startsWith('AWS::')) names.push(name);
  }
  return names;
}

function getAttArguments(argument: unknown): [string, unknown] {
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    return [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  if (Array.isArray(argument) && argument.length === 2) return [String(argument[0]), argument[1]];
  throw new TemplateError(`malformed Fn::GetAtt ${JSON.stringify(argument)}`);
}

function expectArray(name: string, argument: unknown, length?: number): unknown[] {
  if (!Array.isArray(argument) || (length !== undefined && argument.length < length)) {
    throw new TemplateError(`malformed ${name} ${JSON.stringify(argument)}`);
  }
  return argument;
}

function scalarToString(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${name} cannot embed a non-scalar value ${JSON.stringify(value)}`);
}

function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
