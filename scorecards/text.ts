import { scorecardTitle, scorecardWarnings } from './headline.js';
import type { Scorecard } from './model.js';

const csvField = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const shown = (card: Scorecard, criterion: string, vendor: string) => {
  const cell = card.cells.get(criterion)?.get(vendor);
  if (!cell) return 'not measured';
  return cell.score ?? cell.status;
};

const kindOf = (card: Scorecard, id: string, manual: boolean) =>
  manual ? 'manual' : (card.kinds.get(id) ?? 'service');

const pct = (x: number) => (x * 100).toFixed(1);

/** The scorecard as CSV: one row per criterion, then the totals (for engineers and git diffs). */
export function scorecardCsv(card: Scorecard): string {
  const rows: (string | number)[][] = [
    ['criterion_id', 'area', 'criterion', 'kind', 'weight', ...card.vendors],
  ];
  for (const c of card.catalog.criteria) {
    rows.push([
      c.id,
      c.area,
      c.title,
      kindOf(card, c.id, c.manual !== undefined),
      c.weight,
      ...card.vendors.map((v) => shown(card, c.id, v)),
    ]);
  }
  const t = new Map(card.totals.map((x) => [x.vendor, x]));
  const line = (label: string, f: (v: string) => string | number) =>
    rows.push([label, '', '', '', '', ...card.vendors.map(f)]);
  line('total', (v) => t.get(v)?.total ?? 0);
  line('maximum', (v) => t.get(v)?.max ?? 0);
  line('share_of_maximum', (v) => (t.get(v)?.pct ?? 0).toFixed(4));
  line('rank', (v) => t.get(v)?.rank ?? '');
  line('not_scored', (v) => t.get(v)?.missing ?? 0);
  line('scored', (v) => t.get(v)?.scored ?? 0);
  line('scorable', (v) => t.get(v)?.scorable ?? 0);
  line('share_of_scored', (v) => (t.get(v)?.pctScored ?? 0).toFixed(4));
  line('unverified_answers', (v) => t.get(v)?.unverified ?? 0);
  for (const a of card.catalog.areas) line(`area:${a.id}`, (v) => t.get(v)?.areas[a.id]?.total ?? 0);
  return `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

const mdCell = (s: string | number) => String(s).replace(/\|/g, '\\|');

/** The scorecard as Markdown, for review in a pull request. */
export function scorecardMarkdown(
  card: Scorecard,
  reportOf: (runId: string) => string | undefined = () => undefined,
): string {
  const out: string[] = [`# ${scorecardTitle(card)}`, ''];
  const [a, b] = card.totals;
  if (a) {
    out.push(
      b
        ? `**Winner: ${a.vendor}**, ${pct(a.pct)} % of the maximum, ${a.total - b.total} points ahead of ${b.vendor}.`
        : `**Only vendor scored: ${a.vendor}**, ${pct(a.pct)} % of the maximum.`,
      '',
    );
  }
  const warnings = scorecardWarnings(card);
  if (warnings.length > 0) out.push(...warnings.map((w) => `> **Warning:** ${mdCell(w)}`), '');
  const areas = card.catalog.areas;
  out.push(
    `| rank | vendor | total | maximum | % | coverage | % of scored | unverified | ${areas.map((x) => mdCell(x.title)).join(' | ')} |`,
  );
  out.push(`|---:|---|---:|---:|---:|---:|---:|---:|${areas.map(() => '---:').join('|')}|`);
  for (const t of card.totals) {
    out.push(
      `| ${t.rank} | ${t.vendor} | ${t.total} | ${t.max} | ${pct(t.pct)} | ${t.scored}/${t.scorable} | ${pct(t.pctScored)} | ${t.unverified} | ${areas.map((x) => `${t.areas[x.id]?.total ?? 0}/${t.areas[x.id]?.max ?? 0}`).join(' | ')} |`,
    );
  }
  out.push('', '## Scores', '', `| criterion | area | kind | weight | ${card.vendors.join(' | ')} |`);
  out.push(`|---|---|---|---:|${card.vendors.map(() => ':---:').join('|')}|`);
  for (const c of card.catalog.criteria) {
    out.push(
      `| ${mdCell(c.title)} (\`${c.id}\`) | ${c.area} | ${kindOf(card, c.id, c.manual !== undefined)} | ${c.weight} | ${card.vendors.map((v) => mdCell(shown(card, c.id, v))).join(' | ')} |`,
    );
  }
  out.push(
    '',
    'Kinds: design = a documented fact a mock run may score ("documented, emulated"); service = performance, scored from live runs only; manual = answers.yaml with evidence.',
    '',
    `Built from ${card.runs.length} runs on ${card.generatedAt.slice(0, 10)}; ${card.evidence.length} findings and answers used (see the workbook's Evidence sheet).`,
    '',
  );
  if (card.runs.length > 0) {
    out.push('## Runs', '');
    for (const r of card.runs) {
      const link = reportOf(r.runId);
      out.push(
        `- ${r.vendor} ${r.scenario} on the ${r.target}: ${link ? `[${r.runId}](${link})` : `\`${r.runId}\``}`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
