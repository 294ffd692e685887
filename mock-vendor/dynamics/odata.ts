/**
 * OData 4.0 URL syntax the mock shares between routes: entity keys in the path, comparisons, row
 * ordering, the Prefer header and the paging cookie. $filter and $orderby are read by
 * filter-*.ts; anything the mock does not read is refused with a 400, never silently ignored.
 */

export type EntityKey =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'alternate'; readonly values: Readonly<Record<string, string>> };

export interface ResourcePath {
  readonly entitySet: string;
  readonly key?: EntityKey;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * `contacts`, `contacts(<guid>)` or `contacts(emailaddress1='a@b.c')`, as sent (percent-encoded):
 * decoded once, as the server decodes a URL, then read; undefined if it is none of those.
 */
export function parseResourcePath(rawPath: string): ResourcePath | undefined {
  const decoded = safeDecode(rawPath);
  if (decoded === undefined) return undefined;
  const m = /^([A-Za-z_][\w]*)(?:\((.*)\))?$/s.exec(decoded);
  if (!m?.[1]) return undefined;
  const entitySet = m[1];
  const inner = m[2];
  if (inner === undefined) return { entitySet };
  if (isGuid(inner)) return { entitySet, key: { kind: 'id', id: inner.toLowerCase() } };
  const values: Record<string, string> = {};
  const pair = /\s*([A-Za-z_]\w*)\s*=\s*'((?:[^']|'')*)'\s*(?:,|$)/y;
  let consumed = 0;
  for (;;) {
    pair.lastIndex = consumed;
    const p = pair.exec(inner);
    if (!p?.[1]) break;
    values[p[1]] = (p[2] ?? '').replaceAll("''", "'");
    consumed = pair.lastIndex;
  }
  if (consumed !== inner.length || Object.keys(values).length === 0) return undefined;
  return { entitySet, key: { kind: 'alternate', values } };
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export interface OrderBy {
  readonly column: string;
  readonly descending: boolean;
}

export function sortRows<T extends Record<string, unknown>>(rows: T[], order: readonly OrderBy[]): T[] {
  if (order.length === 0) return rows;
  return rows.sort((a, b) => {
    for (const o of order) {
      const d = compareNullable(a[o.column], b[o.column]);
      if (d !== 0) return o.descending ? -d : d;
    }
    return 0;
  });
}

/** `odata.maxpagesize=N` from a Prefer header (several preferences are comma-separated). */
export function preferences(header: string | string[] | undefined): {
  maxPageSize?: number;
  returnRepresentation: boolean;
} {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const size = /odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(text)?.[1];
  return {
    ...(size ? { maxPageSize: Number(size) } : {}),
    returnRepresentation: /return\s*=\s*representation/i.test(text),
  };
}

/**
 * Dataverse's $skiptoken is a URL-encoded paging cookie, `<cookie pagenumber="2"
 * pagingcookie="…" istracking="False" />`, whose inner (itself encoded) cookie holds the last
 * row's values of the ordering columns and the primary key, `<cookie page="1"><contactid
 * last="{…}" first="{…}" /></cookie>` (the shape as remembered from Learn's page-results
 * examples, unverified; so are the per-order-column entries). The next page starts after that row, so rows changing or leaving while a client
 * pages shift nothing: no row is skipped or repeated because of them.
 */
export function skipToken(page: number, last?: Readonly<Record<string, string | null>>): string {
  if (!last) return `<cookie pagenumber="${page}" istracking="False" />`;
  const columns = Object.entries(last)
    .map(([c, v]) => (v === null ? `<${c} />` : `<${c} last="${xmlAttr(v)}" />`))
    .join('');
  const inner = encodeURIComponent(`<cookie page="${page - 1}">${columns}</cookie>`);
  return `<cookie pagenumber="${page}" pagingcookie="${inner}" istracking="False" />`;
}

export function pageOf(token: string | null): number {
  if (token === null) return 1;
  const page = Number(/pagenumber="(\d+)"/.exec(token)?.[1]);
  if (!Number.isInteger(page) || page < 1) throw new Error(`The $skiptoken '${token}' is not valid.`);
  return page;
}

/** The last row a paging cookie names (column -> value, null when unset); undefined without one. */
export function lastRowOf(token: string | null): Record<string, string | null> | undefined {
  const encoded = token === null ? undefined : /pagingcookie="([^"]*)"/.exec(token)?.[1];
  if (encoded === undefined) return undefined;
  let inner: string;
  try {
    inner = decodeURIComponent(encoded);
  } catch {
    throw new Error(`The $skiptoken '${token}' is not valid.`);
  }
  const last: Record<string, string | null> = {};
  for (const m of inner.matchAll(/<(\w+)(?:\s+last="([^"]*)")?\s*\/>/g)) {
    if (m[1]) last[m[1]] = m[2] === undefined ? null : unXml(m[2]);
  }
  return last;
}

/** Compares like SQL Server's default collation: strings case-insensitively, dates as instants. */
function compare(left: unknown, right: string | number | null): number | undefined {
  if (left === null || left === undefined || right === null) return undefined;
  if (typeof right === 'number') return Number(left) - right;
  const l = Date.parse(String(left));
  const r = Date.parse(right);
  if (/^\d{4}-\d{2}-\d{2}/.test(right) && Number.isFinite(l) && Number.isFinite(r)) return l - r;
  return String(left).toLowerCase().localeCompare(right.toLowerCase());
}

/** Orders like SQL Server: NULL before any value, then compare(). */
export function compareNullable(left: unknown, right: unknown): number {
  const l = left ?? null;
  const r = right ?? null;
  if (l === null || r === null) return l === r ? 0 : l === null ? -1 : 1;
  // Numeric columns compare as numbers, also against a cookie's string copy of the value.
  return compare(l, typeof l === 'number' ? Number(r) : String(r)) ?? 0;
}

function xmlAttr(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function unXml(s: string): string {
  return s.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
