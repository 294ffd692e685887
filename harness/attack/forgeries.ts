import type { IncomingHttpHeaders } from 'node:http';
import type { VendorAdapter, WebhookScheme } from '../vendors/types.js';
import type { CapturedDelivery } from './capture.js';

/** What a receiver must do with a case. */
export type Expectation =
  /** 2xx and its events applied. */
  | 'accept'
  /** 2xx and nothing applied a second time. */
  | 'duplicate'
  /** 4xx (401 for a bad proof, 400 malformed, 413 too large, 431 header too large); nothing applied. */
  | 'reject'
  /** The scheme cannot tell: accepted or deduplicated, and counted against the vendor's scheme. */
  | 'undetectable';

export interface OutgoingDelivery {
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
}

export interface AttackCase {
  readonly name: string;
  readonly expect: Expectation;
  build(now: number): OutgoingDelivery;
}

export interface ForgeryInput {
  readonly adapter: VendorAdapter;
  readonly captured: CapturedDelivery;
  /** The shared secret the receiver verifies with. */
  readonly secret: string;
  /** The URL the receiver is reached at (signatures may cover it). */
  readonly receiverUrl: string;
  readonly toleranceMs: number;
  /** A substring of the body that is ours to change (the field value the capture wrote). */
  readonly marker: string;
}

const HOP_BY_HOP = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'expect',
]);

function plainHeaders(headers: IncomingHttpHeaders, drop: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || drop.includes(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * Every forgery a real attacker or a sloppy integration produces, derived from one captured
 * delivery and the vendor's scheme. What is expected follows from what the scheme covers: a
 * one-byte change is a forgery for a signed body and undetectable for an unsigned one.
 */
export function buildCases(input: ForgeryInput): AttackCase[] {
  const { adapter, captured, secret, receiverUrl, toleranceMs, marker } = input;
  const scheme: WebhookScheme = adapter.webhooks({ secrets: [secret] });
  const sec = scheme.security;
  const inBody = sec.proofHeaders.length === 0;
  const base = plainHeaders(captured.headers, sec.proofHeaders);
  const schemeFor = (s: string) => adapter.webhooks({ secrets: [s] });

  /** The body with `s` as its proof, signed for the receiver at `ts`. */
  const proven = (body: string, s: string, ts: number): OutgoingDelivery => {
    if (inBody) return { headers: base, body: scheme.embed?.(body, s) ?? body };
    const signed = schemeFor(s).sign({ method: 'POST', url: receiverUrl, body, timestamp: ts });
    return { headers: { ...base, ...signed }, body };
  };
  // The valid delivery is built once: "the same delivery again" must be the same bytes and
  // headers (Standard Webhooks' identity is its webhook-id, a new signature would be a new message).
  let first: OutgoingDelivery | undefined;
  const valid = (now: number) => {
    first ??= proven(captured.body, secret, now);
    return first;
  };
  const tamper = (body: string) => {
    const i = body.indexOf(marker);
    const at = i >= 0 ? i + marker.length - 1 : body.search(/[A-Za-z0-9](?=[^A-Za-z0-9]*$)/);
    const ch = body[at] === 'x' ? 'y' : 'x';
    return `${body.slice(0, at)}${ch}${body.slice(at + 1)}`;
  };
  const onBody = (expectSigned: Expectation): Expectation => (sec.coversBody ? expectSigned : 'undetectable');
  // The header that holds the signature or credential itself (not the timestamp or id).
  const proofHeader =
    sec.proofHeaders.find((h) => /signature|authorization|key/.test(h)) ?? sec.proofHeaders[0];
  const mapProof = (now: number, f: (value: string) => string | string[], all = false): OutgoingDelivery => {
    const d = valid(now);
    const headers = { ...d.headers };
    for (const h of all ? sec.proofHeaders : [proofHeader ?? '']) {
      const v = headers[h];
      if (typeof v === 'string') headers[h] = f(v);
    }
    return { headers, body: d.body };
  };

  const cases: AttackCase[] = [
    { name: 'valid delivery (non-ASCII body, re-signed now)', expect: 'accept', build: valid },
    { name: 'the same delivery again, within the window', expect: 'duplicate', build: valid },
    {
      name: 'one byte of the body changed',
      expect: onBody('reject'),
      build: (now) => {
        const d = valid(now);
        return { headers: d.headers, body: tamper(d.body) };
      },
    },
    {
      name: 'signed with a wrong secret',
      expect: 'reject',
      build: (now) => proven(captured.body, `wrong-${secret}`, now),
    },
    { name: 'signed with an empty secret', expect: 'reject', build: (now) => proven(captured.body, '', now) },
    {
      name: 'no proof at all',
      expect: 'reject',
      build: () => {
        if (!inBody) return { headers: base, body: captured.body };
        return { headers: base, body: scheme.embed?.(captured.body, '') ?? captured.body };
      },
    },
    {
      name: 'body over the receiver’s size limit (6 MiB)',
      expect: 'reject',
      build: (now) => proven(`${captured.body}${' '.repeat(6 * 1024 * 1024)}`, secret, now),
    },
  ];
  if (captured.body.trimStart().startsWith('{') || captured.body.trimStart().startsWith('[')) {
    cases.push({
      name: 'body re-serialised (whitespace and key order), proof kept',
      expect: onBody('reject'),
      build: (now) => {
        const d = valid(now);
        return { headers: d.headers, body: JSON.stringify(JSON.parse(d.body), null, 1) };
      },
    });
  }
  if (!inBody) {
    cases.push(
      {
        name: 'proof headers sent twice',
        expect: 'reject',
        build: (now) => mapProof(now, (v) => [v, v], true),
      },
      {
        name: 'oversized proof header (12 KiB)',
        expect: 'reject',
        build: (now) => mapProof(now, () => 'A'.repeat(12 * 1024)),
      },
      {
        name: 'garbage body with a valid proof',
        expect: 'reject',
        build: (now) => proven('\u0000not a delivery\uFFFD', secret, now),
      },
    );
  }
  if (inBody) {
    // The credential travels in the body: the near misses a careless comparison lets through.
    cases.push(
      {
        name: 'truncated proof in the body',
        expect: 'reject',
        build: (now) => proven(captured.body, secret.slice(0, -2), now),
      },
      {
        name: 'proof in the body with other letter case',
        expect: secret.toUpperCase() === secret ? 'accept' : 'reject',
        build: (now) => proven(captured.body, secret.toUpperCase(), now),
      },
    );
    // In JSON a trailing space is part of the value; XML parsers trim element text, so there it is not a forgery.
    if (!captured.body.trimStart().startsWith('<')) {
      cases.push({
        name: 'proof with trailing whitespace',
        expect: 'reject',
        build: (now) => proven(captured.body, `${secret} `, now),
      });
    }
  }
  if (sec.coversBody) {
    cases.push(
      {
        name: 'the signature of another delivery',
        expect: 'reject',
        build: (now) => {
          const other = proven(`${captured.body} `, secret, now);
          return { headers: other.headers, body: captured.body };
        },
      },
      {
        name: 'truncated signature',
        expect: 'reject',
        build: (now) => mapProof(now, (v) => v.slice(0, -4)),
      },
      {
        name: 'wrong algorithm prefix',
        expect: 'reject',
        build: (now) => mapProof(now, (v) => (/^v\d+,/.test(v) ? v.replace(/^v\d+,/, 'v2,') : `sha1=${v}`)),
      },
    );
  }
  if (sec.coversTimestamp) {
    cases.push(
      {
        name: 'captured delivery replayed after the tolerance window',
        expect: 'reject',
        build: (now) => proven(captured.body, secret, now - toleranceMs - 60_000),
      },
      {
        name: 'timestamp in the future',
        expect: 'reject',
        build: (now) => proven(captured.body, secret, now + toleranceMs + 60_000),
      },
    );
  }
  return cases;
}
