import type { VendorAdapter } from '../types.js';
import { salesforceApi } from './api.js';
import { outboundAck, outboundHeaders, verifyOrganizationId } from './auth.js';
import { parseSalesforceDelivery } from './events.js';
import { salesforceProfile } from './profile.js';

/**
 * Salesforce through its REST API and Outbound Messages. The webhook "secret" is the org id the
 * receiver expects in each message: Outbound Messages carry no signature (see auth.ts).
 */
export const salesforce: VendorAdapter = {
  profile: salesforceProfile,
  api: salesforceApi,
  webhooks(secrets) {
    return {
      // SOAP 1.1: Outbound Messages are text/xml (outboundHeaders in auth.ts).
      contentTypes: ['text/xml'],
      security: { kind: 'org-id', coversBody: false, coversTimestamp: false, proofHeaders: [] },
      // The org id is the only identity an Outbound Message carries, in its envelope.
      embed: (body, secret) =>
        body.replace(/(<(?:\w+:)?OrganizationId>)[^<]*(<\/(?:\w+:)?OrganizationId>)/, `$1${secret}$2`),
      verify: (delivery) => verifyOrganizationId(delivery, secrets.secrets),
      parse: parseSalesforceDelivery,
      // Nothing to sign: these are the plain headers every Outbound Message carries.
      sign: () => outboundHeaders(),
      acknowledge: outboundAck,
    };
  },
};
