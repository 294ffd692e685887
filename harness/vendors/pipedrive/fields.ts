/**
 * Canonical fields (email, firstname, lastname, phone, poc_seq) <-> Pipedrive person fields.
 *
 * Pipedrive keeps one `name` and derives `first_name`/`last_name` from it; emails and phones are
 * lists of `{value, primary, label}`; custom fields have no stable name on the wire, only a
 * 40-character hash key per company, which is resolved through /v1/personFields at run time.
 */

/** Canonical fields stored as Pipedrive custom fields, created with the same display name. */
export const CUSTOM_CANONICAL_FIELDS = ['poc_seq'] as const;

const EVENT_OBJECTS: Readonly<Record<string, string>> = {
  contacts: 'person',
  companies: 'organization',
  deals: 'deal',
};

/** Pipedrive's event_object (and entity) for a canonical object type. */
export function eventObjectOf(objectType: string): string {
  return EVENT_OBJECTS[objectType] ?? objectType;
}

export interface ListItem {
  value: string;
  primary: boolean;
  label: string;
}

/** The write body of POST/PATCH /api/v2/persons (SDK 33 AddPersonRequest/UpdatePersonRequest). */
export interface PersonWriteBody {
  name?: string;
  emails?: ListItem[];
  phones?: ListItem[];
  custom_fields?: Record<string, string>;
}

/**
 * Maps canonical fields to a person write body. The v2 write models carry `name` only, so a
 * first or last name alone is completed from the person's current name.
 */
export function toPersonBody(
  fields: Readonly<Record<string, string>>,
  customKeys: Readonly<Record<string, string>>,
  currentName?: string,
): PersonWriteBody {
  const body: PersonWriteBody = {};
  if (fields.email !== undefined) body.emails = [{ value: fields.email, primary: true, label: 'work' }];
  if (fields.phone !== undefined) body.phones = [{ value: fields.phone, primary: true, label: 'work' }];
  if (fields.firstname !== undefined || fields.lastname !== undefined) {
    const [currentFirst, currentLast] = splitName(currentName ?? '');
    body.name = joinName(fields.firstname ?? currentFirst, fields.lastname ?? currentLast);
  }
  for (const canonical of CUSTOM_CANONICAL_FIELDS) {
    const value = fields[canonical];
    const key = customKeys[canonical];
    if (value !== undefined && key !== undefined) {
      body.custom_fields ??= {};
      body.custom_fields[key] = value;
    }
  }
  return body;
}

export function joinName(first: string, last: string): string {
  return [first, last].filter((p) => p.length > 0).join(' ');
}

/** Pipedrive's split: the first word is the first name, the rest the last name. */
export function splitName(name: string): [first: string, last: string] {
  const trimmed = name.trim();
  const space = trimmed.indexOf(' ');
  return space < 0 ? [trimmed, ''] : [trimmed.slice(0, space), trimmed.slice(space + 1).trim()];
}

/** The primary entry of an emails/phones list, or the first one. */
export function primaryValue(list: unknown): string | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const items = list as { value?: unknown; primary?: unknown }[];
  const chosen = items.find((i) => i?.primary === true) ?? items[0];
  return typeof chosen?.value === 'string' ? chosen.value : undefined;
}

/**
 * A custom field's value as it appears on the wire: a plain value in API v2 responses, an
 * object `{type, value}` in webhooks v2 payloads [unverified]; both are accepted.
 */
export function customValue(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === 'object' && !Array.isArray(raw)) return customValue((raw as { value?: unknown }).value);
  return typeof raw === 'string' ? raw : String(raw);
}

/** Canonical fields from a person as Pipedrive shows it (API v2 object or webhook `data`). */
export function fromPerson(
  person: Readonly<Record<string, unknown>>,
  keyToCanonical: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const email = primaryValue(person.emails);
  if (email !== undefined) out.email = email;
  const phone = primaryValue(person.phones);
  if (phone !== undefined) out.phone = phone;
  if (typeof person.first_name === 'string') out.firstname = person.first_name;
  if (typeof person.last_name === 'string') out.lastname = person.last_name;
  const custom = person.custom_fields;
  if (typeof custom === 'object' && custom !== null) {
    for (const [key, raw] of Object.entries(custom as Record<string, unknown>)) {
      const canonical = keyToCanonical[key];
      const value = customValue(raw);
      if (canonical !== undefined && value !== undefined) out[canonical] = value;
    }
  }
  return out;
}
