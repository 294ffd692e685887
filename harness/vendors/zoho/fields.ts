/**
 * Zoho CRM names things differently from poc's canonical model: modules are capitalised
 * (`Contacts`) and fields use API names (`First_Name`). Every mapping lives here, so the adapter,
 * the event parser and the mock agree.
 */

/** Canonical field -> Zoho API name. `Poc_Seq` is the custom field poc creates in the sandbox. */
export const ZOHO_FIELD_NAMES: Readonly<Record<string, string>> = {
  email: 'Email',
  firstname: 'First_Name',
  lastname: 'Last_Name',
  phone: 'Phone',
  poc_seq: 'Poc_Seq',
};

const CANONICAL_BY_ZOHO: ReadonlyMap<string, string> = new Map(
  Object.entries(ZOHO_FIELD_NAMES).map(([canonical, zoho]) => [zoho, canonical]),
);

/** Upsert matches Contacts on Email (shared/vendors.md §4.2: duplicate_check_fields). */
export const ZOHO_DUPLICATE_CHECK_FIELD = 'Email';

const MODULES: Readonly<Record<string, string>> = {
  contacts: 'Contacts',
  companies: 'Accounts',
  deals: 'Deals',
};

export function zohoModule(objectType: string): string {
  return MODULES[objectType] ?? objectType;
}

export function toZohoFields(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) out[ZOHO_FIELD_NAMES[name] ?? name] = value;
  return out;
}

/** Zoho API names back to canonical ones; names poc does not model pass through unchanged. */
export function toCanonicalFields(fields: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined || typeof value === 'object') continue;
    out[CANONICAL_BY_ZOHO.get(name) ?? name] = String(value);
  }
  return out;
}

/** The notification operations Zoho names in a callback, and the watch event each comes from. */
export type ZohoOperation = 'insert' | 'update' | 'delete';

export const WATCH_EVENT_SUFFIX: Readonly<Record<ZohoOperation, string>> = {
  insert: 'create',
  update: 'edit',
  delete: 'delete',
};
