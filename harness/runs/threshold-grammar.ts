import { durationMs } from '../duration.js';
import type { CheckOp } from './findings.js';
import type { FindingSpec } from './vocabulary.js';

/**
 * k6's threshold spelling read against poc's findings. A finding is already one aggregate
 * (`webhook.latency_p99_ms` is a p99), so the aggregation k6 asks for must be the one the
 * finding holds: `p(99)` on a p99 finding, `rate` on a ratio, `count` on a count. `value`
 * (k6's gauge aggregation) fits every finding.
 */

/** The aggregations k6 writes, as poc understands them. */
export const AGGREGATIONS = 'p(N), med, avg, min, max, rate, count, value';

/** One k6 expression, `p(99)<250ms`, with its value in the finding's own unit. */
export interface K6Condition {
  readonly op: CheckOp;
  readonly threshold: number;
}

const CONDITION =
  /^\s*(p\(\s*(\d+(?:\.\d+)?)\s*\)|med|avg|min|max|rate|count|value)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*([a-z%]*)\s*$/;

const TIME_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

type UnitKind = 'time' | 'ratio' | 'per-second' | 'count';

function unitKind(unit: string): UnitKind {
  if (unit === 'ms' || unit === 's') return 'time';
  if (unit === 'ratio') return 'ratio';
  if (unit.includes('/')) return 'per-second';
  return 'count';
}

/** The aggregate a finding key holds, read from its name: `_p99_`, `_max_`, `_ratio`, `_count`. */
function heldPercentile(key: string): number | undefined {
  const m = /_p(\d+(?:_\d+)?)(?:_|$)/.exec(key);
  if (!m?.[1]) return undefined;
  return Number(m[1].replace('_', '.'));
}

/**
 * Reads `p(99)<250ms` (no finding name) for the finding `key`: the op and the threshold in the
 * finding's unit, or what does not fit and how to write it instead.
 */
export function readCondition(
  key: string,
  spec: FindingSpec,
  text: string,
  others: Readonly<Record<string, FindingSpec>>,
): K6Condition | { problem: string } {
  const m = CONDITION.exec(text);
  if (!m)
    return {
      problem: `"${text}" is not <aggregation><op><number>[unit] (aggregations: ${AGGREGATIONS}; ops: < <= > >= == != ; e.g. p(99)<250ms)`,
    };
  const [, aggregation = '', percentile, rawOp = '==', num = '0', unit = ''] = m;
  const op = (rawOp === '===' ? '==' : rawOp) as CheckOp;
  const misfit = aggregationProblem(key, spec, aggregation, percentile, others);
  if (misfit) return { problem: misfit };
  const value = inUnit(key, spec, Number(num), unit);
  if (typeof value === 'string') return { problem: value };
  return { op, threshold: value };
}

function aggregationProblem(
  key: string,
  spec: FindingSpec,
  aggregation: string,
  percentile: string | undefined,
  others: Readonly<Record<string, FindingSpec>>,
): string | undefined {
  const kind = unitKind(spec.unit);
  const held = heldPercentile(key);
  if (aggregation === 'value') return undefined;
  const wanted = percentile !== undefined ? Number(percentile) : aggregation === 'med' ? 50 : undefined;
  if (wanted !== undefined) {
    if (held === wanted) return undefined;
    const sibling = siblingWith(key, others, (k) => heldPercentile(k) === wanted);
    const asked = percentile !== undefined ? `p(${percentile})` : 'med';
    if (held !== undefined)
      return sibling
        ? `${key} holds p(${held}), not ${asked}; ${sibling} holds ${asked}: write ${sibling}: ${asked}<...`
        : `${key} holds p(${held}), not ${asked}, and no finding of this scenario holds ${asked}; write ${key}: p(${held})<...`;
    return `${asked} applies to a percentile finding (…_p${wanted}_…); ${key} is not one: write ${key}: value<...`;
  }
  if (aggregation === 'max' || aggregation === 'min' || aggregation === 'avg') {
    if (new RegExp(`_${aggregation}(_|$)`).test(key)) return undefined;
    const sibling = siblingWith(key, others, (k) => new RegExp(`_${aggregation}(_|$)`).test(k));
    return sibling
      ? `${key} is not a ${aggregation}; ${sibling} is: write ${sibling}: ${aggregation}<...`
      : `${key} is not a ${aggregation} and no finding of this scenario is; write ${key}: value<...`;
  }
  if (aggregation === 'rate') {
    if (kind === 'ratio') return undefined;
    const ratio = key.replace(/_count$/, '_ratio');
    if (ratio !== key && others[ratio]?.unit === 'ratio')
      return `rate applies to a ratio (0..1); ${key} counts ${spec.unit}: write ${ratio}: rate<0.01 or ${key}: count<...`;
    return `rate applies to a ratio (0..1); ${key} is in ${spec.unit}: write ${key}: ${kind === 'count' ? 'count' : 'value'}<...`;
  }
  // count
  if (kind === 'count') return undefined;
  const counted = key.replace(/_ratio$/, '_count');
  if (counted !== key && others[counted] && unitKind(others[counted].unit) === 'count')
    return `count applies to a count; ${key} is a ratio: write ${counted}: count<... or ${key}: rate<...`;
  return `count applies to a count; ${key} is in ${spec.unit}: write ${key}: ${kind === 'ratio' ? 'rate' : 'value'}<...`;
}

/** Another finding whose name is `key`'s with one aggregate swapped for another. */
function siblingWith(
  key: string,
  others: Readonly<Record<string, FindingSpec>>,
  fits: (key: string) => boolean,
): string | undefined {
  const stem = (k: string) => k.replace(/_(p\d+(?:_\d+)?|max|min|avg)(?=_|$)/, '_*');
  return Object.keys(others).find((k) => k !== key && fits(k) && stem(k) === stem(key));
}

/** A number written with a unit, in the finding's unit; a bare number is in the finding's unit already. */
function inUnit(key: string, spec: FindingSpec, n: number, unit: string): number | string {
  if (unit === '') return n;
  const kind = unitKind(spec.unit);
  if (kind === 'time') {
    const ms = TIME_UNITS_MS[unit];
    if (ms === undefined)
      return `"${unit}" is not a time unit; ${key} takes ms, s or m (or a bare number in ${spec.unit})`;
    return (n * ms) / (spec.unit === 's' ? 1000 : 1);
  }
  if (kind === 'ratio') {
    if (unit === '%') return n / 100;
    return `"${unit}" does not fit ${key}, a ratio: write it as 0.01 or 1%`;
  }
  return `${key} is in ${spec.unit}, which takes no unit: drop "${unit}"`;
}

/** k6's per-threshold options, written after the expression: `, abortOnFail, delayAbortEval=10s`. */
export interface AbortOptions {
  readonly abortOnFail?: true;
  readonly delayAbortEvalMs?: number;
}

/** Reads `abortOnFail` / `abortOnFail=false` / `delayAbortEval=10s`; what is wrong otherwise. */
export function readAbortOptions(parts: readonly string[]): AbortOptions | { problem: string } {
  let abortOnFail = false;
  let delay: number | undefined;
  for (const raw of parts) {
    const part = raw.trim();
    const [name = '', value] = part.split('=').map((s) => s.trim());
    if (name === 'abortOnFail' && (value === undefined || value === 'true' || value === 'false')) {
      abortOnFail = value !== 'false';
      continue;
    }
    if (name === 'delayAbortEval' && value !== undefined) {
      const ms = durationMs(value);
      if (ms === undefined)
        return { problem: `delayAbortEval: "${value}" is not a duration; write it like 10s` };
      delay = ms;
      continue;
    }
    return { problem: `"${part}" is not a threshold option; write abortOnFail or delayAbortEval=<time>` };
  }
  if (delay !== undefined && !abortOnFail)
    return { problem: 'delayAbortEval only delays abortOnFail: add abortOnFail or drop it' };
  return {
    ...(abortOnFail ? { abortOnFail: true as const } : {}),
    ...(delay !== undefined ? { delayAbortEvalMs: delay } : {}),
  };
}
