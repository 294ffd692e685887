import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CONTACT_EVENT_TYPES } from '../../harness/vendors/standard/fields.js';
import { canonicalSecret, SECRET_PREFIX } from '../../harness/vendors/standard/signature.js';
import { toEndpointJson } from './endpoints.js';
import { type FieldError, sendProblem } from './errors.js';
import type { StandardMock } from './mock.js';

const EVENT_TYPES: readonly string[] = Object.values(CONTACT_EVENT_TYPES);

interface EndpointBody {
  url?: unknown;
  events?: unknown;
  secret?: unknown;
  disabled?: unknown;
}

function checkUrl(url: unknown, errors: FieldError[]): url is string {
  if (typeof url === 'string' && /^https?:\/\/[^\s]+$/.test(url)) return true;
  errors.push({ field: 'url', message: 'must be an http(s) URL' });
  return false;
}

function checkEvents(events: unknown, errors: FieldError[]): events is string[] {
  if (Array.isArray(events) && events.length > 0 && events.every((e) => EVENT_TYPES.includes(e))) return true;
  errors.push({ field: 'events', message: `must be a non-empty array of ${EVENT_TYPES.join(', ')}` });
  return false;
}

/** The spec's symmetric secret: `whsec_` + base64 of 24 to 64 random bytes. */
function checkSecret(secret: unknown, errors: FieldError[]): secret is string {
  const encoded =
    typeof secret === 'string' && secret.startsWith(SECRET_PREFIX)
      ? secret.slice(SECRET_PREFIX.length)
      : secret;
  const bytes =
    typeof encoded === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(encoded)
      ? Buffer.from(encoded, 'base64').length
      : 0;
  if (bytes >= 24 && bytes <= 64) return true;
  errors.push({ field: 'secret', message: 'must be whsec_ followed by base64 of 24 to 64 random bytes' });
  return false;
}

/** The spec's "endpoint management API" (documented in harness/vendors/standard/api.ts). */
export function registerEndpointRoutes(app: FastifyInstance, mock: StandardMock): void {
  app.post<{ Body: EndpointBody }>('/v1/webhook-endpoints', async (req, reply) => {
    const body = req.body ?? {};
    const errors: FieldError[] = [];
    const urlOk = checkUrl(body.url, errors);
    const eventsOk = checkEvents(body.events, errors);
    const secret = body.secret === undefined ? mock.credentials.defaultSecret : body.secret;
    const secretOk = checkSecret(secret, errors);
    if (!urlOk || !eventsOk || !secretOk) {
      return sendProblem(reply, 422, 'validation_failed', 'Invalid webhook endpoint.', errors);
    }
    const shown = canonicalSecret(secret as string);
    const endpoint = mock.endpoints.create(body.url as string, body.events as string[], shown, Date.now());
    return reply.code(201).send({ ...toEndpointJson(endpoint), secret: shown });
  });

  app.get('/v1/webhook-endpoints', async () => ({
    data: mock.endpoints.list().map(toEndpointJson),
    next_cursor: null,
  }));

  app.get<{ Params: { id: string } }>('/v1/webhook-endpoints/:id', async (req, reply) => {
    const endpoint = mock.endpoints.get(req.params.id);
    if (!endpoint) return sendProblem(reply, 404, 'not_found', `No webhook endpoint ${req.params.id}.`);
    return toEndpointJson(endpoint);
  });

  app.patch<{ Params: { id: string }; Body: EndpointBody }>(
    '/v1/webhook-endpoints/:id',
    async (req, reply) => {
      const endpoint = mock.endpoints.get(req.params.id);
      if (!endpoint) return sendProblem(reply, 404, 'not_found', `No webhook endpoint ${req.params.id}.`);
      const body = req.body ?? {};
      const errors: FieldError[] = [];
      if (body.url !== undefined) checkUrl(body.url, errors);
      if (body.events !== undefined) checkEvents(body.events, errors);
      if (body.disabled !== undefined && typeof body.disabled !== 'boolean')
        errors.push({ field: 'disabled', message: 'must be a boolean' });
      if (body.secret !== undefined)
        errors.push({ field: 'secret', message: 'cannot be changed; create a new endpoint' });
      if (errors.length > 0)
        return sendProblem(reply, 422, 'validation_failed', 'Invalid webhook endpoint.', errors);
      mock.endpoints.update(endpoint, {
        ...(typeof body.url === 'string' ? { url: body.url } : {}),
        ...(Array.isArray(body.events) ? { events: body.events as string[] } : {}),
        ...(typeof body.disabled === 'boolean' ? { disabled: body.disabled } : {}),
      });
      return toEndpointJson(endpoint);
    },
  );

  // Rotation: the new secret (the client's, or a fresh random one) signs from now on, and the old
  // one keeps signing alongside it for the overlap period.
  app.post<{ Params: { id: string }; Body: { secret?: unknown } }>(
    '/v1/webhook-endpoints/:id/secret/rotate',
    async (req, reply) => {
      const endpoint = mock.endpoints.get(req.params.id);
      if (!endpoint) return sendProblem(reply, 404, 'not_found', `No webhook endpoint ${req.params.id}.`);
      const errors: FieldError[] = [];
      const secret = req.body?.secret ?? `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
      if (!checkSecret(secret, errors))
        return sendProblem(reply, 422, 'validation_failed', 'Invalid secret.', errors);
      const shown = canonicalSecret(secret);
      mock.endpoints.rotate(endpoint, shown, Date.now());
      return { ...toEndpointJson(endpoint), secret: shown };
    },
  );

  app.delete<{ Params: { id: string } }>('/v1/webhook-endpoints/:id', async (req, reply) => {
    if (!mock.endpoints.delete(req.params.id))
      return sendProblem(reply, 404, 'not_found', `No webhook endpoint ${req.params.id}.`);
    return reply.code(204).send();
  });
}
