import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { excelNumberFormat, formatValue } from '../../harness/runs/format.js';
import { createProgressPrinter } from '../../reports/progress.js';

describe('values read as a person expects', () => {
  it.each([
    [0.9997, 'ratio', '99.970 %'],
    [1, 'ratio', '100 %'],
    [0.5, 'ratio', '50 %'],
    [0.0004, 'ratio', '0.040 %'],
    [0.4567, 'ratio', '45.67 %'],
    [1, 'bool', 'yes'],
    [0, 'bool', 'no'],
    [345.2, 'ms', '345 ms'],
    [6.004, 'ms', '6.00 ms'],
    [12_345, 'ms', '12.3 s'],
    [45, 's', '45 s'],
    [2_592_000, 's', '30d'],
    [1485, 'events', '1485'],
    [20_000, 'events', '20,000'],
    [429, 'status', '429'],
    [99_128.4, 'records/s', '99128 records/s'],
    [Number.NaN, 'ms', 'n/a'],
  ])('%d %s -> %s', (value, unit, shown) => {
    expect(formatValue(value, unit)).toBe(shown);
  });

  it('gives the workbook the same reading as a number format', () => {
    expect(excelNumberFormat('ratio')).toBe('0.00%');
    expect(excelNumberFormat('bool')).toBe('[=1]"yes";[=0]"no";General');
    expect(excelNumberFormat('ms')).toBe('#,##0.## "ms"');
    expect(excelNumberFormat('events')).toBe('#,##0.##');
  });

  it('progress off a TTY prints a line at each phase change, and within a phase every few seconds', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const progress = createProgressPrinter(out as unknown as NodeJS.WriteStream, 60_000);
    progress.update({ phase: 'setup', done: 0, total: 1, detail: 'a' });
    progress.update({ phase: 'setup', done: 1, total: 1, detail: 'b' });
    progress.update({ phase: 'storm', done: 1, total: 10, detail: 'c' });
    progress.update({ phase: 'storm', done: 2, total: 10, detail: 'd' });
    progress.update({ phase: 'drain', done: 10, total: 10, detail: 'e' });
    expect(text.trim().split('\n')).toEqual(['[setup] 0% a', '[storm] 10% c', '[drain] 100% e']);
  });
});
