import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BATCHING_VENDORS,
  bodyWithEvents,
  foreignContentTypes,
  INVALID_UTF8,
  insertInValue,
  ownContentTypeSpellings,
} from '../fuzz/hostile-bodies.js';
import { createRng } from '../fuzz/prng.js';
import { FUZZ_TARGETS, type FuzzTarget } from '../fuzz/targets.js';
import { pathVariants } from '../helpers/path-variants.js';
import { counterValue, type PostAnswer, postRaw, vendorHeaders } from '../helpers/receiver-client.js';
import { startReceiverFor } from '../helpers/servers.js';

// The refusals of the reference receiver (harness/pipeline/receiver.ts), one vendor at a time:
// each is answered with its status and a JSON {error, reason}, counted in
// poc_webhook_receiver_requests_total by status and reason, and leaves nothing in the inbox.

type Receiver = Awaited<ReturnType<typeof startReceiverFor>>;
const VENDORS = Object.keys(FUZZ_TARGETS);
const target = (vendor: string) => FUZZ_TARGETS[vendor] as FuzzTarget;

let open: Receiver | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function start(vendor: string): Promise<Receiver> {
  open = await startReceiverFor(target(vendor).adapter, [target(vendor).secret], { processor: false });
  return open;
}

/** Posts `body` with the vendor's own headers (signed for the receiver's URL, or `signedFor`). */
function deliver(
  r: Receiver,
  t: FuzzTarget,
  body: Buffer,
  options: { path?: string; signedFor?: string } = {},
) {
  const path = options.path ?? r.pipeline.path;
  return postRaw(r.address, path, vendorHeaders(t, `${r.address}${options.signedFor ?? path}`, body), body);
}

async function requestsCounted(r: Receiver, status: number, reason: string): Promise<number> {
  const text = await (await fetch(`${r.address}/metrics`)).text();
  return counterValue(
    text,
    'poc_webhook_receiver_requests_total',
    `status="${status}"`,
    `reason="${reason}"`,
  );
}

const stored = (r: Receiver) => ({
  keys: r.pipeline.db.prepare('SELECT COUNT(*) FROM dedupe').pluck().get(),
  rows: r.pipeline.db.prepare('SELECT COUNT(*) FROM queue').pluck().get(),
});

/** A refusal as every refusal looks: the status, JSON with exactly `error` and `reason`. */
function expectRefusal(answer: PostAnswer, status: number, reason?: RegExp | string) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(answer.text) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error', 'reason']);
  expect(typeof body.error).toBe('string');
  expect(typeof body.reason).toBe('string');
  if (reason !== undefined) expect(body.reason).toMatch(reason);
}

describe('receiver: more events than the vendor puts in one delivery', () => {
  it.each(BATCHING_VENDORS)(
    '%s: the cap is accepted, one event more is refused 413 and not stored',
    async (vendor) => {
      const t = target(vendor);
      const r = await start(vendor);
      const max = t.adapter.profile.webhooks.batchMax.value;
      const rng = createRng(1);
      const full = await deliver(r, t, bodyWithEvents(t, rng, 1, max) as Buffer);
      expect(full.status, full.text).toBe(200);
      const over = await deliver(r, t, bodyWithEvents(t, rng, 2, max + 1) as Buffer);
      expectRefusal(over, 413, new RegExp(`at most ${max}`));
      expect(JSON.parse(over.text).error).toBe('too many events');
      expect(stored(r)).toEqual({ keys: max, rows: 1 });
      expect(await requestsCounted(r, 413, 'too_many_events')).toBe(1);
    },
  );

  it('hubspot: 20,000 signed events (4.7 MB) are refused 413 without parsing the body', async () => {
    const t = target('hubspot');
    const r = await start('hubspot');
    const body = bodyWithEvents(t, createRng(2), 3, 20_000) as Buffer;
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(body.length).toBeLessThan(5 * 1024 * 1024);
    const parse = vi.spyOn(JSON, 'parse');
    let answer: PostAnswer;
    try {
      answer = await deliver(r, t, body);
    } finally {
      parse.mockRestore();
    }
    expectRefusal(answer, 413, /more than 100 events/);
    // The events were counted by a scan that stops at the 101st; none was built.
    const parsedLengths = parse.mock.calls.map(([text]) => String(text).length);
    expect(parsedLengths.filter((n) => n > 1024 * 1024)).toEqual([]);
    console.log(`hubspot: 20,000 events, ${body.length} bytes, answered 413 in ${answer.ms.toFixed(1)} ms`);
    expect(stored(r)).toEqual({ keys: 0, rows: 0 });
    expect(await requestsCounted(r, 413, 'too_many_events')).toBe(1);
  });
});

describe('receiver: content types', () => {
  it.each(VENDORS)(
    '%s: a content type the vendor never sends gets 415, unread; its own gets 200 however spelt',
    async (vendor) => {
      const t = target(vendor);
      const r = await start(vendor);
      const rng = createRng(3);
      const foreign = foreignContentTypes(t);
      for (const [i, type] of foreign.entries()) {
        const body = t.body(rng, 100 + i, t.secret);
        const headers = vendorHeaders(t, `${r.address}${r.pipeline.path}`, body);
        if (type === undefined) delete headers['content-type'];
        else headers['content-type'] = type;
        expectRefusal(await postRaw(r.address, r.pipeline.path, headers, body), 415, /UTF-8/);
      }
      // Answered with the body still to come: the receiver did not wait to read it.
      const body = t.body(rng, 200, t.secret);
      const headers = {
        ...vendorHeaders(t, `${r.address}${r.pipeline.path}`, body),
        'content-type': 'text/plain',
      };
      expectRefusal(await postRaw(r.address, r.pipeline.path, headers, body, { withholdBody: true }), 415);
      expect(stored(r)).toEqual({ keys: 0, rows: 0 });
      for (const [i, type] of ownContentTypeSpellings(t).entries()) {
        const own = t.body(rng, 300 + i, t.secret);
        const ok = await postRaw(
          r.address,
          r.pipeline.path,
          { ...vendorHeaders(t, `${r.address}${r.pipeline.path}`, own), 'content-type': type },
          own,
        );
        expect(ok.status, `${type}: ${ok.text}`).toBe(200);
      }
      expect(await requestsCounted(r, 415, 'unsupported_media_type')).toBe(foreign.length + 1);
    },
  );
});

describe('receiver: bodies that are not UTF-8', () => {
  it.each(VENDORS)('%s: refused 400 once verified, 401 when not; never stored', async (vendor) => {
    const t = target(vendor);
    const r = await start(vendor);
    const rng = createRng(4);
    for (const [i, bytes] of INVALID_UTF8.entries()) {
      const body = insertInValue(rng, t.body(rng, 400 + i, t.secret), bytes, t.secret);
      expectRefusal(await deliver(r, t, body), 400, 'the body is not valid UTF-8');
      // Without the secret the answer is the 401 any forgery gets: nothing says the bytes were bad.
      const wrong = t.nearMiss(rng);
      const forged = insertInValue(rng, t.body(rng, 500 + i, wrong), bytes, wrong);
      const url = `${r.address}${r.pipeline.path}`;
      const answer = await postRaw(r.address, r.pipeline.path, vendorHeaders(t, url, forged, wrong), forged);
      expectRefusal(answer, 401);
    }
    expect(stored(r)).toEqual({ keys: 0, rows: 0 });
    expect(await requestsCounted(r, 400, 'invalid_utf8')).toBe(INVALID_UTF8.length);
  });

  it('hubspot: the signature is checked first, over the bytes as sent', async () => {
    const t = target('hubspot');
    const r = await start('hubspot');
    const rng = createRng(5);
    const body = t.body(rng, 600, t.secret);
    const headers = vendorHeaders(t, `${r.address}${r.pipeline.path}`, body);
    const tampered = insertInValue(rng, body, Buffer.from([0xff]), t.secret);
    const answer = await postRaw(r.address, r.pipeline.path, headers, tampered);
    expectRefusal(answer, 401, 'bad_signature');
    expect(await requestsCounted(r, 400, 'invalid_utf8')).toBe(0);
  });
});

describe('receiver: every refusal has one shape and is counted', () => {
  it('hubspot: 400, 401, 404, 413 and 415 all answer {error, reason}, each counted by status and reason', async () => {
    const t = target('hubspot');
    const r = await start('hubspot');
    const rng = createRng(6);
    const path = r.pipeline.path;
    const signed = (body: Buffer) => vendorHeaders(t, `${r.address}${path}`, body);
    const notJson = Buffer.from('{not json');
    expectRefusal(await postRaw(r.address, path, signed(notJson), notJson), 400, 'body is not valid JSON');
    const body = t.body(rng, 700, t.secret);
    const unsigned = { 'content-type': 'application/json' };
    expectRefusal(await postRaw(r.address, path, unsigned, body), 401, 'missing_signature');
    expectRefusal(await postRaw(r.address, '/webhooks/%68ubspot', signed(body), body), 404);
    expectRefusal(await postRaw(r.address, '/nowhere', signed(body), body), 404);
    const tooBig = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20);
    expectRefusal(await postRaw(r.address, path, signed(tooBig), tooBig), 413, /over 5242880 bytes/);
    expectRefusal(await deliver(r, t, bodyWithEvents(t, rng, 701, 101) as Buffer), 413);
    expectRefusal(
      await postRaw(r.address, path, { ...signed(body), 'content-type': 'text/plain' }, body),
      415,
    );
    const counted = await Promise.all([
      requestsCounted(r, 400, 'malformed'),
      requestsCounted(r, 401, 'missing_signature'),
      requestsCounted(r, 404, 'non_canonical_path'),
      requestsCounted(r, 404, 'no_route'),
      requestsCounted(r, 413, 'body_too_large'),
      requestsCounted(r, 413, 'too_many_events'),
      requestsCounted(r, 415, 'unsupported_media_type'),
    ]);
    expect(counted).toEqual([1, 1, 1, 1, 1, 1, 1]);
    // Still serving.
    expect((await deliver(r, t, body)).status).toBe(200);
  });
});

describe('receiver: one spelling of the signed path', () => {
  it('hubspot: no other spelling of the path is served, however it is signed; the query is signed as sent', async () => {
    const t = target('hubspot');
    const r = await start('hubspot');
    const rng = createRng(7);
    const path = r.pipeline.path;
    let n = 800;
    const refusals = new Set<string>();
    for (const variant of pathVariants(path)) {
      for (const signedFor of [path, variant.path]) {
        const answer = await deliver(r, t, t.body(rng, n++, t.secret), { path: variant.path, signedFor });
        expectRefusal(answer, 404);
        refusals.add(answer.text);
      }
    }
    // The same answer whether or not the router folds the spelling into the route: no oracle.
    expect([...refusals]).toHaveLength(1);
    const folded = await requestsCounted(r, 404, 'non_canonical_path');
    const unrouted = await requestsCounted(r, 404, 'no_route');
    expect(folded + unrouted).toBe(2 * pathVariants(path).length);
    // Percent-encoded letters reach the route (the router decodes them): the guard refused those.
    expect(folded).toBeGreaterThanOrEqual(2 * 3);
    expect(stored(r)).toEqual({ keys: 0, rows: 0 });

    expect((await deliver(r, t, t.body(rng, n++, t.secret))).status).toBe(200);
    const query = `${path}?portal=62515`;
    expect((await deliver(r, t, t.body(rng, n++, t.secret), { path: query })).status).toBe(200);
    expectRefusal(await deliver(r, t, t.body(rng, n++, t.secret), { path: query, signedFor: path }), 401);
    // HubSpot decodes %3A (and the rest of its list) before signing: both spellings are one URI to it.
    const encoded = `${path}?at=a%3Ab`;
    const decoded = `${path}?at=a:b`;
    expect(
      (await deliver(r, t, t.body(rng, n++, t.secret), { path: encoded, signedFor: decoded })).status,
    ).toBe(200);
  });

  it.each(VENDORS)(
    '%s: an authentic delivery to a percent-encoded spelling of the path gets 404',
    async (vendor) => {
      const t = target(vendor);
      const r = await start(vendor);
      const path = r.pipeline.path;
      const encoded = path.replace(/\/(\w)(\w*)$/, (_m, first: string, rest: string) => {
        return `/%${first.charCodeAt(0).toString(16).toUpperCase()}${rest}`;
      });
      expect(encoded).not.toBe(path);
      const answer = await deliver(r, t, t.body(createRng(8), 900, t.secret), { path: encoded });
      expectRefusal(answer, 404, `deliveries go to ${path}, spelled exactly so`);
      expect(await requestsCounted(r, 404, 'non_canonical_path')).toBe(1);
      expect(stored(r)).toEqual({ keys: 0, rows: 0 });
    },
  );
});
