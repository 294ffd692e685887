import { type Command, Option } from 'commander';
import type { z } from 'zod';
import { formatDuration } from '../duration.js';
import type { CliMeta } from './fields.js';

/** One field of a config schema as the command line sees it; derived from the schema, never written by hand. */
export interface FlagField {
  readonly key: string;
  /** Without the dashes: `pool-size`. */
  readonly flag: string;
  readonly kind: 'boolean' | 'number' | 'string' | 'list' | 'duration' | 'choice';
  readonly description: string;
  readonly choices?: readonly string[];
  /** The default as a person writes it (`30s`, not 30000); absent when there is none. */
  readonly defaultText?: string;
  readonly placeholder: string;
  /** The environment variable that also sets it (POC_RATE for --rate); a flag wins over it. */
  readonly env?: string;
  /** The field names its variable itself (POC_PROMETHEUS_RW_URL): errors name it even for a flag. */
  readonly envNamed?: true;
  readonly only?: 'mock' | 'live';
  readonly hidden?: boolean;
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly defaultValue?: unknown;
  readonly entries?: Record<string, string>;
}

const def = (schema: z.ZodType) => schema._zod.def as unknown as Def;

/** The schema under default/optional/pipe wrappers, with the metadata of every layer (outer wins). */
function unwrap(schema: z.ZodType): {
  base: z.ZodType;
  meta: Record<string, unknown>;
  defaultValue?: unknown;
} {
  let current = schema;
  let meta: Record<string, unknown> = {};
  let defaultValue: unknown;
  for (;;) {
    const layer = current.meta() ?? {};
    meta = {
      ...layer,
      ...meta,
      cli: { ...(layer.cli as object | undefined), ...(meta.cli as object | undefined) },
    };
    const d = def(current);
    if (d.type === 'default' && defaultValue === undefined) defaultValue = d.defaultValue;
    const inner = d.type === 'pipe' ? d.in : d.innerType;
    if (!inner || !['default', 'optional', 'pipe', 'readonly', 'nullable', 'prefault'].includes(d.type))
      break;
    current = inner;
  }
  return { base: current, meta, ...(defaultValue === undefined ? {} : { defaultValue }) };
}

/** kebab-case of a config key: poolSize -> pool-size. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The variable a flag is read from when the field names none: --max-requests -> POC_MAX_REQUESTS. */
export function envName(flag: string): string {
  return `POC_${flag.toUpperCase().replace(/-/g, '_')}`;
}

/** Every field of an object schema as a flag, in declaration order. */
export function flagFields(schema: z.ZodObject): FlagField[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => {
    const { base, meta, defaultValue } = unwrap(field);
    const cli = (meta.cli ?? {}) as CliMeta;
    const type = def(base).type;
    const kind: FlagField['kind'] = cli.duration
      ? 'duration'
      : type === 'boolean'
        ? 'boolean'
        : type === 'number' || type === 'int'
          ? 'number'
          : type === 'array'
            ? 'list'
            : type === 'enum'
              ? 'choice'
              : 'string';
    const choices = kind === 'choice' ? Object.values(def(base).entries ?? {}) : undefined;
    const defaultText =
      defaultValue === undefined ||
      (Array.isArray(defaultValue) && defaultValue.length === 0) ||
      defaultValue === false
        ? undefined
        : kind === 'duration'
          ? formatDuration(Number(defaultValue))
          : String(defaultValue);
    const flag = cli.flag ?? kebab(key);
    // poc's own flags between its processes have no variable: nothing a user sets.
    const env = cli.env ?? (cli.hidden ? undefined : envName(flag));
    return {
      key,
      flag,
      kind,
      description: typeof meta.description === 'string' ? meta.description : '',
      placeholder: cli.placeholder ?? (kind === 'number' ? 'n' : 'value'),
      ...(choices ? { choices } : {}),
      ...(defaultText === undefined ? {} : { defaultText }),
      ...(env ? { env } : {}),
      ...(cli.env ? { envNamed: true as const } : {}),
      ...(cli.only ? { only: cli.only } : {}),
      ...(cli.hidden ? { hidden: true } : {}),
    };
  });
}

/** The help line of a field: its description, then what it accepts, its default and its variable. */
export function helpText(field: FlagField, owners?: string): string {
  const parts = [field.description];
  if (field.only) parts.push(`[${field.only} only]`);
  if (owners) parts.push(`[${owners}]`);
  if (field.choices) parts.push(`(choices: ${field.choices.join(', ')})`);
  if (field.kind === 'list') parts.push('(repeatable)');
  if (field.defaultText !== undefined) parts.push(`(default: ${field.defaultText})`);
  if (field.env) parts.push(`(env: ${field.env})`);
  return parts.filter((p) => p.length > 0).join(' ');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Declares the fields on a commander command. Commander only collects strings here (no
 * defaults, no parsers, no env): the schema validates everything at once afterwards, and a
 * value that is absent was not given.
 */
export function addFlags(
  command: Command,
  fields: readonly FlagField[],
  options: { hidden?: boolean; owners?: (field: FlagField) => string | undefined } = {},
): void {
  for (const field of fields) {
    const spec = field.kind === 'boolean' ? `--${field.flag}` : `--${field.flag} <${field.placeholder}>`;
    const option = new Option(spec, helpText(field, options.owners?.(field)));
    if (field.kind === 'list') option.argParser(collect);
    if (options.hidden || field.hidden) option.hideHelp();
    command.addOption(option);
  }
}

/** The fields the user gave on the command line, as schema input (numbers made numbers). */
export function givenFlags(command: Command, fields: readonly FlagField[]): Record<string, unknown> {
  const values = command.opts();
  const given: Record<string, unknown> = {};
  for (const field of fields) {
    const attribute = field.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = values[attribute];
    if (value === undefined) continue;
    given[field.key] = field.kind === 'number' ? asNumber(value) : value;
  }
  return given;
}

/**
 * The fields set through their environment variables, as schema input: numbers made numbers,
 * `true`/`false` (or 1/0) for a switch, a list's values separated by `;` or new lines (a fault
 * spec and a k6 threshold have commas of their own). An empty variable is not set.
 */
export function envValues(fields: readonly FlagField[], env: NodeJS.ProcessEnv): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const text = field.env ? env[field.env] : undefined;
    if (text === undefined || text.trim() === '') continue;
    values[field.key] =
      field.kind === 'number'
        ? asNumber(text)
        : field.kind === 'boolean'
          ? asSwitch(text)
          : field.kind === 'list'
            ? text
                .split(/[;\n]/)
                .map((v) => v.trim())
                .filter((v) => v !== '')
            : text;
  }
  return values;
}

/** A switch written in a variable; anything else stays text, for the schema to refuse by name. */
function asSwitch(text: string): unknown {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return text;
}

/** Numbers typed as text become numbers; anything else stays text, for the schema to name. */
export function asNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^\s*[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?\s*$/i.test(value) ? Number(value) : value;
}
