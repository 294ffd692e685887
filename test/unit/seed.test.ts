import { describe, expect, it } from 'vitest';
import { seedContacts } from '../../mock-vendor/seed.js';

describe('seed contacts', () => {
  const contacts = seedContacts(2000);

  it('is the same for the same seed, and different for another', () => {
    expect(seedContacts(50)).toEqual(seedContacts(50));
    expect(seedContacts(50, 7)).not.toEqual(seedContacts(50));
  });

  it('holds the mess real CRMs hold, in roughly the configured shares', () => {
    const share = (pred: (c: (typeof contacts)[number]) => boolean) =>
      contacts.filter(pred).length / contacts.length;
    const validEmail = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
    expect(
      share((c) => !validEmail.test(c.fields.email ?? '') || (c.fields.email ?? '').startsWith('mailto:')),
    ).toBeGreaterThan(0.01);
    expect(share((c) => c.fields.email_status === 'unconfirmed')).toBeGreaterThan(0.05);
    expect(share((c) => !/^\+\d{8,15}$/.test(c.fields.phone ?? ''))).toBeGreaterThan(0.15);
    const nonAscii = (s: string) => [...s].some((ch) => (ch.codePointAt(0) ?? 0) > 127);
    expect(share((c) => nonAscii(`${c.fields.firstname}${c.fields.lastname}`))).toBeGreaterThan(0.05);
    const people = new Map<string, number>();
    for (const c of contacts) {
      const k = `${c.fields.firstname}|${c.fields.lastname}|${c.fields.phone}`;
      people.set(k, (people.get(k) ?? 0) + 1);
    }
    expect([...people.values()].filter((n) => n > 1).length).toBeGreaterThan(20);
    // External ids stay unique: duplicates are the same person under another email.
    expect(new Set(contacts.map((c) => c.externalId)).size).toBe(contacts.length);
  });
});
