import type { z } from 'zod';
import { readThreshold, type Threshold, type ThresholdInput } from '../runs/thresholds.js';
import type { Scenario } from '../scenario.js';
import { envValues, type FlagField, flagFields, kebab } from './flags.js';
import { outputPathProblem } from './output-path.js';
import { type ConfigIssue, type ConfigSource, configError, resolveConfig } from './resolve.js';
import { publicUrlProblem, type RunOptions, runOptions } from './run-options.js';

/**
 * One `poc run`, resolved: the run options and the scenario's own, defaults applied, frozen.
 * This is what the runner executes and what the run store records (no secrets: they never
 * enter a config; they are read from env or files where they are used).
 */
export interface RunConfig extends RunOptions {
  readonly scenario: string;
  /** The mock's clock multiplier actually used (the scenario's default when none was given). */
  readonly timeScale: number;
  /** The scenario's own options, as its run() receives them. */
  readonly options: Readonly<Record<string, unknown>>;
}

export interface ResolvedRun {
  readonly config: Readonly<RunConfig>;
  /** The --threshold expressions, read against the scenario's findings. */
  readonly thresholds: readonly Threshold[];
}

/** Every option `poc run <scenario>` accepts: the run options, refined and extended by the scenario's. */
export function runSchema(scenario: Scenario): z.ZodObject {
  return runOptions.extend(scenario.options.shape);
}

/** The scenario's own flags first (what people come to change), then the run's. */

/** The flags of `poc run <scenario>`, generated from its schema. */
export function runFlagFields(scenario: Scenario): FlagField[] {
  const own = new Set(Object.keys(scenario.options.shape));
  const fields = flagFields(runSchema(scenario)).map((field) =>
    field.key === 'timeScale' ? { ...field, defaultText: String(scenario.defaultTimeScale ?? 100) } : field,
  );
  return [...fields.filter((f) => own.has(f.key)), ...fields.filter((f) => !own.has(f.key))];
}

export interface RunConfigSources {
  /** Values the user gave on the command line (schema input). */
  readonly flags: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  /** A plan file's values for this scenario, below env and flags. */
  readonly file?: ConfigSource;
  readonly knownVendors: readonly string[];
  /** The other scenarios that take an option this one does not: named in the error. */
  readonly ownersOf: (key: string) => readonly string[];
}

/**
 * Resolves one run's config from its sources and reports every problem at once, each named as
 * the user wrote it (`--rate`, `POC_PROMETHEUS_RW_URL`): options that do not apply to this
 * scenario or this target are refused, never ignored. Throws one POC_ERR_BAD_OPTION (or
 * POC_ERR_BAD_THRESHOLD / POC_ERR_UNKNOWN_VENDOR when every problem is of that kind).
 */
export function resolveRunConfig(scenario: Scenario, sources: RunConfigSources): ResolvedRun {
  const checked = checkRunConfig(scenario, sources);
  if ('issues' in checked) throw configError(checked.issues);
  return checked;
}

/**
 * The same resolution, returning the problems instead of throwing them: a plan file checks every
 * vendor x scenario of the plan and reports all their problems in one error.
 */
export function checkRunConfig(
  scenario: Scenario,
  sources: RunConfigSources,
): ResolvedRun | { readonly issues: readonly ConfigIssue[] } {
  const schema = runSchema(scenario);
  const fields = runFlagFields(scenario);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const flagLabel = (key: string) => {
    const field = byKey.get(key);
    const flag = `--${field?.flag ?? kebab(key)}`;
    return field?.env && field.envNamed ? `${flag} (or ${field.env})` : flag;
  };
  // A value from the environment is named by its variable: the user may not know it is set.
  const envLabel = (key: string) => {
    const field = byKey.get(key);
    return field?.env ? `--${field.flag} (or ${field.env})` : flagLabel(key);
  };
  const layers: ConfigSource[] = [
    ...(sources.file ? [sources.file] : []),
    { values: envValues(fields, sources.env), label: envLabel },
    { values: sources.flags, label: flagLabel },
  ];
  const resolved = resolveConfig(schema, layers, {
    fallback: flagLabel,
    unknown: (key) => {
      const owners = sources.ownersOf(key);
      return owners.length > 0
        ? `does not apply to ${scenario.id} (it is an option of ${owners.join(', ')}); drop it`
        : `not an option of poc run ${scenario.id}; \`poc run ${scenario.id} --help\` lists them`;
    },
  });
  const issues: ConfigIssue[] = [...resolved.issues];
  const given = resolved.given;
  const value = resolved.value as (RunOptions & Record<string, unknown>) | undefined;
  // The checks across fields run on what was given even when another field failed: all at once.
  const raw = resolved.input;
  const vendor = typeof raw.vendor === 'string' ? raw.vendor : undefined;
  if (vendor !== undefined && !sources.knownVendors.includes(vendor)) {
    issues.unshift({
      label: resolved.label('vendor'),
      message: `unknown vendor "${vendor}"; known: ${sources.knownVendors.join(', ')}`,
      code: 'POC_ERR_UNKNOWN_VENDOR',
    });
  }
  const live = raw.live === true;
  if (live) {
    for (const field of fields) {
      if (field.only === 'mock' && given.has(field.key))
        issues.push({ label: resolved.label(field.key), message: mockOnly(field.key) });
    }
    const url = typeof raw.publicUrl === 'string' ? raw.publicUrl : undefined;
    const urlRefused = resolved.issues.some((i) => i.label === resolved.label('publicUrl'));
    if (
      scenario.receivesWebhooks &&
      vendor !== undefined &&
      sources.knownVendors.includes(vendor) &&
      !urlRefused
    ) {
      const problem = publicUrlProblem(url, vendor);
      if (problem) issues.push({ label: resolved.label('publicUrl'), message: problem });
    }
  }
  // Output paths are checked now: a run must not finish only to find it cannot write its report.
  for (const key of ['junit', 'summaryExport'] as const) {
    const path = raw[key];
    if (typeof path !== 'string') continue;
    const problem = outputPathProblem(path);
    if (problem) issues.push({ label: resolved.label(key), message: problem, code: 'POC_ERR_OUTPUT_PATH' });
  }
  const thresholds: Threshold[] = [];
  const inputs = Array.isArray(raw.thresholds) ? (raw.thresholds as unknown[]).filter(isThresholdInput) : [];
  for (const input of inputs) {
    const read = readThreshold(input, scenario.findings);
    const problem = 'problem' in read ? read.problem : abortProblem(scenario, read);
    if (problem)
      issues.push({ label: resolved.label('thresholds'), message: problem, code: 'POC_ERR_BAD_THRESHOLD' });
    else thresholds.push(read as Threshold);
  }
  if (issues.length > 0 || value === undefined) return { issues };

  const pick = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, value[key]]));
  const config: RunConfig = {
    ...(pick(Object.keys(runOptions.shape)) as RunOptions),
    scenario: scenario.id,
    timeScale: value.timeScale ?? scenario.defaultTimeScale ?? 100,
    // A live vendor's daily quota is shared with real integrations: spend a fifth at most by default.
    ...(value.maxQuotaShare === undefined && live ? { maxQuotaShare: 0.2 } : {}),
    options: Object.freeze(pick(Object.keys(scenario.options.shape))),
  };
  return { config: Object.freeze(config), thresholds };
}

/** Strings and k6 objects; anything else the schema has already named. */
function isThresholdInput(value: unknown): value is ThresholdInput {
  return (
    typeof value === 'string' ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { threshold?: unknown }).threshold === 'string')
  );
}

/**
 * abortOnFail needs the finding while the run goes on: one the scenario only knows at the end
 * could never stop it, and a stop that silently never happens is worse than a refusal.
 */
function abortProblem(scenario: Scenario, threshold: Threshold): string | undefined {
  if (!threshold.abortOnFail) return undefined;
  const interim = scenario.interimFindings ?? [];
  if (interim.includes(threshold.key)) return undefined;
  return interim.length > 0
    ? `abortOnFail: ${scenario.id} reports ${threshold.key} only at the end, so it cannot stop the run; findings that can: ${interim.join(', ')}`
    : `abortOnFail: ${scenario.id} reports its findings only at the end, so no threshold can stop it; drop abortOnFail`;
}

function mockOnly(key: string): string {
  return key === 'faults'
    ? 'faults are injected by the mock; drop --fault or --live'
    : 'the mock’s clock; a live vendor runs in real time: drop it or --live';
}
