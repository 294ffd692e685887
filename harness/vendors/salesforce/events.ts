import { MalformedDeliveryError, type VendorEvent } from '../types.js';
import { toCanonicalField } from './fields.js';
import { decodeOutboundMessage, type OutboundMessage, OutboundMessageError } from './outbound-message.js';

/** Fields that say when the record last changed, most precise first. */
const CHANGE_TIME_FIELDS = ['SystemModstamp', 'LastModifiedDate'] as const;

function occurredAt(fields: Readonly<Record<string, string>>): number {
  for (const name of CHANGE_TIME_FIELDS) {
    const value = fields[name];
    const time = value === undefined ? Number.NaN : Date.parse(value);
    if (Number.isFinite(time)) return time;
  }
  // The message says nothing about when the change happened unless the definition sends one of
  // the fields above: the receipt time is the only honest stand-in (latency then reads 0).
  return Date.now();
}

export function outboundMessageEvents(message: OutboundMessage): VendorEvent[] {
  return message.notifications.map((n) => {
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(n.fields)) {
      const canonical = toCanonicalField(name);
      if (canonical !== undefined) fields[canonical] = value;
    }
    return {
      key: n.id,
      objectId: n.fields.Id ?? '',
      type: `outbound_message.${n.sobjectType}`,
      // A notification carries the record's current state, not what changed or why (create and
      // edit look alike): the local copy applies it as an upsert.
      action: 'update',
      occurredAt: occurredAt(n.fields),
      // Salesforce does not tell the receiver which attempt this is.
      attempt: 0,
      fields,
    };
  });
}

/** Parses an Outbound Message body; throws MalformedDeliveryError naming what is missing. */
export function parseSalesforceDelivery(body: Buffer): VendorEvent[] {
  try {
    return outboundMessageEvents(decodeOutboundMessage(body.toString('utf8')));
  } catch (err) {
    if (err instanceof OutboundMessageError) throw new MalformedDeliveryError(err.message);
    throw err;
  }
}
