import { type Logger, pino } from 'pino';

/**
 * Every field name that can hold a credential, as it appears in our objects and in vendors'
 * answers. The one list: the logger's redact paths and the redaction of vendor error bodies
 * (redactText) both come from it, so a name added here is censored everywhere.
 */
export const SECRET_FIELDS: readonly string[] = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'secret',
  'webhookSecret',
  'password',
  'authorization',
  'cookie',
  'api_token',
  'api_key',
  'apikey',
  'x-api-token',
  'credentials',
];

const CENSOR = '[redacted]';

/** A name pino's path syntax takes bare; any other (`x-api-token`) needs brackets, or it matches nothing. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function topKey(field: string): string {
  return IDENTIFIER.test(field) ? field : `["${field}"]`;
}

function childKey(field: string): string {
  return IDENTIFIER.test(field) ? `.${field}` : `["${field}"]`;
}

/** pino redact paths: each secret field at the top, one level down, and among `headers`. */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_FIELDS.map(topKey),
  ...SECRET_FIELDS.map((f) => `*${childKey(f)}`),
  ...SECRET_FIELDS.map((f) => `headers${childKey(f)}`),
];

/** Kept after the field name, so a reader still sees what kind of credential was there. */
const AUTH_SCHEMES = ['Bearer', 'Basic', 'Digest', 'Token', 'OAuth', 'Zoho-oauthtoken'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `field: value`, `field=value` (up to the next `&` of a form body), `"field":"value"` for every
 * secret field, in any case. No left boundary on purpose: `client_secret` or `id_token` end in
 * a listed name and are caught too.
 */
const FIELD_VALUE = new RegExp(
  `((?:${[...SECRET_FIELDS]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')})['"]?\\s*[:=]\\s*['"]?)((?:${AUTH_SCHEMES.map(escapeRegExp).join('|')})\\s+)?[^'",}&\\s]+`,
  'gi',
);

/** Shorter values are too likely to occur in an ordinary text to be cut out of it. */
const MIN_SECRET_LENGTH = 8;

/**
 * Censors a text bound for an error message or a log line: vendor error bodies can echo the
 * credentials we sent (token endpoints, sloppy APIs). Removes every value in `sent` (the headers
 * we sent; `Bearer x` also removes `x` alone) and the value of every secret-shaped field.
 */
export function redactText(text: string, sent: Iterable<string> = []): string {
  let out = text;
  for (const value of sent) {
    for (const part of [value, value.replace(/^\S+\s+/, '')]) {
      if (part.length >= MIN_SECRET_LENGTH) out = out.split(part).join(CENSOR);
    }
  }
  return out.replace(FIELD_VALUE, `$1$2${CENSOR}`);
}

/**
 * One logger for the whole harness, on stderr so stdout stays clean for summaries and --json.
 * Any field in SECRET_FIELDS is censored.
 */
export function createLogger(level = process.env.POC_LOG_LEVEL ?? 'warn'): Logger {
  return pino(
    { level, base: null, redact: { paths: [...REDACT_PATHS], censor: CENSOR } },
    pino.destination({ dest: 2, sync: true }),
  );
}

export type { Logger };
