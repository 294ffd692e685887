import type { FastifyInstance } from 'fastify';
import { pipedriveError, webhookValidationError } from './errors.js';
import type { PipedriveMock } from './mock.js';
import { userPermissions } from './permissions.js';
import { toV1Field, toV2Field } from './person-fields.js';
import { toApiPerson } from './persons.js';
import type { Webhook } from './webhooks.js';

const ACTIONS = ['create', 'change', 'delete', '*'];
const OBJECTS = [
  'activity',
  'deal',
  'lead',
  'note',
  'organization',
  'person',
  'pipeline',
  'product',
  'stage',
  'user',
  'project',
  'task',
  '*',
];

/** The field types Pipedrive has (pipedrive SDK 33, v1 CreateFieldRequest `field_type`). */
const FIELD_TYPES = [
  'address',
  'date',
  'daterange',
  'double',
  'enum',
  'monetary',
  'org',
  'people',
  'phone',
  'set',
  'text',
  'time',
  'timerange',
  'user',
  'varchar',
  'varchar_auto',
  'visible_to',
] as const;

// "The maximum limit value is 500" (pipedrive.readme.io, core-api-concepts-pagination).
const V1_MAX_LIMIT = 500;

/** A query value as a whole number of at least `min`; undefined when absent or anything else. */
function wholeNumber(raw: string | undefined, min: number): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}

interface WebhookBody {
  subscription_url?: unknown;
  event_action?: unknown;
  event_object?: unknown;
  name?: unknown;
  user_id?: unknown;
  http_auth_user?: unknown;
  http_auth_password?: unknown;
  version?: unknown;
}

function pipedriveTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function toApiWebhook(w: Webhook, mock: PipedriveMock) {
  const { companyId, userId } = mock.settings;
  return {
    id: w.id,
    company_id: companyId,
    owner_id: userId,
    user_id: userId,
    event_action: w.event_action,
    event_object: w.event_object,
    subscription_url: w.subscription_url,
    version: w.version,
    is_active: 1,
    add_time: pipedriveTime(w.addTime),
    remove_time: null,
    type: 'general',
    http_auth_user: w.http_auth_user,
    // The password is write-only here: answers never echo a secret.
    http_auth_password: w.http_auth_password === null ? null : '******',
    remove_reason: null,
    last_delivery_time: null,
    last_http_status: null,
    admin_id: userId,
    name: w.name,
  };
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** v1 endpoints poc needs: personFields (custom field hash keys) and webhooks. */
export function registerV1Routes(app: FastifyInstance, mock: PipedriveMock): void {
  app.get<{ Querystring: { start?: string; limit?: string } }>('/v1/personFields', async (req) => {
    // v1 offset paging: a limit above 500 serves 500 (the documented maximum); a start or limit
    // that is not a whole number is taken as its default [unverified: Pipedrive's answer to those].
    const start = wholeNumber(req.query.start, 0) ?? 0;
    const limit = Math.min(V1_MAX_LIMIT, wholeNumber(req.query.limit, 1) ?? 100);
    const all = mock.fields.all();
    const page = all.slice(start, start + limit);
    const more = all.length > start + limit;
    return {
      success: true,
      data: page.map((f, i) => toV1Field(f, start + i + 1)),
      additional_data: {
        pagination: {
          start,
          limit,
          more_items_in_collection: more,
          ...(more ? { next_start: start + limit } : {}),
        },
      },
    };
  });

  app.post<{ Body: { name?: unknown; field_type?: unknown } | null }>(
    '/v1/personFields',
    async (req, reply) => {
      const name = req.body?.name;
      const type = req.body?.field_type;
      if (typeof name !== 'string' || name.trim().length === 0) {
        return reply.code(400).send(pipedriveError('Field name is required'));
      }
      if (typeof type !== 'string') return reply.code(400).send(pipedriveError('Field type is required'));
      if (!(FIELD_TYPES as readonly string[]).includes(type)) {
        return reply.code(400).send(pipedriveError(`field_type must be one of ${FIELD_TYPES.join(', ')}`));
      }
      // Adding a field is a permission of the user's permission set (wording unverified).
      if (!userPermissions(mock.settings.userPermissions).can_add_custom_fields) {
        return reply.code(403).send(pipedriveError('You do not have permission to add custom fields'));
      }
      const field = mock.fields.createCustom(name.trim(), type, Date.now());
      return { success: true, data: toV1Field(field, mock.fields.all().length) };
    },
  );

  app.get('/api/v2/personFields', async () => ({
    success: true,
    data: mock.fields.all().map(toV2Field),
    additional_data: { next_cursor: null },
  }));

  // Merge two persons: the person in the path is removed, merge_with_id keeps its values
  // (pipedrive.readme.io/docs/merging-two-persons). The answer is the surviving person in v1's
  // shape (SDK MergePersonsResponse); merge_what_id naming the removed one is unverified.
  app.put<{ Params: { id: string }; Body: { merge_with_id?: unknown } | null }>(
    '/v1/persons/:id/merge',
    async (req, reply) => {
      const winnerId = req.body?.merge_with_id;
      if (typeof winnerId !== 'number' || !Number.isInteger(winnerId)) {
        return reply.code(400).send(pipedriveError('merge_with_id must be an integer'));
      }
      if (String(winnerId) === req.params.id) {
        return reply.code(400).send(pipedriveError('Cannot merge a person with itself'));
      }
      if (!userPermissions(mock.settings.userPermissions).can_merge_people) {
        return reply.code(403).send(pipedriveError('You do not have permission to merge persons'));
      }
      const winner = mock.merge(req.params.id, String(winnerId), 'api', Date.now());
      if (!winner) return reply.code(404).send(pipedriveError('Person not found'));
      const person = toApiPerson(winner, mock.fields, mock.settings.userId);
      return {
        success: true,
        data: {
          id: person.id,
          company_id: mock.settings.companyId,
          owner_id: person.owner_id,
          org_id: null,
          name: person.name,
          first_name: person.first_name,
          last_name: person.last_name,
          active_flag: true,
          phone: person.phones,
          email: person.emails,
          first_char: person.name.charAt(0).toLowerCase(),
          add_time: pipedriveTime(winner.createdAt),
          update_time: pipedriveTime(winner.updatedAt),
          visible_to: '3',
          picture_id: null,
          label: null,
          label_ids: [],
          org_name: null,
          cc_email: null,
          merge_what_id: Number(req.params.id),
        },
      };
    },
  );

  app.get('/v1/webhooks', async () => ({
    success: true,
    status: 'ok',
    data: mock.webhooks.list().map((w) => toApiWebhook(w, mock)),
  }));

  app.post<{ Body: WebhookBody | null }>('/v1/webhooks', async (req, reply) => {
    const body = req.body ?? {};
    const url = body.subscription_url;
    if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) {
      return reply.code(400).send(webhookValidationError('subscription_url', 'must be a full, valid URL'));
    }
    if (typeof body.event_action !== 'string' || !ACTIONS.includes(body.event_action)) {
      return reply
        .code(400)
        .send(webhookValidationError('event_action', `must be one of ${ACTIONS.join(', ')}`));
    }
    if (typeof body.event_object !== 'string' || !OBJECTS.includes(body.event_object)) {
      return reply
        .code(400)
        .send(webhookValidationError('event_object', `must be one of ${OBJECTS.join(', ')}`));
    }
    const version = body.version ?? '2.0';
    if (version !== '2.0') {
      // The mock emulates webhooks v2 only (v1 payloads are being retired).
      return reply.code(400).send(webhookValidationError('version', 'the mock supports version "2.0" only'));
    }
    if (mock.webhooks.size >= mock.settings.webhooksMaxPerUser) {
      return reply
        .code(400)
        .send(
          pipedriveError(
            `The maximum limit of ${mock.settings.webhooksMaxPerUser} webhooks per user has been reached`,
          ),
        );
    }
    const webhook = mock.webhooks.add({
      subscription_url: url,
      event_action: body.event_action,
      event_object: body.event_object,
      name: optionalString(body.name) ?? `${body.event_action}.${body.event_object}`,
      version,
      http_auth_user: optionalString(body.http_auth_user),
      http_auth_password: optionalString(body.http_auth_password),
      addTime: Date.now(),
    });
    return reply.code(201).send({ success: true, status: 'ok', data: toApiWebhook(webhook, mock) });
  });

  app.delete<{ Params: { id: string } }>('/v1/webhooks/:id', async (req, reply) => {
    if (!mock.webhooks.remove(Number(req.params.id))) {
      return reply.code(404).send(pipedriveError('Webhook not found'));
    }
    return { success: true, status: 'ok' };
  });
}
