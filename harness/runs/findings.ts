/** A measured fact: dotted lowercase key carrying its unit, e.g. `webhook.latency_p99_ms`. */
export interface Finding {
  readonly key: string;
  readonly value: number;
  readonly unit: string;
  readonly evidence: string;
}

export type CheckOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A threshold over one finding; any failed check makes the run exit 99 (k6's convention). */
export interface Check {
  readonly key: string;
  readonly op: CheckOp;
  readonly threshold: number;
  readonly value: number | null;
  readonly passed: boolean;
  readonly source: 'default' | 'user';
}

/** `crashed`: the process died before it could store an outcome (killed, out of memory, power cut). */
export type RunStatus = 'running' | 'passed' | 'failed' | 'aborted' | 'error' | 'crashed';

/** A small table a scenario wants shown as is (e.g. documented / advertised / measured limits). */
export interface ResultTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}
