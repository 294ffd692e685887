import type { RawDelivery, VerifyResult } from '../types.js';
import { sameSecret } from '../wire.js';
import { encodeAck, readOrganizationId } from './outbound-message.js';

/**
 * Outbound Messages are NOT signed. The only identity in a delivery is the OrganizationId in the
 * body, which anyone who knows the org id (it is not a secret: it shows in URLs and emails) can
 * forge. Checking it rejects misrouted deliveries from other orgs; it is not authentication.
 * Real protection comes from outside the message: TLS client certificates, an allowlist of
 * Salesforce's IP ranges, or a secret in the endpoint URL.
 */
export function verifyOrganizationId(delivery: RawDelivery, expectedOrgIds: readonly string[]): VerifyResult {
  const given = readOrganizationId(delivery.body.toString('utf8'));
  if (given === undefined) return { ok: false, reason: 'missing_signature' };
  for (const expected of expectedOrgIds) {
    if (expected.length > 0 && sameOrgId(given, expected)) return { ok: true };
  }
  return { ok: false, reason: 'bad_signature' };
}

/**
 * Constant-time comparison. An org id has a 15-character case-sensitive form and an 18-character
 * form with a case checksum; an 18-character id matches the 15-character id it extends.
 */
function sameOrgId(given: string, expected: string): boolean {
  const g = given.length === 18 && expected.length === 15 ? given.slice(0, 15) : given;
  return sameSecret(g, expected);
}

/** What the receiver answers once a delivery is durable: the SOAP Ack Salesforce waits for. */
export function outboundAck(): { readonly contentType: string; readonly body: string } {
  return { contentType: 'text/xml; charset=utf-8', body: encodeAck(true) };
}

/** The headers Salesforce sends with a notifications() POST; nothing in them is a credential. */
export function outboundHeaders(): Record<string, string> {
  // SOAPAction "" is what the generated WSDL binds `notifications` to [unverified].
  return { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };
}
