import type { Expectation } from '../../harness/attack/forgeries.js';

/** One attack case as sent and answered. */
export interface Outcome {
  readonly name: string;
  readonly expect: Expectation;
  readonly status: number;
  /** Events applied by this case; undefined when attacking an outside receiver. */
  readonly applied: number | undefined;
  readonly passed: boolean;
}

export function judge(expect: Expectation, status: number, applied: number | undefined): boolean {
  const ok = status >= 200 && status < 300;
  switch (expect) {
    case 'accept':
      return ok && (applied === undefined || applied > 0);
    case 'duplicate':
      return ok && (applied === undefined || applied === 0);
    case 'reject':
      return status >= 400 && status < 500 && !applied;
    case 'undetectable':
      return ok;
  }
}
