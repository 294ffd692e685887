/**
 * The CRM's contact shape: snake_case standard fields, anything else under `custom_fields`.
 * poc's canonical names (email, firstname, lastname, phone, poc_seq...) map onto it and back.
 */
export const STANDARD_FIELDS: Readonly<Record<string, string>> = {
  email: 'email',
  firstname: 'first_name',
  lastname: 'last_name',
  phone: 'phone',
};

const CANONICAL_OF = new Map(Object.entries(STANDARD_FIELDS).map(([canonical, own]) => [own, canonical]));

export interface ContactWrite {
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  custom_fields?: Record<string, string>;
}

/** Canonical fields to the body of a contact write. */
export function toContactWrite(fields: Readonly<Record<string, string>>): ContactWrite {
  const out: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const own = STANDARD_FIELDS[name];
    if (own) out[own] = value;
    else custom[name] = value;
  }
  if (Object.keys(custom).length > 0) out.custom_fields = custom;
  return out as ContactWrite;
}

/** A contact as the API or a webhook shows it, back to canonical fields (strings only). */
export function canonicalFields(contact: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [own, value] of Object.entries(contact)) {
    const canonical = CANONICAL_OF.get(own);
    if (canonical && typeof value === 'string') out[canonical] = value;
  }
  const custom = contact.custom_fields;
  if (typeof custom === 'object' && custom !== null && !Array.isArray(custom)) {
    for (const [name, value] of Object.entries(custom)) if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** The CRM's event types for contacts: contact.created, contact.updated, contact.deleted. */
export const CONTACT_EVENT_TYPES = {
  create: 'contact.created',
  update: 'contact.updated',
  delete: 'contact.deleted',
};
