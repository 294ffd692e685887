import type { FastifyInstance } from 'fastify';
import { zohoDateTime } from '../../harness/vendors/zoho/wire.js';
import type { MockRecord } from '../records.js';
import { type CoqlPlan, compileCoql, fieldValue } from './coql-compile.js';
import { CoqlError } from './coql-lexer.js';
import { parseCoql } from './coql-parser.js';
import { AUTH_ERRORS, zohoError } from './errors.js';
import type { ZohoMock } from './mock.js';
import { moduleByApiName } from './modules.js';
import { hasScope } from './scopes.js';

/** A selected field as COQL prints it: times in Zoho's date-time, the id as a string, empty as null. */
function printed(record: MockRecord, field: string): unknown {
  const v = fieldValue(record, field);
  if (v === null) return null;
  if (field === 'Created_Time' || field === 'Modified_Time') return zohoDateTime(v as number);
  return String(v);
}

function answer(plan: CoqlPlan, records: Iterable<MockRecord>) {
  const matching = [...records].filter(plan.matches);
  if (plan.count !== undefined) {
    const n = matching.filter((r) => fieldValue(r, plan.count as string) !== null).length;
    return { data: [{ [`COUNT(${plan.count})`]: n }], info: { count: 1, more_records: false } };
  }
  matching.sort(plan.order);
  const rows = matching.slice(plan.offset, plan.offset + plan.limit);
  if (rows.length === 0) return undefined;
  return {
    data: rows.map((r) => ({
      ...Object.fromEntries(plan.fields.map((f) => [f, printed(r, f)])),
      id: r.id,
    })),
    info: { count: rows.length, more_records: matching.length > plan.offset + plan.limit },
  };
}

/**
 * `POST /crm/v8/coql` (Get-Records-through-COQL-Query): runs `select_query` over one module and
 * answers `{data, info: {count, more_records}}`, 204 when nothing matches (as Get Records does),
 * or Zoho's error body. It needs ZohoCRM.coql.READ (checked by the guard) and read access to the
 * module the query names.
 */
export function registerCoqlRoute(crm: FastifyInstance, mock: ZohoMock): void {
  crm.post<{ Body: { select_query?: unknown } | undefined }>('/coql', async (req, reply) => {
    const query = req.body?.select_query;
    // Example "MandatoryNotFound" in Zoho's COQL API spec.
    if (typeof query !== 'string' || query.trim() === '')
      return reply
        .code(400)
        .send(zohoError('MANDATORY_NOT_FOUND', 'mandatory key not found', { api_name: 'select_query' }));
    try {
      const parsed = parseCoql(query);
      const module = moduleByApiName(parsed.module);
      // Example "InvalidModule" in Zoho's COQL API spec.
      if (!module)
        throw new CoqlError(zohoError('INVALID_MODULE', 'the given module is not supported in api'));
      const token = mock.tokens.get(req.headers.authorization?.replace(/^Zoho-oauthtoken /, '') ?? '');
      const readable = {
        area: 'modules',
        resource: module.apiName.toLowerCase(),
        operations: ['READ'],
      } as const;
      if (!token || !hasScope(token.scopes, readable))
        return reply.code(AUTH_ERRORS.scope.status).send(AUTH_ERRORS.scope.body);
      const result = answer(compileCoql(parsed, module), mock.store(module).all());
      return result ? result : reply.code(204).send();
    } catch (error) {
      if (error instanceof CoqlError) return reply.code(error.status).send(error.body);
      throw error;
    }
  });
}
