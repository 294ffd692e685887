import type { RunOutcome } from '../harness/runs/outcome.js';
import { renderTable } from './table.js';

// Units that read better without a suffix: counts of what the key already names, HTTP statuses.
const BARE_UNITS = new Set([
  'ratio',
  'events',
  'status',
  'requests',
  'iterations',
  'retries',
  'responses',
  'mismatches',
]);

function fmt(value: number | null, unit = ''): string {
  if (value === null) return 'n/a';
  if (unit === 'bool') return value ? 'yes' : 'no';
  const n = Number.isInteger(value)
    ? String(value)
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : value.toFixed(unit === 'ratio' ? 4 : 2);
  return unit && !BARE_UNITS.has(unit) ? `${n} ${unit}` : n;
}

/** The end-of-run table, as k6 prints one: every finding, then the checks, then the verdict. */
export function renderSummary(outcome: RunOutcome): string {
  const lines: string[] = [];
  lines.push(`run:      ${outcome.runId}`);
  lines.push(`scenario: ${outcome.scenario}`);
  lines.push(`target:   ${outcome.target}`);
  lines.push(`status:   ${outcome.status}`);
  lines.push('');
  const width = Math.max(...outcome.findings.map((f) => f.key.length), 10);
  for (const f of outcome.findings) lines.push(`  ${f.key.padEnd(width)}  ${fmt(f.value, f.unit)}`);
  if (outcome.checks.length > 0) {
    lines.push('');
    lines.push('checks:');
    for (const c of outcome.checks) {
      lines.push(
        `  ${c.passed ? '✓' : '✗'} ${c.key} ${c.op} ${c.threshold}  (got ${fmt(c.value)})${c.source === 'default' ? '  [default]' : ''}`,
      );
    }
  }
  for (const table of outcome.tables) lines.push('', renderTable(table));
  for (const note of outcome.notes) lines.push(`note: ${note}`);
  lines.push('');
  lines.push(`stored in ${outcome.runDir}; \`poc show ${outcome.runId}\` shows it again`);
  return lines.join('\n');
}

export function summaryJson(outcome: RunOutcome): string {
  return JSON.stringify(
    {
      runId: outcome.runId,
      scenario: outcome.scenario,
      vendor: outcome.vendor,
      target: outcome.target,
      status: outcome.status,
      findings: Object.fromEntries(outcome.findings.map((f) => [f.key, { value: f.value, unit: f.unit }])),
      checks: outcome.checks,
      notes: outcome.notes,
      tables: outcome.tables,
    },
    null,
    2,
  );
}
