import ExcelJS from 'exceljs';
import type { Criterion } from './catalog.js';
import { KIND_LABEL } from './evidence-kind.js';
import { evidenceSheet, type ReportLink } from './evidence-sheet.js';
import { MAX_SCORE, type Scorecard } from './model.js';
import {
  col,
  EMULATED_FONT,
  header,
  INPUT_FILL,
  printSetup,
  UNSCORED_FONT,
  UNVERIFIED_FONT,
} from './sheet-style.js';
import { type Layout, summarySheet } from './summary-sheet.js';

const SCORE_STYLES: readonly [number, string][] = [
  [0, 'FFF8CBAD'],
  [1, 'FFFFE699'],
  [2, 'FFD9EAD3'],
  [3, 'FFA9D08E'],
];

/** The Kind column: manual, or the evidence a measured criterion needs (design or service). */
function kindText(card: Scorecard, c: Criterion): string {
  return c.manual ? 'manual' : (card.kinds.get(c.id) ?? 'service');
}

function ruleText(c: Criterion): string {
  if (c.manual) return `manual: ${c.manual.guide}`;
  const m = c.measured as NonNullable<Criterion['measured']>;
  const metric = m.finding ?? `${m.ratio?.of} / ${m.ratio?.to}`;
  const bands = m.bands.map((b) => `${b.when?.text ?? 'otherwise'} -> ${b.score}`).join('; ');
  return `${m.scenario}: ${metric} (${m.aggregate} run): ${bands}`;
}

function weightsSheet(wb: ExcelJS.Workbook, card: Scorecard, layout: Layout): void {
  const ws = wb.addWorksheet('Weights', { properties: { tabColor: { argb: 'FFFFC000' } } });
  header(ws, 1, [
    'Criterion id',
    'Area',
    'Criterion',
    'Weight (1-5)',
    'Default',
    'Kind',
    'How it is scored',
    'What evidence can score it',
  ]);
  const areaTitle = new Map(card.catalog.areas.map((a) => [a.id, a.title]));
  card.catalog.criteria.forEach((c, i) => {
    const r = ws.getRow(layout.first + i);
    r.values = [
      c.id,
      areaTitle.get(c.area) ?? c.area,
      c.title,
      c.weight,
      c.weight,
      kindText(card, c),
      ruleText(c),
      KIND_LABEL[card.kinds.get(c.id) ?? 'answer'],
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
    column.width = [26, 26, 48, 12, 9, 10, 90, 40][i] ?? 12;
  });
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];
  ws.autoFilter = { from: 'A1', to: `H${layout.last}` };
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
    r.getCell(4).value = kindText(card, c);
    r.getCell(5).value = { formula: `Weights!D${rowNo}`, result: c.weight };
    card.vendors.forEach((v, j) => {
      const cell = r.getCell(6 + j);
      const data = card.cells.get(c.id)?.get(v);
      if (data?.score !== null && data?.score !== undefined) {
        cell.value = data.score;
        if (data.status === 'emulated') cell.font = EMULATED_FONT;
      } else if (data?.status === 'not measured' || data?.status === 'needs a live run') {
        cell.value = data.status;
        cell.font = UNSCORED_FONT;
      } else if (data?.status === 'unverified') {
        // A word, not the number given: formulas add only numbers, so it cannot reach a total.
        cell.value = 'unverified';
        cell.font = UNVERIFIED_FONT;
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

function methodSheet(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet('Method');
  const lines = [
    'How this scorecard is built',
    '',
    'Every criterion is scored 0 to 3 for every vendor: 0 absent or failing, 1 weak, 2 acceptable, 3 strong.',
    'Every criterion has a weight from 1 (nice to have) to 5 (critical), on the Weights sheet. You may change them.',
    'A vendor’s total is the sum of weight x score over the scored criteria; the maximum is 3 x the sum of all weights.',
    'Coverage is criteria scored / criteria scorable (every criterion can be scored: by a run or by an answer with evidence).',
    '"% of what was scored" divides the total by 3 x the weights of the criteria scored for that vendor: a vendor is not marked',
    'down there for what nobody measured. The ranking orders vendors by total; a tie keeps the listed order.',
    '',
    'Measured criteria come from poc runs: a scenario (a webhook storm, a rate-limit probe, a replay test, a signature attack)',
    'produces findings, and a rule turns one finding into a score by bands, e.g. "delivery rate >= 99 % -> 3". When several runs',
    'were selected, the rule says which counts: the worst, the best or the latest. The Evidence sheet lists every finding used,',
    'with its run, the run’s options, date and a link to the run’s report (reports/ next to this workbook), so each score can be traced.',
    '',
    'What can score a criterion (Kind on Weights and Scores) follows from what its finding is evidence of:',
    '  design: a documented fact of the vendor’s design that poc’s emulation reproduces (signature scheme, timestamp coverage,',
    '          replay window, deleted lists, limit headers as documented). A mock run may score it: "documented, emulated", in blue italics.',
    '  service: the vendor’s service performance (delivery rate, latency, loss under load, time to recover, sustained throughput).',
    '          Only a run against the live sandbox scores it; with mock runs only the cell says "needs a live run".',
    '  manual: a person’s answer in answers.yaml with the evidence they read.',
    'Where a vendor has live runs, they score design criteria too (the real vendor beats its emulation).',
    '"not measured" means no run stands behind the score yet: it adds nothing, it is not a 0, and the Summary counts it.',
    '',
    'Manual criteria (yellow cells) are answered by people from contracts, documentation and trust portals, in answers.yaml,',
    'with the evidence they read; each answered cell carries it as a note. Blank yellow cells are still to answer.',
    '"unverified" marks an answer whose evidence is missing or a placeholder (example.com, TODO, "replace with ..."): it is',
    'shown, counted on the Summary, and adds nothing, because every point in a total must rest on something a reader can check.',
    '',
    'Runs behind one criterion must be alike across vendors (same scenario options, time scale, faults, same target kind):',
    'otherwise the Summary warns and names them, because a difference in score may then be a difference in test.',
    '',
    'To change the outcome honestly: adjust weights on the Weights sheet, or correct a score on the Scores sheet and say why.',
    'The Summary, the winner line, the area subtotals and the data bars recompute.',
  ];
  lines.forEach((text, i) => {
    ws.getCell(i + 1, 1).value = text;
  });
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getColumn(1).width = 130;
  printSetup(ws);
}

/** The procurement workbook: Summary, Scores, Weights, Evidence, Method. */
export async function scorecardWorkbook(card: Scorecard, reportOf: ReportLink): Promise<Buffer> {
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
  evidenceSheet(wb, card, reportOf);
  methodSheet(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
