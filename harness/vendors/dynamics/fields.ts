/**
 * Canonical fields <-> Dataverse columns on the contact table. `poc_seq` is a custom column:
 * real custom columns carry their solution publisher's prefix, so poc's column is created under
 * a publisher whose prefix is `poc`, which makes its logical name `poc_seq` too.
 */
const CANONICAL_TO_COLUMN: Readonly<Record<string, string>> = {
  email: 'emailaddress1',
  firstname: 'firstname',
  lastname: 'lastname',
  phone: 'telephone1',
  poc_seq: 'poc_seq',
};

const COLUMN_TO_CANONICAL: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CANONICAL_TO_COLUMN).map(([canonical, column]) => [column, canonical]),
);

/** The alternate key poc upserts by: a key on emailaddress1, defined once with CreateEntityKey. */
export const DATAVERSE_KEY_COLUMN = 'emailaddress1';

/** Canonical object type -> Web API entity set name and table logical name. */
export const TABLES: Readonly<Record<string, { entitySet: string; logicalName: string }>> = {
  contacts: { entitySet: 'contacts', logicalName: 'contact' },
};

export function toColumns(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) out[CANONICAL_TO_COLUMN[name] ?? name] = value;
  return out;
}

/** Only the columns poc knows come back: system columns (modifiedon, contactid...) are not fields. */
export function toCanonical(columns: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [column, value] of Object.entries(columns)) {
    const canonical = COLUMN_TO_CANONICAL[column];
    if (canonical !== undefined && value !== null && value !== undefined) out[canonical] = String(value);
  }
  return out;
}

export function columnOf(canonical: string): string {
  return CANONICAL_TO_COLUMN[canonical] ?? canonical;
}

/** An OData string literal: single quotes doubled (OData ABNF), then URL-encoded for the path. */
export function odataString(value: string): string {
  return `'${encodeURIComponent(value.replaceAll("'", "''"))}'`;
}

/** serviceendpoint.contract and .authtype option values (serviceendpoint table reference). */
export const CONTRACT_WEBHOOK = 8;
export const AUTH_TYPE = { WebhookKey: 4, HttpHeader: 5, HttpQueryString: 6 } as const;

/** The header poc's HttpHeader endpoint sends its key in. */
export const WEBHOOK_KEY_HEADER = 'x-poc-key';

/** HttpHeader keys are stored in serviceendpoint.authvalue as this small XML document. */
export function httpHeaderAuthValue(headers: Readonly<Record<string, string>>): string {
  const settings = Object.entries(headers)
    .map(([name, value]) => `<setting name="${xmlAttr(name)}" value="${xmlAttr(value)}" />`)
    .join('');
  return `<settings>${settings}</settings>`;
}

export function parseHttpHeaderAuthValue(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<setting\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g)) {
    out[unXml(m[1] ?? '')] = unXml(m[2] ?? '');
  }
  return out;
}

function xmlAttr(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function unXml(s: string): string {
  return s.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
