import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../harness/runs/run-store.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

/**
 * A scorecard must not compare unlike tests: two vendors' storms at different rates are named
 * as not comparable on the Summary, in the Markdown and on the command line, and a vendor
 * asked for with nothing behind it is left out rather than ranked at 0 %.
 */
describe('poc scorecard: runs that are not alike, vendors with nothing', () => {
  const dir = tempDir('poc-e2e-scorecard-integrity-');
  const data = join(dir.path, '.poc');
  const out = join(dir.path, 'card.xlsx');
  const ids = new Map<string, string>();
  let built: CliResult;

  beforeAll(async () => {
    for (const [vendor, rate] of [
      ['hubspot', '40'],
      ['pipedrive', '80'],
    ] as const) {
      const r = await runCli(
        [
          'run',
          'webhook-storm',
          '--vendor',
          vendor,
          '--rate',
          rate,
          '--duration',
          '2s',
          '--grace',
          '5s',
        ].concat(['--data-dir', data]),
        { timeoutMs: 120_000 },
      );
      expect(r.code, `${vendor}: ${r.stderr}`).toBe(0);
    }
    const store = new RunStore(data, { mode: 'read' });
    for (const run of store.list(10)) ids.set(run.vendor, run.id);
    store.close();
    built = await runCli([
      'scorecard',
      '--vendors',
      'hubspot,pipedrive,salesforce',
      '--out',
      out,
      '--data-dir',
      data,
    ]);
  }, 300_000);
  afterAll(() => dir.remove());

  it('names the storms as not comparable, with each run and its rate, on the CLI, the Summary and the Markdown', async () => {
    expect(built.code, built.stderr).toBe(0);
    const line = built.stdout.split('\n').find((l) => l.startsWith('warning: not comparable: webhook-storm'));
    expect(line).toBeDefined();
    expect(line).toContain('runs differ in rate:');
    expect(line).toContain(`hubspot run ${ids.get('hubspot')} (rate=40)`);
    expect(line).toContain(`pipedrive run ${ids.get('pipedrive')} (rate=80)`);
    expect(line).toContain('webhooks.no_loss');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const summary = wb.getWorksheet('Summary') as ExcelJS.Worksheet;
    const texts: string[] = [];
    summary.eachRow((row) => {
      const v = row.getCell(1).value;
      if (typeof v === 'string') texts.push(v);
    });
    expect(texts).toContain('Read before the ranking (2):');
    expect(texts).toContain((line as string).replace(/^warning: /, ''));
    expect(String(summary.getCell('A4').value)).toContain('2 warning(s) below the ranking');
    const md = readFileSync(join(dir.path, 'card.md'), 'utf8');
    expect(md).toContain(`> **Warning:** ${(line as string).replace(/^warning: /, '')}`);
  });

  it('leaves out a vendor with no run and no answer, and says so', async () => {
    expect(built.stdout).toContain('warning: left out, with no run and no answer: salesforce');
    expect(built.stdout).toMatch(/^scorecard of 2 vendor\(s\) from 2 run\(s\)/);
    expect(built.stdout).not.toMatch(/\d\. salesforce/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const header = (wb.getWorksheet('Scores') as ExcelJS.Worksheet).getRow(1).values as unknown[];
    expect(header.slice(-2)).toEqual(['hubspot', 'pipedrive']);
    const nothing = await runCli(['scorecard', '--vendors', 'zoho', '--out', out, '--data-dir', data]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('no finished run');
  });
});
