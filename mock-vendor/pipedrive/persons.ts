import { CUSTOM_CANONICAL_FIELDS, joinName, splitName } from '../../harness/vendors/pipedrive/fields.js';
import type { MockRecord } from '../records.js';
import type { PersonFieldRegistry } from './person-fields.js';

/**
 * Persons are kept flat in the shared RecordStore: name, first_name, last_name, email (the
 * primary address, indexed for search), emails (the JSON list), phone, phones, and one entry per
 * custom field hash key. These helpers turn that into Pipedrive's shapes and back.
 */

interface ListItem {
  value: string;
  primary: boolean;
  label: string;
}

/** Pipedrive v2 prints times to the second, in UTC with a Z. */
export function v2Time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function list(record: MockRecord, prop: 'emails' | 'phones'): ListItem[] {
  const raw = record.properties[prop];
  return raw ? (JSON.parse(raw) as ListItem[]) : [];
}

function setName(props: Record<string, string>, name: string): void {
  const [first, last] = splitName(name);
  props.name = name;
  props.first_name = first;
  props.last_name = last;
}

function setList(props: Record<string, string>, prop: 'emails' | 'phones', items: ListItem[]): void {
  props[prop] = JSON.stringify(items);
  props[prop === 'emails' ? 'email' : 'phone'] = (items.find((i) => i.primary) ?? items[0])?.value ?? '';
}

function parseList(raw: unknown, field: string): ListItem[] | string {
  if (!Array.isArray(raw)) return `${field} must be an array of {value, primary, label}`;
  const items: ListItem[] = [];
  for (const [i, item] of raw.entries()) {
    const value = (item as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' || value.length === 0)
      return `${field}[${i}].value must be a non-empty string`;
    const { primary, label } = item as { primary?: unknown; label?: unknown };
    items.push({ value, primary: primary === true, label: typeof label === 'string' ? label : 'work' });
  }
  if (items.length > 0 && !items.some((i) => i.primary) && items[0]) items[0].primary = true;
  return items;
}

/**
 * Field types whose value is one scalar (the SDK's CreateFieldRequest field_type table); set,
 * monetary, address and the ranges take structured values.
 */
const SCALAR_FIELD_TYPES: ReadonlySet<string> = new Set([
  'varchar',
  'varchar_auto',
  'text',
  'double',
  'phone',
  'date',
  'time',
  'enum',
  'org',
  'people',
  'user',
]);

/** The flat properties a POST/PATCH body sets, or the validation message to answer 400 with. */
export function propsFromWriteBody(
  body: Record<string, unknown>,
  fields: PersonFieldRegistry,
): Record<string, string> | string {
  const props: Record<string, string> = {};
  if (body.name !== undefined) {
    if (typeof body.name !== 'string' || body.name.trim().length === 0)
      return 'name must be a non-empty string';
    setName(props, body.name.trim());
  }
  for (const prop of ['emails', 'phones'] as const) {
    if (body[prop] === undefined) continue;
    const items = parseList(body[prop], prop);
    if (typeof items === 'string') return items;
    setList(props, prop, items);
  }
  if (body.org_id !== undefined) {
    // Organizations are not emulated: the link is kept as given, for org_id filters to read.
    if (
      body.org_id !== null &&
      (typeof body.org_id !== 'number' || !Number.isInteger(body.org_id) || body.org_id < 1)
    )
      return 'org_id must be a positive integer or null';
    props.org_id = body.org_id === null ? '' : String(body.org_id);
  }
  if (body.custom_fields !== undefined) {
    const custom = body.custom_fields;
    if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) {
      return 'custom_fields must be an object keyed by field key';
    }
    for (const [key, value] of Object.entries(custom as Record<string, unknown>)) {
      const field = fields.custom(key);
      if (!field) return `custom_fields.${key}: no such person field`;
      // Text, number, date and reference fields hold one value; String() made "[object Object]".
      if (typeof value === 'object' && value !== null && SCALAR_FIELD_TYPES.has(field.field_type)) {
        return `custom_fields.${key} must be one ${field.field_type} value, not an object or array`;
      }
      props[key] = value === null || value === undefined ? '' : String(value);
    }
  }
  return props;
}

/** Canonical fields (the firehose's) as flat properties; a lone first or last name keeps the other. */
export function propsFromCanonical(
  canonical: Readonly<Record<string, string>>,
  fields: PersonFieldRegistry,
  current: MockRecord | undefined,
): Record<string, string> {
  const props: Record<string, string> = {};
  if (canonical.email !== undefined) {
    setList(props, 'emails', [{ value: canonical.email, primary: true, label: 'work' }]);
  }
  if (canonical.phone !== undefined) {
    setList(props, 'phones', [{ value: canonical.phone, primary: true, label: 'work' }]);
  }
  if (canonical.firstname !== undefined || canonical.lastname !== undefined) {
    const first = canonical.firstname ?? current?.properties.first_name ?? '';
    const last = canonical.lastname ?? current?.properties.last_name ?? '';
    setName(props, joinName(first, last));
  }
  for (const name of CUSTOM_CANONICAL_FIELDS) {
    const key = fields.keyOf(name);
    const value = canonical[name];
    if (key !== undefined && value !== undefined) props[key] = value;
  }
  return props;
}

function customFields(
  record: MockRecord,
  fields: PersonFieldRegistry,
  wrap: boolean,
  only?: readonly string[],
) {
  const out: Record<string, unknown> = {};
  for (const key of fields.customKeys()) {
    if (only && !only.includes(key)) continue;
    const value = record.properties[key];
    if (value === undefined || value === '') {
      if (!wrap) out[key] = null;
      continue;
    }
    // Webhooks v2 wrap custom values as {type, value} [unverified]; API v2 answers plain values.
    out[key] = wrap ? { type: fields.custom(key)?.field_type ?? 'varchar', value } : value;
  }
  return out;
}

/** The organization a person is linked to, or null. */
export function orgIdOf(record: MockRecord): number | null {
  const org = record.properties.org_id;
  return org ? Number(org) : null;
}

/**
 * A person as API v2 answers it (SDK 33 `Person` model); `customKeys` narrows custom_fields to
 * those keys, as the list's `custom_fields` parameter asks.
 */
export function toApiPerson(
  record: MockRecord,
  fields: PersonFieldRegistry,
  ownerId: number,
  customKeys?: readonly string[],
) {
  const p = record.properties;
  return {
    id: Number(record.id),
    name: p.name ?? '',
    first_name: p.first_name ?? '',
    last_name: p.last_name ?? '',
    owner_id: ownerId,
    org_id: orgIdOf(record),
    add_time: v2Time(record.createdAt),
    update_time: v2Time(record.updatedAt),
    emails: list(record, 'emails'),
    phones: list(record, 'phones'),
    is_deleted: false,
    visible_to: 3,
    label_ids: [],
    picture_id: null,
    custom_fields: customFields(record, fields, false, customKeys),
  };
}

/** A person as webhooks v2 `data` carries it: the crucial fields, custom values wrapped. */
export function toWebhookPerson(record: MockRecord, fields: PersonFieldRegistry, ownerId: number) {
  return { ...toApiPerson(record, fields, ownerId), custom_fields: customFields(record, fields, true) };
}

/** A person as /persons/search lists it (SDK 33 GetPersonSearchResponse item). */
export function toSearchItem(record: MockRecord, ownerId: number) {
  return {
    result_score: 1,
    item: {
      id: Number(record.id),
      type: 'person',
      name: record.properties.name ?? '',
      phones: list(record, 'phones').map((i) => i.value),
      emails: list(record, 'emails').map((i) => i.value),
      visible_to: 3,
      owner: { id: ownerId },
      // Organizations are not emulated, so the mock knows the id only.
      organization: orgIdOf(record) === null ? null : { id: orgIdOf(record), name: null, address: null },
      custom_fields: [],
      notes: [],
    },
  };
}

/** `previous` of a change webhook: the old values of the changed fields, in the `data` shape. */
export function previousOf(
  before: Readonly<Record<string, string>>,
  changed: readonly string[],
  fields: PersonFieldRegistry,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const prop of changed) {
    const old = before[prop];
    if (prop === 'emails' || prop === 'phones') out[prop] = old ? JSON.parse(old) : [];
    else if (prop === 'email' || prop === 'phone') continue;
    else if (prop === 'org_id') out.org_id = old ? Number(old) : null;
    else if (fields.custom(prop))
      custom[prop] = old ? { type: fields.custom(prop)?.field_type, value: old } : null;
    else out[prop] = old ?? null;
  }
  if (Object.keys(custom).length > 0) out.custom_fields = custom;
  return out;
}
