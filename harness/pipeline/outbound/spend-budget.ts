import type { ApiBudget } from '../../vendors/types.js';
import type { Wrapper } from './send.js';

/**
 * Spends one request of the run's budget per attempt, or fails with POC_ERR_BUDGET_EXHAUSTED
 * before anything is sent: on a live sandbox every attempt costs quota, retries included. Sits
 * inside the retry layer (each attempt spends) and right above the fetch; the retry and error
 * layers pass its error through untouched.
 */
export function spendBudget(budget: ApiBudget): Wrapper {
  return (next) => async (call) => {
    budget.take(call.operation);
    return next(call);
  };
}
