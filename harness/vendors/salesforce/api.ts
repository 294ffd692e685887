import { PocError } from '../../errors.js';
import { connectionOptions, createHttpClient, createRawClient } from '../../pipeline/outbound/http-client.js';
import { traceWrites } from '../../telemetry/trace-spans.js';
import type {
  AccessCheck,
  ApiConnection,
  BatchUpsertResult,
  CrmApi,
  ProbeResult,
  RecordInput,
  SubscriptionRequest,
} from '../types.js';
import { checkSalesforceAccess } from './access.js';
import { salesforceChangeFeed } from './cdc-feed.js';
import { EXTERNAL_ID_FIELD, sobjectOf, toSalesforceField, toSalesforceFields } from './fields.js';
import { probeResult } from './limits.js';
import { SALESFORCE_API_VERSION } from './profile.js';
import { salesforceRecords } from './records.js';

/** One entry of a collection upsert's answer, in request order. */
interface CollectionResult {
  id?: string;
  success?: boolean;
  created?: boolean;
  errors?: unknown[];
}

const DATA = `/services/data/v${SALESFORCE_API_VERSION}`;

/** Fields every Outbound Message definition sends besides the asked ones: identity and change time. */
const ALWAYS_SENT = ['Id', 'SystemModstamp'];

/** The read a limit test hammers: one Contact id. Every REST call spends the same allocation. */
const PROBE_QUERY = `${DATA}/query?q=${encodeURIComponent('SELECT Id FROM Contact LIMIT 1')}`;

/**
 * Salesforce REST over plain fetch. `connection.baseUrl` is the org's instance_url and
 * `connection.token` an OAuth access token (a session id); the same calls reach the mock.
 */
export function salesforceApi(connection: ApiConnection): CrmApi {
  const clientOptions = {
    baseUrl: connection.baseUrl,
    headers: { authorization: `Bearer ${connection.token}` },
    ...connectionOptions(connection),
  };
  const request = createHttpClient(clientOptions);
  const once = createRawClient(clientOptions);

  return traceWrites('salesforce', {
    ...salesforceRecords(request, DATA),
    changeFeed: salesforceChangeFeed(clientOptions),

    async batchUpsert(objectType, inputs: readonly RecordInput[]): Promise<BatchUpsertResult> {
      const sobject = sobjectOf(objectType);
      const res = await request(
        `${objectType}.collection_upsert`,
        'PATCH',
        `${DATA}/composite/sobjects/${sobject}/${EXTERNAL_ID_FIELD}`,
        {
          // Each record stands alone: one bad row must not undo the other 199.
          allOrNone: false,
          records: inputs.map((i) => ({
            attributes: { type: sobject },
            ...toSalesforceFields(i.fields),
            [EXTERNAL_ID_FIELD]: i.externalId,
          })),
        },
      );
      const results = Array.isArray(res.body) ? (res.body as CollectionResult[]) : [];
      let created = 0;
      let updated = 0;
      let errors = 0;
      for (const r of results) {
        if (r.success !== true) errors++;
        else if (r.created === true) created++;
        else updated++;
      }
      return { created, updated, errors };
    },

    async configureWebhooks(targetUrl: string, subscription: SubscriptionRequest): Promise<void> {
      const sobject = sobjectOf(subscription.objectType);
      const name = `poc_${subscription.objectType}`;
      const fields = [...new Set([...ALWAYS_SENT, ...subscription.fields.map(toSalesforceField)])];
      try {
        await request('outbound_message.define', 'POST', `${DATA}/tooling/sobjects/WorkflowOutboundMessage`, {
          FullName: `${sobject}.${name}`,
          Metadata: {
            name,
            endpointUrl: targetUrl,
            fields,
            integrationUser: connection.settings?.integrationUser ?? 'poc-integration',
            includeSessionId: false,
            protected: false,
            apiVersion: Number(SALESFORCE_API_VERSION),
          },
        });
      } catch (err) {
        // On a live org the Outbound Message and the rule or flow that sends it are made in Setup
        // (or deployed with the Metadata API); only the mock implements this one-call shortcut.
        throw new PocError(
          'POC_ERR_VENDOR_HTTP',
          `Salesforce: could not define the Outbound Message for ${sobject} (${(err as Error).message}); on a live org create it in Setup with endpoint ${targetUrl} and fields ${fields.join(', ')}, sent on create and every edit`,
          { cause: err },
        );
      }
    },

    checkAccess(): Promise<AccessCheck[]> {
      return checkSalesforceAccess(request, DATA);
    },

    async probe(): Promise<ProbeResult> {
      return probeResult(await once('contacts.probe', 'GET', PROBE_QUERY));
    },
  });
}
