import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZohoOperation } from '../../harness/vendors/zoho/fields.js';
import { zohoDateTime } from '../../harness/vendors/zoho/wire.js';
import { registerDeletedRoute } from './deleted-route.js';
import { zohoError } from './errors.js';
import { registerListRoute } from './list-route.js';
import { stringFields, type WriteOutcome, type ZohoMock } from './mock.js';
import type { ModuleRules } from './modules.js';
import type { RecordChange } from './notifications.js';
import { recordProblem } from './record-input.js';
import { baseUrlOf, type ModuleParams, resolveModule, SYSTEM_USER, toZohoRecord } from './wire.js';

type WriteBody = { data?: unknown; duplicate_check_fields?: unknown; trigger?: unknown } | undefined;

const MESSAGES = { insert: 'record added', update: 'record updated' } as const;

function resultEntry(outcome: WriteOutcome, withAction: boolean, duplicateField: string) {
  if (!outcome.ok)
    return { code: outcome.code, details: outcome.details, message: outcome.message, status: 'error' };
  return {
    code: 'SUCCESS',
    ...(withAction
      ? { duplicate_field: outcome.action === 'update' ? duplicateField : null, action: outcome.action }
      : {}),
    details: {
      Modified_Time: zohoDateTime(outcome.record.updatedAt),
      Modified_By: SYSTEM_USER,
      Created_Time: zohoDateTime(outcome.record.createdAt),
      id: outcome.record.id,
      Created_By: SYSTEM_USER,
    },
    message: MESSAGES[outcome.action],
    status: 'success',
  };
}

/**
 * The HTTP status of a multi-record answer (unverified): the call's success status when every
 * record succeeded, 400 when none did, 207 Multi-Status when some did.
 */
function statusFor(outcomes: readonly { ok: boolean }[], allOk: number): number {
  const ok = outcomes.filter((o) => o.ok).length;
  return ok === outcomes.length ? allOk : ok === 0 ? 400 : 207;
}

function validateData(
  body: WriteBody,
  max: number,
): { data: unknown[] } | { error: ReturnType<typeof zohoError> } {
  const data = body?.data;
  if (data !== undefined && data !== null && !Array.isArray(data))
    return {
      error: zohoError('INVALID_DATA', 'invalid data', { expected_data_type: 'jsonarray', api_name: 'data' }),
    };
  if (!Array.isArray(data) || data.length === 0)
    return { error: zohoError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data' }) };
  if (data.length > max)
    return {
      error: zohoError('LIMIT_EXCEEDED', `the number of records exceeds the limit of ${max}`, { limit: max }),
    };
  return { data };
}

function changesOf(outcomes: readonly WriteOutcome[]): Map<ZohoOperation, RecordChange[]> {
  const changes = new Map<ZohoOperation, RecordChange[]>();
  for (const o of outcomes) {
    if (!o.ok) continue;
    const list = changes.get(o.action) ?? [];
    list.push(o.change);
    changes.set(o.action, list);
  }
  return changes;
}

/** Zoho CRM v8 records: insert, upsert, update, get, list, delete and the deleted list, with notifications. */
export function registerRecordRoutes(crm: FastifyInstance, mock: ZohoMock): void {
  registerListRoute(crm, mock);
  registerDeletedRoute(crm, mock);

  crm.get<{ Params: ModuleParams }>('/:module/:id', async (req, reply) => {
    const module = resolveModule(req, reply);
    if (!module) return reply;
    const record = mock.store(module).get(req.params.id ?? '');
    if (!record)
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'the related id given seems to be invalid', { id: req.params.id }));
    return { data: [toZohoRecord(record)] };
  });

  const writeMany =
    (mode: 'insert' | 'upsert') =>
    async (req: FastifyRequest<{ Params: ModuleParams; Body: WriteBody }>, reply: FastifyReply) => {
      const module = resolveModule(req, reply);
      if (!module) return reply;
      const valid = validateData(req.body, mock.settings.batchMax);
      if ('error' in valid) return reply.code(400).send(valid.error);
      const duplicateField = duplicateCheckField(req.body, module);
      const now = Date.now();
      const outcomes = valid.data.map(
        (item, i) =>
          recordProblem(item, i, module.apiName) ??
          mock.write({ ...module, duplicateCheck: duplicateField }, stringFields(item), mode, i, now),
      );
      mock.notifyWrites(module, baseUrlOf(req), changesOf(outcomes), now);
      const data = outcomes.map((o) => resultEntry(o, mode === 'upsert', duplicateField));
      return reply.code(statusFor(outcomes, mode === 'insert' ? 201 : 200)).send({ data });
    };
  crm.post<{ Params: ModuleParams; Body: WriteBody }>('/:module', writeMany('insert'));
  crm.post<{ Params: ModuleParams; Body: WriteBody }>('/:module/upsert', writeMany('upsert'));

  const updateMany = async (
    req: FastifyRequest<{ Params: ModuleParams; Body: WriteBody }>,
    reply: FastifyReply,
  ) => {
    const module = resolveModule(req, reply);
    if (!module) return reply;
    const valid = validateData(req.body, mock.settings.batchMax);
    if ('error' in valid) return reply.code(400).send(valid.error);
    const now = Date.now();
    const outcomes: WriteOutcome[] = valid.data.map((item, i) => {
      const problem = recordProblem(item, i, module.apiName);
      if (problem) return problem;
      const id = req.params.id ?? String((item as { id?: unknown } | null)?.id ?? '');
      const record = mock.store(module).get(id);
      if (!record) {
        return {
          ok: false,
          code: 'INVALID_DATA',
          message: 'the id given seems to be invalid',
          details: { api_name: 'id', json_path: `$.data[${i}].id` },
        };
      }
      return {
        ok: true,
        record,
        action: 'update',
        change: mock.update(module, record, stringFields(item), now),
      };
    });
    mock.notifyWrites(module, baseUrlOf(req), changesOf(outcomes), now);
    const data = outcomes.map((o) => resultEntry(o, false, module.duplicateCheck));
    return reply.code(statusFor(outcomes, 200)).send({ data });
  };
  crm.put<{ Params: ModuleParams; Body: WriteBody }>('/:module', updateMany);
  crm.put<{ Params: ModuleParams; Body: WriteBody }>('/:module/:id', updateMany);

  const deleteMany = async (
    req: FastifyRequest<{ Params: ModuleParams; Querystring: { ids?: string } }>,
    reply: FastifyReply,
  ) => {
    const module = resolveModule(req, reply);
    if (!module) return reply;
    const ids = req.params.id ? [req.params.id] : (req.query.ids ?? '').split(',').filter(Boolean);
    if (ids.length === 0)
      return reply
        .code(400)
        .send(
          zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'ids' }),
        );
    if (ids.length > mock.settings.batchMax)
      return reply.code(400).send(
        zohoError('LIMIT_EXCEEDED', `more than ${mock.settings.batchMax} ids`, {
          limit: mock.settings.batchMax,
        }),
      );
    const now = Date.now();
    const deleted: RecordChange[] = [];
    const data = ids.map((id) => {
      const change = mock.remove(module, id, now);
      if (!change)
        return { code: 'INVALID_DATA', details: { id }, message: 'record not deleted', status: 'error' };
      deleted.push(change);
      return { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' };
    });
    mock.notifyWrites(module, baseUrlOf(req), new Map([['delete', deleted]]), now);
    return reply
      .code(
        statusFor(
          data.map((d) => ({ ok: d.status === 'success' })),
          200,
        ),
      )
      .send({ data });
  };
  crm.delete<{ Params: ModuleParams; Querystring: { ids?: string } }>('/:module', deleteMany);
  crm.delete<{ Params: ModuleParams; Querystring: { ids?: string } }>('/:module/:id', deleteMany);
}

/** Upsert matches on the first duplicate_check_fields entry, else the module's system field. */
function duplicateCheckField(body: WriteBody, module: ModuleRules): string {
  const fields = body?.duplicate_check_fields;
  return Array.isArray(fields) && typeof fields[0] === 'string' ? fields[0] : module.duplicateCheck;
}
