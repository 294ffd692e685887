import type ExcelJS from 'exceljs';
import { scorecardTitle, scorecardWarnings } from './headline.js';
import { MAX_SCORE, type Scorecard } from './model.js';
import { col, header, printSetup, WARNING_FONT, WORKING_FILL } from './sheet-style.js';

/** Sheet layout shared by the formulas: criteria rows first..last on Weights and Scores alike. */
export interface Layout {
  readonly first: number;
  readonly last: number;
  readonly vendorCol: (i: number) => string;
}

/** Row of the ranked table's header; the ranked vendors follow it. */
export const RANKED_HEAD = 6;

/** The ranked table's columns (1-based), read by tests and by the winner line. */
export const RANKED = {
  rank: 1,
  vendor: 2,
  total: 3,
  max: 4,
  pct: 5,
  scored: 6,
  scorable: 7,
  coverage: 8,
  pctScored: 9,
  unverified: 10,
  firstArea: 11,
} as const;

const quoted = (s: string) => s.replace(/"/g, '""');

/**
 * The Summary: the ranked vendors with totals, coverage and % of what was scored, area
 * subtotals and the winner line, all live formulas over Weights and Scores; data bars on the
 * shares, which Excel and LibreOffice redraw when a weight changes.
 */
export function summarySheet(wb: ExcelJS.Workbook, card: Scorecard, layout: Layout): void {
  const ws = wb.addWorksheet('Summary', { properties: { tabColor: { argb: 'FF1F3864' } } });
  const areas = card.catalog.areas;
  const V = card.vendors.length;
  const scores = (i: number) =>
    `Scores!${layout.vendorCol(i)}$${layout.first}:${layout.vendorCol(i)}$${layout.last}`;
  const weights = `Scores!$E$${layout.first}:$E$${layout.last}`;
  const areaCol = `Scores!$B$${layout.first}:$B$${layout.last}`;
  const maxFormula = `${MAX_SCORE}*SUM(Weights!$D$${layout.first}:$D$${layout.last})`;
  const maxValue = card.totals[0]?.max ?? 0;
  const warnings = scorecardWarnings(card);

  ws.mergeCells('A1:L1');
  ws.getCell('A1').value = scorecardTitle(card);
  ws.getCell('A1').font = { bold: true, size: 16, color: { argb: card.mockOnly ? 'FFC00000' : 'FF1F3864' } };
  ws.getCell('A1').alignment = { wrapText: true, vertical: 'middle' };
  ws.getRow(1).height = card.mockOnly ? 42 : 24;
  ws.mergeCells('A2:L2');
  ws.getCell('A2').value =
    `Built by poc on ${card.generatedAt.slice(0, 10)} from ${card.runs.length} runs. Weights x scores with live formulas: change a weight (Weights) or a score (Scores) and every figure here recomputes. Coverage = criteria scored / criteria scorable; "% of what was scored" leaves out what nobody measured or answered.`;
  ws.getCell('A2').alignment = { wrapText: true };
  ws.getRow(2).height = 30;

  // Ranked table.
  const head = RANKED_HEAD;
  const maxRow = head + 1 + V;
  // Warnings sit between the ranked table and the working figures: read before the numbers below.
  const warnHead = maxRow + 2;
  const wHead = warnHead + (warnings.length > 0 ? warnings.length + 2 : 0) + 2;
  const wFirst = wHead + 1;
  const wLast = wHead + V;

  // Working table (unranked, in a fixed order): the ranked table reads it.
  ws.getCell(`A${wHead - 1}`).value = 'Working figures (unranked; the table above is read from these)';
  ws.getCell(`A${wHead - 1}`).font = { italic: true, color: { argb: 'FF595959' } };
  header(ws, wHead, [
    'Vendor',
    'Total',
    'Rank key',
    'Scored',
    'Scorable',
    'Maximum over scored',
    'Unverified answers',
    ...areas.map((a) => a.title),
  ]);
  const byVendor = new Map(card.totals.map((t) => [t.vendor, t]));
  card.vendors.forEach((v, i) => {
    const r = wFirst + i;
    const t = byVendor.get(v);
    const row = ws.getRow(r);
    row.getCell(1).value = v;
    row.getCell(2).value = { formula: `SUMPRODUCT(${weights},${scores(i)})`, result: t?.total ?? 0 };
    // Ties keep the listed order: the key subtracts a hair per row.
    row.getCell(3).value = { formula: `B${r}-ROW()*0.000001`, result: (t?.total ?? 0) - r * 0.000001 };
    row.getCell(3).numFmt = '0.00';
    // Only numbers score: "not measured", "needs a live run" and "unverified" are words.
    row.getCell(4).value = { formula: `COUNT(${scores(i)})`, result: t?.scored ?? 0 };
    row.getCell(5).value = { formula: `ROWS(${scores(i)})`, result: t?.scorable ?? 0 };
    row.getCell(6).value = {
      formula: `${MAX_SCORE}*SUMPRODUCT(${weights}*ISNUMBER(${scores(i)}))`,
      result: t?.scoredMax ?? 0,
    };
    row.getCell(7).value = { formula: `COUNTIF(${scores(i)},"unverified")`, result: t?.unverified ?? 0 };
    areas.forEach((a, k) => {
      row.getCell(8 + k).value = {
        formula: `SUMPRODUCT((${areaCol}="${quoted(a.title)}")*${weights},${scores(i)})`,
        result: t?.areas[a.id]?.total ?? 0,
      };
    });
    for (let c = 1; c <= 7 + areas.length; c++) row.getCell(c).fill = WORKING_FILL;
  });

  header(ws, head, [
    'Rank',
    'Vendor',
    'Total',
    'Maximum',
    '% of maximum',
    'Scored',
    'Scorable',
    'Coverage',
    '% of what was scored',
    'Unverified answers',
    ...areas.map((a) => a.title),
  ]);
  const keys = `$C$${wFirst}:$C$${wLast}`;
  card.totals.forEach((t, k) => {
    const r = head + 1 + k;
    const match = `MATCH(LARGE(${keys},${k + 1}),${keys},0)`;
    const pick = (c: string) => `INDEX($${c}$${wFirst}:$${c}$${wLast},${match})`;
    const row = ws.getRow(r);
    row.getCell(RANKED.rank).value = k + 1;
    row.getCell(RANKED.vendor).value = { formula: pick('A'), result: t.vendor };
    row.getCell(RANKED.total).value = { formula: pick('B'), result: t.total };
    row.getCell(RANKED.max).value = { formula: maxFormula, result: maxValue };
    row.getCell(RANKED.pct).value = { formula: `IF(D${r}=0,0,C${r}/D${r})`, result: t.pct };
    row.getCell(RANKED.scored).value = { formula: pick('D'), result: t.scored };
    row.getCell(RANKED.scorable).value = { formula: pick('E'), result: t.scorable };
    row.getCell(RANKED.coverage).value = {
      formula: `IF(G${r}=0,0,F${r}/G${r})`,
      result: t.scorable === 0 ? 0 : t.scored / t.scorable,
    };
    row.getCell(RANKED.pctScored).value = {
      formula: `IF(${pick('F')}=0,0,C${r}/${pick('F')})`,
      result: t.pctScored,
    };
    row.getCell(RANKED.unverified).value = { formula: pick('G'), result: t.unverified };
    for (const c of [RANKED.pct, RANKED.coverage, RANKED.pctScored]) row.getCell(c).numFmt = '0.0%';
    areas.forEach((a, j) => {
      row.getCell(RANKED.firstArea + j).value = {
        formula: pick(col(8 + j)),
        result: t.areas[a.id]?.total ?? 0,
      };
    });
    row.getCell(RANKED.vendor).font = { bold: k === 0 };
  });
  ws.getCell(`B${maxRow}`).value = 'Area maximum';
  ws.getCell(`B${maxRow}`).font = { italic: true };
  areas.forEach((a, j) => {
    const areaWeights = `SUMPRODUCT((Weights!$B$${layout.first}:$B$${layout.last}="${quoted(a.title)}")*Weights!$D$${layout.first}:$D$${layout.last})`;
    ws.getCell(maxRow, RANKED.firstArea + j).value = {
      formula: `${MAX_SCORE}*${areaWeights}`,
      result: card.totals[0]?.areas[a.id]?.max ?? 0,
    };
    ws.getCell(maxRow, RANKED.firstArea + j).font = { italic: true };
  });
  if (V > 0) {
    // Data bars, not a picture: they redraw from the live shares when a weight or score changes.
    for (const c of [RANKED.pct, RANKED.pctScored]) {
      ws.addConditionalFormatting({
        ref: `${col(c)}${head + 1}:${col(c)}${head + V}`,
        rules: [
          {
            type: 'dataBar',
            priority: 1,
            gradient: false,
            minLength: 0,
            maxLength: 100,
            cfvo: [
              { type: 'num', value: 0 },
              { type: 'num', value: 1 },
            ],
            color: { argb: 'FF5B9BD5' },
          } as ExcelJS.DataBarRuleType,
        ],
      });
    }
  }

  if (warnings.length > 0) {
    ws.getCell(`A${warnHead}`).value = `Read before the ranking (${warnings.length}):`;
    ws.getCell(`A${warnHead}`).font = WARNING_FONT;
    warnings.forEach((w, i) => {
      const r = warnHead + 1 + i;
      ws.mergeCells(`A${r}:L${r}`);
      ws.getCell(`A${r}`).value = w;
      ws.getCell(`A${r}`).alignment = { wrapText: true, vertical: 'top' };
      ws.getRow(r).height = 30;
    });
  }

  // The winner line, live too.
  ws.mergeCells('A3:L3');
  const first = head + 1;
  const winner =
    V >= 2
      ? `"Winner: "&B${first}&", "&TEXT(E${first},"0.0%")&" of the maximum, "&TEXT(C${first}-C${first + 1},"0")&" points ahead of "&B${first + 1}`
      : `"Only vendor scored: "&B${first}&", "&TEXT(E${first},"0.0%")&" of the maximum"`;
  const [a, b] = card.totals;
  ws.getCell('A3').value = {
    formula: winner,
    result:
      a && b
        ? `Winner: ${a.vendor}, ${(a.pct * 100).toFixed(1)}% of the maximum, ${Math.round(a.total - b.total)} points ahead of ${b.vendor}`
        : a
          ? `Only vendor scored: ${a.vendor}, ${(a.pct * 100).toFixed(1)}% of the maximum`
          : '',
  };
  ws.getCell('A3').font = { bold: true, size: 13, color: { argb: 'FF375623' } };
  ws.getRow(3).height = 24;
  const missing = card.totals.reduce((s, t) => s + t.missing, 0);
  ws.mergeCells('A4:L4');
  ws.getCell('A4').value = [
    missing > 0
      ? `${missing} criterion x vendor cells are not scored ("not measured": no run; "needs a live run": a performance criterion only mock runs measured; "unverified": an answer without checkable evidence; blank yellow: no answer); they add nothing to a total.`
      : 'Every criterion is scored for every vendor.',
    card.runs.some((r) => r.target === 'mock')
      ? ' Blue italic scores are documented design facts measured on poc’s emulation of the vendor ("documented, emulated" on Evidence), not on its live sandbox.'
      : '',
    warnings.length > 0 ? ` ${warnings.length} warning(s) below the ranking.` : '',
  ].join('');
  ws.getCell('A4').alignment = { wrapText: true, vertical: 'top' };
  ws.getRow(4).height = 48;

  ws.columns.forEach((column, i) => {
    column.width = [8, 18, 10, 11, 13, 9, 10, 11, 13, 12][i] ?? 16;
  });
  for (const r of [head, wHead]) {
    ws.getRow(r).alignment = { wrapText: true, vertical: 'middle' };
    ws.getRow(r).height = 44;
  }
  ws.views = [{ state: 'frozen', ySplit: head }];
  printSetup(ws);
}
