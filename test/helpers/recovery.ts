import Fastify from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Pipeline } from '../../harness/pipeline/pipeline.js';
import type {
  ApiCallOutcome,
  ApiConnection,
  CrmApi,
  RecordState,
  VendorEvent,
} from '../../harness/vendors/types.js';
import type { StartedMock } from './servers.js';

/**
 * What the recovery-<vendor> integration tests share: a fresh mock and its adapter per test,
 * changes made inside the vendor, paged reads followed to the end, the keyset order checks, and
 * endpoints that keep what the vendor delivered.
 */

/** A mock and the adapter's API on it, fresh for each test. */
export interface RecoveryTarget<M extends StartedMock, O> {
  readonly mock: M;
  readonly api: CrmApi;
  /** Every API call the adapter made on this mock, in order. */
  readonly calls: ApiCallOutcome[];
  /** Replaces this test's mock with one started with `options` (closed after the test all the same). */
  restart(options: O): Promise<void>;
}

/**
 * Starts `start()` before each test and closes it after, with `api` connected to it (token,
 * webhook secret, and an onCall that records into `calls`). Read the fields inside a test: each
 * test, and each restart, gets new ones.
 */
export function useRecoveryTarget<M extends StartedMock, O>(
  start: (options?: O) => Promise<M>,
  api: (connection: ApiConnection) => CrmApi,
): RecoveryTarget<M, O> {
  let current: { mock: M; api: CrmApi; calls: ApiCallOutcome[] } | undefined;
  const open = async (options?: O) => {
    const mock = await start(options);
    const calls: ApiCallOutcome[] = [];
    const connection = { baseUrl: mock.url, token: mock.token, webhookSecret: mock.secret };
    current = { mock, calls, api: api({ ...connection, onCall: (c) => calls.push(c) }) };
  };
  const started = () => {
    if (!current) throw new Error('useRecoveryTarget: read its fields inside a test');
    return current;
  };
  beforeEach(() => open());
  afterEach(async () => {
    await current?.mock.close();
    current = undefined;
  });
  return {
    get mock() {
      return started().mock;
    },
    get api() {
      return started().api;
    },
    get calls() {
      return started().calls;
    },
    async restart(options: O) {
      await started().mock.close();
      await open(options);
    },
  };
}

/** One change made inside the vendor; `fields` defaults to none (a delete or a merge needs none). */
export interface Change {
  readonly externalId: string;
  readonly fields?: Readonly<Record<string, string>>;
  readonly deleted?: boolean;
  readonly mergeInto?: string;
}

/** Contacts changed inside the vendor through the mock's admin API, at `at` (epoch ms) when given. */
export function postFirehose(
  mock: Pick<StartedMock, 'url'>,
  changes: readonly Change[],
  at?: number,
): Promise<Response> {
  return fetch(`${mock.url}/__admin/firehose`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ objectType: 'contacts', inputs: changes.map((c) => ({ fields: {}, ...c })), at }),
  });
}

/** As postFirehose; throws with the mock's answer unless it applied the changes. */
export async function firehose(
  mock: Pick<StartedMock, 'url'>,
  changes: readonly Change[],
  at?: number,
): Promise<void> {
  const res = await postFirehose(mock, changes, at);
  if (res.status !== 200) throw new Error(`firehose answered ${res.status}: ${await res.text()}`);
}

interface Page<T> {
  readonly records: readonly T[];
  readonly cursor?: string;
}

/** Every page of one paged read: the pages, their records in order, and each page's size. */
export interface Drained<T> {
  readonly pages: T[][];
  readonly records: T[];
  readonly sizes: number[];
}

/** Follows the vendor's cursor from the first page to the last; throws if it never ends. */
export async function drain<T>(
  read: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 500,
): Promise<Drained<T>> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    if (pages.length === maxPages) throw new Error(`the read did not end within ${maxPages} pages`);
    const page = await read(cursor);
    pages.push([...page.records]);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { pages, records: pages.flat(), sizes: pages.map((p) => p.length) };
}

/**
 * Fails unless `records` are ascending by modified time, ties by id: the order a keyset by
 * (time, id) resumes from. Ids compare as numbers where the vendor's are numeric.
 */
export function expectKeysetOrder(records: readonly RecordState[], ids: 'numeric' | 'text'): void {
  const before = (a: string, b: string) => (ids === 'numeric' ? BigInt(a) < BigInt(b) : a < b);
  for (let i = 1; i < records.length; i++) {
    const [a, b] = [records[i - 1] as RecordState, records[i] as RecordState];
    if (!(a.modifiedAt < b.modifiedAt || (a.modifiedAt === b.modifiedAt && before(a.id, b.id))))
      expect.fail(`record ${i} (${b.id} @${b.modifiedAt}) is out of order after ${a.id} @${a.modifiedAt}`);
  }
}

/** `ms` rounded down to its whole second: the precision several vendors keep times to. */
export const second = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Every event the reference pipeline accepts from now on, in the order it accepted them. */
export function acceptedEvents(receiver: { readonly pipeline: Pipeline }): VendorEvent[] {
  const events: VendorEvent[] = [];
  receiver.pipeline.events.on('accepted', (batch) => {
    events.push(...batch);
  });
  return events;
}

/** One delivery as the capture endpoint received it. */
export interface Captured {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly url: string;
}

/** A bare endpoint on 127.0.0.1:0 (`/hook`) that answers 204 and keeps every delivery's raw bytes. */
export async function startCapture() {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const seen: Captured[] = [];
  app.post('/hook', async (req, reply) => {
    seen.push({ headers: req.headers, body: req.body as Buffer, url: req.url });
    return reply.code(204).send();
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { seen, url: `${address}/hook`, close: () => app.close() };
}
