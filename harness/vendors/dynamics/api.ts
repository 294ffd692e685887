import { PocError } from '../../errors.js';
import {
  connectionOptions,
  createHttpClient,
  createRawClient,
  type HttpRequest,
} from '../../pipeline/outbound/http-client.js';
import { traceWrites } from '../../telemetry/trace-spans.js';
import type {
  ApiConnection,
  BatchUpsertResult,
  CrmApi,
  EventAction,
  RecordInput,
  SubscriptionRequest,
} from '../types.js';
import { checkDataverseAccess, probeDataverse } from './access.js';
import {
  AUTH_TYPE,
  CONTRACT_WEBHOOK,
  columnOf,
  DATAVERSE_KEY_COLUMN,
  httpHeaderAuthValue,
  odataString,
  TABLES,
  toColumns,
  WEBHOOK_KEY_HEADER,
} from './fields.js';
import { DATAVERSE_API_PATH } from './profile.js';
import { dynamicsRecords } from './records.js';

const MESSAGES: Readonly<Record<EventAction, string>> = {
  create: 'Create',
  update: 'Update',
  delete: 'Delete',
};
/** One service endpoint per target, found again by name so configuring twice re-points it. */
const ENDPOINT_NAME = 'poc-webhook';
const STAGE_POST_OPERATION = 40;
const MODE_ASYNC = 1;

interface Collection<T> {
  value?: T[];
}

function tableOf(objectType: string) {
  const table = TABLES[objectType];
  if (!table) {
    throw new PocError(
      'POC_ERR_NOT_SUPPORTED',
      `dynamics: poc maps only ${Object.keys(TABLES).join(', ')} to Dataverse tables, not ${objectType}`,
    );
  }
  return table;
}

async function firstId(request: HttpRequest, op: string, path: string, idField: string): Promise<string> {
  const res = await request(op, 'GET', path);
  const row = ((res.body ?? {}) as Collection<Record<string, unknown>>).value?.[0];
  const id = row?.[idField];
  if (typeof id !== 'string') {
    throw new PocError('POC_ERR_VENDOR_HTTP', `dynamics: ${op}: GET ${path} found no row`);
  }
  return id;
}

/** The Dataverse Web API over plain fetch; the same calls reach a live environment and the mock. */
export function dynamicsApi(connection: ApiConnection): CrmApi {
  const base = {
    baseUrl: `${connection.baseUrl.replace(/\/$/, '')}${DATAVERSE_API_PATH}`,
    ...connectionOptions(connection),
  };
  const odata = {
    authorization: `Bearer ${connection.token}`,
    'odata-version': '4.0',
    'odata-maxversion': '4.0',
  };
  const request = createHttpClient({ ...base, headers: odata });
  // return=representation makes a create answer 201 with the row (its id) and an upsert tell
  // created (201) from updated (200) (unverified for upserts); without it both are a bare 204.
  const returning = createHttpClient({ ...base, headers: { ...odata, prefer: 'return=representation' } });

  async function upsertEndpoint(targetUrl: string): Promise<string> {
    const key = connection.webhookSecret ?? '';
    const endpoint = {
      name: ENDPOINT_NAME,
      url: targetUrl,
      contract: CONTRACT_WEBHOOK,
      authtype: AUTH_TYPE.HttpHeader,
      authvalue: httpHeaderAuthValue({ [WEBHOOK_KEY_HEADER]: key }),
    };
    const found = await request(
      'serviceendpoints.find',
      'GET',
      `/serviceendpoints?$select=serviceendpointid&$filter=name eq ${odataString(ENDPOINT_NAME)}`,
    );
    const existing = ((found.body ?? {}) as Collection<{ serviceendpointid?: string }>).value?.[0];
    if (existing?.serviceendpointid) {
      await request('serviceendpoints.update', 'PATCH', `/serviceendpoints(${existing.serviceendpointid})`, {
        url: endpoint.url,
        authtype: endpoint.authtype,
        authvalue: endpoint.authvalue,
      });
      return existing.serviceendpointid;
    }
    const created = await returning('serviceendpoints.create', 'POST', '/serviceendpoints', endpoint);
    const id = (created.body as { serviceendpointid?: string } | null)?.serviceendpointid;
    if (typeof id !== 'string') {
      throw new PocError(
        'POC_ERR_VENDOR_HTTP',
        'dynamics: serviceendpoints.create answered without a serviceendpointid',
      );
    }
    return id;
  }

  return traceWrites('dynamics', {
    ...dynamicsRecords({ ...base, headers: odata }),
    checkAccess: () => checkDataverseAccess(request),
    probe: () => probeDataverse(createRawClient({ ...base, headers: odata })),

    async batchUpsert(objectType, inputs: readonly RecordInput[]): Promise<BatchUpsertResult> {
      const { entitySet } = tableOf(objectType);
      let created = 0;
      let updated = 0;
      // PATCH by alternate key is an upsert: one record per request (profile.batchMax = 1).
      for (const input of inputs) {
        const columns = toColumns(input.fields);
        delete columns[DATAVERSE_KEY_COLUMN];
        const key = `${DATAVERSE_KEY_COLUMN}=${odataString(input.externalId)}`;
        const res = await returning(
          `${objectType}.upsert`,
          'PATCH',
          `/${entitySet}(${key})?$select=${DATAVERSE_KEY_COLUMN}`,
          columns,
        );
        if (res.status === 201) created++;
        else updated++;
      }
      return { created, updated, errors: 0 };
    },

    async configureWebhooks(targetUrl: string, subscription: SubscriptionRequest): Promise<void> {
      const { logicalName } = tableOf(subscription.objectType);
      const endpointId = await upsertEndpoint(targetUrl);
      for (const action of subscription.actions) {
        const message = MESSAGES[action];
        const messageId = await firstId(
          request,
          'sdkmessages.find',
          `/sdkmessages?$select=sdkmessageid&$filter=name eq ${odataString(message)}`,
          'sdkmessageid',
        );
        const filterId = await firstId(
          request,
          'sdkmessagefilters.find',
          `/sdkmessagefilters?$select=sdkmessagefilterid&$filter=primaryobjecttypecode eq ${odataString(logicalName)} and _sdkmessageid_value eq ${messageId}`,
          'sdkmessagefilterid',
        );
        // Filtering attributes only apply to Update: the step fires when one of them is written.
        const filtering = action === 'update' ? subscription.fields.map(columnOf).join(',') : '';
        const steps = await request(
          'sdkmessageprocessingsteps.find',
          'GET',
          `/sdkmessageprocessingsteps?$select=sdkmessageprocessingstepid&$filter=_eventhandler_value eq ${endpointId} and _sdkmessagefilterid_value eq ${filterId}`,
        );
        const step = ((steps.body ?? {}) as Collection<{ sdkmessageprocessingstepid?: string }>).value?.[0];
        if (step?.sdkmessageprocessingstepid) {
          await request(
            'sdkmessageprocessingsteps.update',
            'PATCH',
            `/sdkmessageprocessingsteps(${step.sdkmessageprocessingstepid})`,
            { filteringattributes: filtering },
          );
          continue;
        }
        await request('sdkmessageprocessingsteps.create', 'POST', '/sdkmessageprocessingsteps', {
          name: `poc: ${message} of ${logicalName}`,
          mode: MODE_ASYNC,
          rank: 1,
          stage: STAGE_POST_OPERATION,
          supporteddeployment: 0,
          asyncautodelete: false,
          filteringattributes: filtering,
          'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpointId})`,
          'sdkmessageid@odata.bind': `/sdkmessages(${messageId})`,
          'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${filterId})`,
        });
      }
    },
  });
}
