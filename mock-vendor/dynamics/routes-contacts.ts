import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MockRecord } from '../records.js';
import { isChangeTracking, sendChanges } from './change-tracking.js';
import {
  contextUrl,
  parseSelect,
  project,
  type Row,
  sendCollection,
  serviceRoot,
  unsupportedOption,
} from './collection.js';
import { CONTACT_COLUMNS, CONTACT_KEYS, type WriteCondition } from './contacts.js';
import { DATAVERSE_CODES, sendOdataError } from './errors.js';
import type { EdmType } from './filter-eval.js';
import type { DynamicsMock } from './mock.js';
import { type EntityKey, preferences, type ResourcePath } from './odata.js';

const SET = 'contacts';
const ENTITY = 'contact';
/** The columns a contact shows, with their types as the contact EntityType declares them. */
const TYPES: Readonly<Record<string, EdmType>> = {
  contactid: 'Edm.Guid',
  ...Object.fromEntries(CONTACT_COLUMNS.map((c) => [c, 'Edm.String' as const])),
  createdon: 'Edm.DateTimeOffset',
  modifiedon: 'Edm.DateTimeOffset',
  statecode: 'Edm.Int32',
  versionnumber: 'Edm.Int64',
};
const READABLE = Object.keys(TYPES);

export interface DataRequest {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  readonly url: URL;
  readonly path: ResourcePath;
}

function notFound(reply: FastifyReply, key: EntityKey) {
  const message =
    key.kind === 'id'
      ? `contact With Id = ${key.id} Does Not Exist`
      : 'A record with the specified key values does not exist in contact entity';
  return sendOdataError(reply, 404, DATAVERSE_CODES.notFound, message);
}

/** Body columns as strings; an unknown column or a non-scalar value is refused by name. */
function columnsOf(body: unknown): Record<string, string> | Error {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return new Error('The request body must be a JSON object of column values.');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k.startsWith('@')) continue;
    if (!(CONTACT_COLUMNS as readonly string[]).includes(k)) {
      return new Error(`Invalid property '${k}' was found in entity 'Microsoft.Dynamics.CRM.contact'.`);
    }
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') return new Error(`The value of property '${k}' must be a primitive.`);
    // Every contact column the mock has is Edm.String; OData's reader converts no number or
    // boolean into one [unverified wording], where the mock used to store String(v).
    if (typeof v !== 'string') {
      return new Error(
        `Cannot convert a primitive value to the expected type 'Edm.String' for property '${k}'.`,
      );
    }
    out[k] = v;
  }
  return out;
}

function checkKey(key: EntityKey | undefined): string | undefined {
  if (key?.kind !== 'alternate') return undefined;
  const columns = Object.keys(key.values);
  const known = columns.length === 1 && (CONTACT_KEYS as readonly string[]).includes(columns[0] ?? '');
  return known
    ? undefined
    : `The key attributes ${columns.join(',')} do not match any alternate key defined on contact.`;
}

/** The Web API's answer to a write: 204 + OData-EntityId, or the row with return=representation. */
function sendWritten(d: DataRequest, mock: DynamicsMock, record: MockRecord, created: boolean) {
  const root = serviceRoot(d.req);
  const guid = mock.contacts.guidOf(record);
  void d.reply.header('odata-entityid', `${root}${SET}(${guid})`);
  if (!preferences(d.req.headers.prefer).returnRepresentation) return d.reply.code(204).send();
  const select = parseSelect(d.url.searchParams, READABLE, ENTITY);
  const columns = select instanceof Error ? [] : select;
  return d.reply.code(created ? 201 : 200).send({
    '@odata.context': contextUrl(root, SET, columns, true),
    '@odata.etag': mock.contacts.etagOf(record),
    ...project(mock.contacts.row(record), columns, 'contactid'),
  });
}

function conditionOf(req: FastifyRequest): WriteCondition {
  const ifMatch = req.headers['if-match'];
  if (typeof ifMatch === 'string' && ifMatch !== '') return { kind: 'update-only', etag: ifMatch };
  if (req.headers['if-none-match'] === '*') return { kind: 'create-only' };
  return { kind: 'upsert' };
}

/** The contacts entity set: create, retrieve, list, upsert/update by id or alternate key, delete. */
export function handleContacts(d: DataRequest, mock: DynamicsMock) {
  const { req, reply, path } = d;
  const now = Date.now();
  const badKey = checkKey(path.key);
  if (badKey) return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, badKey);
  const key = path.key;

  if (req.method === 'GET' && !key && isChangeTracking(req, d.url.searchParams)) {
    return sendChanges(req, reply, d.url, mock.contacts, READABLE, mock.settings.changeTrackingRetentionMs);
  }
  if (req.method === 'GET' && !key) {
    const rows: Row[] = mock.contacts.all().map((r) => mock.contacts.row(r));
    return sendCollection(req, reply, d.url, rows, {
      entitySet: SET,
      entityType: ENTITY,
      primaryKey: 'contactid',
      columns: READABLE,
      types: TYPES,
      maxPageSize: mock.settings.maxPageSize,
      etag: (row) => `W/"${String(row.versionnumber)}"`,
    });
  }
  if (req.method === 'GET' && key) {
    const refused = unsupportedOption(d.url.searchParams, ['$select']);
    if (refused) return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, refused.message);
    const record = mock.contacts.find(key);
    if (!record) return notFound(reply, key);
    const select = parseSelect(d.url.searchParams, READABLE, ENTITY);
    if (select instanceof Error)
      return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, select.message);
    return reply.send({
      '@odata.context': contextUrl(serviceRoot(req), SET, select, true),
      '@odata.etag': mock.contacts.etagOf(record),
      ...project(mock.contacts.row(record), select, 'contactid'),
    });
  }
  if (req.method === 'DELETE' && key) {
    return mock.deleteContact(key, mock.newRequest(), now) ? reply.code(204).send() : notFound(reply, key);
  }
  const columns = columnsOf(req.body);
  if (columns instanceof Error)
    return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, columns.message);

  if (req.method === 'POST' && !key) {
    const outcome = mock.writeContact(undefined, columns, { kind: 'create-only' }, mock.newRequest(), now);
    if (!outcome.ok) {
      return sendOdataError(
        reply,
        412,
        DATAVERSE_CODES.duplicate,
        'A record with matching key values already exists.',
      );
    }
    return sendWritten(d, mock, outcome.record, true);
  }
  if (req.method === 'PATCH' && key) {
    const outcome = mock.writeContact(key, columns, conditionOf(req), mock.newRequest(), now);
    if (outcome.ok) return sendWritten(d, mock, outcome.record, outcome.created);
    if (outcome.reason === 'missing') return notFound(reply, key);
    if (outcome.reason === 'exists') {
      return sendOdataError(
        reply,
        412,
        DATAVERSE_CODES.duplicate,
        'A record with matching key values already exists.',
      );
    }
    return sendOdataError(
      reply,
      412,
      DATAVERSE_CODES.concurrency,
      "The version of the existing record doesn't match the RowVersion property provided.",
    );
  }
  return sendOdataError(
    reply,
    405,
    DATAVERSE_CODES.badRequest,
    `The HTTP method '${req.method}' is not allowed on this resource.`,
  );
}
