import type { SeededRandom } from './random';

/**
 * A fault rule. The rates are shares (0..1) of the matching requests; one deterministic random
 * draw per matching request picks at most one of throttle / server error / drop (before the
 * operation runs) or server error / drop after it was applied, so the rates must add up to at most 1. `latencyMs` is added to every matching request.
 */
export interface FaultRule {
  /** Share answered with the service's throttling error (SiteWise: ThrottlingException 429). */
  readonly throttleRate?: number;
  /** Share answered with the service's internal error (SiteWise: InternalFailureException 500). */
  readonly serverErrorRate?: number;
  /** Share whose connection is destroyed without any response. */
  readonly dropRate?: number;
  /**
   * Share that is applied (the operation runs and its change is stored) and then answered with
   * the service's internal error, as when a response is lost after the state changed. An
   * operation that fails on its own answers its own error instead.
   */
  readonly serverErrorAfterApplyRate?: number;
  /** Share that is applied and then has its connection destroyed without any response. */
  readonly dropAfterApplyRate?: number;
  /** Simulated milliseconds of delay before the request is handled. */
  readonly latencyMs?: number;
  /** Operation names (e.g. `DescribeGatewayCapabilityConfiguration`) this rule applies to; all when omitted. */
  readonly operations?: readonly string[];
  /** Signing names (e.g. `iotsitewise`) this rule applies to; all when omitted. */
  readonly services?: readonly string[];
  /** Only the next N matching requests are subject to this rule; unlimited when omitted. */
  readonly firstN?: number;
}

export type FaultOutcome = 'throttle' | 'serverError' | 'drop' | 'serverErrorAfterApply' | 'dropAfterApply';

/** Outcomes that let the operation run first. */
export const AFTER_APPLY_OUTCOMES: ReadonlySet<FaultOutcome> = new Set<FaultOutcome>(['serverErrorAfterApply', 'dropAfterApply']);

export interface FaultDecision {
  readonly latencyMs: number;
  readonly outcome?: FaultOutcome;
}

const NO_FAULT: FaultDecision = { latencyMs: 0 };

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(private readonly random: SeededRandom) {}

  /** Replaces all rules with this one. */
  public set(rule: FaultRule): void {
    this.rules = [];
    this.add(rule);
  }

  /** Adds a rule; the first rule that matches a request (and has budget left) decides. */
  public add(rule: FaultRule): void {
    const rates = [rule.throttleRate, rule.serverErrorRate, rule.dropRate, rule.serverErrorAfterApplyRate, rule.dropAfterApplyRate]
      .map((rate) => rate ?? 0);
    if (rates.some((rate) => rate < 0 || rate > 1)) throw new Error('fault rates must be between 0 and 1');
    if (rates.reduce((sum, rate) => sum + rate, 0) > 1 + 1e-9) throw new Error('fault rates must add up to at most 1');
    if (rule.latencyMs !== undefined && rule.latencyMs < 0) throw new Error('latencyMs must be >= 0');
    if (rule.firstN !== undefined && !(rule.firstN >= 0)) throw new Error('firstN must be >= 0');
    this.rules.push({ rule, remaining: rule.firstN ?? Infinity });
  }

  public clear(): void {
    this.rules = [];
  }

  /** Decides the fate of one request; consumes `firstN` budget and one random draw if a rule matches. */
  public decide(service: string, operation: string): FaultDecision {
    const active = this.rules.find(({ rule, remaining }) => remaining > 0
      && (rule.services === undefined || rule.services.includes(service))
      && (rule.operations === undefined || rule.operations.includes(operation)));
    if (!active) return NO_FAULT;
    active.remaining -= 1;
    const { rule } = active;
    const draw = this.random.next();
    const shares: Array<[FaultOutcome, number | undefined]> = [
      ['throttle', rule.throttleRate],
      ['serverError', rule.serverErrorRate],
      ['drop', rule.dropRate],
      ['serverErrorAfterApply', rule.serverErrorAfterApplyRate],
      ['dropAfterApply', rule.dropAfterApplyRate],
    ];
    let upTo = 0;
    let outcome: FaultOutcome | undefined;
    for (const [candidate, rate] of shares) {
      upTo += rate ?? 0;
      if (draw < upTo) {
        outcome = candidate;
        break;
      }
    }
    return { latencyMs: rule.latencyMs ?? 0, outcome };
  }
}
