import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { RANKED, RANKED_HEAD } from '../../scorecards/summary-sheet.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { hasCommand, recalculate, requireTools } from '../helpers/libreoffice.js';
import { tempDir } from '../helpers/servers.js';

interface PlaybookJson {
  playbookId: string;
  interrupted: boolean;
  runs: { vendor: string; scenario: string; status: string; runId: string | null; resumed: boolean }[];
  scorecard: { path: string; totals: { vendor: string; total: number; pct: number }[] } | null;
  overview: string;
  markdown: string;
}

const CHROMIUM = ['chromium', 'chromium-browser'].find(hasCommand) ?? 'chromium';

/** A formula cell's value as LibreOffice stored it (exceljs drops a cached 0). */
function cellValue(cell: ExcelJS.Cell): unknown {
  const v = cell.value;
  if (v && typeof v === 'object' && 'formula' in v) return (v as { result?: unknown }).result ?? 0;
  return v;
}

/** The two quickest scenarios on two vendors: enough for a matrix, small enough to run three times. */
const SMALL_PLAN = `
vendors:
  hubspot: { target: mock }
  pipedrive:
scenarios:
  signature-check:
  observability-mapping: { changes: 10, grace: 10s }
outputs: { dir: out }
`;

describe('poc init && poc playbook: the default plan on three mocks', () => {
  const dir = tempDir('poc-e2e-playbook-');
  afterAll(() => dir.remove());

  it('runs every scenario on every vendor and ends in a scorecard of exactly those runs, an overview and a summary', async () => {
    const init = await runCli(['init'], { cwd: dir.path });
    expect(init.code, init.stderr).toBe(0);
    const again = await runCli(['init'], { cwd: dir.path });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');

    const r = await runCli(['playbook', '--json'], { cwd: dir.path, timeoutMs: 900_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as PlaybookJson;
    expect(out.interrupted).toBe(false);
    expect(out.runs).toHaveLength(15);
    expect(new Set(out.runs.map((c) => c.vendor))).toEqual(new Set(['hubspot', 'salesforce', 'pipedrive']));
    expect(new Set(out.runs.map((c) => c.scenario)).size).toBe(5);
    expect(out.runs.every((c) => c.status === 'passed')).toBe(true);
    // The overall progress line names the run of how many.
    expect(r.stderr).toMatch(/playbook: run 15\/15 pipedrive × /);

    // Every run is stored with the playbook's id, and the workbook rests on exactly those.
    const list = await runCli(['list', 'runs', '--json', '--data-dir', join(dir.path, '.poc')]);
    const stored = (JSON.parse(list.stdout) as { id: string; playbookId?: string }[]).filter(
      (run) => run.playbookId === out.playbookId,
    );
    const ids = new Set(out.runs.map((c) => c.runId));
    expect(new Set(stored.map((s) => s.id))).toEqual(ids);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out.scorecard?.path as string);
    const evidence = wb.getWorksheet('Evidence') as ExcelJS.Worksheet;
    const runColumn = (evidence.getRow(1).values as unknown[]).indexOf('Run id');
    const cited = new Set<string>();
    evidence.eachRow((row, n) => {
      const id = row.getCell(runColumn).value;
      if (n > 1 && typeof id === 'string' && id !== '') cited.add(id);
    });
    expect(cited.size).toBeGreaterThan(0);
    for (const id of cited) expect(ids.has(id), id).toBe(true);
    const title = String(cellValue((wb.getWorksheet('Summary') as ExcelJS.Worksheet).getCell('A1')));
    expect(title).toMatch(/mock/i);

    const md = readFileSync(out.markdown, 'utf8');
    expect(md).toContain('|');
    expect(md).toContain(out.playbookId);

    if (requireTools(['soffice'], 'libreoffice-calc')) {
      const recalculated = recalculate(out.scorecard?.path as string, join(dir.path, 'lo'));
      const rwb = new ExcelJS.Workbook();
      await rwb.xlsx.readFile(recalculated);
      const ws = rwb.getWorksheet('Summary') as ExcelJS.Worksheet;
      const rows = (out.scorecard?.totals ?? []).map((_, k) => {
        const row = ws.getRow(RANKED_HEAD + 1 + k);
        return { vendor: cellValue(row.getCell(RANKED.vendor)), total: cellValue(row.getCell(RANKED.total)) };
      });
      expect(rows).toEqual(out.scorecard?.totals.map((t) => ({ vendor: t.vendor, total: t.total })));
    }

    if (requireTools([CHROMIUM], 'chromium')) {
      const browser = await chromium.launch({
        executablePath: `/usr/bin/${CHROMIUM}`,
        args: ['--no-sandbox'],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(pathToFileURL(out.overview).href, { waitUntil: 'load' });
        const links = await page.$$eval('a[href]', (as) =>
          as.map((a) => (a as unknown as { href: string }).href),
        );
        expect(errors).toEqual([]);
        // One report per run, and the workbook.
        expect(links.length).toBeGreaterThanOrEqual(16);
        for (const link of links) expect(existsSync(fileURLToPath(link)), link).toBe(true);
      } finally {
        await browser.close();
      }
    }
  }, 1_000_000);
});

describe('poc playbook --resume after kill -9', () => {
  const dir = tempDir('poc-e2e-playbook-resume-');
  afterAll(() => dir.remove());

  it('keeps the finished runs, runs the rest, and ends in the scorecard an uninterrupted playbook gives', async () => {
    writeFileSync(join(dir.path, 'poc.yaml'), SMALL_PLAN);
    const child = spawnCli(['playbook'], { cwd: dir.path });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no third run started:\n${stderr}`)), 300_000);
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Two runs stored, the third under way (its first progress line): the worst moment to die.
        if (/\[3\/4 [^\]]* \w+\] /.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const id = /playbook: run 1\/4 .*\((\d{8}-\d{6}-[0-9a-f]{6})\)/.exec(stderr);
    expect(id, stderr).not.toBeNull();

    const data = join(dir.path, '.poc');
    const playbooks = await runCli(['list', 'playbooks', '--json', '--data-dir', data]);
    const [playbook] = JSON.parse(playbooks.stdout) as { id: string }[];
    const before = await runCli(['list', 'runs', '--json', '--data-dir', data]);
    const finishedBefore = (JSON.parse(before.stdout) as { id: string; status: string }[])
      .filter((r) => r.status === 'passed')
      .map((r) => r.id);
    expect(finishedBefore).toHaveLength(2);

    const resumed = await runCli(['playbook', '--resume', playbook?.id as string, '--json'], {
      cwd: dir.path,
      timeoutMs: 300_000,
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const out = JSON.parse(resumed.stdout) as PlaybookJson;
    expect(out.playbookId).toBe(playbook?.id);
    expect(
      out.runs
        .filter((c) => c.resumed)
        .map((c) => c.runId)
        .sort(),
    ).toEqual([...finishedBefore].sort());
    expect(out.runs.every((c) => c.status === 'passed')).toBe(true);
    // The two finished runs were not started again: two new runs, plus the one killed (crashed).
    const after = JSON.parse((await runCli(['list', 'runs', '--json', '--data-dir', data])).stdout) as {
      status: string;
    }[];
    expect(after.filter((r) => r.status === 'passed')).toHaveLength(4);
    expect(after.filter((r) => r.status === 'crashed')).toHaveLength(1);

    // The same plan, never interrupted, in a folder of its own: the same scorecard.
    const fresh = tempDir('poc-e2e-playbook-fresh-');
    try {
      writeFileSync(join(fresh.path, 'poc.yaml'), SMALL_PLAN);
      const whole = await runCli(['playbook', '--json'], { cwd: fresh.path, timeoutMs: 300_000 });
      expect(whole.code, whole.stderr).toBe(0);
      const csv = (d: string) => readFileSync(join(d, 'out', 'scorecard.csv'), 'utf8');
      expect(csv(dir.path)).toBe(csv(fresh.path));
      const uninterrupted = JSON.parse(whole.stdout) as PlaybookJson;
      expect(uninterrupted.runs.map((c) => `${c.vendor}/${c.scenario}`)).toEqual(
        out.runs.map((c) => `${c.vendor}/${c.scenario}`),
      );
      // poc scorecard --playbook rebuilds it later from the same runs.
      const rebuilt = await runCli(
        [
          'scorecard',
          '--playbook',
          out.playbookId,
          '--data-dir',
          data,
          '--out',
          join(dir.path, 'again.xlsx'),
        ],
        { cwd: dir.path },
      );
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      expect(readFileSync(join(dir.path, 'again.csv'), 'utf8')).toBe(csv(dir.path));
    } finally {
      fresh.remove();
    }
  }, 900_000);
});

describe('a plan with mistakes', () => {
  const dir = tempDir('poc-e2e-playbook-bad-');
  afterAll(() => dir.remove());

  it('is refused whole before anything runs: exit 2, every problem named file:line with its fix', async () => {
    writeFileSync(
      join(dir.path, 'poc.yaml'),
      [
        'vendors:',
        '  hubspot: { target: mock }',
        '  acme: { target: mock }',
        'scenarios:',
        '  webhook-storm:',
        '    rate: 50',
        '    burstiness: 3',
        '    thresholds:',
        "      webhook.latency_p99_ms: ['p(99)<fast']",
        '  signature-check: { rate: 5000 }',
        'colour: blue',
        '',
      ].join('\n'),
    );
    const r = await runCli(['playbook'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/poc\.yaml:11: colour: not a key of the plan here; drop it/);
    // The file's shape is checked first; fix it and the rest is named in one go.
    writeFileSync(
      join(dir.path, 'poc.yaml'),
      readFileSync(join(dir.path, 'poc.yaml'), 'utf8').replace('colour: blue\n', ''),
    );
    const second = await runCli(['playbook'], { cwd: dir.path });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/poc\.yaml:3: vendors\.acme: unknown vendor "acme"; known: /);
    expect(second.stderr).toMatch(
      /poc\.yaml:7: scenarios\.webhook-storm\.burstiness: not an option of poc run webhook-storm/,
    );
    expect(second.stderr).toMatch(/poc\.yaml:9: scenarios\.webhook-storm\.thresholds: .*p\(99\)<fast/);
    expect(second.stderr).toMatch(
      /poc\.yaml:10: scenarios\.signature-check\.rate: does not apply to signature-check \(it is an option of webhook-storm\); drop it/,
    );
    expect(readdirSync(dir.path).sort()).toEqual(['poc.yaml']);
  }, 120_000);

  it('poc run --config reads the scenario’s options from the plan, and a flag wins over them', async () => {
    writeFileSync(
      join(dir.path, 'run.yaml'),
      'vendors: { hubspot: }\nscenarios:\n  observability-mapping: { changes: 7, grace: 5s }\n',
    );
    const r = await runCli(
      [
        'run',
        'observability-mapping',
        '--vendor',
        'hubspot',
        '--config',
        'run.yaml',
        '--grace',
        '10s',
        '--json',
      ],
      { cwd: dir.path, timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const { runId } = JSON.parse(r.stdout) as { runId: string };
    // The plan's dataDir is relative to the plan file: .poc beside run.yaml.
    const show = await runCli(['show', runId, '--json', '--data-dir', join(dir.path, '.poc')]);
    const { config } = JSON.parse(show.stdout) as { config: { options: Record<string, unknown> } };
    expect(config.options).toMatchObject({ changes: 7, grace: 10_000 });
    // The reading commands take POC_DATA_DIR as poc run does.
    const viaEnv = await runCli(['show', runId, '--json'], { env: { POC_DATA_DIR: join(dir.path, '.poc') } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    const wrong = await runCli(['run', 'webhook-storm', '--vendor', 'hubspot', '--config', 'run.yaml'], {
      cwd: dir.path,
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('has no scenarios.webhook-storm section');
  }, 180_000);
});

describe('a vendor budget in the plan', () => {
  const dir = tempDir('poc-e2e-playbook-budget-');
  afterAll(() => dir.remove());

  it('is one allowance for all the vendor’s runs: the later run gets what the earlier left', async () => {
    writeFileSync(
      join(dir.path, 'poc.yaml'),
      [
        'vendors:',
        '  hubspot: { budget: { maxRequests: 25 } }',
        'scenarios:',
        '  observability-mapping: { changes: 5, grace: 5s }',
        '  webhook-storm: { rate: 100, duration: 5s, grace: 5s, poolSize: 100 }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['playbook', '--json'], { cwd: dir.path, timeoutMs: 300_000 });
    expect([0, 99], r.stderr).toContain(r.code);
    const out = JSON.parse(r.stdout) as PlaybookJson;
    const data = join(dir.path, '.poc');
    const runs = JSON.parse((await runCli(['list', 'runs', '--json', '--data-dir', data])).stdout) as {
      id: string;
      scenario: string;
      vendorRequests?: number;
    }[];
    const spent = runs.map((run) => run.vendorRequests ?? 0);
    expect(spent.every((n) => n > 0)).toBe(true);
    expect(spent.reduce((a, b) => a + b, 0)).toBe(25);
    const storm = out.runs.find((c) => c.scenario === 'webhook-storm');
    const show = await runCli(['show', storm?.runId as string, '--data-dir', data]);
    expect(show.stdout).toMatch(/request budget \(25, from vendors\.hubspot\.budget of .*poc\.yaml/);
  }, 400_000);
});
