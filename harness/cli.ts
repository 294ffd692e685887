import { Argument, Command, CommanderError, Option } from 'commander';
import { EXIT, isPocError, PocError } from './errors.js';

// Heavy modules (fastify, sqlite, prom-client, scenarios) load inside each action, so --help and
// argument errors answer at once.

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveNumber(field: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new PocError('POC_ERR_BAD_OPTION', `${field}: "${value}" must be a positive number`);
    return n;
  };
}

function shareOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 1) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--max-quota-share: "${value}" must be a share above 0 and at most 1, e.g. 0.2`,
    );
  }
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--port: "${value}" must be an integer from 0 to 65535 (0 = any free port)`,
    );
  }
  return n;
}

/** The remote-write endpoint, from the flag or POC_PROMETHEUS_RW_URL (commander parses both). */
function remoteWriteUrl(value: string): string {
  const field = '--prometheus-rw (or POC_PROMETHEUS_RW_URL)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `${field}: not a URL; give the remote-write endpoint, e.g. http://127.0.0.1:9090/api/v1/write`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `${field}: must be an http:// or https:// URL, not ${url.protocol}`,
    );
  }
  // Not echoed: argv is visible to every process, and so would the credentials be.
  if (url.username || url.password) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `${field}: credentials do not belong in the URL; set POC_PROMETHEUS_RW_USERNAME and POC_PROMETHEUS_RW_PASSWORD, or POC_PROMETHEUS_RW_BEARER_TOKEN`,
    );
  }
  return url.href;
}

/**
 * Spans go out over OTLP/HTTP when the OTEL_* variables ask for it (README, Tracing); what the
 * batch processor holds is flushed before the process exits, on Ctrl-C and on errors too.
 */
async function withTracing<T>(command: () => Promise<T>): Promise<T> {
  const { shutdownTracing, startTracing, tracingConfigFromEnv } = await import('./telemetry/tracing.js');
  await startTracing(tracingConfigFromEnv(process.env));
  try {
    return await command();
  } finally {
    await shutdownTracing();
  }
}

/** First Ctrl-C aborts the run gracefully (results kept); a second one quits at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(
      '\ninterrupted: stopping the load and keeping what was measured (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  });
  return controller.signal;
}

export function buildProgram(): Command {
  const program = new Command('poc')
    .description(
      'Prove a CRM vendor before you buy it: webhook storms, rate limits, replay, signatures, scorecards.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage and examples)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  $ poc run webhook-storm --vendor hubspot                 # embedded mock, no account needed
  $ poc run webhook-storm --vendor hubspot --rate 2000 --duration 10s --fault duplicate=0.05,failure=0.02
  $ poc list runs
  $ poc show <run-id> --json

Exit codes: 0 ok, 1 run failed, 2 bad input, 99 a threshold failed, 130 interrupted (results kept).`,
    );

  program
    .command('run')
    .description('Run a scenario against a vendor (the embedded mock unless --live).')
    .argument('<scenario>', 'scenario id (poc list scenarios)')
    .requiredOption('--vendor <id>', 'vendor id (poc list vendors)')
    .option('--live', 'use the vendor’s sandbox; credentials come from env (see README)', false)
    .option(
      '--rate <events/s>',
      'webhook-storm: target events per second (default 1000)',
      positiveNumber('--rate'),
    )
    .option(
      '--pool-size <n>',
      'webhook-storm: records the storm updates in turn (default 1000)',
      positiveNumber('--pool-size'),
    )
    .option(
      '--api-share <share>',
      'webhook-storm: share of the documented API limit to use (default 0.8)',
      shareOption,
    )
    .option('--max-wait <time>', 'rate-limit-probe: longest wait for capacity to come back (default 3m)')
    .option('--history <time>', 'replay-backfill: simulated history before the outage (default 30d)')
    .option('--outage <time>', 'replay-backfill: how long the receiver is down (default 10m)')
    .option(
      '--changes <n>',
      'replay-backfill: changes in the history (default 50000); observability-mapping: records changed (default 100)',
      positiveNumber('--changes'),
    )
    .option(
      '--outage-changes <n>',
      'replay-backfill: changes made while the receiver is down (default 2000)',
      positiveNumber('--outage-changes'),
    )
    .option('--duration <time>', 'how long to drive load, e.g. 30s, 2m', '30s')
    .option('--grace <time>', 'how long to wait for late deliveries after the load stops', '30s')
    .option(
      '--time-scale <n>',
      'mock only: run the vendor’s clock n times faster (retry schedule, simulated outages); default 100, replay-backfill 600',
      positiveNumber('--time-scale'),
    )
    .option(
      '--fault <spec>',
      'mock only: inject faults, e.g. duplicate=0.05,failure=2%, latency=200ms,p=0.1, 5xx=0.02, outage=30s@10s, 429-storm=5s@20s, or flaky | regional-outage | retry-storm',
      collect,
      [],
    )
    .option(
      '--threshold <expr>',
      'fail (exit 99) unless the expression holds, e.g. webhook.latency_p99_ms<250',
      collect,
      [],
    )
    .option('--json', 'print the result as JSON on stdout', false)
    .option('--junit <file>', 'also write the checks as JUnit XML (a failed threshold is a failed test)')
    .option('--data-dir <dir>', 'where runs are stored', '.poc')
    .option('--receiver-port <port>', 'port of the reference receiver (0 = any free port)', port, 0)
    .option('--public-url <url>', 'live only: public URL that reaches the receiver (tunnel)')
    .option('--receiver-url <url>', 'signature-check: attack this receiver instead of the reference one')
    .option(
      '--max-requests <n>',
      'stop sending to the vendor API after n requests (retries count)',
      positiveNumber('--max-requests'),
    )
    .option(
      '--max-quota-share <share>',
      'spend at most this share of the vendor’s documented daily quota (default 0.2 with --live)',
      shareOption,
    )
    .addOption(
      new Option('--prometheus-rw <url>', 'stream the run’s metrics to a Prometheus remote-write endpoint')
        .env('POC_PROMETHEUS_RW_URL')
        .argParser(remoteWriteUrl),
    )
    .addOption(
      new Option('--prometheus-rw-interval <time>', 'push interval of --prometheus-rw (default 5s)').env(
        'POC_PROMETHEUS_RW_PUSH_INTERVAL',
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ poc run webhook-storm --vendor hubspot
  $ poc run webhook-storm --vendor hubspot --prometheus-rw http://127.0.0.1:9090/api/v1/write
  $ poc run webhook-storm --vendor hubspot --rate 2000 --duration 10s --fault duplicate=5%,failure=2%
  $ poc run webhook-storm --vendor hubspot --threshold 'webhook.latency_p99_ms<250' --json
  $ poc run replay-backfill --vendor salesforce --history 30d --outage 10m
  $ POC_HUBSPOT_ACCESS_TOKEN=... POC_HUBSPOT_CLIENT_SECRET=... \\
      poc run webhook-storm --vendor hubspot --live --public-url https://my-tunnel.example/webhooks/hubspot`,
    )
    .action(async (scenario: string, opts) => {
      const { runCommand } = await import('./commands/run.js');
      process.exitCode = await withTracing(() => runCommand(scenario, opts, interruptSignal()));
    });

  program
    .command('reconcile')
    .description('Compare a local store with a full vendor snapshot, field by field (the nightly check).')
    .requiredOption('--vendor <id>', 'vendor id (poc list vendors)')
    .option('--live', 'read the vendor’s records (credentials and base URL from env, see README)', false)
    .option(
      '--store <file>',
      'the local store: pipeline.db of `poc receiver` or of a run',
      '.poc/receiver/pipeline.db',
    )
    .option(
      '--repair',
      'make the local store match the snapshot (missing and stale applied, extras deleted)',
      false,
    )
    .option('--data-dir <dir>', 'where the result is stored as a run', '.poc')
    .option('--json', 'print the result as JSON on stdout', false)
    .option(
      '--threshold <expr>',
      'also fail (exit 99) unless the expression holds, e.g. reconcile.conflicts_count<10',
      collect,
      [],
    )
    .addHelpText(
      'after',
      `
Exit 0 when the store matches, 99 when records are missing, stale, extra or duplicated.

Examples:
  $ POC_HUBSPOT_ACCESS_TOKEN=... poc reconcile --vendor hubspot --live
  $ poc reconcile --vendor hubspot --live --store .poc/runs/<run-id>/pipeline.db --repair --json`,
    )
    .action(async (opts) => {
      const { reconcileCommand } = await import('./commands/reconcile.js');
      process.exitCode = await reconcileCommand(opts, interruptSignal());
    });

  const scorecard = program
    .command('scorecard')
    .description('Build the weighted scorecard workbook (xlsx, with CSV and Markdown) from stored runs.')
    .option(
      '--runs <ids>',
      'latest (newest run of each scenario per vendor) or run ids, comma-separated',
      'latest',
    )
    .option(
      '--vendors <ids>',
      'vendors to score, comma-separated (default: every vendor with runs or answers)',
    )
    .option('--weights <file>', 'criteria, weights and rules (default: the catalog shipped with poc)')
    .option('--answers <file>', 'manual scores with their evidence (answers.yaml)')
    .option('--out <file>', 'the workbook; .csv and .md are written next to it', 'scorecard.xlsx')
    .option('--data-dir <dir>', 'where runs are stored', '.poc')
    .addHelpText(
      'after',
      `
Examples:
  $ poc scorecard init                      # weights.yaml and answers.yaml to edit
  $ poc scorecard --weights weights.yaml --answers answers.yaml --out scorecard.xlsx
  $ poc scorecard --vendors hubspot,salesforce --runs 20261123-101500-a1b2c3,20261123-102000-d4e5f6`,
    )
    .action(async (opts) => {
      const { scorecardCommand } = await import('./commands/scorecard.js');
      process.stdout.write(await scorecardCommand(opts));
    });
  scorecard
    .command('init')
    .description('Write weights.yaml (criteria, weights, rules) and answers.yaml, commented, to edit.')
    .option('--dir <dir>', 'folder to write them in', '.')
    .option('--force', 'overwrite existing files', false)
    .action(async (opts) => {
      const { scorecardInitCommand } = await import('./commands/scorecard.js');
      process.stdout.write(await scorecardInitCommand(opts));
    });

  program
    .command('list')
    .description('List scenarios, vendors or stored runs.')
    .addArgument(
      new Argument('<what>', 'scenarios | vendors | runs').choices(['scenarios', 'vendors', 'runs']),
    )
    .option('--data-dir <dir>', 'where runs are stored', '.poc')
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExamples:\n  $ poc list scenarios\n  $ poc list runs --json')
    .action(async (what: 'scenarios' | 'vendors' | 'runs', opts) => {
      const { listCommand } = await import('./commands/list.js');
      process.stdout.write(await listCommand(what, opts));
    });

  program
    .command('show')
    .description('Show one stored run: config, findings and checks.')
    .argument('<run-id>', 'a run id from poc list runs')
    .option('--data-dir <dir>', 'where runs are stored', '.poc')
    .option('--json', 'print JSON', false)
    .addHelpText(
      'after',
      '\nExamples:\n  $ poc show 20261123-174512-3fa9c1\n  $ poc show 20261123-174512-3fa9c1 --json',
    )
    .action(async (runId: string, opts) => {
      const { showCommand } = await import('./commands/show.js');
      process.stdout.write(await showCommand(runId, opts));
    });

  program
    .command('compare')
    .description('Compare two stored runs finding by finding: delta and better/worse/same, noise ignored.')
    .argument('<run-a>', 'the baseline run id')
    .argument('<run-b>', 'the run to judge against it')
    .option('--data-dir <dir>', 'where runs are stored', '.poc')
    .option('--json', 'print JSON', false)
    .option(
      '--html <file>',
      'also write a self-contained HTML page: the findings and both runs’ charts overlaid',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ poc compare 20261123-174512-3fa9c1 20261124-091003-77be02\n  $ poc compare <a> <b> --json\n  $ poc compare <a> <b> --html compare.html',
    )
    .action(async (a: string, b: string, opts) => {
      const { compareCommand } = await import('./commands/compare.js');
      process.stdout.write(await compareCommand(a, b, opts));
    });

  program
    .command('plan')
    .description('Plan work against a vendor’s limits.')
    .addHelpText('after', '\nExamples:\n  $ poc plan migration --vendor hubspot --records 2000000')
    .command('migration')
    .description('API calls, time and daily quota an initial import needs, with the arithmetic shown.')
    .requiredOption('--vendor <id>', 'vendor id (poc list vendors)')
    .requiredOption('--records <n>', 'records per object type', positiveNumber('--records'))
    .option('--objects <list>', 'object types: contacts, companies, deals', 'contacts')
    .option('--headroom <share>', 'share of the limits the import may use', shareOption, 0.8)
    .option('--data-dir <dir>', 'run store with earlier rate-limit-probe runs', '.poc')
    .option('--json', 'print JSON', false)
    .addHelpText(
      'after',
      '\nUses the sustained rate measured by the latest rate-limit-probe run of the vendor when there is one,\nthe documented limits otherwise.\n\nExamples:\n  $ poc plan migration --vendor hubspot --records 2000000\n  $ poc plan migration --vendor salesforce --records 2000000 --objects contacts,deals --json',
    )
    .action(async (opts) => {
      const { planMigrationCommand } = await import('./commands/plan.js');
      process.stdout.write(await planMigrationCommand(opts));
    });

  program
    .command('doctor')
    .description('Check connectivity, credentials and scopes for a vendor, and say what is missing.')
    .requiredOption('--vendor <id>', 'vendor id (poc list vendors)')
    .option('--live', 'check the vendor’s sandbox with the credentials in env', false)
    .addHelpText(
      'after',
      '\nExamples:\n  $ poc doctor --vendor hubspot\n  $ POC_HUBSPOT_ACCESS_TOKEN=... POC_HUBSPOT_CLIENT_SECRET=... poc doctor --vendor hubspot --live',
    )
    .action(async (opts) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      process.exitCode = await doctorCommand(opts, (line) => process.stdout.write(`${line}\n`));
    });

  program
    .command('mock-vendor')
    .description('Serve an emulated vendor (API, limits, webhook delivery, faults) on loopback.')
    .requiredOption('--vendor <id>', 'vendor profile to emulate')
    .option('--port <port>', 'port to listen on (0 = any free port)', port, 4010)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--time-scale <n>',
      'compress the vendor’s retry schedule n times',
      positiveNumber('--time-scale'),
      1,
    )
    .option(
      '--fault <spec>',
      'inject faults, e.g. duplicate=0.05,failure=2%, latency=200ms,p=0.1, 5xx=0.02, outage=30s@10s, 429-storm=5s@20s, or flaky | regional-outage | retry-storm',
      collect,
      [],
    )
    .option('--data-dir <dir>', 'where generated credentials are written', '.poc')
    .option(
      '--seed-records <n>',
      'start with n messy, realistic contacts (fixed faker seed)',
      positiveNumber('--seed-records'),
    )
    .addOption(
      new Option('--signature-version <v>', 'webhook signature scheme the mock sends (HubSpot: v1, v2, v3)')
        .choices(['v1', 'v2', 'v3'])
        .default('v3'),
    )
    .addOption(new Option('--ready-line', 'print one JSON line when listening (used by poc run)').hideHelp())
    .addHelpText(
      'after',
      `
Credentials: POC_MOCK_TOKEN (API bearer token) and POC_MOCK_WEBHOOK_SECRET (webhook signing secret);
when unset, random ones are written to <data-dir>/mock-credentials.json (mode 600).

Examples:
  $ poc mock-vendor --vendor hubspot --port 4010
  $ poc mock-vendor --vendor hubspot --fault duplicate=0.05 --fault failure=0.02 --time-scale 1000`,
    )
    .action(async (opts) => {
      const { mockVendorCommand } = await import('./commands/mock-vendor.js');
      await mockVendorCommand(opts);
    });

  program
    .command('receiver')
    .description('Serve the reference webhook receiver (verify, dedupe, durable queue, processor).')
    .requiredOption('--vendor <id>', 'vendor whose webhooks it receives')
    .option('--port <port>', 'port to listen on', port, 8080)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'folder for pipeline.db', '.poc/receiver')
    .option(
      '--public-url <url>',
      'the URL the vendor posts to, if it differs from the Host header (proxy, tunnel)',
    )
    .addOption(
      new Option(
        '--durability <mode>',
        'fsync each commit (power-loss) or leave it to the OS (process-crash)',
      )
        .choices(['power-loss', 'process-crash'])
        .default('power-loss'),
    )
    .option(
      '--accept-legacy-signatures',
      'also accept HubSpot v1/v2 signatures (no timestamp: replays cannot be refused)',
      false,
    )
    .addHelpText(
      'after',
      `
The signing secret comes from the vendor's env variable (HubSpot: POC_HUBSPOT_CLIENT_SECRET, or
POC_HUBSPOT_CLIENT_SECRET_FILE). Webhooks are accepted at /webhooks/<vendor>; metrics at /metrics.

Examples:
  $ POC_HUBSPOT_CLIENT_SECRET=... poc receiver --vendor hubspot --port 8080`,
    )
    .action(async (opts) => {
      const { receiverCommand } = await import('./commands/receiver.js');
      await withTracing(() => receiverCommand(opts));
    });

  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; commander already printed what it had to say.
      process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    if (isPocError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\nhint: ${err.hint}\n`);
      process.exit(err.exitCode);
    }
    process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(EXIT.failed);
  }
}

await main(process.argv);
