// Scorecard benchmark: how long does `poc scorecard` take to build the workbook (and its CSV and
// Markdown) for 5 vendors x the full criteria catalog x 50 runs each? Aim: under 2 s. The runs
// are real run-store rows with findings for every measured criterion, written here first.
//
//   npm run build && node bench/scorecard.bench.js [--vendors 5] [--runs 50]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scorecardCommand } from '../dist/harness/commands/scorecard.js';
import { RunStore } from '../dist/harness/runs/run-store.js';
import { loadCatalog } from '../dist/scorecards/catalog.js';
import { parseOptions } from './options.js';

const USAGE = `usage: node bench/scorecard.bench.js [options]   (after npm run build)
  --vendors N        how many vendors, of hubspot, salesforce, pipedrive, zoho, dynamics, standard (default 5)
  --runs N           runs per vendor (default 50)`;
const { values } = parseOptions(USAGE, {
  vendors: { type: 'string', default: '5' },
  runs: { type: 'string', default: '50' },
});
const VENDORS = ['hubspot', 'salesforce', 'pipedrive', 'zoho', 'dynamics', 'standard'].slice(
  0,
  Number(values.vendors),
);
const RUNS = Number(values.runs);

const dir = mkdtempSync(join(tmpdir(), 'poc-bench-scorecard-'));
try {
  const catalog = loadCatalog();
  const byScenario = new Map();
  for (const c of catalog.criteria) {
    if (!c.measured) continue;
    const keys = c.measured.finding ? [c.measured.finding] : [c.measured.ratio.of, c.measured.ratio.to];
    byScenario.set(c.measured.scenario, [...(byScenario.get(c.measured.scenario) ?? []), ...keys]);
  }
  const scenarios = [...byScenario.keys()];
  const store = new RunStore(dir);
  const ids = [];
  let seed = 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  for (const vendor of VENDORS) {
    for (let i = 0; i < RUNS; i++) {
      const scenario = scenarios[i % scenarios.length];
      const id = store.begin({ scenario, vendor, target: 'mock', config: {} }, `bench-${vendor}-${i}`);
      const findings = [...new Set(byScenario.get(scenario))].map((key) => ({
        key,
        value: Math.round(random() * 3 * 1000) / 1000,
        unit: '',
        evidence: 'bench',
      }));
      store.end(id, 'passed', findings, [], { notes: [], tables: [] });
      ids.push(id);
    }
  }
  store.close();
  const out = join(dir, 'scorecard.xlsx');
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    await scorecardCommand({ runs: ids.join(','), vendors: VENDORS.join(','), out, dataDir: dir });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const best = Math.min(...times);
  const median = times.sort((a, b) => a - b)[2];
  console.log(
    `scorecard: ${VENDORS.length} vendors x ${catalog.criteria.length} criteria x ${RUNS} runs each (${ids.length} runs): ` +
      `build ${median.toFixed(0)} ms median of 5 (best ${best.toFixed(0)} ms), workbook ${Math.round(statSync(out).size / 1024)} KiB; aim < 2000 ms: ${median < 2000 ? 'met' : 'not met'}`,
  );
  console.log(`peak RSS: ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
