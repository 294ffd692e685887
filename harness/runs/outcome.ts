import type { Check, Finding, ResultTable, RunStatus } from './findings.js';

/** What one finished run produced, as the reports present it (summary, JSON, JUnit). */
export interface RunOutcome {
  readonly runId: string;
  readonly scenario: string;
  readonly vendor: string;
  /** One line: "mock (hubspot emulation)" or "live (https://api.hubapi.com)". */
  readonly target: string;
  readonly status: RunStatus;
  readonly findings: Finding[];
  readonly checks: Check[];
  readonly notes: string[];
  readonly tables: ResultTable[];
  readonly runDir: string;
}
