import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MockRecord } from '../records.js';
import { ACCOUNT, accountFieldValue, checkAccountWrite, describeAccount } from './account-schema.js';
import { NOT_FOUND, sfErrors } from './errors.js';
import type { SalesforceMock } from './mock.js';

type Params = { version: string; id: string };

/** An Account as the REST API returns it, with its attributes block. */
function toApiAccount(mock: SalesforceMock, version: string, record: MockRecord, fields: readonly string[]) {
  const id = mock.accounts.idOf(record);
  const out: Record<string, unknown> = {
    attributes: { type: 'Account', url: `/services/data/${version}/sobjects/Account/${id}` },
  };
  for (const f of fields) {
    const value = accountFieldValue(record, id, f);
    out[f] = value === '' ? null : value;
  }
  return out;
}

function badWrite(reply: FastifyReply, problem: { errorCode: string; message: string; fields: string[] }) {
  return reply.code(400).send(sfErrors(problem.errorCode, problem.message, problem.fields));
}

/**
 * The Account sObject resources (describe, create, retrieve, update). Their static `Account`
 * segment takes precedence over routes.ts's `:sobject`, which answers Contact alone. There is no
 * delete: Salesforce deletes an Account's Contacts with it, which the mock does not emulate.
 */
export function registerAccountRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  const base = (version: string) => `/services/data/${version}`;

  app.get<{ Params: Params }>('/services/data/:version/sobjects/Account', async (req) => {
    const { fields: _fields, ...objectDescribe } = describeAccount(base(req.params.version));
    return { objectDescribe, recentItems: [] };
  });

  app.get<{ Params: Params }>('/services/data/:version/sobjects/Account/describe', async (req) =>
    describeAccount(base(req.params.version)),
  );

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    '/services/data/:version/sobjects/Account',
    async (req, reply) => {
      const check = checkAccountWrite(req.body ?? {});
      if (!check.ok) return badWrite(reply, check);
      const outcome = mock.accounts.create(check.values, Date.now());
      if (!outcome.ok) return badWrite(reply, outcome);
      return reply.code(201).send({ id: outcome.id, success: true, errors: [] });
    },
  );

  app.get<{ Params: Params; Querystring: { fields?: string } }>(
    '/services/data/:version/sobjects/Account/:id',
    async (req, reply) => {
      const record = mock.accounts.findById(req.params.id);
      if (!record) return reply.code(404).send(NOT_FOUND);
      const fields: string[] = [];
      for (const name of req.query.fields ? req.query.fields.split(',') : ACCOUNT.fieldNames) {
        const field = ACCOUNT.field(name.trim())?.name;
        if (!field) {
          return reply
            .code(400)
            .send(sfErrors('INVALID_FIELD', `No such column '${name.trim()}' on sobject of type Account`));
        }
        fields.push(field);
      }
      return toApiAccount(mock, req.params.version, record, fields);
    },
  );

  app.patch<{ Params: Params; Body: Record<string, unknown> }>(
    '/services/data/:version/sobjects/Account/:id',
    async (req, reply) => {
      const record = mock.accounts.findById(req.params.id);
      if (!record) return reply.code(404).send(NOT_FOUND);
      const check = checkAccountWrite(req.body ?? {});
      if (!check.ok) return badWrite(reply, check);
      const outcome = mock.accounts.update(record, check.values, Date.now());
      if (!outcome.ok) return badWrite(reply, outcome);
      return reply.code(204).send();
    },
  );
}
