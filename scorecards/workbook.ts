import ExcelJS from 'exceljs';
import { excelNumberFormat } from '../harness/runs/format.js';
import type { Criterion } from './catalog.js';
import { BAR_COLOURS, totalsChart } from './chart.js';
import { MAX_SCORE, type Scorecard } from './model.js';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3864' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const WORKING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const SCORE_STYLES: readonly [number, string][] = [
  [0, 'FFF8CBAD'],
  [1, 'FFFFE699'],
  [2, 'FFD9EAD3'],
  [3, 'FFA9D08E'],
];

/** Column letter of a 1-based index (A, B, ... Z, AA...). */
export function col(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

function header(ws: ExcelJS.Worksheet, row: number, values: readonly string[]): void {
  const r = ws.getRow(row);
  values.forEach((v, i) => {
    const cell = r.getCell(i + 1);
    cell.value = v;
    cell.fill = HEADER_FILL;
    cell.font = HEADER_FONT;
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
}

function printSetup(ws: ExcelJS.Worksheet): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    orientation: 'landscape',
    paperSize: 9,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddFooter: '&L&A&RPage &P of &N' };
}

function ruleText(c: Criterion): string {
  if (c.manual) return `manual: ${c.manual.guide}`;
  const m = c.measured as NonNullable<Criterion['measured']>;
  const metric = m.finding ?? `${m.ratio?.of} / ${m.ratio?.to}`;
  const bands = m.bands.map((b) => `${b.when?.text ?? 'otherwise'} -> ${b.score}`).join('; ');
  return `${m.scenario}: ${metric} (${m.aggregate} run): ${bands}`;
}

/** Sheet layout shared by the formulas: criteria rows 2..last on Weights and Scores alike. */
interface Layout {
  readonly first: number;
  readonly last: number;
  readonly vendorCol: (i: number) => string;
}

function weightsSheet(wb: ExcelJS.Workbook, card: Scorecard, layout: Layout): void {
  const ws = wb.addWorksheet('Weights', { properties: { tabColor: { argb: 'FFFFC000' } } });
  header(ws, 1, ['Criterion id', 'Area', 'Criterion', 'Weight (1-5)', 'Default', 'Kind', 'How it is scored']);
  const areaTitle = new Map(card.catalog.areas.map((a) => [a.id, a.title]));
  card.catalog.criteria.forEach((c, i) => {
    const r = ws.getRow(layout.first + i);
    r.values = [
      c.id,
      areaTitle.get(c.area) ?? c.area,
      c.title,
      c.weight,
      c.weight,
      c.manual ? 'manual' : 'measured',
      ruleText(c),
    ];
    r.getCell(4).fill = INPUT_FILL;
    r.getCell(4).dataValidation = {
      type: 'whole',
      operator: 'between',
      allowBlank: false,
      formulae: [1, 5],
      showErrorMessage: true,
      errorTitle: 'Weight',
      error: 'A weight is a whole number from 1 (nice to have) to 5 (critical).',
      showInputMessage: true,
      promptTitle: 'Weight 1..5',
      prompt: 'How much this criterion matters to you; every total recomputes.',
    };
    r.getCell(7).alignment = { wrapText: true, vertical: 'top' };
  });
  ws.columns.forEach((column, i) => {
    column.width = [26, 26, 48, 12, 9, 10, 90][i] ?? 12;
  });
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];
  ws.autoFilter = { from: 'A1', to: `G${layout.last}` };
  printSetup(ws);
}

function scoresSheet(wb: ExcelJS.Workbook, card: Scorecard, layout: Layout): void {
  const ws = wb.addWorksheet('Scores', { properties: { tabColor: { argb: 'FF70AD47' } } });
  header(ws, 1, ['Criterion id', 'Area', 'Criterion', 'Kind', 'Weight', ...card.vendors]);
  const areaTitle = new Map(card.catalog.areas.map((a) => [a.id, a.title]));
  card.catalog.criteria.forEach((c, i) => {
    const rowNo = layout.first + i;
    const r = ws.getRow(rowNo);
    r.getCell(1).value = c.id;
    r.getCell(2).value = areaTitle.get(c.area) ?? c.area;
    r.getCell(3).value = c.title;
    r.getCell(4).value = c.manual ? 'manual' : 'measured';
    r.getCell(5).value = { formula: `Weights!D${rowNo}`, result: c.weight };
    card.vendors.forEach((v, j) => {
      const cell = r.getCell(6 + j);
      const data = card.cells.get(c.id)?.get(v);
      if (data?.score !== null && data?.score !== undefined) cell.value = data.score;
      else if (data?.status === 'not measured') {
        cell.value = 'not measured';
        cell.font = { italic: true, color: { argb: 'FF808080' } };
      }
      if (c.manual) cell.fill = INPUT_FILL;
      cell.alignment = { horizontal: 'center' };
      if (data) cell.note = data.note;
      cell.dataValidation = {
        type: 'whole',
        operator: 'between',
        allowBlank: true,
        formulae: [0, MAX_SCORE],
        showErrorMessage: true,
        errorTitle: 'Score',
        error: 'A score is a whole number: 0 absent, 1 weak, 2 acceptable, 3 strong.',
      };
    });
  });
  const lastCol = col(5 + card.vendors.length);
  const scoreRange = `F${layout.first}:${lastCol}${layout.last}`;
  ws.addConditionalFormatting({
    ref: scoreRange,
    rules: SCORE_STYLES.map(([score, argb], k) => ({
      type: 'expression',
      priority: k + 1,
      formulae: [`AND(ISNUMBER(F${layout.first}),F${layout.first}=${score})`],
      style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb } } },
    })),
  });
  ws.columns.forEach((column, i) => {
    column.width = i < 5 ? ([26, 26, 48, 10, 8][i] ?? 10) : 14;
  });
  ws.views = [{ state: 'frozen', xSplit: 3, ySplit: 1 }];
  ws.autoFilter = { from: 'A1', to: `${lastCol}${layout.last}` };
  printSetup(ws);
}

function summarySheet(wb: ExcelJS.Workbook, card: Scorecard, layout: Layout): void {
  const ws = wb.addWorksheet('Summary', { properties: { tabColor: { argb: 'FF1F3864' } } });
  const areas = card.catalog.areas;
  const V = card.vendors.length;
  const scores = (i: number) =>
    `Scores!${layout.vendorCol(i)}$${layout.first}:${layout.vendorCol(i)}$${layout.last}`;
  const weights = `Scores!$E$${layout.first}:$E$${layout.last}`;
  const areaCol = `Scores!$B$${layout.first}:$B$${layout.last}`;
  const maxFormula = `${MAX_SCORE}*SUM(Weights!$D$${layout.first}:$D$${layout.last})`;
  const maxValue = card.totals[0]?.max ?? 0;
  const targets = new Set(card.runs.map((r) => r.target));

  ws.mergeCells('A1:H1');
  ws.getCell('A1').value = 'CRM vendor scorecard';
  ws.getCell('A1').font = { bold: true, size: 16, color: { argb: 'FF1F3864' } };
  ws.mergeCells('A2:H2');
  ws.getCell('A2').value =
    `Built by poc on ${card.generatedAt.slice(0, 10)} from ${card.runs.length} runs. Weights x scores with live formulas: change a weight (Weights) or a score (Scores) and every figure here recomputes.`;
  ws.getCell('A2').alignment = { wrapText: true };
  ws.getRow(2).height = 30;

  // Working table (unranked, in a fixed order): the ranked table reads it.
  const wHead = 8 + V + 2;
  const wFirst = wHead + 1;
  const wLast = wHead + V;
  ws.getCell(`A${wHead - 1}`).value = 'Working figures (unranked; the table above is read from these)';
  ws.getCell(`A${wHead - 1}`).font = { italic: true, color: { argb: 'FF595959' } };
  header(ws, wHead, ['Vendor', 'Total', 'Rank key', 'Not scored', ...areas.map((a) => a.title)]);
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
    row.getCell(4).value = {
      formula: `COUNTIF(${scores(i)},"not measured")+COUNTBLANK(${scores(i)})`,
      result: t?.missing ?? 0,
    };
    areas.forEach((a, k) => {
      row.getCell(5 + k).value = {
        formula: `SUMPRODUCT((${areaCol}="${a.title.replace(/"/g, '""')}")*${weights},${scores(i)})`,
        result: t?.areas[a.id]?.total ?? 0,
      };
    });
    for (let c = 1; c <= 4 + areas.length; c++) row.getCell(c).fill = WORKING_FILL;
  });

  // Ranked table.
  const head = 6;
  header(ws, head, [
    'Rank',
    'Vendor',
    'Total',
    'Maximum',
    '% of maximum',
    'Not scored',
    ...areas.map((a) => a.title),
  ]);
  ws.getRow(head).height = 32;
  const keys = `$C$${wFirst}:$C$${wLast}`;
  card.totals.forEach((t, k) => {
    const r = head + 1 + k;
    const match = `MATCH(LARGE(${keys},${k + 1}),${keys},0)`;
    const pick = (c: string) => `INDEX($${c}$${wFirst}:$${c}$${wLast},${match})`;
    const row = ws.getRow(r);
    row.getCell(1).value = k + 1;
    row.getCell(2).value = { formula: pick('A'), result: t.vendor };
    row.getCell(3).value = { formula: pick('B'), result: t.total };
    row.getCell(4).value = { formula: maxFormula, result: maxValue };
    row.getCell(5).value = { formula: `IF(D${r}=0,0,C${r}/D${r})`, result: t.pct };
    row.getCell(5).numFmt = '0.0%';
    row.getCell(6).value = { formula: pick('D'), result: t.missing };
    areas.forEach((a, j) => {
      row.getCell(7 + j).value = { formula: pick(col(5 + j)), result: t.areas[a.id]?.total ?? 0 };
    });
    row.getCell(2).font = { bold: k === 0 };
  });
  const maxRow = head + 1 + V;
  ws.getCell(`B${maxRow}`).value = 'Area maximum';
  ws.getCell(`B${maxRow}`).font = { italic: true };
  areas.forEach((a, j) => {
    const areaWeights = `SUMPRODUCT((Weights!$B$${layout.first}:$B$${layout.last}="${a.title.replace(/"/g, '""')}")*Weights!$D$${layout.first}:$D$${layout.last})`;
    ws.getCell(maxRow, 7 + j).value = {
      formula: `${MAX_SCORE}*${areaWeights}`,
      result: card.totals[0]?.areas[a.id]?.max ?? 0,
    };
    ws.getCell(maxRow, 7 + j).font = { italic: true };
  });
  if (V > 0) {
    ws.addConditionalFormatting({
      ref: `E${head + 1}:E${head + V}`,
      rules: [
        {
          type: 'colorScale',
          priority: 1,
          cfvo: [
            { type: 'num', value: 0 },
            { type: 'num', value: 1 },
          ],
          color: [{ argb: 'FFF8CBAD' }, { argb: 'FF63BE7B' }],
        },
      ],
    });
  }

  // The winner line, live too.
  ws.mergeCells('A3:H3');
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
  ws.mergeCells('A4:H4');
  ws.getCell('A4').value = [
    missing > 0
      ? `${missing} criterion x vendor cells are not scored yet ("not measured": no run; blank yellow: no answer in answers.yaml); they add nothing to a total.`
      : 'Every criterion is scored for every vendor.',
    targets.has('mock')
      ? ' Some scores come from runs against poc’s emulation of the vendor (target "mock" on Evidence), not its live sandbox.'
      : '',
  ].join('');
  ws.getCell('A4').alignment = { wrapText: true, vertical: 'top' };
  ws.getRow(4).height = 48;

  // The totals as a picture (as built; the tables are the live figures), names coloured like bars.
  const chartRow = wLast + 2;
  ws.getCell(`A${chartRow}`).value =
    'Share of the maximum, as built (the tables above recompute; this picture does not)';
  ws.getCell(`A${chartRow}`).font = { italic: true, color: { argb: 'FF595959' } };
  const image = wb.addImage({
    buffer: totalsChart(card.vendors.map((v) => byVendor.get(v)?.pct ?? 0)) as never,
    extension: 'png',
  });
  ws.addImage(image, { tl: { col: 0, row: chartRow }, ext: { width: 640, height: 320 } });
  card.vendors.forEach((v, i) => {
    const cell = ws.getCell(chartRow + 1 + i, 9);
    cell.value = `${v}: ${((byVendor.get(v)?.pct ?? 0) * 100).toFixed(1)}%`;
    cell.font = { bold: true, color: { argb: `FF${BAR_COLOURS[i % BAR_COLOURS.length]}` } };
  });

  ws.columns.forEach((column, i) => {
    column.width = [8, 18, 10, 11, 13, 11][i] ?? 16;
  });
  for (const r of [head, wHead]) {
    ws.getRow(r).alignment = { wrapText: true, vertical: 'middle' };
    ws.getRow(r).height = 32;
  }
  ws.views = [{ state: 'frozen', ySplit: head }];
  printSetup(ws);
}

function evidenceSheet(wb: ExcelJS.Workbook, card: Scorecard, dataDir: string): void {
  const ws = wb.addWorksheet('Evidence');
  header(ws, 1, [
    'Vendor',
    'Criterion',
    'Run id',
    'Scenario',
    'Target',
    'Metric',
    'Value',
    'Rule',
    'Score',
    'Decided the score',
    'Date',
    'Run report',
  ]);
  card.evidence.forEach((e, i) => {
    const r = ws.getRow(2 + i);
    r.values = [
      e.vendor,
      e.criterion,
      e.runId,
      e.scenario,
      e.target,
      e.metric,
      e.value,
      e.rule,
      e.score,
      e.decisive ? 'yes' : 'no',
      e.date.slice(0, 19).replace('T', ' '),
      `${dataDir}/runs/${e.runId}/summary.json`,
    ];
    // The number stays a number (sortable, usable in formulas), shown as the run summary shows it.
    r.getCell(7).numFmt = excelNumberFormat(e.unit);
  });
  ws.columns.forEach((column, i) => {
    column.width = [12, 32, 24, 18, 8, 40, 12, 18, 7, 10, 20, 50][i] ?? 12;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.autoFilter = { from: 'A1', to: `L${Math.max(2, card.evidence.length + 1)}` };
  printSetup(ws);
}

function methodSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet('Method');
  const lines = [
    'How this scorecard is built',
    '',
    'Every criterion is scored 0 to 3 for every vendor: 0 absent or failing, 1 weak, 2 acceptable, 3 strong.',
    'Every criterion has a weight from 1 (nice to have) to 5 (critical), on the Weights sheet. You may change them.',
    'A vendor’s total is the sum of weight x score over all criteria; the maximum is 3 x the sum of the weights.',
    'Area subtotals add the same products within one area. The ranking orders vendors by total; a tie keeps the listed order.',
    '',
    'Measured criteria come from poc runs: a scenario (a webhook storm, a rate-limit probe, a replay test, a signature attack)',
    'produces findings, and a rule turns one finding into a score by bands, e.g. "delivery rate >= 99 % -> 3". When several runs',
    'were selected, the rule says which counts: the worst, the best or the latest. The Evidence sheet lists every finding used,',
    'with its run, date and the path of the run’s report, so each score can be traced.',
    '"not measured" means no run stands behind the score yet: it adds nothing, it is not a 0, and the Summary counts it.',
    'Runs against poc’s emulation ("mock" on Evidence) test the vendor as documented; runs against the live sandbox test the real one.',
    '',
    'Manual criteria (yellow cells) are answered by people from contracts, documentation and trust portals, in answers.yaml,',
    'with the evidence they read; each answered cell carries it as a note. Blank yellow cells are still to answer.',
    '',
    'To change the outcome honestly: adjust weights on the Weights sheet, or correct a score on the Scores sheet and say why.',
    'The Summary, the winner line and the area subtotals recompute; the bar chart is a picture of the totals as built.',
  ];
  lines.forEach((text, i) => {
    ws.getCell(i + 1, 1).value = text;
  });
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getColumn(1).width = 130;
  printSetup(ws);
}

/** The procurement workbook: Summary, Scores, Weights, Evidence, Method. */
export async function scorecardWorkbook(card: Scorecard, dataDir: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'poc';
  wb.created = new Date(card.generatedAt);
  wb.calcProperties.fullCalcOnLoad = true;
  const layout: Layout = {
    first: 2,
    last: 1 + card.catalog.criteria.length,
    vendorCol: (i) => col(6 + i),
  };
  summarySheet(wb, card, layout);
  scoresSheet(wb, card, layout);
  weightsSheet(wb, card, layout);
  evidenceSheet(wb, card, dataDir);
  methodSheet(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
