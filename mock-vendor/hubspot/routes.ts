import type { FastifyInstance } from 'fastify';
import { requestedProperties, toApiObject, toApiObjectWith } from './api-object.js';
import { hubspotError, hubspotInvalidJson } from './errors.js';
import { registerHubspotGate } from './gate.js';
import type { HubspotMock, ObjectType, UpsertInput } from './mock.js';
import { type ObjectParams, objectType, registerHubspotRecordRoutes } from './record-routes.js';
import { QUERY_PROPERTIES, search } from './search.js';
import { readSearchBody } from './search-body.js';
import { invalidSearch } from './search-request.js';
import { batchInputsProblem, objectInputProblem } from './write-body.js';

/** HubSpot's public API as the mock serves it: private-app bearer auth, limits, CRM v3, webhooks v3. */
export function registerHubspotRoutes(app: FastifyInstance, mock: HubspotMock): void {
  registerHubspotGate(app, mock);

  // Private-app token introspection: which portal and scopes a token carries.
  app.post<{ Body: { tokenKey?: string } }>(
    '/oauth/v2/private-apps/get/access-token-info',
    async (req, reply) => {
      if (req.body?.tokenKey !== mock.credentials.token) {
        return reply
          .code(401)
          .send(hubspotError('INVALID_AUTHENTICATION', 'The access token is invalid or revoked.'));
      }
      return {
        userId: 1,
        hubId: mock.settings.portalId,
        appId: mock.settings.appId,
        scopes: mock.settings.scopes,
      };
    },
  );

  app.post<{ Params: ObjectParams; Body: { properties?: Record<string, unknown> } }>(
    '/crm/v3/objects/:objectType',
    async (req, reply) => {
      const type = objectType(req, reply);
      if (!type) return reply;
      const invalid = objectInputProblem(req.body, 'SimplePublicObjectInputForCreate');
      if (invalid) return reply.code(400).send(hubspotInvalidJson(invalid));
      const record = mock.create(type, req.body?.properties ?? {}, Date.now());
      return reply.code(201).send(toApiObject(record));
    },
  );

  registerHubspotRecordRoutes(app, mock);

  app.post<{ Params: ObjectParams; Body: unknown }>(
    '/crm/v3/objects/:objectType/search',
    async (req, reply) => {
      const type = objectType(req, reply);
      if (!type) return reply;
      const read = readSearchBody(req.body ?? {});
      if (!read.ok) return reply.code(400).send(hubspotError('VALIDATION_ERROR', read.message));
      const body = read.value;
      const invalid = invalidSearch(body);
      if (invalid) return reply.code(400).send(hubspotError('VALIDATION_ERROR', invalid));
      const { total, page, nextAfter } = search(mock.store(type).all(), body, {
        ties: mock.settings.searchTies,
        queryProperties: QUERY_PROPERTIES[type],
      });
      return {
        total,
        results: page.map((r) => toApiObjectWith(r, body.properties ?? [])),
        ...(nextAfter ? { paging: { next: { after: nextAfter } } } : {}),
      };
    },
  );

  /** A record by its id (following ids a merge replaced) or by a unique property (`idProperty`). */
  const findRecord = (type: ObjectType, id: string, idProperty = 'hs_object_id') =>
    idProperty === 'hs_object_id' ? mock.resolve(type, id) : mock.store(type).findBy(idProperty, id);

  // An id that a merge replaced answers with the merged record (changelog
  // updated-merge-functionality-for-contacts-and-companies).
  app.get<{
    Params: ObjectParams;
    Querystring: { idProperty?: string; properties?: string | string[] };
  }>('/crm/v3/objects/:objectType/:id', async (req, reply) => {
    const type = objectType(req, reply);
    if (!type) return reply;
    const record = findRecord(type, req.params.id ?? '', req.query.idProperty);
    if (!record) return reply.code(404).send(hubspotError('OBJECT_NOT_FOUND', 'resource not found'));
    return toApiObjectWith(record, requestedProperties(req.query.properties));
  });

  app.patch<{
    Params: ObjectParams;
    Body: { properties?: Record<string, unknown> };
    Querystring: { idProperty?: string };
  }>('/crm/v3/objects/:objectType/:id', async (req, reply) => {
    const type = objectType(req, reply);
    if (!type) return reply;
    const invalid = objectInputProblem(req.body, 'SimplePublicObjectInput');
    if (invalid) return reply.code(400).send(hubspotInvalidJson(invalid));
    const record = findRecord(type, req.params.id ?? '', req.query.idProperty);
    if (!record) return reply.code(404).send(hubspotError('OBJECT_NOT_FOUND', 'resource not found'));
    return toApiObject(mock.update(type, record, req.body?.properties ?? {}, Date.now()));
  });

  app.delete<{ Params: ObjectParams }>('/crm/v3/objects/:objectType/:id', async (req, reply) => {
    const type = objectType(req, reply);
    if (!type) return reply;
    mock.archive(type, req.params.id ?? '', Date.now());
    return reply.code(204).send();
  });

  app.post<{ Params: ObjectParams; Body: { inputs?: UpsertInput[] } }>(
    '/crm/v3/objects/:objectType/batch/upsert',
    async (req, reply) => {
      const type = objectType(req, reply);
      if (!type) return reply;
      const inputs = req.body?.inputs;
      const unreadable =
        Array.isArray(inputs) && batchInputsProblem(inputs, 'SimplePublicObjectBatchInputUpsert');
      if (unreadable) return reply.code(400).send(hubspotInvalidJson(unreadable));
      const invalid = validateBatch(inputs, mock.settings.batchMax, true);
      if (invalid) return reply.code(400).send(hubspotError('VALIDATION_ERROR', invalid));
      const startedAt = new Date().toISOString();
      const now = Date.now();
      const results = (inputs ?? []).map((input) => {
        const outcome = mock.upsert(type, input, 'API', now);
        return { ...toApiObject(outcome.record), new: outcome.created };
      });
      return { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
    },
  );

  app.post<{ Params: ObjectParams; Body: { inputs?: UpsertInput[] } }>(
    '/crm/v3/objects/:objectType/batch/create',
    async (req, reply) => {
      const type = objectType(req, reply);
      if (!type) return reply;
      const inputs = req.body?.inputs;
      const unreadable =
        Array.isArray(inputs) && batchInputsProblem(inputs, 'SimplePublicObjectInputForCreate');
      if (unreadable) return reply.code(400).send(hubspotInvalidJson(unreadable));
      const invalid = validateBatch(inputs, mock.settings.batchMax, false);
      if (invalid) return reply.code(400).send(hubspotError('VALIDATION_ERROR', invalid));
      const startedAt = new Date().toISOString();
      const now = Date.now();
      const results = (inputs ?? []).map((input) =>
        toApiObject(mock.create(type, input.properties ?? {}, now)),
      );
      return reply
        .code(201)
        .send({ status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
    },
  );

  app.put<{ Body: { targetUrl?: string; throttling?: { maxConcurrentRequests?: number } } }>(
    '/webhooks/v3/:appId/settings',
    async (req, reply) => {
      const targetUrl = req.body?.targetUrl;
      if (typeof targetUrl !== 'string' || !/^https?:\/\//.test(targetUrl)) {
        return reply.code(400).send(hubspotError('VALIDATION_ERROR', 'targetUrl must be an http(s) URL'));
      }
      const concurrency: unknown =
        req.body?.throttling?.maxConcurrentRequests ?? mock.webhooks.maxConcurrentRequests;
      if (typeof concurrency !== 'number' || !Number.isInteger(concurrency)) {
        return reply
          .code(400)
          .send(hubspotInvalidJson('throttling.maxConcurrentRequests must be an integer'));
      }
      if (concurrency <= 5) {
        return reply
          .code(400)
          .send(hubspotError('VALIDATION_ERROR', 'maxConcurrentRequests must be greater than 5'));
      }
      mock.webhooks.targetUrl = targetUrl;
      mock.webhooks.maxConcurrentRequests = concurrency;
      mock.engine.targetUrl = targetUrl;
      mock.engine.policy.concurrency = concurrency;
      return { targetUrl, throttling: { maxConcurrentRequests: concurrency, period: 'SECONDLY' } };
    },
  );

  app.get('/webhooks/v3/:appId/settings', async () => ({
    targetUrl: mock.webhooks.targetUrl ?? null,
    throttling: { maxConcurrentRequests: mock.webhooks.maxConcurrentRequests, period: 'SECONDLY' },
  }));

  app.post<{ Body: { eventType?: unknown; propertyName?: unknown; active?: unknown } }>(
    '/webhooks/v3/:appId/subscriptions',
    async (req, reply) => {
      const eventType = req.body?.eventType;
      if (
        typeof eventType !== 'string' ||
        !/^(contact|company|deal)\.(creation|deletion|propertyChange|merge)$/.test(eventType)
      ) {
        return reply
          .code(400)
          .send(hubspotError('VALIDATION_ERROR', `unsupported eventType: ${String(eventType)}`));
      }
      const { propertyName, active } = req.body ?? {};
      if (propertyName !== undefined && typeof propertyName !== 'string') {
        return reply.code(400).send(hubspotInvalidJson('propertyName must be a string'));
      }
      if (active !== undefined && typeof active !== 'boolean') {
        return reply.code(400).send(hubspotInvalidJson('active must be a boolean'));
      }
      if (eventType.endsWith('.propertyChange') && !propertyName) {
        return reply
          .code(400)
          .send(hubspotError('VALIDATION_ERROR', 'propertyName is required for propertyChange'));
      }
      const sub = mock.webhooks.subscribe(eventType, propertyName, active ?? true);
      return reply.code(201).send({ ...sub, createdAt: new Date().toISOString() });
    },
  );

  app.get('/webhooks/v3/:appId/subscriptions', async () => ({ results: mock.webhooks.subscriptions }));
}

function validateBatch(inputs: unknown, max: number, needsId: boolean): string | undefined {
  if (!Array.isArray(inputs) || inputs.length === 0) return 'inputs must be a non-empty array';
  if (inputs.length > max) return `Batch input limit of ${max} exceeded: got ${inputs.length}`;
  if (needsId) {
    for (const [i, input] of inputs.entries()) {
      if (typeof input?.id !== 'string' || input.id.length === 0) return `inputs[${i}].id is required`;
    }
  }
  return undefined;
}
