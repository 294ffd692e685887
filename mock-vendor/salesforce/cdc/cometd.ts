import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SalesforceMock } from '../mock.js';
import { ALL_CHANGES_CHANNEL, type ChangeEvent, CONTACT_CHANNEL } from './change-log.js';

/**
 * Change Data Capture over the Streaming API: Bayeux 1.0 (CometD) with long-polling at
 * /cometd/<version>, and Salesforce's replay extension (ext.replay = {channel: replayId} on
 * /meta/subscribe; -1 new events only, -2 every retained event, N the events after N).
 */
interface BayeuxMessage {
  channel?: unknown;
  clientId?: unknown;
  id?: unknown;
  subscription?: unknown;
  advice?: { timeout?: unknown };
  ext?: { replay?: Record<string, unknown> };
}

interface Delivery {
  readonly channel: string;
  readonly data: ChangeEvent['data'];
}

interface Client {
  readonly subscriptions: Set<string>;
  queue: Delivery[];
  wake: (() => void) | undefined;
  lastSeen: number;
}

const CHANNELS = [CONTACT_CHANNEL, ALL_CHANGES_CHANNEL];

function invalidReplay(replayId: unknown): string {
  return `400::The replayId {${String(replayId)}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
}

export function registerCometdRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  const clients = new Map<string, Client>();
  const timeoutMs = mock.settings.cometdTimeoutMs;

  mock.changes.listen((event) => {
    for (const client of clients.values()) {
      for (const channel of client.subscriptions) client.queue.push({ channel, data: event.data });
      if (client.subscriptions.size > 0) client.wake?.();
    }
  });
  // Held long-polls would keep the server from closing: answer them first.
  app.addHook('preClose', async () => {
    for (const client of clients.values()) client.wake?.();
  });

  const advice = { reconnect: 'retry', interval: 0, timeout: timeoutMs };

  const handle = async (m: BayeuxMessage, alone: boolean, authorised: boolean): Promise<unknown[]> => {
    const channel = typeof m.channel === 'string' ? m.channel : '';
    const base = { channel, ...(m.id === undefined ? {} : { id: m.id }) };
    if (!authorised) {
      return [
        { ...base, successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } },
      ];
    }
    if (channel === '/meta/handshake') {
      const clientId = randomBytes(18).toString('base64url');
      clients.set(clientId, { subscriptions: new Set(), queue: [], wake: undefined, lastSeen: Date.now() });
      return [
        {
          ...base,
          clientId,
          version: '1.0',
          minimumVersion: '1.0',
          supportedConnectionTypes: ['long-polling'],
          successful: true,
          advice,
          ext: { replay: true, 'payload.format': true },
        },
      ];
    }
    const clientId = typeof m.clientId === 'string' ? m.clientId : '';
    const client = clients.get(clientId);
    if (!client) {
      return [
        {
          ...base,
          successful: false,
          error: '403::Unknown client',
          advice: { reconnect: 'handshake', interval: 0 },
        },
      ];
    }
    client.lastSeen = Date.now();
    const withClient = { ...base, clientId };
    switch (channel) {
      case '/meta/connect': {
        // Held until an event arrives or the long-poll times out, unless other messages ride along.
        // A client may ask for a shorter hold in its own advice (Bayeux 1.0 §5.2: CometD sends
        // its first connect with {timeout: 0} to be answered at once).
        const asked = m.advice?.timeout;
        const holdMs =
          typeof asked === 'number' && Number.isFinite(asked) && asked >= 0
            ? Math.min(asked, timeoutMs)
            : timeoutMs;
        if (client.queue.length === 0 && alone && holdMs > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, holdMs);
            client.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          client.wake = undefined;
        }
        const events = client.queue;
        client.queue = [];
        return [...events, { ...withClient, successful: true, advice }];
      }
      case '/meta/subscribe': {
        const subscription = typeof m.subscription === 'string' ? m.subscription : '';
        if (!CHANNELS.includes(subscription)) {
          return [
            { ...withClient, subscription, successful: false, error: `403::Unknown channel ${subscription}` },
          ];
        }
        const replayId = m.ext?.replay?.[subscription] ?? -1;
        const now = Date.now();
        if (
          typeof replayId !== 'number' ||
          !Number.isInteger(replayId) ||
          (replayId !== -1 && replayId !== -2 && !mock.changes.isReplayable(replayId, now))
        ) {
          return [{ ...withClient, subscription, successful: false, error: invalidReplay(replayId) }];
        }
        client.subscriptions.add(subscription);
        if (replayId !== -1) {
          for (const e of mock.changes.since(replayId, now))
            client.queue.push({ channel: subscription, data: e.data });
          client.wake?.();
        }
        return [{ ...withClient, subscription, successful: true }];
      }
      case '/meta/unsubscribe': {
        const subscription = typeof m.subscription === 'string' ? m.subscription : '';
        client.subscriptions.delete(subscription);
        return [{ ...withClient, subscription, successful: true }];
      }
      case '/meta/disconnect':
        clients.delete(clientId);
        client.wake?.();
        return [{ ...withClient, successful: true }];
      default:
        return [{ ...withClient, successful: false, error: '403::Publish denied' }];
    }
  };

  const route = async (req: { body: unknown; headers: Record<string, string | string[] | undefined> }) => {
    const now = Date.now();
    for (const [id, c] of clients) if (!c.wake && now - c.lastSeen > 2 * timeoutMs) clients.delete(id);
    const messages = (Array.isArray(req.body) ? req.body : [req.body]) as BayeuxMessage[];
    const auth = req.headers.authorization;
    const header = typeof auth === 'string' ? auth : '';
    const token = /^(OAuth|Bearer) /.test(header) ? header.slice(header.indexOf(' ') + 1) : '';
    const authorised = mock.sessions.touch(token, now);
    const answers = await Promise.all(
      messages.map((m) => handle(m ?? {}, messages.length === 1, authorised)),
    );
    return answers.flat();
  };

  app.post<{ Params: { version: string } }>('/cometd/:version', route);
  app.post<{ Params: { version: string } }>('/cometd/:version/*', route);
}
