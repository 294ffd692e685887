import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { type K6ThresholdValue, toThresholdInput } from '../runs/thresholds.js';
import type { Scenario } from '../scenario.js';
import { count, folder, httpUrl, share } from './fields.js';
import type { ConfigIssue, ConfigSource } from './resolve.js';
import { configError, deepFreeze } from './resolve.js';
import { checkRunConfig, type ResolvedRun, runFlagFields } from './run-config.js';
import { parseYamlDocument, readYamlDocument, type YamlDocument } from './yaml-document.js';

/**
 * The PoC plan, `poc.yaml`: which vendors, which scenarios with which options and thresholds,
 * what each live vendor may spend, and where the scorecard and the overview go. Read once at
 * the edge: the file's shape here, each scenario's options by that scenario's own schema (the
 * one `poc run <scenario>` flags come from), every problem of every vendor x scenario at once.
 */

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
  error: 'must be the NAME of an environment variable (A-Z, 0-9, _), never its value',
});

const vendorPlan = z
  .object({
    target: z
      .enum(['mock', 'live'])
      .default('mock')
      .describe('the embedded emulation, or the vendor’s sandbox'),
    credentials: z
      .object({ token: envName, webhookSecret: envName, baseUrl: envName.optional() })
      .strict()
      .optional()
      .describe('live only: the environment variables holding the credentials (names, never values)'),
    publicUrl: httpUrl('the public URL of a tunnel to the receiver, ending in /webhooks/<vendor>')
      .optional()
      .describe('live only: the tunnel URL the vendor posts webhooks to'),
    budget: z
      .object({ maxRequests: count(1).optional(), maxQuotaShare: share().optional() })
      .strict()
      .optional()
      .describe('what the whole plan may spend on this vendor’s API, across all its runs'),
  })
  .strict();

const planShape = z
  .object({
    version: z.literal(1, { error: 'must be 1 (the plan format this poc reads)' }).default(1),
    dataDir: folder('.poc', 'where runs are stored'),
    vendors: z
      .record(
        z.string(),
        vendorPlan.nullable().transform((v) => v ?? vendorPlan.parse({})),
      )
      .refine((v) => Object.keys(v).length > 0, {
        error: 'name at least one vendor, e.g. hubspot: { target: mock }',
      }),
    defaults: z.record(z.string(), z.unknown()).nullable().default({}),
    scenarios: z
      .record(z.string(), z.record(z.string(), z.unknown()).nullable())
      .refine((v) => Object.keys(v).length > 0, {
        error: 'name at least one scenario, e.g. webhook-storm: {}',
      }),
    scorecard: z
      .object({ weights: z.string().min(1).optional(), answers: z.string().min(1).optional() })
      .strict()
      .nullish()
      .transform((v) => v ?? {}),
    outputs: z
      .object({
        dir: z.string().min(1).default('poc-report'),
        scorecard: z
          .string()
          .regex(/\.xlsx$/, { error: 'must end in .xlsx' })
          .default('scorecard.xlsx'),
        overview: z
          .string()
          .regex(/\.html$/, { error: 'must end in .html' })
          .default('overview.html'),
        markdown: z.string().regex(/\.md$/, { error: 'must end in .md' }).default('summary.md'),
      })
      .strict()
      .default({
        dir: 'poc-report',
        scorecard: 'scorecard.xlsx',
        overview: 'overview.html',
        markdown: 'summary.md',
      }),
    prometheusRw: z.string().optional(),
  })
  .strict();

export type VendorPlan = z.output<typeof vendorPlan>;

/** One vendor x scenario of the plan, its config resolved and frozen: what one run executes. */
export interface PlannedRun {
  readonly vendor: string;
  readonly scenario: Scenario;
  readonly resolved: ResolvedRun;
  /** The plan's values for this run, labelled file:line: `poc run --config` puts its flags over them. */
  readonly source: ConfigSource;
}

export interface Plan {
  readonly path: string;
  /** The file as read: stored with the playbook so `--resume` runs the same plan. */
  readonly text: string;
  readonly dataDir: string;
  readonly vendors: Readonly<Record<string, VendorPlan>>;
  readonly scenarios: readonly string[];
  readonly scorecard: { readonly weights?: string | undefined; readonly answers?: string | undefined };
  readonly outputs: {
    readonly dir: string;
    readonly scorecard: string;
    readonly overview: string;
    readonly markdown: string;
  };
  /** Vendor by vendor, in the plan's order. */
  readonly runs: readonly PlannedRun[];
}

/** Keys that belong to the plan or a vendor, not to one scenario's run: where to write them instead. */
const PLACED_ELSEWHERE: Readonly<Record<string, string>> = {
  vendor: 'vendors are listed under vendors:',
  live: 'a vendor is live with `target: live` under vendors:',
  publicUrl: 'set it as publicUrl under vendors.<id>:',
  maxQuotaShare: 'set it as budget.maxQuotaShare under vendors.<id>:',
  dataDir: 'set it once, at the top of the plan (dataDir:)',
  prometheusRw: 'set it once, at the top of the plan (prometheusRw:)',
  json: 'an output of the command: poc playbook --json',
  junit: 'an output of one run: poc run --junit',
  receiverPort: 'each run takes a free port; set it only on poc run',
};

export interface PlanContext {
  readonly scenarios: Readonly<Record<string, Scenario>>;
  readonly knownVendors: readonly string[];
  /** The credentials' env names each vendor reads by default (profile.credentialsEnv). */
  readonly credentialsEnv: (vendor: string) => { token: string; webhookSecret: string };
  readonly env: NodeJS.ProcessEnv;
}

/** Reads and checks `poc.yaml`; throws one POC_ERR_BAD_CONFIG listing every problem, file:line first. */
export function loadPlan(path: string, context: PlanContext): Plan {
  return checkPlan(readYamlDocument(path, 'plan file'), context);
}

/** The plan as stored with a playbook, read again (same checks). */
export function planFromText(path: string, text: string, context: PlanContext): Plan {
  return checkPlan(parseYamlDocument(path, text), context);
}

function checkPlan(doc: YamlDocument, context: PlanContext): Plan {
  const at = (keys: readonly (string | number)[]) =>
    `${doc.path}:${doc.lineOf(keys)}: ${keys.map(String).join('.') || 'plan'}`;
  const issues: ConfigIssue[] = [];
  const shape = planShape.safeParse(doc.data);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      const keys = issue.path as (string | number)[];
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys)
          issues.push({
            label: at([...keys, key]),
            message: `not a key of the plan here; drop it${hintFor(keys, key)}`,
          });
      else issues.push({ label: at(keys), message: issue.message });
    }
    throw configError(issues, 'POC_ERR_BAD_CONFIG');
  }
  // Paths in a committed plan are the repo's: relative to the file, wherever poc is started from.
  const base = dirname(resolve(doc.path));
  const plan = {
    ...shape.data,
    dataDir: resolve(base, shape.data.dataDir),
    outputs: { ...shape.data.outputs, dir: resolve(base, shape.data.outputs.dir) },
    scorecard: {
      weights: shape.data.scorecard.weights && resolve(base, shape.data.scorecard.weights),
      answers: shape.data.scorecard.answers && resolve(base, shape.data.scorecard.answers),
    },
  };
  for (const id of Object.keys(plan.vendors)) {
    if (!context.knownVendors.includes(id))
      issues.push({
        label: at(['vendors', id]),
        message: `unknown vendor "${id}"; known: ${context.knownVendors.join(', ')}`,
      });
  }
  for (const id of Object.keys(plan.scenarios)) {
    if (!context.scenarios[id])
      issues.push({
        label: at(['scenarios', id]),
        message: `unknown scenario "${id}"; known: ${Object.keys(context.scenarios).join(', ')}`,
      });
  }
  const defaults = plan.defaults ?? {};
  const planned = Object.keys(plan.scenarios).flatMap((id) =>
    context.scenarios[id] ? [context.scenarios[id]] : [],
  );
  // A default applies to the scenarios that take it; one that none of the plan's scenarios takes is a mistake.
  for (const key of Object.keys(defaults)) {
    if (!planned.some((s) => takes(s, key)) && !(key in PLACED_ELSEWHERE))
      issues.push({
        label: at(['defaults', key]),
        message: `no scenario of this plan takes "${key}"; drop it${kebabHint(key)}`,
      });
  }
  const defaultThresholds = planValue('thresholds', defaults.thresholds);
  if (Array.isArray(defaultThresholds))
    for (const t of defaultThresholds)
      if (!planned.some((s) => producedBy(s, t)))
        issues.push({
          label: at(['defaults', 'thresholds']),
          message: `no scenario of this plan produces the finding of ${JSON.stringify(t)}; \`poc list scenarios\` lists each one's findings`,
        });
  for (const [id, vendor] of Object.entries(plan.vendors)) {
    if (vendor.target === 'mock') {
      for (const key of ['credentials', 'publicUrl'] as const)
        if (vendor[key] !== undefined)
          issues.push({
            label: at(['vendors', id, key]),
            message: 'applies to a live vendor only; drop it or set target: live',
          });
    } else if (context.knownVendors.includes(id)) {
      const names = vendor.credentials ?? context.credentialsEnv(id);
      for (const name of [names.token, names.webhookSecret])
        if (!context.env[name] && !context.env[`${name}_FILE`])
          issues.push({
            label: at(['vendors', id, 'credentials']),
            message: `${name} is not set; export it (or ${name}_FILE) before the playbook, the plan holds only its name`,
            code: 'POC_ERR_MISSING_CREDENTIALS',
          });
    }
  }

  const runs: PlannedRun[] = [];
  const seen = new Set<string>();
  for (const [vendorId, vendor] of Object.entries(plan.vendors)) {
    if (!context.knownVendors.includes(vendorId)) continue;
    for (const scenario of planned) {
      const own = plan.scenarios[scenario.id] ?? {};
      const source = runSource(scenario, { vendorId, vendor, defaults, own, plan, issues, at });
      const checked = checkRunConfig(scenario, {
        flags: {},
        env: {},
        file: source,
        knownVendors: context.knownVendors,
        ownersOf: (key) =>
          Object.values(context.scenarios)
            .filter((s) => s.id !== scenario.id && takes(s, key))
            .map((s) => s.id),
      });
      if ('issues' in checked) {
        for (const issue of checked.issues) {
          const key = `${issue.label}\u0000${issue.message}`;
          if (!seen.has(key)) issues.push(issue);
          seen.add(key);
        }
      } else runs.push({ vendor: vendorId, scenario, resolved: checked, source });
    }
  }
  if (issues.length > 0) throw configError(issues, 'POC_ERR_BAD_CONFIG');
  return deepFreeze({
    path: doc.path,
    text: doc.text,
    dataDir: plan.dataDir,
    vendors: plan.vendors,
    scenarios: planned.map((s) => s.id),
    scorecard: plan.scorecard,
    outputs: plan.outputs,
    runs,
  });
}

/** One run's values from the plan (defaults, then the scenario's, then the vendor's), each labelled file:line. */
function runSource(
  scenario: Scenario,
  parts: {
    vendorId: string;
    vendor: VendorPlan;
    defaults: Record<string, unknown>;
    own: Record<string, unknown>;
    plan: { readonly dataDir: string; readonly prometheusRw?: string | undefined };
    issues: ConfigIssue[];
    at: (keys: readonly (string | number)[]) => string;
  },
): ConfigSource {
  const values: Record<string, unknown> = {};
  const where = new Map<string, (string | number)[]>();
  const put = (key: string, value: unknown, keys: (string | number)[]) => {
    values[key] = value;
    where.set(key, keys);
  };
  for (const [key, value] of Object.entries(parts.defaults)) {
    if (!takes(scenario, key)) continue;
    const given = planValue(key, value);
    // A default threshold holds for the scenarios that produce its finding.
    put(
      key,
      key === 'thresholds' && Array.isArray(given) ? given.filter((t) => producedBy(scenario, t)) : given,
      ['defaults', key],
    );
  }
  for (const [key, value] of Object.entries(parts.own)) {
    if (key.includes('-')) {
      parts.issues.push({
        label: parts.at(['scenarios', scenario.id, key]),
        message: `not an option as written${kebabHint(key)}`,
      });
      continue;
    }
    const elsewhere = PLACED_ELSEWHERE[key];
    if (elsewhere) {
      parts.issues.push({
        label: parts.at(['scenarios', scenario.id, key]),
        message: `not a scenario option: ${elsewhere}`,
      });
      continue;
    }
    // Thresholds add up: the plan's defaults hold for every scenario, a scenario adds its own.
    const given = planValue(key, value);
    const merged =
      key === 'thresholds' && Array.isArray(values.thresholds) && Array.isArray(given)
        ? [...values.thresholds, ...given]
        : given;
    put(key, merged, ['scenarios', scenario.id, key]);
  }
  put('vendor', parts.vendorId, ['vendors', parts.vendorId]);
  if (parts.vendor.target === 'live') put('live', true, ['vendors', parts.vendorId, 'target']);
  if (parts.vendor.publicUrl !== undefined)
    put('publicUrl', parts.vendor.publicUrl, ['vendors', parts.vendorId, 'publicUrl']);
  put('dataDir', parts.plan.dataDir, ['dataDir']);
  if (parts.plan.prometheusRw !== undefined) put('prometheusRw', parts.plan.prometheusRw, ['prometheusRw']);
  return {
    values,
    label: (key) => parts.at(where.get(key) ?? ['scenarios', scenario.id, key]),
  };
}

/** Whether a threshold entry (`webhook.loss_count: count==0`, or k6's object form) is on a finding of the scenario. */
function producedBy(scenario: Scenario, entry: unknown): boolean {
  const text =
    typeof entry === 'string'
      ? entry
      : typeof (entry as { threshold?: unknown } | null)?.threshold === 'string'
        ? (entry as { threshold: string }).threshold
        : undefined;
  // What cannot be read is left to the threshold check, which names the problem.
  if (text === undefined) return true;
  const key = /^\s*([a-z0-9_.]+)/.exec(text)?.[1];
  return key === undefined || key in scenario.findings;
}

/** Whether a scenario's run takes `key` (its own options and the run's). */
function takes(scenario: Scenario, key: string): boolean {
  return runFlagFields(scenario).some((f) => f.key === key);
}

/**
 * A plan value as the run schema reads it: thresholds written k6's way, a map from finding to
 * expressions (`webhook.latency_p99_ms: ['p(99)<250ms']`), become `<finding>: <expression>`
 * entries, k6's object form (abortOnFail) included.
 */
function planValue(key: string, value: unknown): unknown {
  if (key === 'thresholds' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([finding, exprs]) =>
      (Array.isArray(exprs) ? exprs : [exprs]).map((expr) =>
        isK6Value(expr) ? toThresholdInput(finding, expr) : expr,
      ),
    );
  }
  if (key === 'faults' && typeof value === 'string') return [value];
  return value;
}

/** A k6 threshold entry: an expression, or the object form with its `threshold` expression. */
function isK6Value(value: unknown): value is K6ThresholdValue {
  if (typeof value === 'string') return true;
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { threshold?: unknown }).threshold === 'string'
  );
}

function hintFor(keys: readonly (string | number)[], key: string): string {
  if (keys.length === 0 && ['rate', 'duration', 'thresholds', 'faults', 'timeScale'].includes(key))
    return ' (scenario options go under scenarios.<id>: or defaults:)';
  return kebabHint(key);
}

function kebabHint(key: string): string {
  return key.includes('-')
    ? ` (keys are written as in the schema: ${key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())})`
    : '';
}
