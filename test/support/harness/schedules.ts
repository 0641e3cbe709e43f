import { createHash } from 'crypto';
import { ResourceProvider, ResourceProviderContext } from './types';

/**
 * `AWS::Events::Rule` as the harness deploys it (validated like EventBridge's PutRule, nothing
 * created) and the Scheduled Event that EventBridge sends a rule's targets when its schedule fires.
 */

export const EVENTS_RULE_TYPE = 'AWS::Events::Rule';

/** A rule may have at most 5 targets (EventBridge quota "Targets per rule"). */
export const MAX_TARGETS_PER_RULE = 5;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const TARGET_ID = /^[.\-_A-Za-z0-9]{1,64}$/;
const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

/** Why EventBridge refuses a schedule expression, or undefined when it is valid. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return rateProblem(rate[1]);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblem(cron[1]);
  return 'a schedule expression is rate(value unit) or cron(fields)';
}

/**
 * `rate(value unit)`: value a positive whole number, unit minute(s), hour(s) or day(s); "If the value
 * is equal to 1, then the unit must be singular. If the value is greater than 1, the unit must be
 * plural" (EventBridge User Guide, "Rate expressions").
 */
function rateProblem(body: string): string | undefined {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!match) return `rate(${body}): expected rate(value unit) with unit minute(s), hour(s) or day(s)`;
  const value = Number(match[1]);
  if (!(value >= 1) || match[1].startsWith('0')) return `rate(${body}): the value must be a positive whole number`;
  const plural = match[2].endsWith('s');
  if (value === 1 && plural) return `rate(${body}): a value of 1 takes a singular unit`;
  if (value > 1 && !plural) return `rate(${body}): a value greater than 1 takes a plural unit`;
  return undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Wildcards besides `*`: `?` (day of month / week), `L`, `W`, `#`. */
  readonly special: RegExp;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, special: /^$/ },
  { name: 'hours', min: 0, max: 23, special: /^$/ },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: /^$/ },
  { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, special: /^(\?|L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199, special: /^$/ },
];

/**
 * `cron(minutes hours day-of-month month day-of-week year)`: six fields with the ranges and
 * wildcards of the EventBridge User Guide ("Cron expressions"); one of day-of-month and
 * day-of-week must be `?` ("You can't specify the Day-of-month and Day-of-week fields in the same
 * cron expression").
 */
function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return `cron(${body}): expected 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  for (const [index, field] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(fields[index].toUpperCase(), field);
    if (problem) return `cron(${body}): ${field.name} ${JSON.stringify(fields[index])}: ${problem}`;
  }
  if ((fields[2] === '?') === (fields[4] === '?')) return `cron(${body}): exactly one of day-of-month and day-of-week must be ?`;
  return undefined;
}

function cronFieldProblem(text: string, field: CronField): string | undefined {
  if (field.special.test(text)) return undefined;
  for (const part of text.split(',')) {
    const [range, step] = part.split('/');
    if (part.split('/').length > 2) return 'more than one /';
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return `step ${step} is not a positive number`;
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `range ${range} has more than one -`;
    for (const bound of bounds) {
      const value = field.names?.includes(bound) ? field.names.indexOf(bound) + 1 : /^\d+$/.test(bound) ? Number(bound) : NaN;
      if (!(value >= field.min && value <= field.max)) return `${bound} is outside ${field.min}..${field.max}`;
    }
  }
  return undefined;
}

/** What PutRule / PutTargets refuse in a rule's template properties (the reason CloudFormation shows), or undefined. */
export function ruleProblem(properties: Record<string, any>): string | undefined {
  const { ScheduleExpression: schedule, EventPattern: pattern, State: state, Name: name, EventBusName: bus, Targets: targets } = properties;
  if (name !== undefined && (typeof name !== 'string' || !RULE_NAME.test(name))) {
    return `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`;
  }
  if (schedule === undefined && pattern === undefined) return 'Parameter(s) ScheduleExpression or EventPattern must be specified.';
  if (schedule !== undefined) {
    if (typeof schedule !== 'string' || scheduleExpressionProblem(schedule) !== undefined) return 'Parameter ScheduleExpression is not valid.';
    if (bus !== undefined && bus !== 'default' && !/:event-bus\/default$/.test(String(bus))) {
      return 'ScheduleExpression is supported only on the default event bus.';
    }
  }
  if (state !== undefined && !RULE_STATES.includes(state)) {
    return `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`;
  }
  const list: Array<Record<string, any>> = Array.isArray(targets) ? targets : [];
  if (list.length > MAX_TARGETS_PER_RULE) return `The requested resource exceeds the maximum number allowed. Targets per rule: ${MAX_TARGETS_PER_RULE}`;
  for (const target of list) {
    if (typeof target.Id !== 'string' || !TARGET_ID.test(target.Id)) return `Parameter Id of target ${JSON.stringify(target.Id)} is not valid.`;
    if (typeof target.Arn !== 'string' || !target.Arn.startsWith('arn:')) return `Parameter Arn of target ${target.Id} is not valid.`;
    if (target.Input !== undefined) {
      try {
        JSON.parse(String(target.Input));
      } catch {
        return `Valid JSON text required for Input of target ${target.Id}.`;
      }
    }
  }
  if (new Set(list.map((target) => target.Id)).size !== list.length) return 'Target ids must be unique within a rule.';
  return undefined;
}

/** The rule's name (its physical id, `Ref`): `Name`, else `<stack>-<logicalId>-<suffix>` as CloudFormation generates it. */
export function ruleName(properties: Record<string, any>, context: ResourceProviderContext): string {
  if (typeof properties.Name === 'string') return properties.Name;
  const suffix = createHash('sha256').update(`${context.stackName}/${context.logicalId}`).digest('hex').slice(0, 12).toUpperCase();
  return `${context.stackName}-${context.logicalId}`.slice(0, 64 - 13) + `-${suffix}`;
}

export function ruleArn(name: string, context: Pick<ResourceProviderContext, 'region' | 'accountId'>): string {
  return `arn:aws:events:${context.region}:${context.accountId}:rule/${name}`;
}

/** `AWS::Events::Rule`: validated at create and update like PutRule / PutTargets; a failure is the resource's CREATE_FAILED / UPDATE_FAILED. */
export function eventsRuleProvider(): ResourceProvider {
  const deploy = (properties: Record<string, any>, context: ResourceProviderContext) => {
    const problem = ruleProblem(properties);
    if (problem) throw new Error(`${problem} (Service: EventBridge, Status Code: 400)`);
    const name = ruleName(properties, context);
    return { physicalId: name, attributes: { Arn: ruleArn(name, context) } };
  };
  return {
    async create(properties, context) {
      return deploy(properties, context);
    },
    // A changed Name replaces the rule (a new physical id); anything else is updated in place.
    async update(_physicalId, properties, _old, context) {
      return deploy(properties, context);
    },
    async delete() {},
  };
}

/** The event EventBridge sends a target when a schedule rule fires (EventBridge User Guide, "Scheduled events"). */
export function scheduledEvent(id: string, at: number, accountId: string, region: string, ruleArnValue: string): Record<string, unknown> {
  return {
    'version': '0',
    id,
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': accountId,
    'time': new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    region,
    'resources': [ruleArnValue],
    'detail': {},
  };
}

/** `InputPath` of a target: `$` or a dotted path like `$.detail.x` (JSONPath subset). */
export function selectInputPath(event: Record<string, unknown>, inputPath: string): unknown {
  if (inputPath === '$') return event;
  const match = /^\$((?:\.[A-Za-z0-9_-]+)+)$/.exec(inputPath);
  if (!match) throw new Error(`CloudFormation harness: InputPath ${inputPath} is not supported (only $ and $.a.b)`);
  return match[1].slice(1).split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], event);
}
