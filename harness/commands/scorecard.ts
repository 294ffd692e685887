import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { renderRunReport } from '../../reports/html-report.js';
import { SCENARIOS } from '../../scenarios/index.js';
import { type Answers, answersTemplate, loadAnswers } from '../../scorecards/answers.js';
import { defaultCatalogPath, loadCatalog } from '../../scorecards/catalog.js';
import { criterionKinds, type EvidenceOf } from '../../scorecards/evidence-kind.js';
import { MOCK_ONLY, scorecardWarnings } from '../../scorecards/headline.js';
import { buildScorecard, type Scorecard } from '../../scorecards/model.js';
import { selectRuns } from '../../scorecards/runs.js';
import { scorecardCsv, scorecardMarkdown } from '../../scorecards/text.js';
import { scorecardWorkbook } from '../../scorecards/workbook.js';
import { PocError } from '../errors.js';
import { RunStore } from '../runs/run-store.js';
import { getVendor, VENDORS } from '../vendors/index.js';

export interface ScorecardFlags {
  /** `latest` when neither --runs nor --playbook is given. */
  runs?: string;
  playbook?: string;
  vendors?: string;
  weights?: string;
  answers?: string;
  out: string;
  dataDir: string;
}

/** What `writeScorecard` builds from: the runs (exact ids, or the latest of each), weights, answers. */
export interface ScorecardInput {
  readonly dataDir: string;
  /** Exactly these runs (`poc playbook` passes its own), or `latest` of each scenario per vendor. */
  readonly runIds: readonly string[] | 'latest';
  /** Vendors to score, in this order (default: every vendor with a run or an answer). */
  readonly vendors?: readonly string[];
  readonly weightsPath?: string;
  readonly answersPath?: string;
  /** The workbook, ending in .xlsx; .csv, .md and reports/ are written next to it. */
  readonly out: string;
}

export interface WrittenScorecard {
  /** What the CLI prints: the ranking, coverage, warnings and the files. */
  readonly text: string;
  readonly card: Scorecard;
  /** Every file written: the workbook, the CSV, the Markdown and each run's report copy. */
  readonly files: readonly string[];
}

/** The findings each scenario produces, for checking the rules of a weights file. */
const findingsOf = (scenario: string) => {
  const found = SCENARIOS[scenario];
  return found ? Object.keys(found.findings) : undefined;
};

/** What a scenario's finding is evidence of, from the finding vocabulary. */
export const evidenceOf: EvidenceOf = (scenario, finding) => SCENARIOS[scenario]?.findings[finding]?.evidence;

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

/**
 * Each run's report.html, to copy into reports/ next to the workbook: the workbook links to it
 * relatively, so the link still opens when the folder is mailed or zipped. A run whose report
 * was never written (an older poc, a full disk) gets one rendered from the run store now.
 */
function runReports(
  store: RunStore,
  dataDir: string,
  runIds: readonly string[],
): Map<string, string | Buffer> {
  const out = new Map<string, string | Buffer>();
  for (const id of runIds) {
    const file = join(dataDir, 'runs', id, 'report.html');
    out.set(id, existsSync(file) ? readFileSync(file) : renderRunReport(store.get(id), store.series(id)));
  }
  return out;
}

/** The CLI's lines: ranking with coverage and % of what was scored, then every warning. */
function summaryText(card: Scorecard, files: readonly string[]): string {
  const lines = card.totals.map(
    (t) =>
      `  ${t.rank}. ${t.vendor.padEnd(12)} ${String(t.total).padStart(4)} / ${t.max}  ${(t.pct * 100).toFixed(1).padStart(5)} %  coverage ${t.scored}/${t.scorable}, ${(t.pctScored * 100).toFixed(1)} % of what was scored${t.unverified > 0 ? `, ${t.unverified} unverified` : ''}`,
  );
  return [
    `scorecard of ${card.vendors.length} vendor(s) from ${card.runs.length} run(s), ${card.catalog.criteria.length} criteria${card.mockOnly ? `, ${MOCK_ONLY}` : ''}:`,
    ...lines,
    ...scorecardWarnings(card).map((w) => `warning: ${w}`),
    `wrote ${files.slice(0, 3).join(', ')}${files.length > 3 ? ` and ${files.length - 3} run report(s) in ${join(dirname(files[0] as string), 'reports')}` : ''}`,
    '',
  ].join('\n');
}

/**
 * Builds the scorecard from the given runs, weights and answers and writes the workbook, its CSV
 * and Markdown, and a copy of each run's report (reports/<run-id>.html) next to them: all or
 * nothing. What `poc scorecard` and `poc playbook` both call. Throws POC_ERR_BAD_OPTION or
 * POC_ERR_BAD_CONFIG (a bad weights or answers file) before anything is written.
 */
export async function writeScorecard(input: ScorecardInput): Promise<WrittenScorecard> {
  const weightsPath = input.weightsPath ?? defaultCatalogPath();
  const catalog = loadCatalog(weightsPath, findingsOf);
  const kinds = criterionKinds(catalog, evidenceOf, weightsPath);
  const answers: Answers = input.answersPath ? loadAnswers(input.answersPath, catalog) : new Map();
  if (!input.out.endsWith('.xlsx'))
    throw new PocError('POC_ERR_BAD_OPTION', `--out: "${input.out}" must end in .xlsx`);
  const outDir = dirname(input.out) || '.';
  if (!existsSync(outDir))
    throw new PocError('POC_ERR_BAD_OPTION', `--out: the folder ${outDir} does not exist`);
  const wanted = input.vendors?.map((v) => getVendor(v.trim()).profile.id);
  const store = new RunStore(input.dataDir, { mode: 'read' });
  let runs: ReturnType<typeof selectRuns>;
  let reports: Map<string, string | Buffer>;
  try {
    runs = selectRuns(store, catalog, input.runIds, wanted);
    reports = runReports(
      store,
      input.dataDir,
      runs.map((r) => r.runId),
    );
  } finally {
    store.close();
  }
  // Vendors: as asked (one asked for with no run and no answer is left out, and said so), else
  // every vendor with a run or an answer, in the registry's order.
  const present = new Set([...runs.map((r) => r.vendor), ...answers.keys()]);
  const vendors = wanted ?? Object.keys(VENDORS).filter((v) => present.has(v));
  const card = buildScorecard(catalog, kinds, answers, runs, vendors);
  if (card.vendors.length === 0) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--runs: no finished run in ${input.dataDir} and no answers to score${wanted ? ` for ${wanted.join(', ')}` : ''}; run a scenario first, e.g. poc run webhook-storm --vendor hubspot`,
    );
  }
  const link = (id: string) => (reports.has(id) ? `reports/${id}.html` : undefined);
  const base = join(outDir, parse(input.out).name);
  const files: [string, string | Buffer][] = [
    [input.out, await scorecardWorkbook(card, link)],
    [`${base}.csv`, scorecardCsv(card)],
    [`${base}.md`, scorecardMarkdown(card, link)],
  ];
  if (reports.size > 0) await mkdir(join(outDir, 'reports'), { recursive: true });
  for (const [id, body] of reports) files.push([join(outDir, 'reports', `${id}.html`), body]);
  await writeAll(files);
  const written = files.map(([p]) => p);
  return { text: summaryText(card, written), card, files: written };
}

/** `poc scorecard`: runs + weights + answers -> scorecard.xlsx, .csv, .md and the runs' reports. */
export async function scorecardCommand(flags: ScorecardFlags): Promise<string> {
  if (flags.playbook !== undefined) return playbookScorecardCommand(flags, flags.playbook);
  const runs = flags.runs ?? 'latest';
  const runIds =
    runs === 'latest'
      ? ('latest' as const)
      : runs
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  const vendors = flags.vendors?.split(',').map((v) => v.trim());
  const { text } = await writeScorecard({
    dataDir: flags.dataDir,
    runIds,
    out: flags.out,
    ...(vendors ? { vendors } : {}),
    ...(flags.weights ? { weightsPath: flags.weights } : {}),
    ...(flags.answers ? { answersPath: flags.answers } : {}),
  });
  return text;
}

/** `poc scorecard --playbook <id>`: that playbook's finished runs and vendors, nothing else. */
async function playbookScorecardCommand(flags: ScorecardFlags, ref: string): Promise<string> {
  if (flags.runs !== undefined || flags.vendors !== undefined)
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      '--playbook: the runs and vendors are the playbook’s; drop --runs and --vendors',
    );
  const { finishedRunsOfPlaybook } = await import('./playbook-scorecard.js');
  const store = new RunStore(flags.dataDir, { mode: 'read' });
  let runIds: string[];
  let vendors: readonly string[];
  try {
    const playbook = store.getPlaybook(ref);
    runIds = finishedRunsOfPlaybook(store, playbook.id);
    vendors = playbook.vendors;
  } finally {
    store.close();
  }
  if (runIds.length === 0)
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--playbook: no run of ${ref} finished, so nothing can be scored`,
    );
  const { text } = await writeScorecard({
    dataDir: flags.dataDir,
    runIds,
    vendors,
    out: flags.out,
    ...(flags.weights ? { weightsPath: flags.weights } : {}),
    ...(flags.answers ? { answersPath: flags.answers } : {}),
  });
  return text;
}

/** `poc scorecard init`: the default weights and rules, and a blank answers template, to edit and version. */
export async function scorecardInitCommand(flags: { dir: string; force: boolean }): Promise<string> {
  const weights = join(flags.dir, 'weights.yaml');
  const answers = join(flags.dir, 'answers.yaml');
  for (const f of [weights, answers]) {
    if (existsSync(f) && !flags.force)
      throw new PocError('POC_ERR_BAD_OPTION', `--dir: ${f} exists; pass --force to overwrite it`);
  }
  await copyFile(defaultCatalogPath(), weights);
  await writeFile(answers, answersTemplate(loadCatalog(), Object.keys(VENDORS)));
  return `wrote ${weights} (criteria, weights 1..5 and rules) and ${answers} (manual criteria, blank: fill in score and evidence); edit them, then:\n  poc scorecard --weights ${weights} --answers ${answers} --out scorecard.xlsx\n`;
}
