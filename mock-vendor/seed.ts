import { en, Faker } from '@faker-js/faker';
import type { CanonicalInput } from './emulation.js';

export interface SeedMix {
  /** Share of records whose email is syntactically invalid (legacy imports skipped validation). */
  readonly invalidEmail: number;
  /** Share marked unconfirmed (`email_status: unconfirmed`): typed by hand, never verified. */
  readonly unconfirmedEmail: number;
  /** Share that repeat an earlier person under another email (same name and phone). */
  readonly duplicatePerson: number;
  /** Share with phone numbers as people type them, not E.164. */
  readonly nonE164Phone: number;
  /** Share with non-Latin or accented names. */
  readonly unicodeName: number;
}

export const REAL_WORLD_MIX: SeedMix = {
  invalidEmail: 0.03,
  unconfirmedEmail: 0.1,
  duplicatePerson: 0.05,
  nonE164Phone: 0.3,
  unicodeName: 0.1,
};

const UNICODE_NAMES: readonly (readonly [string, string])[] = [
  ['Zoë', 'Ðặng'],
  ['José', 'Müller-Lüdenscheidt'],
  ['Søren', 'Kierkegård'],
  ['明', '王'],
  ['Анна', 'Иванова'],
  ['محمد', 'الأحمد'],
  ['Siobhán', "O'Connor"],
  ['Łukasz', 'Żółć'],
];

const INVALID_EMAILS = [
  '{n}@',
  '{n}@@example.com',
  '{n} @example.com',
  '{n}@example',
  'mailto:{n}@example.com',
  '{n}@example..com',
];

/**
 * Contacts as a CRM holds them after years of use, from a fixed seed so every run and every
 * vendor gets the same mess: invalid and unconfirmed emails, duplicate people, phone numbers
 * not in E.164, unicode names. Fields are canonical; each emulation maps them to its own.
 */
export function seedContacts(
  count: number,
  seed = 20_261_123,
  mix: SeedMix = REAL_WORLD_MIX,
): CanonicalInput[] {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const out: CanonicalInput[] = [];
  for (let i = 0; i < count; i++) {
    const earlier =
      out.length > 0 && faker.number.float() < mix.duplicatePerson
        ? faker.helpers.arrayElement(out)
        : undefined;
    const [firstname, lastname] =
      earlier !== undefined
        ? [earlier.fields.firstname ?? '', earlier.fields.lastname ?? '']
        : faker.number.float() < mix.unicodeName
          ? faker.helpers.arrayElement(UNICODE_NAMES)
          : [faker.person.firstName(), faker.person.lastName()];
    const local = `${firstname}.${lastname}.${i}`.toLowerCase().replace(/[^a-z0-9.]/g, '') || `person.${i}`;
    const email =
      faker.number.float() < mix.invalidEmail
        ? faker.helpers.arrayElement(INVALID_EMAILS).replace('{n}', local)
        : `${local}@${faker.internet.domainName()}`;
    const phone =
      earlier?.fields.phone ??
      (faker.number.float() < mix.nonE164Phone
        ? faker.helpers
            .arrayElement(['(555) 010-{d}', '555.010.{d}', '0044 20 7946 {d}', '+1 555 010 {d} ext. 12'])
            .replace('{d}', String(faker.number.int({ min: 1000, max: 9999 })))
        : `+1555010${faker.number.int({ min: 1000, max: 9999 })}`);
    const fields: Record<string, string> = { email, firstname, lastname, phone };
    if (faker.number.float() < mix.unconfirmedEmail) fields.email_status = 'unconfirmed';
    out.push({ externalId: email, fields });
  }
  return out;
}
