import type ExcelJS from 'exceljs';

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3864' } };
export const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };
export const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
export const WORKING_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFF2F2F2' },
};
/** What a cell that scores nothing looks like: said in words, never a 0. */
export const UNSCORED_FONT: Partial<ExcelJS.Font> = { italic: true, color: { argb: 'FF808080' } };
/** An answer nobody can check: it stands out, because it is given and not added. */
export const UNVERIFIED_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFC55A11' } };
/** A score from the emulation of a documented fact. */
export const EMULATED_FONT: Partial<ExcelJS.Font> = { italic: true, color: { argb: 'FF2F5597' } };
export const WARNING_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFC00000' } };

/** Column letter of a 1-based index (A, B, ... Z, AA...). */
export function col(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

/** A header row: dark fill, white bold text, wrapped. */
export function header(ws: ExcelJS.Worksheet, row: number, values: readonly string[]): void {
  const r = ws.getRow(row);
  values.forEach((v, i) => {
    const cell = r.getCell(i + 1);
    cell.value = v;
    cell.fill = HEADER_FILL;
    cell.font = HEADER_FONT;
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
}

/** Landscape A4, fit to one page wide, sheet name and page numbers in the footer. */
export function printSetup(ws: ExcelJS.Worksheet): void {
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
