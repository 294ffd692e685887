import { Argument, Command, CommanderError, Option } from 'commander';
import { SCENARIOS } from '../scenarios/index.js';
import { addFlags, type FlagField, givenFlags } from './config/flags.js';
import { runFlagFields } from './config/run-config.js';
import { mockVendorOptions, receiverOptions } from './config/server-options.js';
import { resolveVendorCommand, vendorCommandFields } from './config/vendor-command.js';
import { EXIT, isPocError, PocError } from './errors.js';
import type { Scenario } from './scenario.js';

// Heavy modules (fastify, sqlite, prom-client, scenarios) load inside each action, so --help and
// argument errors answer at once.

/** --data-dir of the commands that read or add to the run store; POC_DATA_DIR as for poc run. */
function dataDirOption(description: string): Option {
  return new Option('--data-dir <dir>', description).default('.poc').env('POC_DATA_DIR');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Records to plan for: a whole number a CRM can hold (1e30 is a typo, not a migration). */
function recordCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > 1e12)
    throw new PocError('POC_ERR_BAD_OPTION', `--records: "${value}" must be a whole number from 1 to 10^12`);
  return n;
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

/**
 * First Ctrl-C aborts the run gracefully (results kept); a second one quits at once. SIGTERM
 * (what `timeout`, CI runners and systemd send) is a Ctrl-C too: the run is stored, not lost.
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(
      `\ninterrupted (${signal}): stopping the load and keeping what was measured (Ctrl-C again to quit now)\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  return controller.signal;
}

/**
 * `poc run <scenario>`: one subcommand per scenario, its options generated from the scenario's
 * schema (harness/config). Every other scenario's options are declared too, hidden, so that one
 * given to the wrong scenario is named and refused rather than mistaken for a typo.
 */
function addRunCommand(program: Command, scenarios: readonly Scenario[]): void {
  const run = program
    .command('run')
    .description('Run a scenario against a vendor (the embedded mock unless --live).')
    .argument('[scenario]', 'scenario id (poc list scenarios)')
    // An unknown scenario lands here with its options: name the scenario, not the options.
    .allowUnknownOption()
    .allowExcessArguments()
    .addHelpText(
      'after',
      `
Each scenario has its own options: poc run <scenario> --help lists them with their defaults.

Examples:
  $ poc run webhook-storm --vendor hubspot
  $ poc run webhook-storm --vendor hubspot --prometheus-rw http://127.0.0.1:9090/api/v1/write
  $ poc run webhook-storm --vendor hubspot --rate 2000 --duration 10s --fault duplicate=5%,failure=2%
  $ poc run webhook-storm --vendor hubspot --threshold 'webhook.latency_p99_ms<250' --json
  $ poc run webhook-storm --vendor hubspot --threshold 'webhook.loss_ratio: rate<1%, abortOnFail' --tag team=integrations
  $ POC_RATE=2000 POC_DURATION=10s poc run webhook-storm --vendor hubspot --summary-export summary.json
  $ poc run replay-backfill --vendor salesforce --history 30d --outage 10m
  $ POC_HUBSPOT_ACCESS_TOKEN=... POC_HUBSPOT_CLIENT_SECRET=... \\
      poc run webhook-storm --vendor hubspot --live --public-url https://my-tunnel.example/webhooks/hubspot`,
    )
    .action((scenario: string | undefined) => {
      if (scenario === undefined) {
        run.help();
        return;
      }
      throw new PocError(
        'POC_ERR_UNKNOWN_SCENARIO',
        `unknown scenario "${scenario}"; known: ${scenarios.map((s) => s.id).join(', ')}`,
      );
    });
  for (const scenario of scenarios) {
    const fields = runFlagFields(scenario);
    const foreign = new Map<string, FlagField>();
    for (const other of scenarios) {
      for (const field of runFlagFields(other))
        if (!fields.some((f) => f.flag === field.flag) && !foreign.has(field.flag))
          foreign.set(field.flag, field);
    }
    const command = run
      .command(scenario.id)
      .description(scenario.summary)
      .addHelpText(
        'after',
        `\nFindings (for --threshold):\n${wrapList(Object.keys(scenario.findings), '  ')}\n${THRESHOLD_HELP}${abortHelp(scenario)}\nEvery flag can also be set through its POC_* variable (shown with it); a flag wins.\n\nExamples:\n  $ poc run ${scenario.id} --vendor hubspot\n  $ poc run ${scenario.id} --vendor hubspot --json`,
      );
    addFlags(command, fields);
    command.option(
      '--config <file>',
      'read this scenario’s options for --vendor from a plan (poc.yaml); flags and POC_* variables win (env: POC_CONFIG)',
    );
    addFlags(command, [...foreign.values()], { hidden: true });
    command.action(async (opts: { config?: string }, cmd: Command) => {
      const { runCommand } = await import('./commands/run.js');
      const flags = givenFlags(cmd, [...fields, ...foreign.values()]);
      const config = opts.config ?? (process.env.POC_CONFIG || undefined);
      process.exitCode = await withTracing(() => runCommand(scenario, flags, interruptSignal(), config));
    });
  }
}

/**
 * A server command that takes a vendor (`poc mock-vendor`, `poc receiver`): its options and the
 * vendors' own (HubSpot's signature versions) generated from their schemas, resolved in one go.
 */
function addVendorServerCommand(
  program: Command,
  spec: {
    readonly name: string;
    readonly part: 'mock' | 'receiver';
    readonly schema: typeof mockVendorOptions | typeof receiverOptions;
    readonly description: string;
    readonly help: string;
    readonly run: (config: Readonly<Record<string, unknown>>) => Promise<void>;
  },
): void {
  const { fields, owners } = vendorCommandFields(spec.schema, spec.part);
  const command = program.command(spec.name).description(spec.description).addHelpText('after', spec.help);
  addFlags(command, fields, { owners });
  command.action(async (_opts, cmd: Command) => {
    const { VENDORS } = await import('./vendors/index.js');
    await spec.run(
      resolveVendorCommand(
        spec.schema,
        spec.part,
        givenFlags(cmd, fields),
        Object.keys(VENDORS),
        process.env,
      ),
    );
  });
}

/** The exact --threshold grammar, under each scenario's findings. */
const THRESHOLD_HELP = `
Thresholds (--threshold, repeatable; any that fails exits 99):
  <finding><op><number>                          webhook.latency_p99_ms<250
  <finding>: <aggregation><op><number>[unit]     k6's spelling: webhook.latency_p99_ms: p(99)<250ms
  ... , abortOnFail[, delayAbortEval=<time>]     stop the run at the first breach (after the delay)
  ops: < <= > >= == === !=
  aggregation must be what the finding holds: p(N) / med / min / max / avg on the finding named
  so (…_p99_…), rate on a ratio, count on a count, value on any finding
  units: ms, s, m on time findings (a bare number is in the finding's unit); % on a ratio
`;

/** Which findings an abortOnFail threshold may name in this scenario. */
function abortHelp(scenario: Scenario): string {
  const interim = scenario.interimFindings ?? [];
  return interim.length > 0
    ? `  abortOnFail applies to the findings reported during the run:\n${wrapList(interim, '    ')}\n`
    : '  abortOnFail: this scenario reports its findings only at the end, so none can stop it\n';
}

/** Words joined by commas, wrapped at 100 columns with `indent` in front of each line. */
function wrapList(words: readonly string[], indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line}, ${word}`;
    if (indent.length + next.length > 100 && line !== '') {
      lines.push(`${line},`);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => `${indent}${l}`).join('\n');
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

  addRunCommand(program, Object.values(SCENARIOS));

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
    .addOption(dataDirOption('where the result is stored as a run'))
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
    .description(
      'Build the weighted scorecard workbook (xlsx, with CSV, Markdown and each run’s report) from stored runs.',
    )
    .option(
      '--runs <ids>',
      'latest (newest run of each scenario per vendor, mock and live) or run ids, comma-separated',
    )
    .option('--playbook <id>', 'exactly the finished runs of this playbook (poc list playbooks), its vendors')
    .option(
      '--vendors <ids>',
      'vendors to score, comma-separated (default: every vendor with runs or answers)',
    )
    .option('--weights <file>', 'criteria, weights and rules (default: the catalog shipped with poc)')
    .option('--answers <file>', 'manual scores with their evidence (answers.yaml)')
    .option(
      '--out <file>',
      'the workbook; .csv, .md and reports/<run-id>.html are written next to it',
      'scorecard.xlsx',
    )
    .addOption(dataDirOption('where runs are stored'))
    .addHelpText(
      'after',
      `
Examples:
  $ poc scorecard init                      # weights.yaml and answers.yaml to edit
  $ poc scorecard --weights weights.yaml --answers answers.yaml --out scorecard.xlsx
  $ poc scorecard --vendors hubspot,salesforce --runs 20261123-101500-a1b2c3,20261123-102000-d4e5f6
  $ poc scorecard --playbook pb-20261203-101500-3fa9c1 --out poc-report/scorecard.xlsx`,
    )
    .action(async (opts) => {
      const { scorecardCommand } = await import('./commands/scorecard.js');
      process.stdout.write(await scorecardCommand(opts));
    });
  scorecard
    .command('init')
    .description(
      'Write weights.yaml (criteria, weights, rules) and a blank answers.yaml, commented, to edit.',
    )
    .option('--dir <dir>', 'folder to write them in', '.')
    .option('--force', 'overwrite existing files', false)
    .action(async (opts) => {
      const { scorecardInitCommand } = await import('./commands/scorecard.js');
      process.stdout.write(await scorecardInitCommand(opts));
    });

  program
    .command('init')
    .description(
      'Write a commented poc.yaml: the PoC plan `poc playbook` runs (vendors, scenarios, thresholds, outputs).',
    )
    .option('--file <path>', 'where to write the plan', 'poc.yaml')
    .option('--force', 'overwrite an existing file', false)
    .addHelpText('after', '\nExamples:\n  $ poc init && poc playbook\n  $ poc init --file plans/q3-crm.yaml')
    .action(async (opts: { file: string; force: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      process.stdout.write(await initCommand(opts));
    });

  program
    .command('playbook')
    .description(
      'Run the plan: every scenario on every vendor, then the scorecard, an overview page and a Markdown summary.',
    )
    .argument('[args...]', '[run] [plan file, default poc.yaml]')
    .option('--vendors <list>', 'only these vendors of the plan, e.g. hubspot,pipedrive')
    .option('--scenarios <list>', 'only these scenarios of the plan, e.g. webhook-storm,signature-check')
    .option(
      '--resume <playbook-id>',
      'continue an interrupted playbook: finished runs are kept, the rest run',
    )
    .option('--json', 'print the outcome as JSON on stdout', false)
    .addHelpText(
      'after',
      `
Exit codes: 0 every run passed, 99 a threshold failed, 1 a run could not run, 130 interrupted
(Ctrl-C or SIGTERM: the current run is stored; --resume continues).

Examples:
  $ poc init && poc playbook
  $ poc playbook plans/q3.yaml --vendors hubspot,salesforce --scenarios webhook-storm
  $ poc playbook --resume pb-20261203-101500-3fa9c1
  $ poc playbook --json > outcome.json; cat poc-report/summary.md >> "$GITHUB_STEP_SUMMARY"`,
    )
    .action(
      async (
        args: string[],
        opts: { vendors?: string; scenarios?: string; resume?: string; json: boolean },
      ) => {
        const rest = args[0] === 'run' ? args.slice(1) : args;
        if (rest.length > 1)
          throw new PocError(
            'POC_ERR_USAGE',
            `poc playbook takes one plan file, not ${rest.length}: ${rest.join(' ')}`,
          );
        const { playbookCommand } = await import('./commands/playbook.js');
        const plan = rest[0] ?? (process.env.POC_CONFIG || 'poc.yaml');
        process.exitCode = await withTracing(() => playbookCommand({ ...opts, plan }, interruptSignal()));
      },
    );

  program
    .command('list')
    .description('List scenarios, vendors, stored runs or playbooks.')
    .addArgument(
      new Argument('<what>', 'scenarios | vendors | runs | playbooks').choices([
        'scenarios',
        'vendors',
        'runs',
        'playbooks',
      ]),
    )
    .addOption(dataDirOption('where runs are stored'))
    .option('--json', 'print JSON', false)
    .addHelpText('after', '\nExamples:\n  $ poc list scenarios\n  $ poc list runs --json')
    .action(async (what: 'scenarios' | 'vendors' | 'runs' | 'playbooks', opts) => {
      const { listCommand } = await import('./commands/list.js');
      process.stdout.write(await listCommand(what, opts));
    });

  program
    .command('show')
    .description('Show one stored run: config, findings and checks.')
    .argument('<run-id>', 'a run id from poc list runs, a unique prefix of one, or latest')
    .addOption(dataDirOption('where runs are stored'))
    .option('--json', 'print JSON', false)
    .addHelpText(
      'after',
      '\nExamples:\n  $ poc show 20261123-174512-3fa9c1\n  $ poc show latest --json\n  $ poc show 3fa9c1            # a unique part of the id',
    )
    .action(async (runId: string, opts) => {
      const { showCommand } = await import('./commands/show.js');
      process.stdout.write(await showCommand(runId, opts));
    });

  program
    .command('compare')
    .description('Compare two stored runs finding by finding: delta and better/worse/same, noise ignored.')
    .argument('<run-a>', 'the baseline run (id, unique prefix, or latest)')
    .argument('<run-b>', 'the run to judge against it (id, unique prefix, or latest)')
    .addOption(dataDirOption('where runs are stored'))
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
    .requiredOption('--records <n>', 'records per object type (a whole number up to 10^12)', recordCount)
    .option('--objects <list>', 'object types: contacts, companies, deals', 'contacts')
    .option('--headroom <share>', 'share of the limits the import may use', shareOption, 0.8)
    .addOption(dataDirOption('run store with earlier rate-limit-probe runs'))
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

  addVendorServerCommand(program, {
    name: 'mock-vendor',
    part: 'mock',
    schema: mockVendorOptions,
    description: 'Serve an emulated vendor (API, limits, webhook delivery, faults) on loopback.',
    help: `
Credentials: POC_MOCK_TOKEN (API bearer token) and POC_MOCK_WEBHOOK_SECRET (webhook signing secret);
when unset, random ones are written to <data-dir>/mock-credentials.json (mode 600).

Examples:
  $ poc mock-vendor --vendor hubspot --port 4010
  $ poc mock-vendor --vendor hubspot --fault duplicate=0.05 --fault failure=0.02 --time-scale 1000`,
    run: async (config) => {
      const { mockVendorCommand } = await import('./commands/mock-vendor.js');
      await mockVendorCommand(config as never);
    },
  });
  addVendorServerCommand(program, {
    name: 'receiver',
    part: 'receiver',
    schema: receiverOptions,
    description: 'Serve the reference webhook receiver (verify, dedupe, durable queue, processor).',
    help: `
The signing secret comes from the vendor's env variable (HubSpot: POC_HUBSPOT_CLIENT_SECRET, or
POC_HUBSPOT_CLIENT_SECRET_FILE). Webhooks are accepted at /webhooks/<vendor>; metrics at /metrics.

Examples:
  $ POC_HUBSPOT_CLIENT_SECRET=... poc receiver --vendor hubspot --port 8080`,
    run: async (config) => {
      const { receiverCommand } = await import('./commands/receiver.js');
      await withTracing(() => receiverCommand(config as never));
    },
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
