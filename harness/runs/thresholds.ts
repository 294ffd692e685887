import { PocError } from '../errors.js';
import type { Check, CheckOp, Finding } from './findings.js';

export interface Threshold {
  readonly key: string;
  readonly op: CheckOp;
  readonly threshold: number;
  readonly source: 'default' | 'user';
}

const PATTERN = /^\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/**
 * Reads `webhook.latency_p99_ms<250` against the findings a scenario produces: the threshold,
 * or what is wrong with the expression.
 */
export function readThreshold(expr: string, knownKeys: readonly string[]): Threshold | { problem: string } {
  const m = PATTERN.exec(expr);
  if (!m) return { problem: `"${expr}" is not <finding> <op> <number> (ops: < <= > >= == !=)` };
  const [, key = '', op = '==', num = '0'] = m;
  if (!knownKeys.includes(key))
    return { problem: `"${key}" is not a finding of this scenario; known: ${knownKeys.join(', ')}` };
  return { key, op: op as CheckOp, threshold: Number(num), source: 'user' };
}

/** Parses `--threshold 'webhook.latency_p99_ms<250'`, or throws POC_ERR_BAD_THRESHOLD. */
export function parseThreshold(expr: string, knownKeys: readonly string[]): Threshold {
  const read = readThreshold(expr, knownKeys);
  if ('problem' in read) throw new PocError('POC_ERR_BAD_THRESHOLD', `--threshold: ${read.problem}`);
  return read;
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

export function evaluate(thresholds: readonly Threshold[], findings: readonly Finding[]): Check[] {
  return thresholds.map((t) => {
    const finding = findings.find((f) => f.key === t.key);
    const value = finding?.value ?? null;
    return { ...t, value, passed: value !== null && holds(value, t.op, t.threshold) };
  });
}
