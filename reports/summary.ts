import { formatValue } from '../harness/runs/format.js';
import type { RunOutcome } from '../harness/runs/outcome.js';
import { renderTable } from './table.js';

/** The end-of-run table, as k6 prints one: every finding, then the checks, then the verdict. */
export function renderSummary(outcome: RunOutcome): string {
  return [
    `run:      ${outcome.runId}`,
    `scenario: ${outcome.scenario}`,
    `target:   ${outcome.target}`,
    `status:   ${outcome.status}`,
    '',
    renderResults(outcome),
    '',
    `stored in ${outcome.runDir}; \`poc show ${outcome.runId}\` shows it again`,
  ].join('\n');
}

/**
 * Findings (in the order the scenario declares them, units as a person reads them), checks,
 * tables and notes: the same block in `poc run`, `poc reconcile` and `poc show`.
 */
export function renderResults(run: Pick<RunOutcome, 'findings' | 'checks' | 'tables' | 'notes'>): string {
  const lines: string[] = [];
  const width = Math.max(...run.findings.map((f) => f.key.length), 10);
  for (const f of run.findings) lines.push(`  ${f.key.padEnd(width)}  ${formatValue(f.value, f.unit)}`);
  if (run.checks.length > 0) {
    lines.push('', 'checks:');
    for (const c of run.checks) {
      lines.push(
        `  ${c.passed ? '✓' : '✗'} ${c.key} ${c.op} ${c.threshold}  (got ${c.value === null ? 'n/a' : String(c.value)})${c.source === 'default' ? '  [default]' : ''}`,
      );
    }
  }
  for (const table of run.tables) lines.push('', renderTable(table));
  if (run.notes.length > 0) lines.push('');
  for (const note of run.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/**
 * The run's summary as JSON: what `--json` prints, `--summary-export` writes and every run
 * leaves in its folder. `stopReason` is there only when the run was stopped before its end.
 */
export function summaryJson(outcome: RunOutcome & { readonly stopReason?: string }): string {
  return JSON.stringify(
    {
      runId: outcome.runId,
      scenario: outcome.scenario,
      vendor: outcome.vendor,
      target: outcome.target,
      status: outcome.status,
      ...(outcome.stopReason ? { stopReason: outcome.stopReason } : {}),
      findings: Object.fromEntries(outcome.findings.map((f) => [f.key, { value: f.value, unit: f.unit }])),
      checks: outcome.checks,
      notes: outcome.notes,
      tables: outcome.tables,
    },
    null,
    2,
  );
}
