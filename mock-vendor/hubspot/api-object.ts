import type { MockRecord } from '../records.js';

/**
 * The properties HubSpot returns for a contact when the caller names none, on reads and search
 * alike (search-the-crm reference; the list and read references say "default properties").
 */
export const DEFAULT_PROPERTIES = [
  'createdate',
  'email',
  'firstname',
  'hs_object_id',
  'lastmodifieddate',
  'lastname',
];

/** Every property of a record as HubSpot shows it, system dates as ISO 8601 with milliseconds. */
function allProperties(record: MockRecord): Record<string, string> {
  return {
    ...record.properties,
    hs_object_id: record.id,
    createdate: new Date(record.createdAt).toISOString(),
    lastmodifieddate: new Date(record.updatedAt).toISOString(),
  };
}

/** HubSpot's SimplePublicObject with every property (write answers echo what was stored). */
export function toApiObject(record: MockRecord) {
  return {
    id: record.id,
    properties: allProperties(record),
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: false,
  };
}

/**
 * The object with only the requested properties (null where unset, as HubSpot answers), always
 * with the system ones; the defaults when none are requested.
 */
export function toApiObjectWith(record: MockRecord, requested: readonly string[]) {
  const o = toApiObject(record);
  const all: Record<string, string> = o.properties;
  const wanted = requested.length > 0 ? requested : DEFAULT_PROPERTIES;
  const properties = Object.fromEntries(
    [...wanted, 'hs_object_id', 'createdate', 'lastmodifieddate'].map((p) => [
      p,
      (Object.hasOwn(all, p) ? all[p] : undefined) ?? null,
    ]),
  );
  return { ...o, properties };
}

/** `properties=a,b` or `properties=a&properties=b`, as HubSpot's read endpoints accept both. */
export function requestedProperties(query: string | string[] | undefined): string[] {
  const values = query === undefined ? [] : Array.isArray(query) ? query : [query];
  return values.flatMap((v) => v.split(',')).filter((p) => p.length > 0);
}
