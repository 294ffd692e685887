import { formatValue } from '../harness/runs/format.js';
import {
  checkText,
  checkValue,
  durationText,
  type MatrixEntry,
  type OverviewCell,
  type OverviewVendor,
  overviewMatrix,
  type PlaybookOverview,
  safeHref,
  statusCounts,
} from './playbook-overview.js';

const STATUS_MARK: Readonly<Record<OverviewCell['status'], string>> = {
  passed: '✅',
  failed: '❌',
  aborted: '⚠️',
  crashed: '💥',
  error: '⛔',
  pending: '⏳',
};

/** A CI log line is long enough for the gist; the whole message is in the run's report. */
const MAX_ERROR_CHARS = 160;

/**
 * Text safe inside a GFM table cell: Markdown punctuation backslash-escaped (so a vendor name
 * cannot open a link, emphasis or raw HTML), pipes that would split the cell too, one line.
 */
export function markdownText(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~&]/g, (c) => `\\${c}`);
}

/** Text as a code span (pipes still escaped: GFM splits cells first); escaped text if it cannot be one. */
function code(text: string): string {
  return /[`\r\n]/.test(text) ? markdownText(text) : `\`${text.replaceAll('|', '\\|')}\``;
}

/** A link target Markdown cannot misread: spaces, parentheses, angle brackets, pipes encoded. */
function target(href: string): string {
  return href.replace(/[ ()<>|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function link(label: string, href: string | undefined, base: string | undefined): string | undefined {
  const safe = safeHref(href);
  if (safe === undefined) return undefined;
  const absolute =
    base === undefined || /^[a-z][a-z0-9+.-]*:/i.test(safe) ? safe : `${base.replace(/\/+$/, '')}/${safe}`;
  return `[${label}](${target(absolute)})`;
}

function vendorColumn(v: OverviewVendor): string {
  return `${markdownText(v.name)} (${v.target === 'mock' ? 'emulation' : 'live'})`;
}

function statusCell(cell: OverviewCell | undefined, base: string | undefined): string {
  if (!cell) return '—';
  const parts = [`${STATUS_MARK[cell.status]} ${cell.status}`];
  const report = link('report', cell.reportHref, base);
  if (report) parts.push(report);
  else if (cell.runId) parts.push(code(cell.runId));
  if (cell.durationMs !== undefined) parts.push(durationText(cell.durationMs));
  for (const c of cell.checks.filter((k) => !k.passed))
    parts.push(`✗ ${code(checkText(c))} (got ${markdownText(checkValue(cell, c))})`);
  if (cell.error) {
    const line = cell.error.split(/\r?\n/)[0] ?? '';
    parts.push(markdownText(line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line));
  }
  return parts.join(' · ');
}

function entryCell(entry: MatrixEntry): string {
  if (!entry.finding) return '—';
  const value = markdownText(formatValue(entry.finding.value, entry.finding.unit));
  return `${entry.best ? `**${value}**` : value}${entry.breach ? ' ✗' : ''}${entry.emulatedService ? ' †' : ''}`;
}

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

/**
 * The playbook as a short Markdown summary for a CI job ($GITHUB_STEP_SUMMARY): one GitHub
 * table, vendors as columns, each scenario's run then its headline findings as rows. Report
 * links stay relative to the overview unless `links.base` is given (the URL the run folders are
 * published under, e.g. a CI artifact), which is then put in front of each.
 */
export function renderPlaybookMarkdown(o: PlaybookOverview, links: { base?: string } = {}): string {
  const sections = overviewMatrix(o);
  const lines = [
    `### poc playbook ${code(o.id)} · ${markdownText(o.plan)}`,
    '',
    `${markdownText(statusCounts(o.cells))} · started ${markdownText(o.startedAt)}${o.endedAt ? ` · ended ${markdownText(o.endedAt)}` : ' · not finished'}`,
    '',
    row(['scenario / finding', ...o.vendors.map(vendorColumn)]),
    row(['---', ...o.vendors.map(() => '---')]),
  ];
  for (const s of sections) {
    lines.push(row([`**${markdownText(s.scenario.id)}**`, ...s.cells.map((c) => statusCell(c, links.base))]));
    for (const r of s.rows) lines.push(row([code(r.key), ...r.entries.map(entryCell)]));
  }
  lines.push(
    '',
    `**bold**: best of the row beyond noise, where the runs compare · ✗ failed threshold${
      o.vendors.some((v) => v.target === 'mock')
        ? ' · emulation: the vendor’s documented design as poc emulates it, not its service · † a performance figure of the emulation, never ranked'
        : ''
    }`,
  );
  const card = o.scorecard;
  if (card) {
    const name = new Map(o.vendors.map((v) => [v.id, v.name]));
    const totals = [...card.totals]
      .sort((a, b) => a.rank - b.rank)
      .map(
        (t) =>
          `${t.rank}. ${markdownText(name.get(t.vendor) ?? t.vendor)} ${markdownText(formatValue(t.pct, 'ratio'))} (${t.scored}/${t.scorable} scored)`,
      );
    lines.push(
      '',
      `**Scorecard**: ${link(markdownText(card.title), card.href, links.base) ?? markdownText(card.title)}`,
      '',
      ...totals.map((t) => `- ${t}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
