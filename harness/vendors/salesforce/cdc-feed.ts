import { PocError } from '../../errors.js';
import { createHttpClient, type HttpClientOptions } from '../../pipeline/outbound/http-client.js';
import type { ChangeFeed, FeedChange, FeedPage } from '../types.js';
import { sobjectOf, toCanonicalField } from './fields.js';
import { SALESFORCE_API_VERSION, salesforceProfile } from './profile.js';
import { parseSfDateTime } from './records.js';

/**
 * Change Data Capture replay over the Streaming API (CometD, Bayeux 1.0 long-polling at
 * /cometd/<version>) with plain HTTP: handshake, subscribe with the replay extension
 * (ext.replay = {channel: replayId}; -2 = every retained event), connect until the replayed
 * events are drained, disconnect. A position is a replayId; one that is no longer retained is
 * refused at subscribe with "The replayId {N} you provided was invalid..." and reported expired.
 */

const RETAINED = -2;
/** Enough events for one page; a read stops connecting once it has this many. */
const PAGE_EVENTS = 2000;
/** A safety stop for a server that never runs dry. */
const MAX_CONNECTS = 50;

interface BayeuxReply {
  readonly channel?: string;
  readonly successful?: boolean;
  readonly clientId?: string;
  readonly error?: string;
  readonly data?: {
    readonly payload?: Record<string, unknown> & { readonly ChangeEventHeader?: ChangeEventHeader };
    readonly event?: { readonly replayId?: number };
  };
}

interface ChangeEventHeader {
  readonly changeType?: string;
  readonly recordIds?: readonly string[];
  readonly commitTimestamp?: number;
}

interface ChangeEvent {
  readonly replayId: number;
  readonly payload: Record<string, unknown> & { readonly ChangeEventHeader?: ChangeEventHeader };
}

/**
 * CometD servers pin a client to one node with cookies set at handshake (BAYEUX_BROWSER and a
 * load-balancer cookie on Salesforce [unverified names]); send them back like a browser would.
 */
function cookieFetch(inner: typeof fetch): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await inner(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  };
}

function channelOf(objectType: string): string {
  return `/data/${sobjectOf(objectType)}ChangeEvent`;
}

function toChanges(event: ChangeEvent): FeedChange[] {
  const header = event.payload.ChangeEventHeader ?? {};
  const ids = header.recordIds ?? [];
  const committed = typeof header.commitTimestamp === 'number' ? header.commitTimestamp : Number.NaN;
  switch (header.changeType) {
    case 'DELETE':
    case 'GAP_DELETE':
      return ids.map((id) => ({ deleted: true, id, deletedAt: committed }));
    case 'CREATE':
    case 'UPDATE':
    case 'UNDELETE': {
      // Only the fields in the event: a CREATE's set fields, an UPDATE's changed ones. A field
      // cleared to null is not expressible as a RecordState value and is left out.
      const fields: Record<string, string> = {};
      for (const [name, value] of Object.entries(event.payload)) {
        const canonical = toCanonicalField(name);
        if (canonical !== undefined && value !== null && value !== undefined)
          fields[canonical] = String(value);
      }
      const stamp = event.payload.LastModifiedDate;
      const modifiedAt =
        stamp === undefined || stamp === null ? committed : parseSfDateTime(stamp, 'LastModifiedDate');
      return ids.map((id) => ({ deleted: false, id, modifiedAt, fields }));
    }
    default:
      // GAP_CREATE/UPDATE/UNDELETE and GAP_OVERFLOW carry no field values: Salesforce says to
      // read the records themselves, which a feed page cannot do for the caller.
      throw new PocError(
        'POC_ERR_NOT_SUPPORTED',
        `Salesforce CDC: ${header.changeType ?? 'an event without changeType'} (replayId ${event.replayId}) carries no field values; reconcile the records ${ids.join(', ')} from a snapshot`,
      );
  }
}

export function salesforceChangeFeed(options: HttpClientOptions): ChangeFeed {
  const path = `/cometd/${SALESFORCE_API_VERSION}`;

  /** One CometD session from `replayFrom`: the events it replays, or the server's refusal. */
  async function replay(
    objectType: string,
    replayFrom: number,
    enough: number,
  ): Promise<{ events: ChangeEvent[]; more: boolean } | { refused: string }> {
    const request = createHttpClient({ ...options, fetch: cookieFetch(options.fetch ?? fetch) });
    const send = async (messages: readonly Record<string, unknown>[]): Promise<BayeuxReply[]> => {
      const res = await request('cdc.replay', 'POST', path, messages);
      return Array.isArray(res.body) ? (res.body as BayeuxReply[]) : [];
    };
    const meta = (replies: BayeuxReply[], channel: string): BayeuxReply => {
      const reply = replies.find((r) => r.channel === channel);
      if (!reply) throw new PocError('POC_ERR_VENDOR_HTTP', `Salesforce CometD: no answer to ${channel}`);
      return reply;
    };
    const failed = (channel: string, reply: BayeuxReply) =>
      new PocError(
        'POC_ERR_VENDOR_HTTP',
        `Salesforce CometD ${channel} failed: ${reply.error ?? 'unsuccessful'}`,
      );

    const handshake = meta(
      await send([
        {
          channel: '/meta/handshake',
          version: '1.0',
          minimumVersion: '1.0',
          supportedConnectionTypes: ['long-polling'],
          ext: { replay: true },
        },
      ]),
      '/meta/handshake',
    );
    if (handshake.successful !== true || !handshake.clientId) throw failed('/meta/handshake', handshake);
    const clientId = handshake.clientId;
    const channel = channelOf(objectType);
    try {
      const subscribed = meta(
        await send([
          {
            channel: '/meta/subscribe',
            clientId,
            subscription: channel,
            ext: { replay: { [channel]: replayFrom } },
          },
        ]),
        '/meta/subscribe',
      );
      if (subscribed.successful !== true) {
        if (/replayId .* invalid/i.test(subscribed.error ?? '')) return { refused: subscribed.error ?? '' };
        throw failed('/meta/subscribe', subscribed);
      }
      const events: ChangeEvent[] = [];
      for (let i = 0; i < MAX_CONNECTS; i++) {
        // advice.timeout 0: answer with what is queued now instead of holding the long-poll.
        const replies = await send([
          { channel: '/meta/connect', clientId, connectionType: 'long-polling', advice: { timeout: 0 } },
        ]);
        const connected = meta(replies, '/meta/connect');
        if (connected.successful !== true) throw failed('/meta/connect', connected);
        const fresh = replies.filter((r) => r.channel === channel && r.data?.payload);
        for (const r of fresh) {
          const replayId = r.data?.event?.replayId;
          if (typeof replayId !== 'number') throw failed(channel, { error: 'an event without replayId' });
          events.push({ replayId, payload: r.data?.payload ?? {} });
        }
        if (fresh.length === 0) return { events, more: false };
        if (events.length >= enough) return { events, more: true };
      }
      return { events, more: true };
    } finally {
      // Best effort: the server forgets an idle client after its own timeout anyway.
      await send([{ channel: '/meta/disconnect', clientId }]).catch(() => undefined);
    }
  }

  const parsePosition = (position: string): number => {
    const n = Number(position);
    if (!Number.isInteger(n) || n < RETAINED) {
      throw new PocError('POC_ERR_BAD_OPTION', `Salesforce CDC: "${position}" is not a replayId`);
    }
    return n;
  };

  return {
    kind: 'replay-id',
    retentionMs: {
      value: 72 * 3_600_000,
      source: salesforceProfile.webhooks.replay.source,
      confidence: 'verified',
    },

    /**
     * CometD cannot ask for the newest replayId: replay everything retained and keep the last
     * one, a page at a time so memory stays bounded by the page whatever 72 h held. With nothing
     * retained there is no replayId to hold: whatever a pipeline kept has aged out.
     */
    async current(objectType) {
      let position = RETAINED;
      for (;;) {
        const result = await replay(objectType, position, PAGE_EVENTS);
        if ('refused' in result)
          throw new PocError('POC_ERR_VENDOR_HTTP', `Salesforce CometD: ${result.refused}`);
        const last = result.events.at(-1);
        if (last) position = last.replayId;
        if (!result.more) return position === RETAINED ? undefined : String(position);
      }
    },

    async read(objectType, position): Promise<FeedPage> {
      const from = parsePosition(position);
      const result = await replay(objectType, from, PAGE_EVENTS);
      if ('refused' in result) return { expired: true, detail: result.refused };
      const changes = result.events.flatMap(toChanges);
      const last = result.events.at(-1);
      return {
        expired: false,
        changes,
        position: last ? String(last.replayId) : position,
        more: result.more,
      };
    },
  };
}
