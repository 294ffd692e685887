import { describe, expect, it } from 'vitest';
import { salesforce } from '../../harness/vendors/salesforce/index.js';
import {
  decodeOutboundMessage,
  encodeAck,
  encodeOutboundMessage,
  isAck,
  type OutboundMessage,
} from '../../harness/vendors/salesforce/outbound-message.js';
import { outboundRetrySchedule } from '../../harness/vendors/salesforce/profile.js';
import { parseXml } from '../../harness/vendors/salesforce/soap-xml.js';
import { MalformedDeliveryError } from '../../harness/vendors/types.js';

const ORG = '00D000000000062EAA';
const message: OutboundMessage = {
  organizationId: ORG,
  actionId: '04k000000000035AAA',
  sessionId: undefined,
  enterpriseUrl: 'https://example.my.salesforce.com/services/Soap/c/66.0/00D000000000062',
  partnerUrl: 'https://example.my.salesforce.com/services/Soap/u/66.0/00D000000000062',
  notifications: [
    {
      id: '04l000000000HmMAAU',
      sobjectType: 'Contact',
      fields: {
        Id: '003000000000001AAA',
        Email: 'a&b@example.com',
        LastName: "O'Brien <3",
        Poc_Seq__c: '7:1:2',
        SystemModstamp: '2026-11-23T18:00:00.000Z',
      },
    },
  ],
};
const scheme = salesforce.webhooks({ secrets: [ORG] });
const delivery = (body: string) => ({
  method: 'POST',
  url: 'http://r/webhooks',
  headers: {},
  body: Buffer.from(body),
});

describe('Salesforce Outbound Message envelope', () => {
  it('round-trips through encode and decode, escaping included', () => {
    expect(decodeOutboundMessage(encodeOutboundMessage(message))).toEqual(message);
  });

  it('parses into canonical events keyed by notification id, with attempt 0 and the change time', () => {
    const [event] = scheme.parse(Buffer.from(encodeOutboundMessage(message)));
    expect(event).toEqual({
      key: '04l000000000HmMAAU',
      objectId: '003000000000001AAA',
      type: 'outbound_message.Contact',
      action: 'update',
      occurredAt: Date.parse('2026-11-23T18:00:00.000Z'),
      attempt: 0,
      fields: { email: 'a&b@example.com', lastname: "O'Brien <3", poc_seq: '7:1:2' },
    });
  });

  it('answers with a SOAP Ack that the vendor side recognises', () => {
    const ack = scheme.acknowledge?.();
    expect(ack?.contentType).toMatch(/^text\/xml/);
    expect(isAck(ack?.body ?? '')).toBe(true);
    expect(isAck(encodeAck(false))).toBe(false);
    expect(isAck('{"accepted":1}')).toBe(false);
    expect(isAck('<Ack>true</Ack>')).toBe(false);
  });

  it.each([
    ['a JSON body', '[{"eventId":1}]', /not well-formed XML/],
    ['an empty body', '', /no root element/],
    ['another root', '<a/>', /soapenv:Envelope is missing/],
    [
      'no notifications',
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`,
      /soapenv:Body\/notifications is missing/,
    ],
    [
      'a missing OrganizationId',
      encodeOutboundMessage(message).replace(/<OrganizationId>.*<\/OrganizationId>/, ''),
      /OrganizationId is missing/,
    ],
    [
      'a missing notification Id',
      encodeOutboundMessage(message).replace(/<Id>04l[^<]*<\/Id>/, ''),
      /Notification\[0\]\/Id is missing/,
    ],
    [
      'a missing sf:Id',
      encodeOutboundMessage(message).replace(/<sf:Id>[^<]*<\/sf:Id>/, ''),
      /sf:Id is missing/,
    ],
    [
      'a duplicated field',
      encodeOutboundMessage(message).replace('<sf:Email>', '<sf:Email>x</sf:Email><sf:Email>'),
      /appears more than once/,
    ],
    [
      'more than 100 notifications',
      encodeOutboundMessage({
        ...message,
        notifications: Array.from({ length: 101 }, () => message.notifications[0]!),
      }),
      /at most 100/,
    ],
  ])('rejects %s with MalformedDeliveryError naming the part', (_name, body, reason) => {
    expect(() => scheme.parse(Buffer.from(body))).toThrow(MalformedDeliveryError);
    expect(() => scheme.parse(Buffer.from(body))).toThrow(reason);
  });
});

describe('the strict XML reader against hostile input', () => {
  it.each([
    [
      'an entity declaration (XXE)',
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      /DOCTYPE/,
    ],
    ['billion laughs', '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><l>&b;</l>', /DOCTYPE/],
    ['an undeclared entity', '<x>&e;</x>', /unknown entity/],
    ['a bare ampersand', '<x>a & b</x>', /bare "&"/],
    ['a processing instruction', '<x><?php echo 1 ?></x>', /processing instructions/],
    ['mismatched tags', '<a><b></a></b>', /does not match/],
    ['an unclosed element', '<a><b></b>', /unclosed/],
    ['two roots', '<a/><b/>', /second root/],
    ['text after the root', '<a/>junk', /outside the root/],
    ['an unbound prefix', '<p:a/>', /unbound namespace prefix/],
    ['a duplicated attribute', '<a x="1" x="2"/>', /duplicated attribute/],
    ['deep nesting', `${'<a>'.repeat(50)}${'</a>'.repeat(50)}`, /nested deeper/],
    ['a surrogate character reference', '<a>&#xD800;</a>', /unknown entity/],
  ])('refuses %s', (_name, xml, reason) => {
    expect(() => parseXml(xml)).toThrow(reason);
  });

  it('reads CDATA, character references and namespaces', () => {
    const root = parseXml(
      '<?xml version="1.0"?><a xmlns="urn:x" xmlns:y="urn:y"><y:b k="&#65;">&#x41;<![CDATA[<&>]]></y:b></a>',
    );
    expect(root).toMatchObject({ ns: 'urn:x', local: 'a' });
    expect(root.children[0]).toMatchObject({ ns: 'urn:y', local: 'b', text: 'A<&>' });
    expect(root.children[0]?.attrs.get('k')).toBe('A');
  });
});

describe('Salesforce delivery identity (OrganizationId, not a signature)', () => {
  const body = encodeOutboundMessage(message);
  it('accepts the expected org id, its 15-character form, and either of two ids', () => {
    expect(scheme.verify(delivery(body), 0)).toEqual({ ok: true });
    expect(salesforce.webhooks({ secrets: [ORG.slice(0, 15)] }).verify(delivery(body), 0)).toEqual({
      ok: true,
    });
    expect(salesforce.webhooks({ secrets: ['00D000000000999AAA', ORG] }).verify(delivery(body), 0)).toEqual({
      ok: true,
    });
  });

  it('refuses another org, a missing id and garbage without throwing', () => {
    expect(salesforce.webhooks({ secrets: ['00D000000000999AAA'] }).verify(delivery(body), 0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(salesforce.webhooks({ secrets: [''] }).verify(delivery(body), 0)).toMatchObject({ ok: false });
    const noOrg = body.replace(/<OrganizationId>.*<\/OrganizationId>/, '');
    expect(scheme.verify(delivery(noOrg), 0)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(scheme.verify(delivery('\u0000<<<>>>&&&'), 0)).toEqual({ ok: false, reason: 'missing_signature' });
  });
});

describe('Outbound Message retry schedule', () => {
  it('grows exponentially, never more than 2 h apart, and ends within 24 h', () => {
    const delays = outboundRetrySchedule();
    expect(delays[0]).toBe(15_000);
    expect(delays[1]).toBe(30_000);
    expect(Math.max(...delays)).toBe(7_200_000);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(86_400_000);
    expect(total + 7_200_000).toBeGreaterThan(86_400_000);
  });
});
