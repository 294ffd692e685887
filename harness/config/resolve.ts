import type { z } from 'zod';
import { type ErrorCode, PocError } from '../errors.js';

/**
 * Where config values come from: flags, environment variables, a plan file. Each names its
 * own values in errors (`--rate`, `POC_PROMETHEUS_RW_URL`, `poc.yaml:12: scenarios.webhook-storm.rate`).
 */
export interface ConfigSource {
  /** Key -> value as given (schema input, before defaults). */
  readonly values: Readonly<Record<string, unknown>>;
  label(key: string): string;
}

/** One problem with the config, named the way the user wrote it. */
export interface ConfigIssue {
  readonly label: string;
  readonly message: string;
  readonly code?: ErrorCode;
}

export interface Resolved<T> {
  /** Defaults applied, frozen all the way down. */
  readonly value: Readonly<T> | undefined;
  readonly issues: ConfigIssue[];
  /** What the sources gave, merged, before validation: for checks across fields when a field failed. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The keys some source set (the rest are defaults). */
  readonly given: ReadonlySet<string>;
  /** How to name a key in an error: by the source that set it, else `fallback`. */
  readonly label: (key: string) => string;
}

/**
 * Merges the sources (later ones win), validates the result once against `schema` and collects
 * every problem instead of stopping at the first. Unknown keys are problems too:
 * `unknown(key)` says what to tell the user about one (e.g. which scenario it belongs to).
 */
export function resolveConfig<S extends z.ZodObject>(
  schema: S,
  sources: readonly ConfigSource[],
  options: { fallback: (key: string) => string; unknown?: (key: string) => string },
): Resolved<z.output<S>> {
  const input: Record<string, unknown> = {};
  const origin = new Map<string, ConfigSource>();
  for (const source of sources) {
    for (const [key, value] of Object.entries(source.values)) {
      if (value === undefined) continue;
      input[key] = value;
      origin.set(key, source);
    }
  }
  const label = (key: string) => origin.get(key)?.label(key) ?? options.fallback(key);
  const parsed = schema.safeParse(input);
  const issues: ConfigIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A key unknown inside a value (a threshold object) is named under its field, not as an option.
      if (issue.code === 'unrecognized_keys' && issue.path.length === 0) {
        for (const key of issue.keys)
          issues.push({
            label: label(key),
            message: options.unknown?.(key) ?? 'not a known option; drop it',
          });
        continue;
      }
      const [key, ...rest] = issue.path.map(String);
      const where =
        key === undefined ? 'config' : `${label(key)}${rest.length > 0 ? `[${rest.join('.')}]` : ''}`;
      issues.push({ label: where, message: issue.message });
    }
  }
  return {
    value: parsed.success ? deepFreeze(parsed.data) : undefined,
    issues,
    input,
    given: new Set(origin.keys()),
    label,
  };
}

/** One error for every problem found, so a user fixes them all in one go. */
export function configError(
  issues: readonly ConfigIssue[],
  fallback: ErrorCode = 'POC_ERR_BAD_OPTION',
): PocError {
  const codes = new Set(issues.map((i) => i.code ?? fallback));
  const code = codes.size === 1 ? ([...codes][0] ?? fallback) : fallback;
  const lines = issues.map((i) => `${i.label}: ${i.message}`);
  return new PocError(
    code,
    lines.length === 1 ? (lines[0] ?? '') : `${lines.length} problems:\n  ${lines.join('\n  ')}`,
  );
}

/** Frozen all the way down: a resolved config is read, never patched. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
