import { zohoError } from './errors.js';

export interface Paging {
  readonly page: number;
  readonly perPage: number;
}

/** A query value as a whole number from 1, undefined when absent, null when it is anything else. */
function positive(raw: string | undefined): number | undefined | null {
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/**
 * `page` and `per_page` of a records list. Zoho documents per_page's default and maximum as 200
 * (Get Records, v8): a larger one serves the maximum [unverified: clamped, not refused]. A value
 * that is not a whole number from 1 is refused with INVALID_DATA naming the parameter and the
 * type it expects [unverified wording]; the mock used to read "abc" as the default and "-5" as a
 * negative page size.
 */
export function readPaging(
  query: { readonly page?: string; readonly per_page?: string },
  maxPerPage: number,
): Paging | ReturnType<typeof zohoError> {
  const page = positive(query.page);
  const perPage = positive(query.per_page);
  for (const [param, value] of [
    ['per_page', perPage],
    ['page', page],
  ] as const) {
    if (value === null)
      return zohoError('INVALID_DATA', 'invalid data', { param, expected_data_type: 'integer' });
  }
  return { page: page ?? 1, perPage: Math.min(maxPerPage, perPage ?? maxPerPage) };
}

export function isPaging(value: Paging | ReturnType<typeof zohoError>): value is Paging {
  return 'perPage' in value;
}
