import { PocError } from '../../errors.js';

/**
 * A run's allowance of vendor API requests, shared by every caller and counting retries: on a
 * live sandbox each request spends the vendor's daily quota, which costs money and is shared
 * with the team's real integrations.
 */
export class RequestBudget {
  private used = 0;

  constructor(
    readonly limit: number,
    /** Where the limit comes from, for the error message: "--max-requests 500". */
    readonly origin: string,
    /** A budget this one also spends from (a playbook's, across runs): both limits hold. */
    private readonly parent?: RequestBudget,
  ) {}

  get spent(): number {
    return this.used;
  }

  get exhausted(): boolean {
    return this.used >= this.limit || this.parent?.exhausted === true;
  }

  /** Spends one request, or throws POC_ERR_BUDGET_EXHAUSTED before the request is sent. */
  take(operation: string): void {
    this.parent?.checkRoom(operation);
    this.checkRoom(operation);
    this.parent?.take(operation);
    this.used++;
  }

  private checkRoom(operation: string): void {
    if (this.used >= this.limit) {
      throw new PocError(
        'POC_ERR_BUDGET_EXHAUSTED',
        `${operation}: the request budget (${this.limit}, from ${this.origin}) is spent; nothing more is sent`,
      );
    }
  }
}

/** The tighter of --max-requests and --max-quota-share of the vendor's documented daily quota. */
export function budgetFor(
  maxRequests: number | undefined,
  maxQuotaShare: number | undefined,
  dailyQuota: number | undefined,
  shared?: RequestBudget,
): RequestBudget | undefined {
  const fromShare =
    maxQuotaShare !== undefined && dailyQuota !== undefined
      ? Math.floor(maxQuotaShare * dailyQuota)
      : undefined;
  if (maxRequests === undefined && fromShare === undefined)
    return shared ? new RequestBudget(Number.POSITIVE_INFINITY, 'no limit of its own', shared) : undefined;
  if (fromShare === undefined || (maxRequests !== undefined && maxRequests <= fromShare)) {
    return new RequestBudget(maxRequests ?? 0, `--max-requests ${maxRequests}`, shared);
  }
  return new RequestBudget(
    fromShare,
    `--max-quota-share ${maxQuotaShare} of the documented daily quota ${dailyQuota}`,
    shared,
  );
}

/** The vendor's documented daily quota (its limit with a window of a day or more), if it has one. */
export function documentedDailyQuota(
  rateLimits: readonly { readonly value: { readonly windowMs: number; readonly requests: number } }[],
): number | undefined {
  return rateLimits.map((l) => l.value).find((l) => l.windowMs >= 86_400_000)?.requests;
}
