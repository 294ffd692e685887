import type { MockRecord } from '../records.js';
import type { PersonField, PersonFieldRegistry } from './person-fields.js';

/**
 * Saved filters (/v1/filters) and how a people filter selects persons. The rules are the SDK's
 * AddFilterRequest description (pipedrive 33, from Pipedrive's OpenAPI): conditions are
 * `{glue: and, conditions: [{glue: and, conditions: [...]}, {glue: or, conditions: [...]}]}`, at
 * most 16 conditions, `date` values as YYYY-MM-DD, and these operators.
 */
export const FILTER_OPERATORS = [
  'IS NOT NULL',
  'IS NULL',
  '<=',
  '>=',
  '<',
  '>',
  '!=',
  '=',
  "LIKE '$%'",
  "LIKE '%$%'",
  "NOT LIKE '$%'",
] as const;
export const FILTER_TYPES = ['deals', 'leads', 'org', 'people', 'products', 'activity', 'projects'] as const;
export const FILTER_OBJECTS = ['person', 'deal', 'organization', 'product', 'activity'] as const;
const MAX_CONDITIONS = 16;

type Operator = (typeof FILTER_OPERATORS)[number];

export interface FilterCondition {
  readonly field: PersonField;
  readonly operator: Operator;
  readonly value: string;
}

export interface SavedFilter {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  /** The conditions as the client sent them, echoed back. */
  readonly conditions: unknown;
  readonly and: readonly FilterCondition[];
  readonly or: readonly FilterCondition[];
  readonly addTime: number;
}

interface Group {
  glue?: unknown;
  conditions?: unknown;
}

function group(value: unknown, glue: 'and' | 'or'): unknown[] | undefined {
  const g = value as Group | null;
  return typeof g === 'object' && g !== null && g.glue === glue && Array.isArray(g.conditions)
    ? g.conditions
    : undefined;
}

/**
 * Reads a filter's `conditions` into the two groups, or says what is wrong (wording the mock's).
 * Only person conditions are evaluated: the mock emulates no deals, organizations or activities.
 */
export function parseConditions(
  raw: unknown,
  fields: PersonFieldRegistry,
): { and: FilterCondition[]; or: FilterCondition[] } | string {
  const top = group(raw, 'and');
  const and = top && top.length === 2 ? group(top[0], 'and') : undefined;
  const or = top && top.length === 2 ? group(top[1], 'or') : undefined;
  if (!and || !or)
    return 'conditions must be {"glue":"and","conditions":[{"glue":"and","conditions":[...]},{"glue":"or","conditions":[...]}]}';
  if (and.length + or.length > MAX_CONDITIONS)
    return `a filter takes at most ${MAX_CONDITIONS} conditions, got ${and.length + or.length}`;
  const read = (items: unknown[]): FilterCondition[] | string => {
    const out: FilterCondition[] = [];
    for (const item of items) {
      const c = (item ?? {}) as Record<string, unknown>;
      if (!(FILTER_OBJECTS as readonly unknown[]).includes(c.object))
        return `condition object must be one of ${FILTER_OBJECTS.join(', ')}`;
      if (c.object !== 'person') return 'the mock evaluates person conditions only';
      const field = fields.all().find((f) => String(f.id) === String(c.field_id));
      if (!field) return `field_id ${String(c.field_id)} is not a person field`;
      if (!(FILTER_OPERATORS as readonly unknown[]).includes(c.operator))
        return `operator must be one of ${FILTER_OPERATORS.join(', ')}`;
      const value = c.value === null || c.value === undefined ? '' : String(c.value);
      const needsValue = c.operator !== 'IS NULL' && c.operator !== 'IS NOT NULL';
      if (needsValue && field.field_type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value))
        return `date values must be supplied in the YYYY-MM-DD format (field ${field.key})`;
      out.push({ field, operator: c.operator as Operator, value });
    }
    return out;
  };
  const andConditions = read(and);
  if (typeof andConditions === 'string') return andConditions;
  const orConditions = read(or);
  if (typeof orConditions === 'string') return orConditions;
  return { and: andConditions, or: orConditions };
}

/** A person's value for a field as filters compare it: text, the org or owner id, a date as YYYY-MM-DD. */
function fieldValue(record: MockRecord, field: PersonField, ownerId: number): string {
  if (field.key === 'owner_id') return String(ownerId);
  if (field.key === 'add_time') return new Date(record.createdAt).toISOString().slice(0, 10);
  if (field.key === 'update_time') return new Date(record.updatedAt).toISOString().slice(0, 10);
  if (field.key === 'visible_to') return '3';
  return record.properties[field.key] ?? '';
}

/**
 * One condition on one person. Text compares without regard to case and numbers as numbers; an
 * empty value only meets IS NULL and `!=` (how Pipedrive treats empty values is not documented).
 */
function holds(c: FilterCondition, record: MockRecord, ownerId: number): boolean {
  const actual = fieldValue(record, c.field, ownerId).toLowerCase();
  const wanted = c.value.toLowerCase();
  if (c.operator === 'IS NULL') return actual === '';
  if (c.operator === 'IS NOT NULL') return actual !== '';
  if (actual === '') return c.operator === '!=';
  const numeric =
    actual !== '' && wanted !== '' && Number.isFinite(Number(actual)) && Number.isFinite(Number(wanted));
  const d = numeric ? Number(actual) - Number(wanted) : actual < wanted ? -1 : actual > wanted ? 1 : 0;
  switch (c.operator) {
    case '=':
      return d === 0;
    case '!=':
      return d !== 0;
    case '<':
      return d < 0;
    case '>':
      return d > 0;
    case '<=':
      return d <= 0;
    case '>=':
      return d >= 0;
    case "LIKE '$%'":
      return actual.startsWith(wanted);
    case "LIKE '%$%'":
      return actual.includes(wanted);
    case "NOT LIKE '$%'":
      return !actual.startsWith(wanted);
  }
}

/** Whether a person passes a filter: every AND condition, and one OR condition when there are any. */
export function passes(filter: SavedFilter, record: MockRecord, ownerId: number): boolean {
  return (
    filter.and.every((c) => holds(c, record, ownerId)) &&
    (filter.or.length === 0 || filter.or.some((c) => holds(c, record, ownerId)))
  );
}
