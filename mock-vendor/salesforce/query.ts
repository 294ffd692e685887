import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MockRecord } from '../records.js';
import { sfErrors } from './errors.js';
import type { SalesforceMock } from './mock.js';
import { executeQuery } from './query-exec.js';
import { toQueryRecord } from './query-records.js';
import { parseSoql, SoqlError } from './soql.js';

/** A server-side query cursor: the matching records in order and the fields to return. */
interface Cursor {
  readonly records: readonly MockRecord[];
  readonly fields: readonly string[];
  readonly batchSize: number;
  lastUse: number;
}

// Salesforce drops a cursor after 15 minutes without use [unverified], and caps open cursors
// per user; the mock keeps at most this many and drops the oldest.
const CURSOR_IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 1000;

/** Sforce-Query-Options: batchSize=N, clamped to the documented 200..2000. */
function batchSize(mock: SalesforceMock, header: string | string[] | undefined): number {
  const raw = Array.isArray(header) ? header[0] : header;
  const asked = Number(/batchSize\s*=\s*(\d+)/i.exec(raw ?? '')?.[1]);
  const { queryBatchSize: max, queryBatchMin: min } = mock.settings;
  return Number.isInteger(asked) && asked > 0 ? Math.min(max, Math.max(min, asked)) : max;
}

/**
 * GET /query?q=SOQL and GET /query/<locator>: records in batches linked by nextRecordsUrl;
 * COUNT() answers its totalSize with `records: []`, an aggregate query its AggregateResult rows.
 */
export function registerQueryRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  const cursors = new Map<string, Cursor>();

  const page = (reply: FastifyReply, version: string, cursorId: string, cursor: Cursor, offset: number) => {
    cursor.lastUse = Date.now();
    const slice = cursor.records.slice(offset, offset + cursor.batchSize);
    const next = offset + slice.length;
    const done = next >= cursor.records.length;
    if (done) cursors.delete(cursorId);
    return reply.send({
      totalSize: cursor.records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${cursorId}-${next}` }),
      records: slice.map((r) => toQueryRecord(mock, version, r, cursor.fields)),
    });
  };

  const run = async (
    all: boolean,
    req: {
      params: { version: string };
      query: { q?: string };
      headers: Record<string, string | string[] | undefined>;
    },
    reply: FastifyReply,
  ) => {
    let query: ReturnType<typeof parseSoql>;
    try {
      query = parseSoql(req.query.q ?? '');
    } catch (err) {
      if (err instanceof SoqlError) return reply.code(400).send(sfErrors(err.errorCode, err.message));
      throw err;
    }
    const now = Date.now();
    for (const [id, c] of cursors) if (now - c.lastUse > CURSOR_IDLE_MS) cursors.delete(id);
    const answer = executeQuery(mock, query, all, now);
    if (answer.kind === 'count') return reply.send({ totalSize: answer.totalSize, done: true, records: [] });
    if (answer.kind === 'aggregate') {
      return reply.send({ totalSize: answer.rows.length, done: true, records: answer.rows });
    }
    const { records } = answer;
    const cursorId = `01g${randomBytes(9).toString('base64url').slice(0, 12)}`;
    const cursor: Cursor = {
      records,
      fields: query.fields,
      batchSize: batchSize(mock, req.headers['sforce-query-options']),
      lastUse: now,
    };
    if (records.length > cursor.batchSize) {
      if (cursors.size >= MAX_CURSORS) cursors.delete(cursors.keys().next().value as string);
      cursors.set(cursorId, cursor);
    }
    return page(reply, req.params.version, cursorId, cursor, 0);
  };

  type QueryRequest = { Params: { version: string }; Querystring: { q?: string } };
  app.get<QueryRequest>('/services/data/:version/query', (req, reply) => run(false, req, reply));
  app.get<QueryRequest>('/services/data/:version/queryAll', (req, reply) => run(true, req, reply));

  app.get<{ Params: { version: string; locator: string } }>(
    '/services/data/:version/query/:locator',
    async (req, reply) => {
      const dash = req.params.locator.lastIndexOf('-');
      const cursorId = req.params.locator.slice(0, dash);
      const offset = Number(req.params.locator.slice(dash + 1));
      const cursor = cursors.get(cursorId);
      if (dash < 0 || !cursor || !Number.isInteger(offset) || offset < 0 || offset > cursor.records.length) {
        return reply.code(400).send(sfErrors('INVALID_QUERY_LOCATOR', 'invalid query locator'));
      }
      return page(reply, req.params.version, cursorId, cursor, offset);
    },
  );
}
