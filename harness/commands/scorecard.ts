import { existsSync } from 'node:fs';
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { SCENARIOS } from '../../scenarios/index.js';
import { type Answers, defaultCatalogPath, loadAnswers, loadCatalog } from '../../scorecards/catalog.js';
import { buildScorecard } from '../../scorecards/model.js';
import { selectRuns } from '../../scorecards/runs.js';
import { scorecardCsv, scorecardMarkdown } from '../../scorecards/text.js';
import { scorecardWorkbook } from '../../scorecards/workbook.js';
import { PocError } from '../errors.js';
import { RunStore } from '../runs/run-store.js';
import { getVendor, VENDORS } from '../vendors/index.js';

export interface ScorecardFlags {
  runs: string;
  vendors?: string;
  weights?: string;
  answers?: string;
  out: string;
  dataDir: string;
}

/** The findings each scenario produces, for checking the rules of a weights file. */
const findingsOf = (scenario: string) => {
  const found = SCENARIOS[scenario];
  return found ? Object.keys(found.findings) : undefined;
};

/** Writes every file or none: each goes to a temporary name first, then all are renamed. */
async function writeAll(files: readonly (readonly [string, string | Buffer])[]): Promise<void> {
  const temps = files.map(([path]) => `${path}.tmp-${process.pid}`);
  try {
    await Promise.all(files.map(([, body], i) => writeFile(temps[i] as string, body)));
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--out: cannot write next to ${files[0]?.[0]}: ${(err as Error).message}`,
    );
  }
  try {
    for (const [i, [path]] of files.entries()) await rename(temps[i] as string, path);
  } catch (err) {
    // An open workbook (Excel locks it) refuses the rename: say so and leave no temporary file.
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--out: cannot replace ${files[0]?.[0]} (is it open in Excel?): ${(err as Error).message}`,
    );
  }
}

/** `poc scorecard`: runs + weights + answers -> scorecard.xlsx, .csv and .md. */
export async function scorecardCommand(flags: ScorecardFlags): Promise<string> {
  const catalog = loadCatalog(flags.weights ?? defaultCatalogPath(), findingsOf);
  const answers: Answers = flags.answers ? loadAnswers(flags.answers, catalog) : new Map();
  if (!flags.out.endsWith('.xlsx'))
    throw new PocError('POC_ERR_BAD_OPTION', `--out: "${flags.out}" must end in .xlsx`);
  if (!existsSync(dirname(flags.out) || '.'))
    throw new PocError('POC_ERR_BAD_OPTION', `--out: the folder ${dirname(flags.out)} does not exist`);
  const wanted = flags.vendors?.split(',').map((v) => getVendor(v.trim()).profile.id);
  const selection =
    flags.runs === 'latest'
      ? ('latest' as const)
      : flags.runs
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const store = new RunStore(flags.dataDir, { mode: 'read' });
  let runs: ReturnType<typeof selectRuns>;
  try {
    runs = selectRuns(store, catalog, selection, wanted);
  } finally {
    store.close();
  }
  // Vendors: as asked, else every vendor with a run or an answer, in the registry's order.
  const present = new Set([...runs.map((r) => r.vendor), ...answers.keys()]);
  const vendors = wanted ?? Object.keys(VENDORS).filter((v) => present.has(v));
  if (vendors.length === 0) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--runs: no finished run in ${flags.dataDir} and no answers to score; run a scenario first, e.g. poc run webhook-storm --vendor hubspot`,
    );
  }
  const card = buildScorecard(catalog, answers, runs, vendors);
  const base = join(dirname(flags.out), parse(flags.out).name);
  const files = [
    [flags.out, await scorecardWorkbook(card, flags.dataDir)],
    [`${base}.csv`, scorecardCsv(card)],
    [`${base}.md`, scorecardMarkdown(card)],
  ] as const;
  await writeAll(files);
  const lines = card.totals.map(
    (t) =>
      `  ${t.rank}. ${t.vendor.padEnd(12)} ${String(t.total).padStart(4)} / ${t.max}  ${(t.pct * 100).toFixed(1).padStart(5)} %${t.missing > 0 ? `  (${t.missing} not scored)` : ''}`,
  );
  return [
    `scorecard of ${vendors.length} vendor(s) from ${runs.length} run(s), ${catalog.criteria.length} criteria:`,
    ...lines,
    `wrote ${files.map(([p]) => p).join(', ')}`,
    '',
  ].join('\n');
}

/** `poc scorecard init`: the default weights and rules, and an answers template, to edit and version. */
export async function scorecardInitCommand(flags: { dir: string; force: boolean }): Promise<string> {
  const weights = join(flags.dir, 'weights.yaml');
  const answers = join(flags.dir, 'answers.yaml');
  for (const f of [weights, answers]) {
    if (existsSync(f) && !flags.force)
      throw new PocError('POC_ERR_BAD_OPTION', `--dir: ${f} exists; pass --force to overwrite it`);
  }
  const catalog = loadCatalog();
  const manual = catalog.criteria.filter((c) => c.manual);
  const template = [
    '# poc scorecard answers: the criteria people score, per vendor, with the evidence they read.',
    '# score: 0..3 (0 absent, 1 weak, 2 acceptable, 3 strong); evidence: a link, a document, a clause.',
    '# Unanswered criteria show as blank yellow cells and add nothing to a total.',
    '#',
    '# Criteria to answer:',
    ...manual.map((c) => `#   ${c.id}: ${c.title}\n#     ${c.manual?.guide}`),
    '',
    ...Object.keys(VENDORS).flatMap((v, i) => [
      `${i === 0 ? '' : '# '}${v}:`,
      ...manual.map(
        (c, j) =>
          `${i === 0 ? '' : '# '}  ${c.id}: { score: ${j % 2 === 0 ? 2 : 3}, evidence: "https://example.com/${v}/${c.id.split('.')[1]}", note: "replace with what you found" }`,
      ),
    ]),
    '',
  ].join('\n');
  await copyFile(defaultCatalogPath(), weights);
  await writeFile(answers, template);
  return `wrote ${weights} (criteria, weights 1..5 and rules) and ${answers} (manual scores); edit them, then:\n  poc scorecard --weights ${weights} --answers ${answers} --out scorecard.xlsx\n`;
}
