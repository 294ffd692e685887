import type ExcelJS from 'exceljs';
import { excelNumberFormat } from '../harness/runs/format.js';
import { optionsLine, optionText } from './comparability.js';
import type { Scorecard } from './model.js';
import { header, printSetup, UNVERIFIED_FONT } from './sheet-style.js';

/** Where a run's report is, relative to the workbook (a hyperlink that survives mailing the folder). */
export type ReportLink = (runId: string) => string | undefined;

export const EVIDENCE_COLUMNS = [
  'Vendor',
  'Criterion',
  'Kind',
  'Counts as',
  'Run id',
  'Scenario',
  'Target',
  'Time scale',
  'Faults',
  'Max requests',
  'Scenario options',
  'Metric',
  'Value',
  'Rule or evidence',
  'Score',
  'Decided the score',
  'Date',
  'Run report',
] as const;

/** Evidence: every finding and answer a cell rests on, with the run's options and its report. */
export function evidenceSheet(wb: ExcelJS.Workbook, card: Scorecard, reportOf: ReportLink): void {
  const ws = wb.addWorksheet('Evidence');
  header(ws, 1, EVIDENCE_COLUMNS);
  card.evidence.forEach((e, i) => {
    const r = ws.getRow(2 + i);
    const options = e.run?.options ?? {};
    const report = e.run ? reportOf(e.run.runId) : undefined;
    r.values = [
      e.vendor,
      e.criterion,
      e.kind,
      e.status,
      e.runId,
      e.scenario,
      e.target,
      options.timeScale === undefined ? '' : Number(options.timeScale),
      options.faults === undefined ? '' : optionText(options.faults),
      options.maxRequests === undefined ? '' : Number(options.maxRequests),
      e.run ? optionsLine(options, ['timeScale', 'faults', 'maxRequests']) : '',
      e.metric,
      e.value,
      e.rule,
      e.score ?? '',
      e.decisive ? 'yes' : 'no',
      e.date.slice(0, 19).replace('T', ' '),
      report ? { text: report, hyperlink: report } : '',
    ];
    // The number stays a number (sortable, usable in formulas), shown as the run summary shows it.
    r.getCell(13).numFmt = excelNumberFormat(e.unit);
    if (e.status.startsWith('unverified')) r.getCell(4).font = UNVERIFIED_FONT;
    if (report) r.getCell(18).font = { color: { argb: 'FF0563C1' }, underline: true };
  });
  ws.columns.forEach((column, i) => {
    column.width = [12, 32, 10, 26, 24, 18, 8, 10, 16, 10, 40, 40, 12, 30, 7, 10, 20, 40][i] ?? 12;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.autoFilter = { from: 'A1', to: `R${Math.max(2, card.evidence.length + 1)}` };
  printSetup(ws);
}
