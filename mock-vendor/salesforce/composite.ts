import type { FastifyInstance } from 'fastify';
import { checkWrite, contactField, isExternalIdField, missingRequired } from './contact-schema.js';
import { NOT_FOUND, sfErrors, sfResultError } from './errors.js';
import type { SalesforceMock } from './mock.js';

interface CollectionBody {
  allOrNone?: unknown;
  records?: unknown;
}

type ResultError = ReturnType<typeof sfResultError>;
type Values = Record<string, string | null>;
type Planned<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: ResultError };

/** A whole-request problem (400), or undefined when the records array is acceptable. */
function collectionError(records: unknown, max: number) {
  if (!Array.isArray(records) || records.length === 0) {
    return sfErrors('JSON_PARSER_ERROR', 'records: a non-empty array is required');
  }
  if (records.length > max) {
    return sfErrors(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${max} records into this call`,
    );
  }
  return undefined;
}

/** allOrNone: nothing is written; the valid records say they were rolled back. */
function rolledBack(plans: readonly Planned<unknown>[]) {
  return plans.map((p) => ({
    success: false,
    errors: [
      p.ok
        ? sfResultError(
            'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          )
        : p.error,
    ],
  }));
}

function contactBody(raw: unknown): Planned<{ record: Record<string, unknown> }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: sfResultError('INVALID_INPUT', 'each record must be an object') };
  }
  const record = raw as Record<string, unknown>;
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  if (type !== 'Contact') {
    return { ok: false, error: sfResultError('INVALID_TYPE', 'attributes.type must be Contact in this org') };
  }
  return { ok: true, record };
}

function planCreate(raw: unknown): Planned<{ values: Values }> {
  const body = contactBody(raw);
  if (!body.ok) return body;
  const check = checkWrite(body.record);
  if (!check.ok) return { ok: false, error: sfResultError(check.errorCode, check.message, check.fields) };
  return { ok: true, values: check.values };
}

function planUpsert(
  mock: SalesforceMock,
  field: string,
  raw: unknown,
): Planned<{ extId: string; values: Values }> {
  const body = contactBody(raw);
  if (!body.ok) return body;
  const key = Object.keys(body.record).find((k) => k.toLowerCase() === field.toLowerCase());
  const extId = key === undefined ? undefined : body.record[key];
  if (typeof extId !== 'string' || extId === '') {
    return { ok: false, error: sfResultError('MISSING_ARGUMENT', `${field} not specified`, [field]) };
  }
  const { [key as string]: _ext, ...rest } = body.record;
  const check = checkWrite(rest);
  if (!check.ok) return { ok: false, error: sfResultError(check.errorCode, check.message, check.fields) };
  const missing = mock.findBy(field, extId) ? [] : missingRequired(check.values);
  if (missing.length > 0) {
    const message = `Required fields are missing: [${missing.join(', ')}]`;
    return { ok: false, error: sfResultError('REQUIRED_FIELD_MISSING', message, missing) };
  }
  return { ok: true, extId, values: check.values };
}

/** Salesforce refuses the same external id twice in one call, for every record that carries it. */
function refuseDuplicates<T extends { extId: string }>(plans: Planned<T>[], field: string): Planned<T>[] {
  const count = new Map<string, number>();
  for (const p of plans)
    if (p.ok) count.set(p.extId.toLowerCase(), (count.get(p.extId.toLowerCase()) ?? 0) + 1);
  return plans.map((p) =>
    p.ok && (count.get(p.extId.toLowerCase()) ?? 0) > 1
      ? {
          ok: false,
          error: sfResultError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${p.extId}`, [
            field,
          ]),
        }
      : p,
  );
}

/**
 * sObject Collections: create (POST /composite/sobjects) and upsert by external id
 * (PATCH /composite/sobjects/Contact/<ExtIdField>), up to 200 records each. The answer is 200 with
 * one result per record in request order; a bad record fails alone unless allOrNone.
 */
export function registerCompositeRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  app.post<{ Body: CollectionBody }>('/services/data/:version/composite/sobjects', async (req, reply) => {
    const records = req.body?.records;
    const invalid = collectionError(records, mock.settings.batchMax);
    if (invalid || !Array.isArray(records)) return reply.code(400).send(invalid);
    const plans = records.map(planCreate);
    if (req.body?.allOrNone === true && plans.some((p) => !p.ok)) return rolledBack(plans);
    const now = Date.now();
    return plans.map((p) => {
      if (!p.ok) return { success: false, errors: [p.error] };
      const outcome = mock.create(p.values, now);
      if (!outcome.ok)
        return {
          success: false,
          errors: [sfResultError(outcome.errorCode, outcome.message, outcome.fields)],
        };
      return { id: outcome.id, success: true, errors: [] };
    });
  });

  app.patch<{ Params: { sobject: string; field: string }; Body: CollectionBody }>(
    '/services/data/:version/composite/sobjects/:sobject/:field',
    async (req, reply) => {
      if (req.params.sobject !== 'Contact') return reply.code(404).send(NOT_FOUND);
      const field = contactField(req.params.field);
      if (!field || !isExternalIdField(field)) {
        const message = `Provided external ID field does not exist or is not accessible: ${req.params.field}`;
        return reply.code(400).send(sfErrors('INVALID_FIELD', message));
      }
      const records = req.body?.records;
      const invalid = collectionError(records, mock.settings.batchMax);
      if (invalid || !Array.isArray(records)) return reply.code(400).send(invalid);
      const plans = refuseDuplicates(
        records.map((r) => planUpsert(mock, field, r)),
        field,
      );
      if (req.body?.allOrNone === true && plans.some((p) => !p.ok)) return rolledBack(plans);
      const now = Date.now();
      return plans.map((p) => {
        if (!p.ok) return { success: false, errors: [p.error] };
        const outcome = mock.upsert(field, p.extId, p.values, now);
        if (!outcome.ok)
          return {
            success: false,
            errors: [sfResultError(outcome.errorCode, outcome.message, outcome.fields)],
          };
        return { id: outcome.id, success: true, errors: [], created: outcome.created };
      });
    },
  );
}
