import { PocError } from '../errors.js';
import type { Check, CheckOp, Finding } from './findings.js';
import { type AbortOptions, readAbortOptions, readCondition } from './threshold-grammar.js';
import type { FindingSpec, FindingSpecs } from './vocabulary.js';

export interface Threshold extends AbortOptions {
  readonly key: string;
  readonly op: CheckOp;
  readonly threshold: number;
  readonly source: 'default' | 'user';
}

/**
 * One threshold as a run option holds it: the `--threshold` text, or k6's object form with the
 * finding named in `threshold` (`{ threshold: 'webhook.loss_count: count==0', abortOnFail: true }`).
 */
export type ThresholdInput =
  | string
  | { readonly threshold: string; readonly abortOnFail?: boolean; readonly delayAbortEval?: string };

/** k6's own value for one metric in a `thresholds:` map: the expression, or the object around it. */
export type K6ThresholdValue =
  | string
  | { readonly threshold: string; readonly abortOnFail?: boolean; readonly delayAbortEval?: string };

/** How the expressions are written, for help and errors. */
export const THRESHOLD_FORMS =
  '<finding> <op> <number> (webhook.latency_p99_ms<250) or k6’s <finding>: <aggregation><op><number>[unit] (webhook.latency_p99_ms: p(99)<250ms), optionally followed by , abortOnFail and , delayAbortEval=<time>';

const LEGACY = /^\s*(-?\d+(?:\.\d+)?)\s*$/;
const HEAD = /^\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\s*(:|<=|>=|===|==|!=|<|>)\s*/;

/**
 * Reads a `--threshold` against the findings a scenario produces: `webhook.latency_p99_ms<250`,
 * or k6's `webhook.latency_p99_ms: p(99)<250ms, abortOnFail`. Gives the threshold (its value in
 * the finding's unit), or what is wrong with the expression and how to write it.
 */
export function readThreshold(
  input: ThresholdInput,
  findings: FindingSpecs | readonly string[],
): Threshold | { problem: string } {
  const specs = asSpecs(findings);
  const text = typeof input === 'string' ? input : input.threshold;
  if (typeof text !== 'string') return { problem: 'a threshold object needs threshold: "<finding>: <expr>"' };
  const head = HEAD.exec(text);
  if (!head) return { problem: `"${text}" is not ${THRESHOLD_FORMS}` };
  const [matched, key = '', sep = ''] = head;
  const spec = specs[key];
  if (!spec)
    return { problem: `"${key}" is not a finding of this scenario; known: ${Object.keys(specs).join(', ')}` };
  const [body = '', ...rest] = text.slice(matched.length).split(',');
  if (sep === ':') {
    const object = typeof input === 'string' ? undefined : input;
    return withOptions(key, spec, body, rest, object, specs);
  }
  const number = LEGACY.exec(body);
  if (!number) return { problem: `"${text}" is not ${THRESHOLD_FORMS}` };
  const options = readOptions(rest, typeof input === 'string' ? undefined : input);
  if ('problem' in options) return options;
  const op = (sep === '===' ? '==' : sep) as CheckOp;
  return { key, op, threshold: Number(number[1]), source: 'user', ...options };
}

/**
 * Reads one entry of k6's `thresholds:` map for `findingKey`: `'p(99)<250ms'` or
 * `{ threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: '10s' }`, as a plan file writes it.
 */
export function readK6Threshold(
  findingKey: string,
  value: K6ThresholdValue,
  findings: FindingSpecs | readonly string[],
): Threshold | { problem: string } {
  return readThreshold(toThresholdInput(findingKey, value), findings);
}

/** One entry of k6's `thresholds:` map as the `thresholds` run option takes it (not yet checked). */
export function toThresholdInput(findingKey: string, value: K6ThresholdValue): ThresholdInput {
  // `<250` is poc's own form, `p(99)<250ms` k6's: both may sit under a finding key.
  const joined = (expr: string) =>
    /^\s*[<>=!]/.test(expr) ? `${findingKey}${expr.trim()}` : `${findingKey}: ${expr}`;
  if (typeof value === 'string') return joined(value);
  return { ...value, threshold: joined(value.threshold) };
}

/** Parses a `--threshold`, or throws POC_ERR_BAD_THRESHOLD. */
export function parseThreshold(input: ThresholdInput, findings: FindingSpecs | readonly string[]): Threshold {
  const read = readThreshold(input, findings);
  if ('problem' in read) throw new PocError('POC_ERR_BAD_THRESHOLD', `--threshold: ${read.problem}`);
  return read;
}

/** The threshold as written in k6's spelling, for messages: `webhook.loss_count==0`. */
export function describeThreshold(t: Pick<Threshold, 'key' | 'op' | 'threshold'>): string {
  return `${t.key}${t.op}${t.threshold}`;
}

function withOptions(
  key: string,
  spec: FindingSpec,
  body: string,
  rest: readonly string[],
  object: Exclude<ThresholdInput, string> | undefined,
  specs: FindingSpecs,
): Threshold | { problem: string } {
  const condition = readCondition(key, spec, body, specs);
  if ('problem' in condition) return condition;
  const options = readOptions(rest, object);
  if ('problem' in options) return options;
  return { key, ...condition, source: 'user', ...options };
}

function readOptions(
  rest: readonly string[],
  object: Exclude<ThresholdInput, string> | undefined,
): AbortOptions | { problem: string } {
  if (!object) return readAbortOptions(rest);
  // One place per option: the object's keys, as k6 has them.
  if (rest.length > 0)
    return { problem: 'put abortOnFail and delayAbortEval in the object, not after the expression' };
  const parts = [
    ...(object.abortOnFail === true ? ['abortOnFail'] : []),
    ...(object.delayAbortEval !== undefined ? [`delayAbortEval=${object.delayAbortEval}`] : []),
  ];
  return readAbortOptions(parts);
}

/** Specs from a bare list of keys, each unit read from the key's suffix (`_ms`, `_ratio`). */
function asSpecs(findings: FindingSpecs | readonly string[]): FindingSpecs {
  if (!Array.isArray(findings)) return findings as FindingSpecs;
  return Object.fromEntries(
    findings.map((key: string) => {
      const unit = key.endsWith('_ms')
        ? 'ms'
        : key.endsWith('_ratio')
          ? 'ratio'
          : key.endsWith('_per_s')
            ? 'events/s'
            : 'count';
      return [key, { unit, description: '', better: 'none', evidence: 'run' } satisfies FindingSpec];
    }),
  );
}

function holds(value: number, op: CheckOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/** Each threshold judged against the findings; one whose finding is missing fails. */
export function evaluate(thresholds: readonly Threshold[], findings: readonly Finding[]): Check[] {
  return thresholds.map((t) => {
    const finding = findings.find((f) => f.key === t.key);
    const value = finding?.value ?? null;
    return {
      key: t.key,
      op: t.op,
      threshold: t.threshold,
      source: t.source,
      value,
      passed: value !== null && holds(value, t.op, t.threshold),
    };
  });
}

/**
 * The first abortOnFail threshold that `interim` (findings known during the run) breaches,
 * once its delayAbortEval has passed; a finding not reported yet breaches nothing.
 */
export function firstBreach(
  thresholds: readonly Threshold[],
  interim: Readonly<Record<string, number>>,
  elapsedMs: number,
): { threshold: Threshold; value: number } | undefined {
  for (const t of thresholds) {
    if (!t.abortOnFail || elapsedMs < (t.delayAbortEvalMs ?? 0)) continue;
    const value = interim[t.key];
    if (value !== undefined && Number.isFinite(value) && !holds(value, t.op, t.threshold))
      return { threshold: t, value };
  }
  return undefined;
}
