import { PocError } from '../errors.js';
import type { Check, CheckOp, Finding } from './findings.js';

export interface Threshold {
  readonly key: string;
  readonly op: CheckOp;
  readonly threshold: number;
  readonly source: 'default' | 'user';
}

const PATTERN = /^\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Parses `--threshold 'webhook.latency_p99_ms<250'` against the findings a scenario produces. */
export function parseThreshold(expr: string, knownKeys: readonly string[]): Threshold {
  const m = PATTERN.exec(expr);
  if (!m) {
    throw new PocError(
      'POC_ERR_BAD_THRESHOLD',
      `--threshold: "${expr}" is not <finding> <op> <number> (ops: < <= > >= == !=)`,
    );
  }
  const [, key = '', op = '==', num = '0'] = m;
  if (!knownKeys.includes(key)) {
    throw new PocError(
      'POC_ERR_BAD_THRESHOLD',
      `--threshold: "${key}" is not a finding of this scenario; known: ${knownKeys.join(', ')}`,
    );
  }
  return { key, op: op as CheckOp, threshold: Number(num), source: 'user' };
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
