import { type Logger, pino } from 'pino';

/**
 * One logger for the whole harness, on stderr so stdout stays clean for summaries and --json.
 * Redaction paths live here and nowhere else: any field that can hold a credential is censored.
 */
const SECRET_FIELDS = [
  'token',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'secret',
  'webhookSecret',
  'password',
  'authorization',
  'cookie',
  'api_token',
  '"x-api-token"',
  'credentials',
];

export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `headers.${f}`),
];

export function createLogger(level = process.env.POC_LOG_LEVEL ?? 'warn'): Logger {
  return pino(
    { level, base: null, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.destination({ dest: 2, sync: true }),
  );
}

export type { Logger };
