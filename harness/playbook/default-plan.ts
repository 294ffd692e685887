import { runFlagFields } from '../config/run-config.js';
import type { Scenario } from '../scenario.js';

/**
 * The values `poc init` gives each scenario: small enough that the whole default plan (five
 * scenarios x three vendors) runs in a few minutes on a laptop, large enough to measure
 * something. The scenarios' own defaults are the sizes of a real PoC; the file lists them.
 */
const SMALL: Readonly<Record<string, Readonly<Record<string, string | number>>>> = {
  'webhook-storm': { rate: 200, duration: '3s', grace: '10s', poolSize: 100 },
  'replay-backfill': { history: '1d', changes: 500, outageChanges: 50, outage: '1m', grace: '10s' },
  'observability-mapping': { changes: 20, grace: '10s' },
};

/** A threshold per scenario in k6's spelling, to show the form; each holds on the emulations. */
const EXAMPLE_THRESHOLDS: Readonly<Record<string, string>> = {
  'webhook-storm': "webhook.latency_p99_ms: ['p(99)<5s']",
};

const VENDORS = ['hubspot', 'salesforce', 'pipedrive'];

/** The commented poc.yaml `poc init` writes: every scenario's options, described, with defaults. */
export function defaultPlan(scenarios: readonly Scenario[]): string {
  const lines = [
    '# poc.yaml: the PoC plan. Commit it next to your code; `poc playbook` runs it, every scenario',
    '# on every vendor, and ends in scorecard.xlsx, an overview page and a Markdown summary.',
    '#   poc playbook                         run the whole plan',
    '#   poc playbook --vendors hubspot       part of it',
    '#   poc playbook --resume <playbook-id>  continue an interrupted plan (finished runs are kept)',
    '#   poc run webhook-storm --vendor hubspot --config poc.yaml   one run with this plan’s options',
    '# Paths are relative to this file. Keys are the options of `poc run <scenario> --help`, written',
    '# in camelCase (maxRequests, not max-requests); a key that does not apply is refused.',
    '',
    'version: 1',
    'dataDir: .poc # where runs are stored',
    '',
    '# The candidates. `target: mock` runs the embedded emulation (no account needed); what it',
    '# measures describes the emulation, and the scorecard scores only what the emulation reproduces',
    '# from the vendor’s documentation. Performance is scored from live runs only.',
    'vendors:',
    ...VENDORS.map((v) => `  ${v}: { target: mock }`),
    '  # A live sandbox: credentials come from these environment variables (their names, never',
    '  # values), the vendor posts webhooks to publicUrl (a tunnel to the receiver), and the whole',
    '  # plan spends at most `budget` of its API, across all its runs:',
    '  # hubspot:',
    '  #   target: live',
    '  #   credentials: { token: POC_HUBSPOT_ACCESS_TOKEN, webhookSecret: POC_HUBSPOT_CLIENT_SECRET }',
    '  #   publicUrl: https://my-tunnel.example/webhooks/hubspot',
    '  #   budget: { maxRequests: 5000, maxQuotaShare: 0.1 }',
    '',
    '# Options every scenario that takes them gets (a scenario’s own section wins; thresholds add up).',
    '# Thresholds are written k6’s way: finding -> expressions; { threshold, abortOnFail: true } stops',
    '# the run at the first breach. A failed threshold makes the playbook exit 99.',
    'defaults:',
    '  # timeScale: 100          # the mock’s clock multiplier (retry schedules, outages)',
    "  # thresholds: { webhook.loss_count: ['count==0'] }",
    '',
    'scenarios:',
  ];
  for (const scenario of scenarios) {
    lines.push(`  # ${scenario.summary}`);
    const own = new Set(Object.keys(scenario.options.shape));
    const fields = runFlagFields(scenario).filter((f) => own.has(f.key) && !f.hidden);
    const small = SMALL[scenario.id] ?? {};
    const set = fields.filter((f) => f.key in small);
    const example = EXAMPLE_THRESHOLDS[scenario.id];
    if (set.length === 0 && example === undefined && fields.length === 0) {
      lines.push(`  ${scenario.id}: {}`);
      continue;
    }
    lines.push(
      `  ${scenario.id}:${set.length === 0 && example === undefined ? ' # the defaults below' : ''}`,
    );
    for (const field of fields) {
      const value = small[field.key];
      const described = `${field.description}${field.defaultText !== undefined ? ` (default ${field.defaultText})` : ''}`;
      if (value !== undefined) lines.push(`    ${field.key}: ${value} # ${described}`);
      else lines.push(`    # ${field.key}: ${field.defaultText ?? '...'} # ${described}`);
    }
    if (example !== undefined) lines.push('    thresholds:', `      ${example}`);
    // A section of comments only is null in YAML: the scenario runs with its defaults.
  }
  lines.push(
    '',
    '# The scorecard: `poc scorecard init` writes weights.yaml (criteria, weights, rules) and',
    '# answers.yaml (the criteria people score, blank) to edit and commit; the built-in catalog otherwise.',
    'scorecard:',
    '  # weights: weights.yaml',
    '  # answers: answers.yaml',
    '',
    'outputs:',
    '  dir: poc-report # the workbook, the overview page and the Markdown summary go here',
    '  scorecard: scorecard.xlsx',
    '  overview: overview.html',
    '  markdown: summary.md',
    '',
  );
  return lines.join('\n');
}
