import type { FastifyInstance } from 'fastify';
import { outboundHeaders } from '../../harness/vendors/salesforce/auth.js';
import {
  encodeOutboundMessage,
  isAck,
  type OutboundNotification,
} from '../../harness/vendors/salesforce/outbound-message.js';
import type { DeliveryFormat } from '../delivery-engine.js';
import type { MockRecord } from '../records.js';
import { contactField, fieldValue } from './contact-schema.js';
import { sfErrors } from './errors.js';
import type { SalesforceMock } from './mock.js';

/** An Outbound Message definition: where to send, which Contact fields to include. */
export interface OutboundDefinition {
  readonly actionId: string;
  readonly name: string;
  readonly endpointUrl: string;
  readonly fields: readonly string[];
  readonly integrationUser: string;
  readonly includeSessionId: boolean;
}

/** One queued notification; it keeps the live record because Salesforce sends current data. */
export interface OutboundEvent {
  readonly notificationId: string;
  readonly record: MockRecord;
  readonly recordId: string;
  readonly snapshot: Readonly<Record<string, string>>;
  readonly snapshotAt: number;
}

function notification(
  mock: SalesforceMock,
  definition: OutboundDefinition,
  e: OutboundEvent,
): OutboundNotification {
  // "If the information in the object changes after the notification is queued but before it is
  // sent, only the updated information will be delivered" (Salesforce's Outbound Messaging docs).
  const record: MockRecord = mock.settings.sendLatestData
    ? e.record
    : { ...e.record, properties: { ...e.snapshot }, updatedAt: e.snapshotAt };
  const fields: Record<string, string> = {};
  for (const name of definition.fields) {
    const value = fieldValue(record, e.recordId, name);
    if (value !== null && value !== '') fields[name] = String(value);
  }
  return { id: e.notificationId, sobjectType: 'Contact', fields };
}

/** Salesforce's wire format: a SOAP notifications() call of up to 100 notifications. */
export function outboundDeliveryFormat(mock: SalesforceMock): DeliveryFormat<OutboundEvent> {
  return {
    batchMax: mock.settings.deliveryBatchMax,
    // A 200 is not enough: only a SOAP <Ack>true</Ack> takes the messages off the queue.
    accepted: (status, body) => status === 200 && isAck(body),
    encode(batch) {
      const definition = mock.outbound;
      if (!definition) throw new Error('Outbound Message delivery without a definition');
      const origin = mock.instanceUrl;
      const org15 = mock.organizationId.slice(0, 15);
      const body = encodeOutboundMessage({
        organizationId: mock.organizationId,
        actionId: definition.actionId,
        sessionId: undefined,
        enterpriseUrl: `${origin}/services/Soap/c/${mock.apiVersion}/${org15}`,
        partnerUrl: `${origin}/services/Soap/u/${mock.apiVersion}/${org15}`,
        notifications: batch.map((p) => notification(mock, definition, p.event)),
      });
      return { body, headers: outboundHeaders() };
    },
  };
}

interface DefinitionBody {
  FullName?: unknown;
  Metadata?: {
    name?: unknown;
    endpointUrl?: unknown;
    fields?: unknown;
    integrationUser?: unknown;
    includeSessionId?: unknown;
  };
}

/**
 * A Tooling-API-style endpoint that defines the Outbound Message, so a test or a scenario can set
 * one up in one call. On a real org this is done in Setup or deployed with the Metadata API, and
 * the rule or flow that sends it is part of that setup.
 */
export function registerOutboundRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  app.post<{ Body: DefinitionBody }>(
    '/services/data/:version/tooling/sobjects/WorkflowOutboundMessage',
    async (req, reply) => {
      const fullName = req.body?.FullName;
      const meta = req.body?.Metadata;
      if (typeof fullName !== 'string' || !/^Contact\.\w+$/.test(fullName)) {
        return reply
          .code(400)
          .send(sfErrors('FIELD_INTEGRITY_EXCEPTION', 'FullName must be Contact.<name>', ['FullName']));
      }
      const endpointUrl = meta?.endpointUrl;
      if (typeof endpointUrl !== 'string' || !/^https?:\/\//.test(endpointUrl)) {
        return reply
          .code(400)
          .send(
            sfErrors('FIELD_INTEGRITY_EXCEPTION', 'Metadata.endpointUrl must be an http(s) URL', [
              'Metadata',
            ]),
          );
      }
      const rawFields = Array.isArray(meta?.fields) ? (meta.fields as unknown[]) : [];
      const fields: string[] = [];
      for (const raw of rawFields) {
        const name = typeof raw === 'string' ? contactField(raw) : undefined;
        if (!name) {
          return reply
            .code(400)
            .send(
              sfErrors('INVALID_FIELD', `No such column '${String(raw)}' on entity 'Contact'`, ['Metadata']),
            );
        }
        if (!fields.includes(name)) fields.push(name);
      }
      // The Id is always sent, whatever the definition lists.
      if (!fields.includes('Id')) fields.unshift('Id');
      const definition = mock.define({
        name: fullName.slice('Contact.'.length),
        endpointUrl,
        fields,
        integrationUser: typeof meta?.integrationUser === 'string' ? meta.integrationUser : 'poc-integration',
        includeSessionId: meta?.includeSessionId === true,
      });
      return reply
        .code(201)
        .send({ id: definition.actionId, success: true, errors: [], warnings: [], infos: [] });
    },
  );
}
