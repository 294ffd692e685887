import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceOf } from '../../harness/commands/scorecard.js';
import { RunStore } from '../../harness/runs/run-store.js';
import { loadAnswers } from '../../scorecards/answers.js';
import { loadCatalog } from '../../scorecards/catalog.js';
import { criterionKinds } from '../../scorecards/evidence-kind.js';
import { EVIDENCE_COLUMNS } from '../../scorecards/evidence-sheet.js';
import { buildScorecard, rank, type Scorecard, type VendorTotals } from '../../scorecards/model.js';
import { selectRuns } from '../../scorecards/runs.js';
import { RANKED, RANKED_HEAD } from '../../scorecards/summary-sheet.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { recalculate, requireTools } from '../helpers/libreoffice.js';
import { tempDir } from '../helpers/servers.js';

const VENDORS = ['hubspot', 'pipedrive'];
const ANSWERS = `# what the team found
hubspot:
  security.certifications: { score: 3, evidence: "https://trust.hubspot.com", note: "SOC 2 Type II report 2026" }
  operations.sla: { score: 2, evidence: "MSA section 7" }
pipedrive:
  security.certifications: { score: 2, evidence: "https://www.pipedrive.com/en/trust" }
  limits.pricing: { score: 3, evidence: "quote Q-2026-114" }
  operations.sla: { score: 3, evidence: "Enterprise SLA addendum" }
  observability.audit_log: { score: 3, evidence: "https://example.com/pipedrive/audit", note: "replace with what you found" }
`;

/** A formula cell's value as LibreOffice stored it (exceljs drops a cached 0). */
function value(cell: ExcelJS.Cell): unknown {
  const v = cell.value;
  if (v && typeof v === 'object' && 'formula' in v) return (v as { result?: unknown }).result ?? 0;
  return v;
}

async function summaryRows(path: string, card: Scorecard) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet('Summary') as ExcelJS.Worksheet;
  const areas = card.catalog.areas;
  return card.vendors.map((_, k) => {
    const row = ws.getRow(RANKED_HEAD + 1 + k);
    return {
      vendor: value(row.getCell(RANKED.vendor)),
      total: value(row.getCell(RANKED.total)),
      max: value(row.getCell(RANKED.max)),
      pct: Number(value(row.getCell(RANKED.pct))),
      scored: value(row.getCell(RANKED.scored)),
      scorable: value(row.getCell(RANKED.scorable)),
      coverage: Number(value(row.getCell(RANKED.coverage))),
      pctScored: Number(value(row.getCell(RANKED.pctScored))),
      unverified: value(row.getCell(RANKED.unverified)),
      areas: areas.map((_a, j) => value(row.getCell(RANKED.firstArea + j))),
      winner: value(ws.getCell('A3')),
    };
  });
}

const expected = (card: Scorecard, totals: readonly VendorTotals[]) =>
  totals.map((t) => ({
    vendor: t.vendor,
    total: t.total,
    max: t.max,
    pct: expect.closeTo(t.pct, 9),
    scored: t.scored,
    scorable: t.scorable,
    coverage: expect.closeTo(t.scored / t.scorable, 9),
    pctScored: expect.closeTo(t.pctScored, 9),
    unverified: t.unverified,
    areas: card.catalog.areas.map((a) => t.areas[a.id]?.total),
    winner: expect.stringContaining(`Winner: ${totals[0]?.vendor}`),
  }));

describe('poc scorecard (the CLI as a user runs it, the workbook as Excel users open it)', () => {
  const dir = tempDir('poc-e2e-scorecard-');
  const data = join(dir.path, '.poc');
  const answers = join(dir.path, 'answers.yaml');
  const out = join(dir.path, 'scorecard.xlsx');
  let card: Scorecard;
  let written: CliResult;

  beforeAll(async () => {
    // Real runs of two vendors: the storm, the signature attack and a small replay test each.
    for (const vendor of VENDORS) {
      for (const args of [
        ['webhook-storm', '--rate', '200', '--duration', '3s', '--grace', '10s'],
        ['signature-check'],
        ['replay-backfill', '--changes', '2000', '--outage-changes', '200'],
      ]) {
        const r = await runCli(
          ['run', args[0] as string, '--vendor', vendor, '--data-dir', data, ...args.slice(1)],
          {
            timeoutMs: 300_000,
          },
        );
        expect(r.code, `${vendor} ${args[0]}: ${r.stderr}`).toBe(0);
      }
    }
    writeFileSync(answers, ANSWERS);
    const catalog = loadCatalog();
    const store = new RunStore(data);
    card = buildScorecard(
      catalog,
      criterionKinds(catalog, evidenceOf),
      loadAnswers(answers, catalog),
      selectRuns(store, catalog, 'latest', VENDORS),
      VENDORS,
    );
    store.close();
    // The workbook (and its CSV and Markdown) every test reads, written as a user would.
    written = await runCli(['scorecard', '--answers', answers, '--out', out, '--data-dir', data]);
  }, 900_000);
  afterAll(() => dir.remove());

  it('writes the workbook, CSV and Markdown from those runs, and the workbook re-reads cleanly', async () => {
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toMatch(new RegExp(`1\\. ${card.totals[0]?.vendor}`));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Scores', 'Weights', 'Evidence', 'Method']);

    const scores = wb.getWorksheet('Scores') as ExcelJS.Worksheet;
    expect(scores.getRow(1).values).toEqual([
      undefined,
      'Criterion id',
      'Area',
      'Criterion',
      'Kind',
      'Weight',
      ...VENDORS,
    ]);
    const runIds = new Set(card.runs.map((x) => x.runId));
    card.catalog.criteria.forEach((c, i) => {
      const row = scores.getRow(2 + i);
      expect(row.getCell(1).value).toBe(c.id);
      VENDORS.forEach((v, j) => {
        const cell = row.getCell(6 + j);
        const model = card.cells.get(c.id)?.get(v);
        // What scores nothing is said in words, never a 0; unanswered manual cells are blank and yellow.
        const words = ['not measured', 'needs a live run', 'unverified'];
        expect(cell.value ?? null).toBe(
          model?.score ?? (words.includes(model?.status ?? '') ? model?.status : null),
        );
        expect(cell.dataValidation).toMatchObject({ type: 'whole', formulae: [0, 3] });
        if (c.manual) expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFF2CC');
        if (model?.status === 'measured' || model?.status === 'emulated') {
          const run = /in run (\S+) on the (mock|live)/.exec(String(cell.note))?.[1];
          expect(runIds.has(run as string), String(cell.note)).toBe(true);
        }
        if (model?.status === 'answered') expect(String(cell.note)).toContain('answered: ');
      });
    });
    expect(card.totals.every((t) => t.missing < card.catalog.criteria.length)).toBe(true);
    const weights = wb.getWorksheet('Weights') as ExcelJS.Worksheet;
    expect(weights.getCell('D2').dataValidation).toMatchObject({ type: 'whole', formulae: [1, 5] });
    const evidence = wb.getWorksheet('Evidence') as ExcelJS.Worksheet;
    expect(evidence.actualRowCount - 1).toBe(card.evidence.length);
    expect(card.evidence.length).toBeGreaterThan(10);
    const summary = wb.getWorksheet('Summary') as ExcelJS.Worksheet;
    // No picture of the totals as built: data bars on the live shares instead.
    expect(summary.getImages()).toHaveLength(0);
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1 });
    }
    expect(scores.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const csv = readFileSync(join(dir.path, 'scorecard.csv'), 'utf8');
    const total = csv.split('\n').find((l) => l.startsWith('total,'));
    expect(total).toBe(
      `total,,,,,${VENDORS.map((v) => card.totals.find((t) => t.vendor === v)?.total).join(',')}`,
    );
    expect(readFileSync(join(dir.path, 'scorecard.md'), 'utf8')).toContain(
      `**Winner: ${card.totals[0]?.vendor}**`,
    );
  });

  it('built from mock runs only, it scores no performance criterion and says so in its title line', async () => {
    expect(card.mockOnly).toBe(true);
    const service = card.catalog.criteria.filter((c) => card.kinds.get(c.id) === 'service');
    expect(service.map((c) => c.id)).toEqual(
      expect.arrayContaining(['webhooks.no_loss', 'webhooks.latency_p99']),
    );
    for (const c of service) {
      for (const v of VENDORS) expect(card.cells.get(c.id)?.get(v)?.score, `${c.id} ${v}`).toBeNull();
    }
    // The storms ran: their performance is there to see, and marked as not scoring.
    expect(card.cells.get('webhooks.no_loss')?.get('hubspot')?.status).toBe('needs a live run');
    const emulated = [...card.cells.values()]
      .flatMap((row) => [...row.values()])
      .filter((c) => c.status === 'emulated');
    expect(emulated.length).toBeGreaterThan(4);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const title = String((wb.getWorksheet('Summary') as ExcelJS.Worksheet).getCell('A1').value);
    expect(title).toMatch(/^CRM vendor scorecard, from mock runs only: no performance criterion is scored/);
    const scores = wb.getWorksheet('Scores') as ExcelJS.Worksheet;
    const row = 2 + card.catalog.criteria.findIndex((c) => c.id === 'webhooks.no_loss');
    expect(scores.getCell(row, 4).value).toBe('service');
    expect(scores.getCell(row, 6).value).toBe('needs a live run');
    const md = readFileSync(join(dir.path, 'scorecard.md'), 'utf8');
    expect(md.split('\n')[0]).toBe(`# ${title}`);
    expect(written.stdout.split('\n')[0]).toContain(
      'from mock runs only: no performance criterion is scored',
    );
    // Same options on both vendors: nothing to warn about.
    expect(card.incomparable).toEqual([]);
    expect(written.stdout).not.toContain('not comparable');
  });

  it('an answer with placeholder evidence is marked unverified on Scores and Evidence and adds nothing', async () => {
    expect(card.cells.get('observability.audit_log')?.get('pipedrive')).toMatchObject({
      score: null,
      status: 'unverified',
    });
    const catalog = loadCatalog();
    const withoutIt = new Map(loadAnswers(answers, catalog));
    const pipedrive = new Map(withoutIt.get('pipedrive'));
    pipedrive.delete('observability.audit_log');
    withoutIt.set('pipedrive', pipedrive);
    const other = buildScorecard(catalog, card.kinds, withoutIt, card.runs, VENDORS);
    expect(card.totals.map((t) => t.total)).toEqual(other.totals.map((t) => t.total));
    expect(card.totals.find((t) => t.vendor === 'pipedrive')?.unverified).toBe(1);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const scores = wb.getWorksheet('Scores') as ExcelJS.Worksheet;
    const row = 2 + card.catalog.criteria.findIndex((c) => c.id === 'observability.audit_log');
    expect(scores.getCell(row, 6 + VENDORS.indexOf('pipedrive')).value).toBe('unverified');
    const evidence = wb.getWorksheet('Evidence') as ExcelJS.Worksheet;
    const rows = evidence.getSheetValues().filter((r) => Array.isArray(r)) as ExcelJS.CellValue[][];
    const answerRow = rows.find((r) => r[1] === 'pipedrive' && r[2] === 'observability.audit_log');
    expect(String(answerRow?.[4])).toBe('unverified: the evidence is an example.com/.org/.net placeholder');
    expect(written.stdout).toMatch(/pipedrive .*1 unverified/);
  });

  it('Evidence carries each run’s options and a relative link to a copy of its report next to the workbook', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const evidence = wb.getWorksheet('Evidence') as ExcelJS.Worksheet;
    expect(evidence.getRow(1).values).toEqual([undefined, ...EVIDENCE_COLUMNS]);
    const column = (name: (typeof EVIDENCE_COLUMNS)[number]) => EVIDENCE_COLUMNS.indexOf(name) + 1;
    let links = 0;
    for (let r = 2; r <= evidence.actualRowCount; r++) {
      const row = evidence.getRow(r);
      const runId = row.getCell(column('Run id')).value;
      if (!runId) continue;
      const scenario = row.getCell(column('Scenario')).value;
      expect(typeof row.getCell(column('Time scale')).value).toBe('number');
      if (scenario === 'webhook-storm') {
        expect(String(row.getCell(column('Scenario options')).value)).toMatch(/(^| )rate=200( |$)/);
        expect(String(row.getCell(column('Scenario options')).value)).toContain('duration=3000');
      }
      const link = row.getCell(column('Run report')).value as ExcelJS.CellHyperlinkValue;
      expect(link.hyperlink).toBe(`reports/${runId}.html`);
      // Relative to the workbook: it opens wherever the folder is copied or mailed.
      const html = readFileSync(join(dir.path, link.hyperlink), 'utf8');
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain(String(runId));
      links++;
    }
    expect(links).toBeGreaterThan(10);
    expect(readdirSync(join(dir.path, 'reports')).sort()).toEqual(
      [...new Set(card.runs.map((r) => `${r.runId}.html`))].sort(),
    );
  });

  it('the Summary shows the shares as data bars that Excel and LibreOffice redraw, not as a picture', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const summary = wb.getWorksheet('Summary') as ExcelJS.Worksheet & {
      conditionalFormattings: { ref: string; rules: { type: string }[] }[];
    };
    const first = RANKED_HEAD + 1;
    const last = RANKED_HEAD + VENDORS.length;
    const bars = summary.conditionalFormattings.filter((f) => f.rules.some((r) => r.type === 'dataBar'));
    expect(bars.map((f) => f.ref).sort()).toEqual([`E${first}:E${last}`, `I${first}:I${last}`]);
    expect(summary.getImages()).toHaveLength(0);
  });

  it.runIf(requireTools(['soffice'], 'libreoffice-calc'))(
    'LibreOffice recalculates every total and subtotal to poc’s figures, and the ranking follows a changed weight',
    async () => {
      const recalculated = recalculate(out, join(dir.path, 'lo-1'));
      expect(await summaryRows(recalculated, card)).toEqual(expected(card, card.totals));

      // The weight that can most change the order: where the runner-up beats the leader most.
      const [first, second] = card.totals;
      const gap = (id: string) =>
        (card.cells.get(id)?.get(second?.vendor as string)?.score ?? 0) -
        (card.cells.get(id)?.get(first?.vendor as string)?.score ?? 0);
      const index = card.catalog.criteria.reduce(
        (best, c, i) => (gap(c.id) > gap(card.catalog.criteria[best]?.id as string) ? i : best),
        0,
      );
      const criterion = card.catalog.criteria[index] as (typeof card.catalog.criteria)[number];
      const newWeight = criterion.weight === 5 ? 1 : 5;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      (wb.getWorksheet('Weights') as ExcelJS.Worksheet).getCell(`D${2 + index}`).value = newWeight;
      const edited = join(dir.path, 'edited.xlsx');
      await wb.xlsx.writeFile(edited);

      const after = rank(card.catalog, card.vendors, card.cells, new Map([[criterion.id, newWeight]]));
      expect(after.map((t) => t.total)).not.toEqual(card.totals.map((t) => t.total));
      expect(await summaryRows(recalculate(edited, join(dir.path, 'lo-2')), card)).toEqual(
        expected(card, after),
      );
    },
    300_000,
  );

  it.runIf(requireTools(['soffice', 'pdftoppm'], 'libreoffice-calc poppler-utils'))(
    'scripts/scorecard-picture.sh renders the Summary sheet to a PNG a person can look at',
    () => {
      const png = join(dir.path, 'summary.png');
      execFileSync('bash', [join(import.meta.dirname, '../../scripts/scorecard-picture.sh'), out, png], {
        timeout: 120_000,
      });
      const bytes = readFileSync(png);
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(png).size).toBeGreaterThan(20_000);
    },
    180_000,
  );

  it('refuses bad weights and answers files with the file, line and fix, and never writes half a scorecard', async () => {
    const before = readFileSync(out);
    const weights = join(dir.path, 'weights.yaml');
    const good = readFileSync(join(import.meta.dirname, '../../scorecards/catalog.yaml'), 'utf8');
    const lines = good.split('\n');
    const at = lines.findIndex((l) => l.includes('weight: 4'));
    lines[at] = (lines[at] as string).replace('weight: 4', 'weight: 7');
    writeFileSync(weights, lines.join('\n'));
    const bad = await runCli(['scorecard', '--weights', weights, '--out', out, '--data-dir', data]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${weights}:${at + 1}: criteria[0].weight: must be 1..5`);

    writeFileSync(weights, good.replace('areas:', 'areas: [oops'));
    const syntax = await runCli(['scorecard', '--weights', weights, '--out', out, '--data-dir', data]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(new RegExp(`${weights}:\\d+: .*fix the YAML syntax`));

    const wrong = join(dir.path, 'wrong-answers.yaml');
    writeFileSync(
      wrong,
      'hubspot:\n  operations.sla: { score: 2, evidence: "MSA" }\n  security.certifications: { score: 4, evidence: "x" }\n',
    );
    const badScore = await runCli(['scorecard', '--answers', wrong, '--out', out, '--data-dir', data]);
    expect(badScore.code).toBe(2);
    expect(badScore.stderr).toContain(`${wrong}:3: hubspot.security.certifications.score: must be 0..3`);
    writeFileSync(wrong, 'hubspt:\n  operations.sla: { score: 2, evidence: "MSA" }\n');
    const typo = await runCli(['scorecard', '--answers', wrong, '--out', out, '--data-dir', data]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`${wrong}: hubspt: not a vendor id`);
    writeFileSync(
      weights,
      good.replace('        - { score: 0 }\n', '        - { score: 0, when: "== 0" }\n'),
    );
    const lastBand = await runCli(['scorecard', '--weights', weights, '--out', out, '--data-dir', data]);
    expect(lastBand.code).toBe(2);
    expect(lastBand.stderr).toContain('the last band must omit `when`');
    writeFileSync(wrong, 'hubspot:\n  webhooks.no_loss: { score: 2, evidence: "we think so" }\n');
    const notManual = await runCli(['scorecard', '--answers', wrong, '--out', out, '--data-dir', data]);
    expect(notManual.code).toBe(2);
    expect(notManual.stderr).toContain('hubspot.webhooks.no_loss: not a manual criterion');

    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(dir.path).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('init writes commented weights.yaml and a blank answers.yaml that changes no total, and will not overwrite them', async () => {
    const here = join(dir.path, 'team');
    execFileSync('mkdir', ['-p', here]);
    const init = await runCli(['scorecard', 'init', '--dir', here]);
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(here, 'weights.yaml'), 'utf8')).toMatch(/^# poc scorecard/);
    const template = readFileSync(join(here, 'answers.yaml'), 'utf8');
    // Every manual criterion for every vendor, blank, with its guide as a comment: a guide, not a value.
    const manual = card.catalog.criteria.filter((c) => c.manual);
    for (const v of ['hubspot', 'salesforce', 'pipedrive', 'zoho', 'dynamics']) {
      const block = template.split(/\n(?=\S)/).find((b) => b.startsWith(`${v}:`)) ?? '';
      for (const c of manual) {
        expect(block, `${v} ${c.id}`).toMatch(new RegExp(`\\n  ${c.id.replace('.', '\\.')}:\\n`));
        expect(block).toContain(`#   ${c.manual?.guide}`);
      }
    }
    // Nothing but comments carries a value: no invented score, no example.com evidence to win a ranking.
    const values = template.split('\n').filter((l) => !l.trimStart().startsWith('#') && /:\s*\S/.test(l));
    expect(values).toEqual([]);
    const again = await runCli(['scorecard', 'init', '--dir', here]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    const build = (name: string, extra: string[]) =>
      runCli([
        'scorecard',
        '--weights',
        join(here, 'weights.yaml'),
        ...extra,
        '--out',
        join(here, name),
        '--data-dir',
        data,
      ]);
    const withTemplate = await build('card.xlsx', ['--answers', join(here, 'answers.yaml')]);
    expect(withTemplate.code, withTemplate.stderr).toBe(0);
    const without = await build('plain.xlsx', []);
    expect(without.code, without.stderr).toBe(0);
    expect(existsSync(join(here, 'card.csv')) && existsSync(join(here, 'card.md'))).toBe(true);
    const totals = (csv: string) =>
      readFileSync(join(here, csv), 'utf8')
        .split('\n')
        .filter((l) => /^(total|rank|scored|unverified_answers),/.test(l));
    expect(totals('card.csv')).toEqual(totals('plain.csv'));
    expect(totals('card.csv')).toHaveLength(4);
  });
});
