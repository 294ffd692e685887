import { formatValue } from '../harness/runs/format.js';
import type { StoredRun } from '../harness/runs/run-store.js';
import type { ComparedFinding } from './compare.js';
import { escapeHtml as esc, type Line, lineChart } from './svg-chart.js';

export type Series = ReadonlyMap<string, readonly (readonly [number, number])[]>;

/** The report's charts: which series each draws. */
const CHARTS: readonly { title: string; unit: string; keys: readonly [string, string][] }[] = [
  {
    title: 'Rate',
    unit: 'per second',
    keys: [
      ['events_per_s', 'events received'],
      ['applied_per_s', 'events applied'],
      ['api_calls_per_s', 'API calls'],
    ],
  },
  {
    title: 'Delivery latency',
    unit: 'ms',
    keys: [
      ['latency_p50_ms', 'p50'],
      ['latency_p95_ms', 'p95'],
      ['latency_p99_ms', 'p99'],
    ],
  },
  {
    title: 'Errors',
    unit: 'per second',
    keys: [
      ['rejected_per_s', 'webhooks refused'],
      ['api_throttled_per_s', 'API 429s'],
      ['api_errors_per_s', 'API errors'],
      ['duplicates_per_s', 'duplicates'],
    ],
  },
  { title: 'Queue depth', unit: 'rows', keys: [['queue_depth', 'queue depth']] },
];

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1180px; color: #1d1d1f; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; } .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600; }
.passed, .better { background: #2e7d32; } .failed, .worse, .error { background: #c62828; } .aborted, .running { background: #ef6c00; }
.same, .info, .new, .gone { background: #757575; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px; }
svg.chart { background: #fafafa; border: 1px solid #e4e4e4; border-radius: 6px; }
svg .title { font-weight: 600; font-size: 13px; fill: #222; } svg .tick, svg .legend { font-size: 11px; fill: #555; }
svg .grid { stroke: #e2e2e2; stroke-width: 1; } svg .empty { fill: #999; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f3f5f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
pre { background: #f6f8fa; padding: 10px; border-radius: 6px; overflow: auto; }
`;

const num = (v: number | undefined) =>
  v === undefined
    ? '—'
    : Number.isInteger(v)
      ? v.toLocaleString('en-US')
      : v.toLocaleString('en-US', { maximumFractionDigits: 3 });

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

function charts(lineSets: readonly { label: string; series: Series; dashed?: boolean }[]): string {
  return `<div class="charts">${CHARTS.map((c) => {
    const lines: Line[] = lineSets.flatMap((set) =>
      c.keys.map(([key, name]) => ({
        name: lineSets.length > 1 ? `${set.label} ${name}` : name,
        points: set.series.get(key) ?? [],
        ...(set.dashed ? { dashed: true } : {}),
      })),
    );
    return lineChart(c.title, c.unit, lines);
  }).join('')}</div>`;
}

function table(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number> = new Set(),
): string {
  return `<table><thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((cell, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

/** One run's report: self-contained HTML (inline CSS and SVG, no script), readable offline. */
export function renderRunReport(run: StoredRun, series: Series): string {
  const head = `<h1>${esc(run.scenario)} · ${esc(run.vendor)}</h1>
<p class="meta">run <code>${esc(run.id)}</code> · target ${esc(run.target)} · <span class="badge ${esc(run.status)}">${esc(run.status)}</span> · started ${esc(run.startedAt)}${run.endedAt ? ` · ended ${esc(run.endedAt)}` : ''}</p>`;
  const findings = table(
    ['finding', 'value', 'evidence'],
    run.findings.map((f) => [
      `<code>${esc(f.key)}</code>`,
      `<span title="${esc(`${f.value} ${f.unit}`)}">${esc(formatValue(f.value, f.unit))}</span>`,
      esc(f.evidence),
    ]),
    new Set([1]),
  );
  const checks =
    run.checks.length === 0
      ? '<p>No checks.</p>'
      : table(
          ['check', 'got', 'result', 'source'],
          run.checks.map((c) => [
            `<code>${esc(`${c.key} ${c.op} ${c.threshold}`)}</code>`,
            num(c.value ?? undefined),
            `<span class="badge ${c.passed ? 'passed' : 'failed'}">${c.passed ? 'pass' : 'fail'}</span>`,
            esc(c.source),
          ]),
          new Set([1]),
        );
  const tables = run.tables
    .map(
      (t) =>
        `<h2>${esc(t.title)}</h2>${table(
          t.columns,
          t.rows.map((r) => r.map((c) => esc(c))),
        )}`,
    )
    .join('');
  const notes =
    run.notes.length > 0
      ? `<h2>Notes</h2><ul>${run.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`
      : '';
  return page(
    `poc ${run.scenario} ${run.vendor} ${run.id}`,
    `${head}<h2>Over time</h2>${charts([{ label: run.id, series }])}<h2>Checks</h2>${checks}<h2>Findings</h2>${findings}${tables}${notes}<h2>Config</h2><pre>${esc(JSON.stringify(run.config, null, 2))}</pre>`,
  );
}

/** Two runs side by side: each finding with its delta and verdict, and both runs' series overlaid. */
export function renderComparisonReport(
  a: StoredRun,
  b: StoredRun,
  rows: readonly ComparedFinding[],
  seriesA: Series,
  seriesB: Series,
): string {
  const worse = rows.filter((r) => r.verdict === 'worse');
  const head = `<h1>Comparison: ${esc(b.id)} against ${esc(a.id)}</h1>
<p class="meta">a (dashed): ${esc(a.scenario)} · ${esc(a.vendor)} · ${esc(a.target)} · ${esc(a.status)}<br>b: ${esc(b.scenario)} · ${esc(b.vendor)} · ${esc(b.target)} · ${esc(b.status)}</p>
<p><strong>${worse.length === 0 ? 'b is not worse than a on any finding' : `b is worse on: ${worse.map((r) => esc(r.key)).join(', ')}`}</strong> (differences within noise count as same).</p>`;
  const findings = table(
    ['finding', 'a', 'b', 'delta', 'verdict'],
    rows.map((r) => [
      `<code>${esc(r.key)}</code>`,
      num(r.a),
      num(r.b),
      r.delta === undefined ? '—' : `${r.delta > 0 ? '+' : ''}${num(r.delta)}`,
      `<span class="badge ${r.verdict}">${r.verdict}</span>`,
    ]),
    new Set([1, 2, 3]),
  );
  return page(
    `poc compare ${a.id} ${b.id}`,
    `${head}<h2>Over time</h2>${charts([
      { label: 'a', series: seriesA, dashed: true },
      { label: 'b', series: seriesB },
    ])}<h2>Findings</h2>${findings}`,
  );
}
