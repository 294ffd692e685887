import type { Scorecard } from './model.js';

const csvField = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const shown = (card: Scorecard, criterion: string, vendor: string) => {
  const cell = card.cells.get(criterion)?.get(vendor);
  return cell?.score ?? (cell?.status === 'not answered' ? 'not answered' : 'not measured');
};

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
      c.manual ? 'manual' : 'measured',
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
  for (const a of card.catalog.areas) line(`area:${a.id}`, (v) => t.get(v)?.areas[a.id]?.total ?? 0);
  return `${rows.map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

const mdCell = (s: string | number) => String(s).replace(/\|/g, '\\|');

/** The scorecard as Markdown, for review in a pull request. */
export function scorecardMarkdown(card: Scorecard): string {
  const out: string[] = ['# CRM vendor scorecard', ''];
  const [a, b] = card.totals;
  if (a) {
    out.push(
      b
        ? `**Winner: ${a.vendor}**, ${(a.pct * 100).toFixed(1)} % of the maximum, ${a.total - b.total} points ahead of ${b.vendor}.`
        : `**Only vendor scored: ${a.vendor}**, ${(a.pct * 100).toFixed(1)} % of the maximum.`,
      '',
    );
  }
  const areas = card.catalog.areas;
  out.push(
    `| rank | vendor | total | maximum | % | not scored | ${areas.map((x) => mdCell(x.title)).join(' | ')} |`,
  );
  out.push(`|---:|---|---:|---:|---:|---:|${areas.map(() => '---:').join('|')}|`);
  for (const t of card.totals) {
    out.push(
      `| ${t.rank} | ${t.vendor} | ${t.total} | ${t.max} | ${(t.pct * 100).toFixed(1)} | ${t.missing} | ${areas.map((x) => `${t.areas[x.id]?.total ?? 0}/${t.areas[x.id]?.max ?? 0}`).join(' | ')} |`,
    );
  }
  out.push('', '## Scores', '', `| criterion | area | weight | ${card.vendors.join(' | ')} |`);
  out.push(`|---|---|---:|${card.vendors.map(() => ':---:').join('|')}|`);
  for (const c of card.catalog.criteria) {
    out.push(
      `| ${mdCell(c.title)} (\`${c.id}\`) | ${c.area} | ${c.weight} | ${card.vendors.map((v) => mdCell(shown(card, c.id, v))).join(' | ')} |`,
    );
  }
  out.push(
    '',
    `Built from ${card.runs.length} runs on ${card.generatedAt.slice(0, 10)}; ${card.evidence.length} findings used (see the workbook's Evidence sheet).`,
    '',
  );
  return out.join('\n');
}
