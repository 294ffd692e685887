import { formatDuration } from '../duration.js';

/**
 * How a finding's value reads, wherever it is shown (the run summary, `poc show`, report.html,
 * the workbook): durations in ms or s, ratios as percentages, booleans as yes/no, counts bare.
 */

// Counts of what the key already names, and HTTP statuses: a unit after them says nothing.
const BARE_UNITS = new Set([
  'events',
  'status',
  'requests',
  'iterations',
  'retries',
  'responses',
  'mismatches',
  'cases',
  'records',
  'changes',
  'level',
]);

function plain(value: number): string {
  if (Number.isInteger(value))
    return Math.abs(value) >= 10_000 ? value.toLocaleString('en-US') : String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

/** A finding's value with its unit, as a person reads it; `n/a` when nothing was measured. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'bool':
      return value ? 'yes' : 'no';
    case 'ratio': {
      const pct = value * 100;
      return `${pct === Math.round(pct) ? pct.toFixed(0) : Math.abs(pct) >= 99.9 || Math.abs(pct) < 1 ? pct.toFixed(3) : pct.toFixed(2)} %`;
    }
    case 'ms':
      return Math.abs(value) >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${plain(value)} ms`;
    case 's':
      return Math.abs(value) >= 120 ? formatDuration(value * 1000) : `${plain(value)} s`;
    default:
      return BARE_UNITS.has(unit) || unit === '' ? plain(value) : `${plain(value)} ${unit}`;
  }
}

/**
 * The same reading as an Excel number format, so the workbook keeps the number (sortable,
 * usable in formulas) and shows it as formatValue would.
 */
export function excelNumberFormat(unit: string): string {
  switch (unit) {
    case 'bool':
      return '[=1]"yes";[=0]"no";General';
    case 'ratio':
      return '0.00%';
    case 'ms':
      return '#,##0.## "ms"';
    case 's':
      return '#,##0 "s"';
    default:
      return BARE_UNITS.has(unit) || unit === '' ? '#,##0.##' : `#,##0.## "${unit.replaceAll('"', '')}"`;
  }
}
