// Playbook overhead: what `poc playbook` costs beyond the runs it carries out. Runs `poc init`'s
// default plan (five scenarios on three mocks, small sizes) in a fresh folder and compares the
// playbook's wall time with the sum of its runs' own durations as the run store records them
// (store.begin to store.end: mock start-up, plan checks, report and scorecard writing are
// overhead), and with the sum of the same runs as separate `poc run` commands (what a team
// typing 15 commands would spend). Prints peak RSS of the playbook process.
//
//   npm run build && node bench/playbook.bench.js [--vendors hubspot,pipedrive] [--scenarios a,b] [--no-separate]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from './options.js';
import { runPoc, runPocJson } from './poc-cli.js';

const USAGE = `usage: node bench/playbook.bench.js [options]   (after npm run build)
  --vendors a,b      part of the default plan's vendors (default: all three)
  --scenarios a,b    part of its scenarios (default: all five)
  --no-separate      skip the baseline of separate poc run commands`;

const { values } = parseOptions(USAGE, {
  vendors: { type: 'string' },
  scenarios: { type: 'string' },
  'no-separate': { type: 'boolean', default: false },
});

/** The child reports its own peak RSS on exit (/usr/bin/time is not on every machine). */
const PEAK_RSS = [
  '--import',
  'data:text/javascript,process.on("exit",()=>process.stderr.write(`\\npeak-rss-kib ${process.resourceUsage().maxRSS}\\n`))',
];

async function timed(args, cwd) {
  const run = await runPoc(args, { cwd, nodeArgs: PEAK_RSS });
  return { ...run, peakRssKib: Number(/peak-rss-kib (\d+)/.exec(run.stderr)?.[1] ?? Number.NaN) };
}

const dir = mkdtempSync(join(tmpdir(), 'poc-bench-playbook-'));
try {
  await timed(['init'], dir);
  const pick = [
    ...(values.vendors ? ['--vendors', values.vendors] : []),
    ...(values.scenarios ? ['--scenarios', values.scenarios] : []),
  ];
  const playbook = await timed(['playbook', '--json', ...pick], dir);
  if (playbook.code !== 0 && playbook.code !== 99)
    throw new Error(`poc playbook exited ${playbook.code}: ${playbook.stderr}`);
  const out = JSON.parse(playbook.stdout);
  const { json: runs } = await runPocJson(['list', 'runs', '--data-dir', join(dir, '.poc')]);
  const mine = runs.filter((r) => r.playbookId === out.playbookId);
  const own = mine.reduce((sum, r) => sum + (Date.parse(r.endedAt) - Date.parse(r.startedAt)), 0);
  console.log(
    `playbook: ${mine.length} runs, wall ${(playbook.wallMs / 1000).toFixed(1)} s, peak RSS ${(playbook.peakRssKib / 1024).toFixed(0)} MiB`,
  );
  console.log(`  runs' own durations (run store): ${(own / 1000).toFixed(1)} s`);
  console.log(
    `  overhead vs the runs' own durations: ${(((playbook.wallMs - own) / own) * 100).toFixed(1)} % (aim: under 10 %)`,
  );
  if (!values['no-separate']) {
    let separate = 0;
    for (const run of out.runs) {
      const cell = await timed(
        [
          'run',
          run.scenario,
          '--vendor',
          run.vendor,
          '--config',
          'poc.yaml',
          '--data-dir',
          join(dir, 'separate'),
          '--json',
        ],
        dir,
      );
      if (cell.code !== 0 && cell.code !== 99)
        throw new Error(`poc run ${run.scenario} exited ${cell.code}: ${cell.stderr}`);
      separate += cell.wallMs;
    }
    console.log(
      `  the same runs as ${out.runs.length} separate poc run commands: ${(separate / 1000).toFixed(1)} s; playbook / separate = ${(playbook.wallMs / separate).toFixed(2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
