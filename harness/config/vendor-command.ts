import type { z } from 'zod';
import { VENDOR_OPTIONS } from '../vendors/options.js';
import { envValues, type FlagField, flagFields, kebab } from './flags.js';
import { configError, resolveConfig } from './resolve.js';

type Part = 'mock' | 'receiver';

/** Every vendor's own options of a command, each with the vendors that take it. */
function vendorFields(part: Part): { field: FlagField; vendors: string[] }[] {
  const byFlag = new Map<string, { field: FlagField; vendors: string[] }>();
  for (const [vendor, options] of Object.entries(VENDOR_OPTIONS)) {
    const schema = options[part];
    if (!schema) continue;
    for (const field of flagFields(schema)) {
      const known = byFlag.get(field.flag);
      if (known) known.vendors.push(vendor);
      else byFlag.set(field.flag, { field, vendors: [vendor] });
    }
  }
  return [...byFlag.values()];
}

/** The flags of a vendor-parameterised command: its own, then the vendors' (help names whose). */
export function vendorCommandFields(
  generic: z.ZodObject,
  part: Part,
): { readonly fields: FlagField[]; readonly owners: (field: FlagField) => string | undefined } {
  const own = vendorFields(part);
  const owners = new Map(own.map(({ field, vendors }) => [field.flag, `${vendors.join(', ')} only`]));
  return { fields: [...flagFields(generic), ...own.map((o) => o.field)], owners: (f) => owners.get(f.flag) };
}

/**
 * Resolves `poc mock-vendor` / `poc receiver`: the generic options plus the chosen vendor's own.
 * Another vendor's option is refused with the vendor it belongs to; every problem at once.
 * `env` sets what no flag gives (POC_PORT for --port); the chosen vendor's own variables only.
 */
export function resolveVendorCommand<S extends z.ZodObject>(
  generic: S,
  part: Part,
  flags: Readonly<Record<string, unknown>>,
  knownVendors: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Readonly<z.output<S> & Record<string, unknown>> {
  const genericFields = flagFields(generic);
  const fromEnv = envValues(genericFields, env);
  const given = { ...fromEnv, ...flags };
  const vendor = typeof given.vendor === 'string' ? given.vendor : undefined;
  const extra = vendor ? VENDOR_OPTIONS[vendor]?.[part] : undefined;
  const schema = extra ? generic.extend(extra.shape) : generic;
  const fields = flagFields(schema);
  const label = (key: string) => `--${fields.find((f) => f.key === key)?.flag ?? kebab(key)}`;
  const envLabel = (key: string) => {
    const field = fields.find((f) => f.key === key);
    return field?.env ? `--${field.flag} (or ${field.env})` : label(key);
  };
  const owners = new Map(vendorFields(part).map(({ field, vendors }) => [field.key, vendors]));
  const sources = [
    { values: { ...fromEnv, ...envValues(extra ? flagFields(extra) : [], env) }, label: envLabel },
    { values: flags, label },
  ];
  const resolved = resolveConfig(schema, sources, {
    fallback: label,
    unknown: (key) => `applies to ${owners.get(key)?.join(', ') ?? 'no vendor'} only, not ${vendor}; drop it`,
  });
  const issues = [...resolved.issues];
  if (vendor !== undefined && !knownVendors.includes(vendor))
    issues.unshift({
      label: resolved.label('vendor'),
      message: `unknown vendor "${vendor}"; known: ${knownVendors.join(', ')}`,
      code: 'POC_ERR_UNKNOWN_VENDOR',
    });
  if (issues.length > 0 || resolved.value === undefined) throw configError(issues);
  return resolved.value as z.output<S> & Record<string, unknown>;
}
