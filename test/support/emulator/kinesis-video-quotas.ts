import { kinesisVideoError } from './kinesis-video-shapes';
import { SlidingWindowRateLimiter, type RateLimit } from './rate-limits';

/**
 * Control-plane quotas of the KVS developer guide (`limits.html`) for the edge operations: calls
 * per second per account and per stream. Exceeding one answers ClientLimitExceededException.
 * Operations not listed are not limited.
 */
export const EDGE_RATE_LIMITS: Readonly<Record<string, { readonly perAccount: number; readonly perStream?: number }>> = {
  StartEdgeConfigurationUpdate: { perAccount: 10, perStream: 1 },
  DeleteEdgeConfiguration: { perAccount: 10, perStream: 1 },
  DescribeEdgeConfiguration: { perAccount: 50, perStream: 5 },
  ListEdgeAgentConfigurations: { perAccount: 50 },
};

/** A call refused with ClientLimitExceededException by the quotas (not by fault injection). */
export interface RateLimitedCall {
  /** Simulated epoch ms. */
  readonly at: number;
  readonly operation: string;
  /** Which quota was full. */
  readonly scope: 'account' | 'stream';
  readonly limit: number;
  /** For a refusal by a per-stream quota: the stream's name (or the identifier the request gave, if there is no such stream). */
  readonly stream?: string;
}

/** The stream a call counts against: `key` identifies the quota, `label` is what a refusal records. */
export interface QuotaStream {
  readonly key: string;
  readonly label: string;
}

/** Applies EDGE_RATE_LIMITS on simulated time; can be switched off; remembers every refusal. */
export class KinesisVideoQuotas {
  private readonly limiter = new SlidingWindowRateLimiter();
  private readonly refusals: RateLimitedCall[] = [];
  private enabled: boolean;

  constructor(private readonly initiallyEnabled: boolean) {
    this.enabled = initiallyEnabled;
  }

  /** Calls refused so far, in order. */
  public get refused(): readonly RateLimitedCall[] {
    return this.refusals;
  }

  public setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.limiter.clear();
  }

  /**
   * Throws ClientLimitExceededException, and records the call, if a quota of `operation` is full at
   * `now`; `account` identifies the account and region whose quota the call counts against.
   */
  public admit(operation: string, now: number, account: string, stream: QuotaStream | undefined): void {
    const quota = EDGE_RATE_LIMITS[operation];
    if (!this.enabled || !quota) return;
    const limits: RateLimit[] = [{ key: `${operation} account ${account}`, limit: quota.perAccount, scope: 'account' }];
    if (quota.perStream !== undefined && stream !== undefined) {
      limits.push({ key: `${operation} stream ${stream.key}`, limit: quota.perStream, scope: 'stream' });
    }
    const full = this.limiter.admit(limits, now);
    if (!full) return;
    this.refusals.push({
      at: now, operation, scope: full.scope, limit: full.limit, ...(full.scope === 'stream' && stream !== undefined ? { stream: stream.label } : {}),
    });
    throw kinesisVideoError('clientLimitExceeded', `Rate exceeded for ${operation}: at most ${full.limit} calls per second per ${full.scope}`);
  }

  /** Forgets counters and refusals and restores the initial switch. */
  public reset(): void {
    this.limiter.clear();
    this.refusals.length = 0;
    this.enabled = this.initiallyEnabled;
  }
}
