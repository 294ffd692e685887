// Storm rate benchmark: how close does webhook-storm come to the rate it is asked for, per vendor?
// The same storms as test/e2e/storm.test.ts (HubSpot: 2000 events/s for 10 s with 5 % duplicates
// and 2 % failed deliveries) and test/e2e/storm-vendors.test.ts (every other profile: 300
// events/s for 5 s), run through the built CLI. The tests only check that the rate was held
// roughly, on a machine that may be loaded; the exact ratio is measured here.
//
//   npm run build && node bench/storm-rate.bench.js [--runs 1] [--vendors hubspot,zoho]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from './options.js';
import { median, runPocJson } from './poc-cli.js';

/** Each vendor's storm, as its e2e test runs it, and the ratio that test asked for before. */
const STORMS = {
  hubspot: {
    args: ['--rate', '2000', '--duration', '10s', '--fault', 'duplicate=0.05,failure=0.02'],
    aim: 0.99,
  },
  pipedrive: { args: ['--rate', '300', '--duration', '5s'], aim: 0.95 },
  zoho: { args: ['--rate', '300', '--duration', '5s'], aim: 0.95 },
  dynamics: { args: ['--rate', '300', '--duration', '5s'], aim: 0.95 },
  salesforce: { args: ['--rate', '300', '--duration', '5s'], aim: 0.95 },
  standard: { args: ['--rate', '300', '--duration', '5s'], aim: 0.95 },
};
const USAGE = `usage: node bench/storm-rate.bench.js [options]   (after npm run build)
  --runs N         storms per vendor (default 1)
  --vendors a,b    vendor profiles (default ${Object.keys(STORMS).join(',')})`;

function options() {
  const { values } = parseOptions(USAGE, {
    runs: { type: 'string', default: '1' },
    vendors: { type: 'string', default: Object.keys(STORMS).join(',') },
  });
  const runs = Number(values.runs);
  const vendors = values.vendors.split(',').filter(Boolean);
  const unknown = vendors.filter((v) => !STORMS[v]);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs must be a whole number from 1\n${USAGE}`);
    process.exit(2);
  }
  if (unknown.length > 0) {
    console.error(`--vendors: no storm for ${unknown.join(', ')}; use ${Object.keys(STORMS).join(', ')}`);
    process.exit(2);
  }
  return { runs, vendors };
}

const opts = options();
const dir = mkdtempSync(join(tmpdir(), 'poc-bench-storm-'));
const ratios = new Map(opts.vendors.map((v) => [v, []]));
try {
  for (let run = 1; run <= opts.runs; run++) {
    for (const vendor of opts.vendors) {
      const { json } = await runPocJson([
        'run',
        'webhook-storm',
        '--vendor',
        vendor,
        ...STORMS[vendor].args,
        '--data-dir',
        dir,
      ]);
      const f = (key) => json.findings[key]?.value ?? Number.NaN;
      ratios.get(vendor).push(f('webhook.achieved_rate_ratio'));
      console.log(
        `run ${run} ${vendor.padEnd(10)} ${STORMS[vendor].args.join(' ')}: achieved ${f('webhook.achieved_rate_per_s').toFixed(1)}/s, ` +
          `ratio ${f('webhook.achieved_rate_ratio').toFixed(4)}, sent ${f('webhook.events_sent_count')}, ` +
          `loss ${f('webhook.loss_count')}, duplicates applied ${f('webhook.duplicates_applied_count')}, status ${json.status}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nachieved-rate ratio per vendor over ${opts.runs} run(s): median, worst (aim)`);
for (const [vendor, list] of ratios) {
  const worst = Math.min(...list);
  const aim = STORMS[vendor].aim;
  console.log(
    `${vendor.padEnd(10)} ${median(list).toFixed(4)}  ${worst.toFixed(4)}  (>= ${aim}: ${worst >= aim ? 'met' : 'not met'})`,
  );
}
