/**
 * Keyset paging for the contact lists. A cursor is the sort key of the last item served plus the
 * kind of query it belongs to, base64url-encoded so clients treat it as opaque. Resuming "after
 * this key" rather than "after N items" keeps paging correct while writes and deletes go on.
 */

/** `all`: GET /v1/contacts; `modified`: with modified_since; `deleted`: GET /v1/contacts/deleted. */
export type ListKind = 'all' | 'modified' | 'deleted';

/** A sort key: compared element by element (a time, then the id as a tie-break). */
export type SortKey = readonly number[];

const TAGS: Readonly<Record<ListKind, string>> = { all: 'a', modified: 'm', deleted: 'd' };

export function encodeCursor(kind: ListKind, key: SortKey): string {
  return Buffer.from(`${TAGS[kind]}:${key.join(':')}`).toString('base64url');
}

export type CursorRead =
  | { readonly ok: true; readonly key: SortKey }
  | { readonly ok: false; readonly message: string };

/** Reads a cursor for a query of `kind`; one from another query is refused, not misread. */
export function decodeCursor(kind: ListKind, cursor: string): CursorRead {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^([amd])((?::\d{1,16})+)$/.exec(text);
  if (!match) return { ok: false, message: 'is not a cursor this API returned' };
  if (match[1] !== TAGS[kind]) {
    return { ok: false, message: 'belongs to another query; repeat the query that returned it' };
  }
  const key = (match[2] ?? '').slice(1).split(':').map(Number);
  return key.every(Number.isSafeInteger)
    ? { ok: true, key }
    : { ok: false, message: 'is not a cursor this API returned' };
}

function compare(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The page of `items` after `after` in key order, and the cursor to the next one (null on the
 * last page: one more item is looked for before a cursor is handed out).
 */
export function keysetPage<T>(
  kind: ListKind,
  items: Iterable<T>,
  keyOf: (item: T) => SortKey,
  after: SortKey | undefined,
  limit: number,
): { readonly items: T[]; readonly nextCursor: string | null } {
  const rest: { item: T; key: SortKey }[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (after === undefined || compare(key, after) > 0) rest.push({ item, key });
  }
  rest.sort((x, y) => compare(x.key, y.key));
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((p) => p.item),
    nextCursor: rest.length > limit && last ? encodeCursor(kind, last.key) : null,
  };
}
