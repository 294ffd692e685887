import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MockRecord } from '../records.js';
import { describeAccount } from './account-schema.js';
import {
  CONTACT_FIELD_NAMES,
  checkWrite,
  contactField,
  describeContact,
  fieldValue,
  isExternalIdField,
  sfDateTime,
} from './contact-schema.js';
import { NOT_FOUND, sfErrors } from './errors.js';
import { RECYCLE_BIN_MS, type SalesforceMock, type SaveOutcome } from './mock.js';
import { isJsonObject } from './sobject-schema.js';

type Params = { version: string; sobject: string; id?: string; field?: string; value?: string };

function versionNumber(version: string): number {
  return Number(version.slice(1));
}

/** A record as the REST API returns it, with its attributes block. */
export function toApiRecord(
  mock: SalesforceMock,
  version: string,
  record: MockRecord,
  fields: readonly string[],
) {
  const id = mock.idOf(record);
  const out: Record<string, unknown> = {
    attributes: { type: 'Contact', url: `/services/data/${version}/sobjects/Contact/${id}` },
  };
  for (const f of fields) {
    const value = fieldValue(record, id, f);
    out[f] = value === '' ? null : value;
  }
  return out;
}

function notContact(sobject: string, reply: FastifyReply): boolean {
  if (sobject === 'Contact') return false;
  void reply.code(404).send(NOT_FOUND);
  return true;
}

function saveError(reply: FastifyReply, outcome: Exclude<SaveOutcome, { ok: true }>) {
  return reply.code(400).send(sfErrors(outcome.errorCode, outcome.message, outcome.fields));
}

/** Versions, resources, and the sObject Rows / Basic Information / Describe resources for Contact. */
export function registerSobjectRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  const versions = () =>
    mock.settings.apiVersions.map((v) => ({ label: `v${v}`, url: `/services/data/v${v}`, version: v }));
  app.get('/services/data', async () => versions());
  app.get('/services/data/', async () => versions());

  app.get<{ Params: { version: string } }>('/services/data/:version', async (req) => {
    const base = `/services/data/${req.params.version}`;
    return {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      composite: `${base}/composite`,
      tooling: `${base}/tooling`,
      limits: `${base}/limits`,
    };
  });

  app.get('/services/data/:version/limits', async () => {
    const { used, limit } = mock.apiUsage(Date.now());
    return { DailyApiRequests: { Max: limit, Remaining: limit - used } };
  });

  app.get<{ Params: { version: string } }>('/services/data/:version/sobjects', async (req) => ({
    encoding: 'UTF-8',
    maxBatchSize: mock.settings.batchMax,
    sobjects: [
      {
        name: 'Contact',
        label: 'Contact',
        keyPrefix: '003',
        urls: describeContact(`/services/data/${req.params.version}`).urls,
      },
      {
        name: 'Account',
        label: 'Account',
        keyPrefix: '001',
        urls: describeAccount(`/services/data/${req.params.version}`).urls,
      },
    ],
  }));

  app.get<{ Params: Params }>('/services/data/:version/sobjects/:sobject', async (req, reply) => {
    if (notContact(req.params.sobject, reply)) return reply;
    const { fields: _fields, ...objectDescribe } = describeContact(
      `/services/data/${req.params.version}`,
      mock.settings.contactPermissions,
    );
    return { objectDescribe, recentItems: [] };
  });

  app.get<{ Params: Params }>('/services/data/:version/sobjects/:sobject/describe', async (req, reply) => {
    if (notContact(req.params.sobject, reply)) return reply;
    return describeContact(`/services/data/${req.params.version}`, mock.settings.contactPermissions);
  });

  app.post<{ Params: Params; Body: Record<string, unknown> }>(
    '/services/data/:version/sobjects/:sobject',
    async (req, reply) => {
      if (notContact(req.params.sobject, reply)) return reply;
      const check = checkWrite(req.body ?? {});
      if (!check.ok) return saveError(reply, check);
      const outcome = mock.create(check.values, Date.now());
      if (!outcome.ok) return saveError(reply, outcome);
      return reply.code(201).send({ id: outcome.id, success: true, errors: [] });
    },
  );

  // sObject Get Deleted (v29.0+): the delete log between start and end, for replication
  // (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm).
  const getDeleted = async (
    req: { params: Params; query: { start?: string; end?: string } },
    reply: FastifyReply,
  ) => {
    if (notContact(req.params.sobject, reply)) return reply;
    const start = Date.parse(req.query.start ?? '');
    const end = Date.parse(req.query.end ?? '');
    const now = Date.now();
    // "The specified startDate cannot be the same value as, or later than, the specified endDate
    // value. Otherwise, the API returns an INVALID_REPLICATION_DATE error" (SOAP getDeleted());
    // the message text, and the code for an unparsable date, are [unverified].
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
      return reply
        .code(400)
        .send(sfErrors('INVALID_REPLICATION_DATE', 'start must be a date and time before end (ISO 8601)'));
    }
    const deletedRecords = mock
      .deletedSince(start, now)
      .filter((t) => t.deletedAt < end)
      .map((t) => ({ id: mock.idOf(t), deletedDate: sfDateTime(t.deletedAt) }));
    return {
      deletedRecords,
      earliestDateAvailable: sfDateTime(now - RECYCLE_BIN_MS),
      latestDateCovered: sfDateTime(Math.min(end, now)),
    };
  };
  type GetDeletedRequest = { Params: Params; Querystring: { start?: string; end?: string } };
  app.get<GetDeletedRequest>('/services/data/:version/sobjects/:sobject/deleted', getDeleted);
  app.get<GetDeletedRequest>('/services/data/:version/sobjects/:sobject/deleted/', getDeleted);

  app.get<{ Params: Params; Querystring: { fields?: string } }>(
    '/services/data/:version/sobjects/:sobject/:id',
    async (req, reply) => {
      if (notContact(req.params.sobject, reply)) return reply;
      const record = mock.findById(req.params.id ?? '');
      if (!record) return reply.code(404).send(NOT_FOUND);
      const fields = selectFields(req.query.fields, reply);
      if (!fields) return reply;
      return toApiRecord(mock, req.params.version, record, fields);
    },
  );

  app.patch<{ Params: Params; Body: Record<string, unknown> }>(
    '/services/data/:version/sobjects/:sobject/:id',
    async (req, reply) => {
      if (notContact(req.params.sobject, reply)) return reply;
      const record = mock.findById(req.params.id ?? '');
      if (!record) return reply.code(404).send(NOT_FOUND);
      const check = checkWrite(req.body ?? {});
      if (!check.ok) return saveError(reply, check);
      const outcome = mock.update(record, check.values, Date.now());
      if (!outcome.ok) return saveError(reply, outcome);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: Params }>('/services/data/:version/sobjects/:sobject/:id', async (req, reply) => {
    if (notContact(req.params.sobject, reply)) return reply;
    const record = mock.findById(req.params.id ?? '');
    if (!record) return reply.code(404).send(NOT_FOUND);
    mock.delete(record, Date.now());
    return reply.code(204).send();
  });

  app.get<{ Params: Params; Querystring: { fields?: string } }>(
    '/services/data/:version/sobjects/:sobject/:field/:value',
    async (req, reply) => {
      if (notContact(req.params.sobject, reply)) return reply;
      const field = externalIdField(req.params.field ?? '', reply);
      if (!field) return reply;
      const record = mock.findBy(field, req.params.value ?? '');
      if (!record) return reply.code(404).send(NOT_FOUND);
      const fields = selectFields(req.query.fields, reply);
      if (!fields) return reply;
      return toApiRecord(mock, req.params.version, record, fields);
    },
  );

  // Upsert by external id: 201 when created; when updated 200 with created:false from v46.0 on,
  // 204 before (Salesforce's "Insert or Update (Upsert) a Record Using an External ID").
  app.patch<{ Params: Params; Body: Record<string, unknown> }>(
    '/services/data/:version/sobjects/:sobject/:field/:value',
    async (req, reply) => {
      if (notContact(req.params.sobject, reply)) return reply;
      const field = externalIdField(req.params.field ?? '', reply);
      if (!field) return reply;
      // The external id comes from the URL; the same field in the body is ignored.
      const given: unknown = req.body ?? {};
      const { [field]: _ignored, ...body } = isJsonObject(given) ? given : {};
      const check = checkWrite(isJsonObject(given) ? body : given);
      if (!check.ok) return saveError(reply, check);
      const outcome = mock.upsert(field, req.params.value ?? '', check.values, Date.now());
      if (!outcome.ok) return saveError(reply, outcome);
      const result = { id: outcome.id, success: true, errors: [], created: outcome.created };
      if (outcome.created) return reply.code(201).send(result);
      if (versionNumber(req.params.version) < 46) return reply.code(204).send();
      return reply.code(200).send(result);
    },
  );
}

/** The field list of a retrieve (`?fields=a,b`), every field when absent; undefined after a 400. */
function selectFields(raw: string | undefined, reply: FastifyReply): readonly string[] | undefined {
  if (raw === undefined || raw === '') return CONTACT_FIELD_NAMES;
  const out: string[] = [];
  for (const name of raw.split(',').map((f) => f.trim())) {
    const field = contactField(name);
    if (!field) {
      void reply
        .code(400)
        .send(sfErrors('INVALID_FIELD', `No such column '${name}' on sobject of type Contact`));
      return undefined;
    }
    out.push(field);
  }
  return out;
}

function externalIdField(raw: string, reply: FastifyReply): string | undefined {
  const field = contactField(raw);
  if (field && isExternalIdField(field)) return field;
  void reply
    .code(404)
    .send(sfErrors('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${raw}`));
  return undefined;
}
