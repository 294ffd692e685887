/**
 * The single table of poc's error codes. Users and tests match on `code`, never on the
 * message; codes are never reused once published (README lists every row, a test checks it).
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  thresholds: 99,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface ErrorSpec {
  readonly exit: ExitCode;
  readonly hint: string;
}

export const ERRORS = {
  POC_ERR_USAGE: { exit: EXIT.usage, hint: 'Run the command with --help to see its options and examples.' },
  POC_ERR_BAD_OPTION: { exit: EXIT.usage, hint: 'Fix the named option; --help lists accepted values.' },
  POC_ERR_BAD_CONFIG: {
    exit: EXIT.usage,
    hint: 'Fix the file at the line named; `poc init` writes a commented poc.yaml, `poc scorecard init` commented weights.yaml and answers.yaml.',
  },
  POC_ERR_UNKNOWN_SCENARIO: { exit: EXIT.usage, hint: 'Run `poc list scenarios` to see the scenario ids.' },
  POC_ERR_UNKNOWN_VENDOR: { exit: EXIT.usage, hint: 'Run `poc list vendors` to see the vendor ids.' },
  POC_ERR_BAD_THRESHOLD: {
    exit: EXIT.usage,
    hint: 'Write thresholds as `<finding> <op> <number>` (`webhook.latency_p99_ms<250`) or in k6’s spelling `<finding>: <aggregation><op><number>[unit]` (`webhook.latency_p99_ms: p(99)<250ms`); `poc run <scenario> --help` gives the grammar and the findings.',
  },
  POC_ERR_MISSING_CREDENTIALS: {
    exit: EXIT.usage,
    hint: 'Set the named environment variable (or its *_FILE variant pointing at a file); secrets are never taken from flags.',
  },
  POC_ERR_RUN_NOT_FOUND: { exit: EXIT.usage, hint: 'Run `poc list runs` to see the stored run ids.' },
  POC_ERR_MOCK_START: {
    exit: EXIT.failed,
    hint: 'The embedded mock vendor did not start; rerun with POC_LOG_LEVEL=debug to see its output.',
  },
  POC_ERR_VENDOR_HTTP: {
    exit: EXIT.failed,
    hint: 'The vendor API answered with an error that retries did not resolve; the status and body are in the message.',
  },
  POC_ERR_VENDOR_UNREACHABLE: {
    exit: EXIT.failed,
    hint: 'The vendor API did not answer (connection refused, DNS, timeout) even after retries; check the base URL and the network.',
  },
  POC_ERR_PORT_IN_USE: {
    exit: EXIT.usage,
    hint: 'Give the option named in the message another port, or 0 for any free port.',
  },
  POC_ERR_BUDGET_EXHAUSTED: {
    exit: EXIT.failed,
    hint: 'Raise --max-requests or --max-quota-share if the vendor’s quota allows it; what was measured is kept.',
  },
  POC_ERR_DATA_DIR: {
    exit: EXIT.usage,
    hint: 'Give --data-dir a folder you can write (it is created when missing); nothing was started.',
  },
  POC_ERR_STORE_DAMAGED: {
    exit: EXIT.usage,
    hint: 'Move the damaged file aside (it may still be read with sqlite3 .recover); poc creates a new one.',
  },
  POC_ERR_OUTPUT_PATH: {
    exit: EXIT.usage,
    hint: 'Create the folder or choose another path; poc checks output paths before it starts the load.',
  },
  POC_ERR_DISK_FULL: {
    exit: EXIT.failed,
    hint: 'Free space under --data-dir (or point it at a larger disk); the run was stopped and what was stored is kept.',
  },
  POC_ERR_NOT_SUPPORTED: {
    exit: EXIT.usage,
    hint: 'This combination is not available yet; the message says which part is missing.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** Thrown by library code for every expected failure; only harness/cli.ts turns it into an exit. */
export class PocError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PocError';
    this.code = code;
    this.exitCode = ERRORS[code].exit;
    this.hint = ERRORS[code].hint;
  }
}

export function isPocError(err: unknown): err is PocError {
  return err instanceof PocError;
}
