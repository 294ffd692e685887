import { posix, relative, sep } from 'node:path';
import type { Check, Finding } from '../harness/runs/findings.js';
import { formatValue } from '../harness/runs/format.js';
import type { FindingSpec, FindingSpecs } from '../harness/runs/vocabulary.js';
import { NOISE_ALLOWANCES } from './compare.js';
import { escapeHtml as esc } from './svg-chart.js';

/** One run of the playbook's matrix: one scenario on one vendor. */
export interface OverviewCell {
  readonly vendor: string;
  readonly scenario: string;
  /** pending = not run yet (interrupted plan); error = the run could not start or threw (message in error). */
  readonly status: 'passed' | 'failed' | 'aborted' | 'crashed' | 'error' | 'pending';
  readonly runId?: string;
  /** href of the run's report.html, relative to the overview file (the lead computes it: relativeHref). */
  readonly reportHref?: string;
  readonly findings: readonly Finding[];
  /** The run's checks; the failed ones are shown. */
  readonly checks: readonly Check[];
  readonly error?: string;
  readonly durationMs?: number;
}

export interface OverviewVendor {
  readonly id: string;
  readonly name: string;
  readonly target: 'mock' | 'live';
}

export interface OverviewScenario {
  readonly id: string;
  readonly summary: string;
  /** The finding keys shown as this scenario's rows, in order. */
  readonly headlines: readonly string[];
  /**
   * The scenario's finding specs (SCENARIOS[id].findings): descriptions become tooltips and
   * `better` picks the best vendor of a row. reports/ may not import scenarios/, so they come in.
   */
  readonly findings?: FindingSpecs;
}

export interface PlaybookOverview {
  readonly id: string;
  readonly plan: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly vendors: readonly OverviewVendor[];
  readonly scenarios: readonly OverviewScenario[];
  readonly cells: readonly OverviewCell[];
  /** When a scorecard was built: its ranked totals and the workbook's href. */
  readonly scorecard?: {
    readonly href: string;
    readonly title: string;
    readonly totals: readonly {
      vendor: string;
      rank: number;
      pct: number;
      scored: number;
      scorable: number;
    }[];
  };
}

/** One vendor's entry in a headline row. */
export interface MatrixEntry {
  readonly finding?: Finding;
  /** The failed check on this finding's key, when its threshold was breached. */
  readonly breach?: Check;
  /** Best of the row, beyond noise, among runs that can honestly be compared (see bestOf). */
  readonly best: boolean;
  /** A service-performance finding measured on the emulation: a fact about the emulation only. */
  readonly emulatedService: boolean;
}

export interface MatrixRow {
  readonly key: string;
  readonly spec?: FindingSpec;
  /** In the overview's vendor order. */
  readonly entries: readonly MatrixEntry[];
}

export interface MatrixSection {
  readonly scenario: OverviewScenario;
  /** In the overview's vendor order; undefined where the plan has no run for that vendor. */
  readonly cells: readonly (OverviewCell | undefined)[];
  readonly rows: readonly MatrixRow[];
}

const COMPLETED: ReadonlySet<OverviewCell['status']> = new Set(['passed', 'failed']);

/**
 * Which entries of a row are best. Only when it is cheap and honest: every vendor has a value
 * from a run that completed; all ran on the same kind of target (the plan gives a scenario the
 * same options on every vendor, so the target kind is what can still differ); the finding is
 * evidence of the vendor (not of what the run did), and a service figure only from live runs
 * (DESIGN.md, "Evidence kinds"); and the best beats another vendor by more than the noise
 * `poc compare` allows, so a tie within noise marks nobody.
 */
function bestOf(
  spec: FindingSpec | undefined,
  values: readonly { value: number | undefined; target: OverviewVendor['target']; completed: boolean }[],
): boolean[] {
  const none = values.map(() => false);
  if (!spec || spec.better === 'none' || spec.noise === undefined || spec.evidence === 'run') return none;
  if (values.length < 2 || values.some((v) => v.value === undefined || !v.completed)) return none;
  const targets = new Set(values.map((v) => v.target));
  if (targets.size !== 1 || (spec.evidence === 'service' && !targets.has('live'))) return none;
  const numbers = values.map((v) => v.value as number);
  const best = spec.better === 'lower' ? Math.min(...numbers) : Math.max(...numbers);
  const allowance = NOISE_ALLOWANCES[spec.noise];
  const noise = Math.max(allowance.relative * Math.abs(best), allowance.absolute);
  const marks = numbers.map((n) => Math.abs(n - best) <= noise);
  return marks.every(Boolean) ? none : marks;
}

/**
 * The overview as rows and columns, shared by the HTML page and the Markdown summary: per
 * scenario, each vendor's run and one row per headline finding. When the store holds two cells
 * for one vendor and scenario (a run retried on --resume), the last one is shown.
 */
export function overviewMatrix(o: PlaybookOverview): MatrixSection[] {
  const cellAt = new Map(o.cells.map((c) => [`${c.scenario}\u0000${c.vendor}`, c]));
  return o.scenarios.map((scenario) => {
    const cells = o.vendors.map((v) => cellAt.get(`${scenario.id}\u0000${v.id}`));
    const rows = scenario.headlines.map((key): MatrixRow => {
      const spec = scenario.findings?.[key];
      const found = cells.map((c) => c?.findings.find((f) => f.key === key));
      const best = bestOf(
        spec,
        o.vendors.map((v, i) => ({
          value: found[i]?.value,
          target: v.target,
          completed: cells[i] !== undefined && COMPLETED.has((cells[i] as OverviewCell).status),
        })),
      );
      const entries = o.vendors.map((v, i): MatrixEntry => {
        const finding = found[i];
        const breach = cells[i]?.checks.find((c) => c.key === key && !c.passed);
        return {
          ...(finding ? { finding } : {}),
          ...(breach ? { breach } : {}),
          best: best[i] ?? false,
          emulatedService: v.target === 'mock' && spec?.evidence === 'service' && finding !== undefined,
        };
      });
      return { key, ...(spec ? { spec } : {}), entries };
    });
    return { scenario, cells, rows };
  });
}

const STATUS_ORDER: readonly OverviewCell['status'][] = [
  'passed',
  'failed',
  'aborted',
  'crashed',
  'error',
  'pending',
];

/** "6 runs: 4 passed, 1 failed, 1 pending": the statuses present, in a fixed order. */
export function statusCounts(cells: readonly OverviewCell[]): string {
  const counts = STATUS_ORDER.map((s) => [s, cells.filter((c) => c.status === s).length] as const).filter(
    ([, n]) => n > 0,
  );
  const total = `${cells.length} run${cells.length === 1 ? '' : 's'}`;
  return counts.length === 0 ? total : `${total}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`;
}

/** A check as thresholds are written: `webhook.latency_p99_ms < 250`. */
export function checkText(c: Check): string {
  return `${c.key} ${c.op} ${c.threshold}`;
}

/** What a check got, in its finding's unit when the run has that finding. */
export function checkValue(cell: OverviewCell, c: Check): string {
  return formatValue(c.value, cell.findings.find((f) => f.key === c.key)?.unit ?? '');
}

/** A run's wall time as poc shows durations. */
export function durationText(ms: number): string {
  return formatValue(ms / 1000, 's');
}

/**
 * An href only when it points at a file or web page: a scheme that runs code (javascript:,
 * data:) is dropped, so a crafted path cannot make a link in the overview execute.
 */
export function safeHref(href: string | undefined): string | undefined {
  if (href === undefined || href === '') return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  return scheme === undefined || ['http', 'https', 'file'].includes(scheme) ? href : undefined;
}

/**
 * The href of `file` from a page written in `fromDir`: relative, with `/` separators and each
 * segment percent-encoded, so a data dir with spaces or `#` in its name still links.
 */
export function relativeHref(fromDir: string, file: string): string {
  return relative(fromDir, file).split(sep).join(posix.sep).split('/').map(encodeURIComponent).join('/');
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1280px; color: #1d1d1f; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta, .legend { color: #555; } .legend { font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 12px; }
.passed { background: #2e7d32; } .failed, .error, .crashed { background: #c62828; } .aborted { background: #ef6c00; } .pending { background: #757575; }
.kind { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 4px; margin-top: 2px; }
.kind.emulation { background: #fff3e0; color: #8a4b00; border: 1px solid #f0c080; } .kind.live { background: #e8f5e9; color: #1b5e20; border: 1px solid #a5d6a7; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
thead th { background: #f3f5f9; } tr.scenario th, tr.scenario td { background: #fafbfd; border-top: 2px solid #dde2ea; }
table.matrix tbody th { width: 34%; }
.summary { color: #555; font-weight: normal; font-size: 12px; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.best { background: #e8f5e9; font-weight: 600; } td.breach { background: #ffebee; color: #b71c1c; font-weight: 600; }
td.emulated { color: #666; } .err { color: #b71c1c; white-space: pre-wrap; font-size: 12px; margin: 4px 0 0; }
ul.breaches { margin: 4px 0 0; padding-left: 18px; font-size: 12px; color: #b71c1c; } .dur { color: #555; font-size: 12px; }
`;

function vendorHeader(v: OverviewVendor): string {
  const kind =
    v.target === 'mock'
      ? '<span class="kind emulation" title="poc’s local emulation of this vendor: its findings describe the emulation">emulation</span>'
      : '<span class="kind live" title="the vendor’s own sandbox">live</span>';
  return `<th scope="col" data-vendor="${esc(v.id)}">${esc(v.name)}<br>${kind}</th>`;
}

function statusCell(vendor: OverviewVendor, cell: OverviewCell | undefined): string {
  if (!cell)
    return `<td data-vendor="${esc(vendor.id)}" data-status="none">— <span class="dur">not in the plan</span></td>`;
  const href = safeHref(cell.reportHref);
  const parts = [`<span class="badge ${cell.status}">${cell.status}</span>`];
  if (href) parts.push(`<a href="${esc(href)}">report</a>`);
  else if (cell.runId) parts.push(`<code>${esc(cell.runId)}</code>`);
  if (cell.durationMs !== undefined)
    parts.push(`<span class="dur">${esc(durationText(cell.durationMs))}</span>`);
  const failed = cell.checks.filter((c) => !c.passed);
  const breaches =
    failed.length === 0
      ? ''
      : `<ul class="breaches">${failed
          .map(
            (c) =>
              `<li>threshold failed: <code>${esc(checkText(c))}</code> (got ${esc(checkValue(cell, c))})</li>`,
          )
          .join('')}</ul>`;
  const error = cell.error ? `<pre class="err">${esc(cell.error)}</pre>` : '';
  return `<td data-vendor="${esc(vendor.id)}" data-status="${cell.status}">${parts.join(' · ')}${breaches}${error}</td>`;
}

function findingCell(vendor: OverviewVendor, row: MatrixRow, entry: MatrixEntry): string {
  const classes = ['num'];
  if (entry.best) classes.push('best');
  if (entry.breach) classes.push('breach');
  if (entry.emulatedService) classes.push('emulated');
  const tip = [
    row.spec?.description,
    entry.finding?.evidence,
    entry.breach ? `threshold failed: ${checkText(entry.breach)}` : undefined,
    entry.emulatedService ? 'measured on the emulation, not the vendor’s service' : undefined,
  ].filter((t): t is string => t !== undefined && t !== '');
  const value = entry.finding ? formatValue(entry.finding.value, entry.finding.unit) : '—';
  const marks = `${entry.breach ? ' ✗' : ''}${entry.best ? ' ★' : ''}${entry.emulatedService ? ' †' : ''}`;
  const title = tip.length > 0 ? ` title="${esc(tip.join(' · '))}"` : '';
  return `<td class="${classes.join(' ')}" data-vendor="${esc(vendor.id)}" data-key="${esc(row.key)}"${title}>${esc(value)}${marks}</td>`;
}

function scorecardSection(o: PlaybookOverview): string {
  const card = o.scorecard;
  if (!card) return '';
  const name = new Map(o.vendors.map((v) => [v.id, v.name]));
  const href = safeHref(card.href);
  const rows = [...card.totals]
    .sort((a, b) => a.rank - b.rank)
    .map(
      (t) =>
        `<tr><td class="num">${t.rank}</td><td>${esc(name.get(t.vendor) ?? t.vendor)}</td><td class="num">${esc(formatValue(t.pct, 'ratio'))}</td><td class="num">${t.scored} / ${t.scorable}</td></tr>`,
    )
    .join('');
  return `<h2>Scorecard</h2><p>${href ? `<a href="${esc(href)}">${esc(card.title)}</a>` : esc(card.title)}</p>
<table class="scorecard"><thead><tr><th>rank</th><th>vendor</th><th>score</th><th>criteria scored / scorable</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * The playbook's side-by-side overview: one self-contained HTML page (inline CSS, no script, no
 * fetch), vendors as columns, each scenario's run and headline findings as rows, each run
 * linked to its report.html. Every name, message and value is escaped.
 */
export function renderPlaybookOverview(o: PlaybookOverview): string {
  const sections = overviewMatrix(o);
  const mock = o.vendors.some((v) => v.target === 'mock');
  const head = `<h1>Playbook overview · ${esc(o.plan)}</h1>
<p class="meta">playbook <code>${esc(o.id)}</code> · started ${esc(o.startedAt)}${o.endedAt ? ` · ended ${esc(o.endedAt)}` : ' · not finished'} · ${esc(statusCounts(o.cells))}</p>
<p class="legend">★ best of the row, beyond noise, where the runs compare (same target kind, every run completed, a finding about the vendor) · ✗ a failed threshold · hover a value for what it means${
    mock
      ? '<br>Columns marked <span class="kind emulation">emulation</span> ran against poc’s local emulation of the vendor: they show the vendor’s documented design as emulated, not its service. † a performance figure of the emulation on this machine, never ranked.'
      : ''
  }</p>`;
  const body = sections
    .map((s) => {
      const status = `<tr class="scenario" data-scenario="${esc(s.scenario.id)}"><th scope="row">${esc(s.scenario.id)}<div class="summary">${esc(s.scenario.summary)}</div></th>${o.vendors
        .map((v, i) => statusCell(v, s.cells[i]))
        .join('')}</tr>`;
      const rows = s.rows.map(
        (r) =>
          `<tr data-scenario="${esc(s.scenario.id)}" data-key="${esc(r.key)}"><th scope="row"><code${r.spec ? ` title="${esc(r.spec.description)}"` : ''}>${esc(r.key)}</code></th>${o.vendors
            .map((v, i) => findingCell(v, r, r.entries[i] as MatrixEntry))
            .join('')}</tr>`,
      );
      return [status, ...rows].join('\n');
    })
    .join('\n');
  const table = `<table class="matrix"><thead><tr><th scope="col">scenario / finding</th>${o.vendors.map(vendorHeader).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`poc playbook ${o.id} · ${o.plan}`)}</title><style>${STYLE}</style></head>
<body>${head}${scorecardSection(o)}<h2>Runs</h2>${table}</body></html>
`;
}
