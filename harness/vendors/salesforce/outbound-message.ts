import { TooManyEventsError } from '../types.js';
import { salesforceProfile } from './profile.js';
import {
  childrenNamed,
  escapeXml,
  NS_OUTBOUND,
  NS_SOAP_ENVELOPE,
  NS_SOBJECT,
  NS_XSI,
  parseXml,
  type XmlElement,
  type XmlError,
} from './soap-xml.js';

/**
 * Salesforce Outbound Messages on the wire (shared/vendors.md §2.5; the WSDL Setup generates):
 * one SOAP `notifications` call carrying up to 100 `Notification`s, each with its own Id and the
 * record as an `sObject`. The mock encodes with this module; the receiver decodes with it.
 */
export interface OutboundNotification {
  /** The notification id (04l…): the same on every retry, so it is the dedupe key. */
  readonly id: string;
  readonly sobjectType: string;
  /** The record's fields by API name, `Id` included. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface OutboundMessage {
  readonly organizationId: string;
  readonly actionId: string;
  /** Only present when the definition asks to send a session id ("Send Session ID"). */
  readonly sessionId: string | undefined;
  readonly enterpriseUrl: string;
  readonly partnerUrl: string;
  readonly notifications: readonly OutboundNotification[];
}

/** A message with more is not from Salesforce; decoding refuses it before reading any of them. */
const MAX_NOTIFICATIONS = salesforceProfile.webhooks.batchMax.value;

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>\n';
const ENVELOPE_CLOSE = '</soapenv:Body>\n</soapenv:Envelope>\n';

export function encodeOutboundMessage(message: OutboundMessage): string {
  const parts = [ENVELOPE_OPEN, `<notifications xmlns="${NS_OUTBOUND}">\n`];
  parts.push(`<OrganizationId>${escapeXml(message.organizationId)}</OrganizationId>\n`);
  parts.push(`<ActionId>${escapeXml(message.actionId)}</ActionId>\n`);
  parts.push(
    message.sessionId === undefined
      ? '<SessionId xsi:nil="true"/>\n'
      : `<SessionId>${escapeXml(message.sessionId)}</SessionId>\n`,
  );
  parts.push(`<EnterpriseUrl>${escapeXml(message.enterpriseUrl)}</EnterpriseUrl>\n`);
  parts.push(`<PartnerUrl>${escapeXml(message.partnerUrl)}</PartnerUrl>\n`);
  for (const n of message.notifications) {
    parts.push(`<Notification>\n<Id>${escapeXml(n.id)}</Id>\n`);
    parts.push(`<sObject xsi:type="sf:${escapeXml(n.sobjectType)}" xmlns:sf="${NS_SOBJECT}">\n`);
    for (const [name, value] of Object.entries(n.fields)) {
      parts.push(`<sf:${name}>${escapeXml(value)}</sf:${name}>\n`);
    }
    parts.push('</sObject>\n</Notification>\n');
  }
  parts.push('</notifications>\n', ENVELOPE_CLOSE);
  return parts.join('');
}

/** The answer Salesforce waits for; anything else, even a 200, counts as a failed delivery. */
export function encodeAck(ack: boolean): string {
  return `${ENVELOPE_OPEN}<notificationsResponse xmlns="${NS_OUTBOUND}">\n<Ack>${ack}</Ack>\n</notificationsResponse>\n${ENVELOPE_CLOSE}`;
}

/** Thrown with the path of the part that is missing or wrong. */
export class OutboundMessageError extends Error {
  override readonly name = 'OutboundMessageError';
}

function only(parent: XmlElement, ns: string, local: string, path: string): XmlElement {
  const found = childrenNamed(parent, ns, local);
  if (found.length !== 1)
    throw new OutboundMessageError(
      `${path}/${local} ${found.length === 0 ? 'is missing' : 'appears more than once'}`,
    );
  return found[0] as XmlElement;
}

function leafText(parent: XmlElement, local: string, path: string): string {
  const el = only(parent, NS_OUTBOUND, local, path);
  if (el.children.length > 0) throw new OutboundMessageError(`${path}/${local} must hold text only`);
  const value = el.text.trim();
  if (value === '') throw new OutboundMessageError(`${path}/${local} is empty`);
  return value;
}

function soapBody(xml: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    throw new OutboundMessageError(`body is not well-formed XML: ${(err as XmlError).message}`);
  }
  if (root.ns !== NS_SOAP_ENVELOPE || root.local !== 'Envelope')
    throw new OutboundMessageError('soapenv:Envelope is missing (root element is not a SOAP 1.1 envelope)');
  return only(root, NS_SOAP_ENVELOPE, 'Body', 'soapenv:Envelope');
}

function decodeNotification(el: XmlElement, path: string): OutboundNotification {
  const id = leafText(el, 'Id', path);
  const sobject = only(el, NS_OUTBOUND, 'sObject', path);
  const xsiType = sobject.attrs.get(`{${NS_XSI}}type`);
  const type = xsiType?.slice(xsiType.indexOf(':') + 1);
  if (!type) throw new OutboundMessageError(`${path}/sObject has no xsi:type`);
  const fields: Record<string, string> = {};
  for (const field of sobject.children) {
    if (field.ns !== NS_SOBJECT)
      throw new OutboundMessageError(`${path}/sObject/${field.local} is not an sf: field`);
    if (field.children.length > 0)
      throw new OutboundMessageError(`${path}/sObject/sf:${field.local} must hold text only`);
    if (Object.hasOwn(fields, field.local))
      throw new OutboundMessageError(`${path}/sObject/sf:${field.local} appears more than once`);
    if (field.attrs.get(`{${NS_XSI}}nil`) === 'true') continue;
    fields[field.local] = field.text;
  }
  if (!fields.Id) throw new OutboundMessageError(`${path}/sObject/sf:Id is missing`);
  return { id, sobjectType: type, fields };
}

/** Decodes a notifications() envelope; throws OutboundMessageError naming the missing part. */
export function decodeOutboundMessage(xml: string): OutboundMessage {
  const body = soapBody(xml);
  const path = 'soapenv:Body/notifications';
  const n = only(body, NS_OUTBOUND, 'notifications', 'soapenv:Body');
  const session = childrenNamed(n, NS_OUTBOUND, 'SessionId')[0];
  const notifications = childrenNamed(n, NS_OUTBOUND, 'Notification');
  if (notifications.length === 0) throw new OutboundMessageError(`${path}/Notification is missing`);
  if (notifications.length > MAX_NOTIFICATIONS)
    throw new TooManyEventsError(
      `${path} holds ${notifications.length} Notification elements; at most ${MAX_NOTIFICATIONS}`,
      MAX_NOTIFICATIONS,
    );
  return {
    organizationId: leafText(n, 'OrganizationId', path),
    actionId: leafText(n, 'ActionId', path),
    sessionId:
      session && session.attrs.get(`{${NS_XSI}}nil`) !== 'true' && session.text.trim() !== ''
        ? session.text.trim()
        : undefined,
    enterpriseUrl: leafText(n, 'EnterpriseUrl', path),
    partnerUrl: leafText(n, 'PartnerUrl', path),
    notifications: notifications.map((el, i) => decodeNotification(el, `${path}/Notification[${i}]`)),
  };
}

/**
 * Reads only the OrganizationId, for the receiver's identity check before a full parse. Returns
 * undefined on any malformed body: verify never throws.
 */
export function readOrganizationId(xml: string): string | undefined {
  try {
    const n = only(soapBody(xml), NS_OUTBOUND, 'notifications', 'soapenv:Body');
    return leafText(n, 'OrganizationId', 'notifications');
  } catch {
    return undefined;
  }
}

/** Whether a receiver's answer is a SOAP `<Ack>true</Ack>`, the only answer Salesforce accepts. */
export function isAck(xml: string): boolean {
  try {
    const response = only(soapBody(xml), NS_OUTBOUND, 'notificationsResponse', 'soapenv:Body');
    const ack = only(response, NS_OUTBOUND, 'Ack', 'notificationsResponse');
    return ack.text.trim() === 'true';
  } catch {
    return false;
  }
}
