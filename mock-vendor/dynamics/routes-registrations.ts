import { randomUUID } from 'node:crypto';
import { AUTH_TYPE, CONTRACT_WEBHOOK } from '../../harness/vendors/dynamics/fields.js';
import { contextUrl, type Row, sendCollection, serviceRoot } from './collection.js';
import { DATAVERSE_CODES, sendOdataError } from './errors.js';
import type { DynamicsMock } from './mock.js';
import type { DataRequest } from './routes-contacts.js';
import type { ProcessingStep, ServiceEndpoint } from './webhooks.js';

const ENDPOINT_COLUMNS = ['serviceendpointid', 'name', 'url', 'contract', 'authtype'];
const STEP_COLUMNS = [
  'sdkmessageprocessingstepid',
  'name',
  'mode',
  'stage',
  'rank',
  'filteringattributes',
  '_eventhandler_value',
  '_sdkmessageid_value',
  '_sdkmessagefilterid_value',
];
const STAGE_POST_OPERATION = 40;
const MODE_ASYNC = 1;

type Body = Record<string, unknown>;

function bodyOf(d: DataRequest): Body {
  const b = d.req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Body) : {};
}

/** `/serviceendpoints(<guid>)` from an @odata.bind value; undefined when it is not one. */
function boundId(value: unknown, entitySet: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = new RegExp(`^/?${entitySet}\\(([0-9a-fA-F-]{36})\\)$`).exec(value);
  return m?.[1]?.toLowerCase();
}

/** authvalue is write-only: it is never read back through the API. */
function endpointRow(e: ServiceEndpoint): Row {
  return {
    serviceendpointid: e.serviceendpointid,
    name: e.name,
    url: e.url,
    contract: e.contract,
    authtype: e.authtype,
  };
}

function endpointProblem(e: Partial<ServiceEndpoint>): string | undefined {
  if (typeof e.name !== 'string' || e.name === '') return "The 'name' attribute is required.";
  if (e.contract !== CONTRACT_WEBHOOK) return 'The mock emulates only webhook endpoints (contract 8).';
  if (typeof e.url !== 'string' || !/^https?:\/\//.test(e.url))
    return "The 'url' attribute must be an http(s) URL.";
  const authTypes: number[] = Object.values(AUTH_TYPE);
  if (typeof e.authtype !== 'number' || !authTypes.includes(e.authtype)) {
    return 'authtype must be WebhookKey (4), HttpHeader (5) or HttpQueryString (6) for a webhook.';
  }
  if (typeof e.authvalue !== 'string' || e.authvalue === '') return "The 'authvalue' attribute is required.";
  return undefined;
}

function created(d: DataRequest, entitySet: string, id: string, row: Row) {
  const root = serviceRoot(d.req);
  void d.reply.header('odata-entityid', `${root}${entitySet}(${id})`);
  if (!/return\s*=\s*representation/i.test(String(d.req.headers.prefer ?? '')))
    return d.reply.code(204).send();
  return d.reply.code(201).send({ '@odata.context': contextUrl(root, entitySet, [], true), ...row });
}

export function handleServiceEndpoints(d: DataRequest, mock: DynamicsMock) {
  const { req, reply, path } = d;
  const id = path.key?.kind === 'id' ? path.key.id : undefined;
  const existing = id ? mock.endpoints.get(id) : undefined;
  if (id && !existing) {
    return sendOdataError(
      reply,
      404,
      DATAVERSE_CODES.notFound,
      `serviceendpoint With Id = ${id} Does Not Exist`,
    );
  }
  if (req.method === 'GET' && !existing) {
    return sendCollection(req, reply, d.url, [...mock.endpoints.values()].map(endpointRow), {
      entitySet: 'serviceendpoints',
      entityType: 'serviceendpoint',
      primaryKey: 'serviceendpointid',
      columns: ENDPOINT_COLUMNS,
      maxPageSize: mock.settings.maxPageSize,
    });
  }
  if (req.method === 'GET' && existing) return reply.send(endpointRow(existing));
  if (req.method === 'DELETE' && existing) {
    mock.removeEndpoint(existing.serviceendpointid);
    return reply.code(204).send();
  }
  const body = bodyOf(d);
  if (req.method === 'POST' && !path.key) {
    const endpoint = { ...(body as Partial<ServiceEndpoint>), serviceendpointid: randomUUID() };
    const problem = endpointProblem(endpoint);
    if (problem) return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, problem);
    const saved = endpoint as ServiceEndpoint;
    mock.endpoints.set(saved.serviceendpointid, saved);
    mock.syncEndpoint(saved);
    return created(d, 'serviceendpoints', saved.serviceendpointid, endpointRow(saved));
  }
  if (req.method === 'PATCH' && existing) {
    const next = {
      ...existing,
      ...(body as Partial<ServiceEndpoint>),
      serviceendpointid: existing.serviceendpointid,
    };
    const problem = endpointProblem(next);
    if (problem) return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, problem);
    Object.assign(existing, next);
    mock.syncEndpoint(existing);
    return reply.code(204).send();
  }
  return sendOdataError(
    reply,
    405,
    DATAVERSE_CODES.badRequest,
    `The HTTP method '${req.method}' is not allowed here.`,
  );
}

export function handleSteps(d: DataRequest, mock: DynamicsMock) {
  const { req, reply, path } = d;
  const id = path.key?.kind === 'id' ? path.key.id : undefined;
  const existing = id ? mock.steps.get(id) : undefined;
  if (id && !existing) {
    return sendOdataError(
      reply,
      404,
      DATAVERSE_CODES.notFound,
      `sdkmessageprocessingstep With Id = ${id} Does Not Exist`,
    );
  }
  if (req.method === 'GET' && !existing) {
    return sendCollection(req, reply, d.url, [...mock.steps.values()] as unknown as Row[], {
      entitySet: 'sdkmessageprocessingsteps',
      entityType: 'sdkmessageprocessingstep',
      primaryKey: 'sdkmessageprocessingstepid',
      columns: STEP_COLUMNS,
      maxPageSize: mock.settings.maxPageSize,
    });
  }
  if (req.method === 'GET' && existing) return reply.send(existing);
  if (req.method === 'DELETE' && existing) {
    mock.steps.delete(existing.sdkmessageprocessingstepid);
    return reply.code(204).send();
  }
  const body = bodyOf(d);
  if (req.method === 'PATCH' && existing) {
    if (typeof body.filteringattributes === 'string') existing.filteringattributes = body.filteringattributes;
    if (typeof body.name === 'string') existing.name = body.name;
    return reply.code(204).send();
  }
  if (req.method !== 'POST' || path.key) {
    return sendOdataError(
      reply,
      405,
      DATAVERSE_CODES.badRequest,
      `The HTTP method '${req.method}' is not allowed here.`,
    );
  }
  const endpointId = boundId(body['eventhandler_serviceendpoint@odata.bind'], 'serviceendpoints');
  const messageId = boundId(body['sdkmessageid@odata.bind'], 'sdkmessages');
  const filterId = boundId(body['sdkmessagefilterid@odata.bind'], 'sdkmessagefilters');
  const filter = mock.filters.find((f) => f.sdkmessagefilterid === filterId);
  const problem =
    !endpointId || !mock.endpoints.has(endpointId)
      ? 'eventhandler_serviceendpoint@odata.bind must name an existing serviceendpoint.'
      : !messageId || !mock.messages.some((m) => m.sdkmessageid === messageId)
        ? 'sdkmessageid@odata.bind must name an existing sdkmessage.'
        : !filter || filter._sdkmessageid_value !== messageId
          ? 'sdkmessagefilterid@odata.bind must name a filter of the same sdkmessage.'
          : body.mode !== MODE_ASYNC || body.stage !== STAGE_POST_OPERATION
            ? 'The mock emulates asynchronous (mode 1) PostOperation (stage 40) steps only; synchronous steps run inside the caller’s transaction, which it does not model.'
            : undefined;
  if (problem || !endpointId || !messageId || !filterId) {
    return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, problem ?? 'invalid step');
  }
  const step: ProcessingStep = {
    sdkmessageprocessingstepid: randomUUID(),
    name: typeof body.name === 'string' ? body.name : 'step',
    mode: MODE_ASYNC,
    stage: STAGE_POST_OPERATION,
    rank: typeof body.rank === 'number' ? body.rank : 1,
    filteringattributes: typeof body.filteringattributes === 'string' ? body.filteringattributes : '',
    _eventhandler_value: endpointId,
    _sdkmessageid_value: messageId,
    _sdkmessagefilterid_value: filterId,
  };
  mock.steps.set(step.sdkmessageprocessingstepid, step);
  return created(d, 'sdkmessageprocessingsteps', step.sdkmessageprocessingstepid, step as unknown as Row);
}

/** sdkmessages and sdkmessagefilters are system tables: read-only here. */
export function handleCatalog(d: DataRequest, mock: DynamicsMock) {
  const { req, reply, path } = d;
  if (req.method !== 'GET' || path.key) {
    return sendOdataError(
      reply,
      405,
      DATAVERSE_CODES.badRequest,
      `${path.entitySet} is read-only in the mock.`,
    );
  }
  const messages = path.entitySet === 'sdkmessages';
  const rows = (messages ? mock.messages : mock.filters) as Row[];
  return sendCollection(req, reply, d.url, rows, {
    entitySet: path.entitySet,
    entityType: messages ? 'sdkmessage' : 'sdkmessagefilter',
    primaryKey: messages ? 'sdkmessageid' : 'sdkmessagefilterid',
    columns: messages
      ? ['sdkmessageid', 'name']
      : ['sdkmessagefilterid', 'primaryobjecttypecode', '_sdkmessageid_value'],
    maxPageSize: mock.settings.maxPageSize,
  });
}
