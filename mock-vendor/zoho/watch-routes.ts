import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { zohoDateTime } from '../../harness/vendors/zoho/wire.js';
import { zohoError } from './errors.js';
import type { ZohoMock } from './mock.js';
import { moduleByApiName } from './modules.js';
import type { Channel } from './notifications.js';
import { baseUrlOf } from './wire.js';

interface WatchSpec {
  channel_id?: unknown;
  events?: unknown;
  channel_expiry?: unknown;
  token?: unknown;
  notify_url?: unknown;
  return_affected_field_values?: unknown;
}

type Checked =
  | { ok: true; spec: Omit<Channel, 'engine'> }
  | { ok: false; entry: ReturnType<typeof zohoError> };

const EVENT = /^([A-Za-z_]+)\.(all|create|edit|delete)$/;

function invalid(apiName: string, message: string): Checked {
  return { ok: false, entry: zohoError('INVALID_DATA', message, { api_name: apiName }) };
}

/**
 * Checks one `watch[]` entry as Zoho's enable page describes it; a missing or too distant
 * channel_expiry falls back to the default lifetime rather than failing (shared/vendors.md §4.5).
 */
function check(raw: WatchSpec, mock: ZohoMock, now: number, base?: Channel): Checked {
  const s = mock.settings;
  const channelId = raw.channel_id ?? base?.channel_id;
  if ((typeof channelId !== 'number' && typeof channelId !== 'string') || !/^\d+$/.test(String(channelId)))
    return invalid('channel_id', 'channel_id must be a long');
  const events = raw.events ?? base?.events;
  if (!Array.isArray(events) || events.length === 0)
    return invalid('events', 'events must be a non-empty array');
  for (const e of events) {
    const m = typeof e === 'string' ? EVENT.exec(e) : null;
    if (!m || !moduleByApiName(m[1] ?? '')) return invalid('events', `unsupported event: ${String(e)}`);
  }
  const notifyUrl = raw.notify_url ?? base?.notify_url;
  if (typeof notifyUrl !== 'string' || !/^https?:\/\//.test(notifyUrl))
    return invalid('notify_url', 'notify_url must be an http(s) URL');
  const token = raw.token ?? base?.token;
  if (token !== undefined && (typeof token !== 'string' || token.length > s.channelTokenMaxLength))
    return invalid('token', `token must be a string of at most ${s.channelTokenMaxLength} characters`);
  let expiresAt = base?.expiresAt ?? now + s.channelExpiryDefaultMs;
  if (raw.channel_expiry !== undefined) {
    const at = typeof raw.channel_expiry === 'string' ? Date.parse(raw.channel_expiry) : Number.NaN;
    if (Number.isNaN(at) || at <= now)
      return invalid('channel_expiry', 'channel_expiry must be a future ISO date-time');
    expiresAt = at - now > s.channelExpiryMaxMs ? now + s.channelExpiryDefaultMs : at;
  }
  const values = raw.return_affected_field_values ?? base?.return_affected_field_values ?? false;
  return {
    ok: true,
    spec: {
      channel_id: String(channelId),
      events: events as string[],
      notify_url: notifyUrl,
      token: token as string | undefined,
      expiresAt,
      return_affected_field_values: values === true,
    },
  };
}

function describe(channel: Channel, baseUrl: string) {
  const module = channel.events[0]?.split('.')[0] ?? '';
  return {
    notify_on_related_action: false,
    channel_expiry: zohoDateTime(channel.expiresAt),
    return_affected_field_values: channel.return_affected_field_values,
    resource_uri: `${baseUrl}/crm/v8/${module}`,
    resource_name: module,
    notify_url: channel.notify_url,
    fields: null,
    channel_id: channel.channel_id,
    events: channel.events,
    token: channel.token ?? null,
  };
}

/** `/crm/v8/actions/watch`: enable (POST), replace (PUT), patch (PATCH), list (GET), disable (DELETE). */
export function registerWatchRoutes(crm: FastifyInstance, mock: ZohoMock): void {
  const write =
    (mode: 'enable' | 'replace' | 'patch') =>
    async (req: FastifyRequest<{ Body: { watch?: unknown } | undefined }>, reply: FastifyReply) => {
      const watch = req.body?.watch;
      if (!Array.isArray(watch) || watch.length === 0)
        return reply
          .code(400)
          .send(zohoError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'watch' }));
      const now = Date.now();
      const baseUrl = baseUrlOf(req);
      const results = (watch as WatchSpec[]).map((raw) => {
        const existing = mock.channels.channels.get(String(raw?.channel_id ?? ''));
        if (mode !== 'enable' && !existing) return invalid('channel_id', 'no channel with this channel_id');
        return check(raw ?? {}, mock, now, mode === 'patch' ? existing : undefined);
      });
      const entries = results.map((r) => {
        if (!r.ok) return r.entry;
        const channel = mock.channels.upsert(r.spec);
        return {
          code: 'SUCCESS',
          details: {
            events: channel.events.map((e) => ({
              channel_expiry: zohoDateTime(channel.expiresAt),
              resource_uri: `${baseUrl}/crm/v8/${e.split('.')[0]}`,
              resource_name: e.split('.')[0],
              channel_id: channel.channel_id,
            })),
          },
          message: 'Successfully subscribed for actions-watch of the given module',
          status: 'success',
        };
      });
      const ok = results.filter((r) => r.ok).length;
      return reply.code(ok === results.length ? 200 : ok === 0 ? 400 : 207).send({ watch: entries });
    };
  crm.post<{ Body: { watch?: unknown } | undefined }>('/actions/watch', write('enable'));
  crm.put<{ Body: { watch?: unknown } | undefined }>('/actions/watch', write('replace'));
  crm.patch<{ Body: { watch?: unknown } | undefined }>('/actions/watch', write('patch'));

  crm.get('/actions/watch', async (req, reply) => {
    const now = Date.now();
    const live = [...mock.channels.channels.values()].filter((c) => c.expiresAt > now);
    if (live.length === 0) return reply.code(204).send();
    return { watch: live.map((c) => describe(c, baseUrlOf(req))) };
  });

  crm.delete<{ Querystring: { channel_ids?: string } }>('/actions/watch', async (req, reply) => {
    const ids = (req.query.channel_ids ?? '').split(',').filter(Boolean);
    if (ids.length === 0)
      return reply.code(400).send(
        zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
          param: 'channel_ids',
        }),
      );
    const watch = ids.map((id) =>
      mock.channels.disable(id)
        ? {
            code: 'SUCCESS',
            details: { channel_id: id },
            message: 'Successfully unsubscribed from actions-watch',
            status: 'success',
          }
        : zohoError('INVALID_DATA', 'no channel with this channel_id', { channel_id: id }),
    );
    return { watch };
  });
}
