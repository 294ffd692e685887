import { incomparableLine } from './comparability.js';
import type { Scorecard } from './model.js';

/** Said wherever the scorecard is shown when no run was live: performance was not scored. */
export const MOCK_ONLY = 'from mock runs only: no performance criterion is scored (that needs live runs)';

/** The title line of the workbook's Summary, the Markdown and the CLI output. */
export function scorecardTitle(card: Scorecard): string {
  return card.mockOnly ? `CRM vendor scorecard, ${MOCK_ONLY}` : 'CRM vendor scorecard';
}

/** What a reader must know before trusting the ranking, one line each (empty when nothing). */
export function scorecardWarnings(card: Scorecard): string[] {
  const out = card.incomparable.map(incomparableLine);
  const coverages = new Set(card.totals.map((t) => t.scored));
  if (card.totals.length > 1 && coverages.size > 1) {
    out.push(
      `coverage differs (${card.totals.map((t) => `${t.vendor} ${t.scored}/${t.scorable}`).join(', ')}): a total also counts how much was scored; compare the % of what was scored too`,
    );
  }
  const unverified = card.totals.filter((t) => t.unverified > 0);
  if (unverified.length > 0) {
    out.push(
      `unverified answers, not added (evidence missing or a placeholder): ${unverified.map((t) => `${t.vendor} ${t.unverified}`).join(', ')}`,
    );
  }
  if (card.leftOut.length > 0) out.push(`left out, with no run and no answer: ${card.leftOut.join(', ')}`);
  return out;
}
