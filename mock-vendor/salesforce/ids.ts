/**
 * Salesforce record ids: a 3-character key prefix (001 = Account, 003 = Contact), 12 base-62
 * characters, and for the 18-character form a 3-character suffix that encodes which of the first
 * 15 characters are upper case, so the id survives case-insensitive systems.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export const KEY_PREFIX = {
  Account: '001',
  Contact: '003',
  Organization: '00D',
  User: '005',
  OutboundMessage: '04k',
  OutboundNotification: '04l',
  QueryLocator: '01g',
} as const;

function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return suffix;
}

/** The 18-character form of a 15-character id. */
export function to18(id15: string): string {
  return id15 + checksum(id15);
}

/** The 18-character id for a key prefix and a sequence number. */
export function salesforceId(prefix: string, sequence: number): string {
  let body = '';
  for (let n = sequence; n > 0; n = Math.floor(n / 62)) body = BASE62[n % 62] + body;
  const id15 = prefix + body.padStart(12, '0');
  return to18(id15);
}

/** The sequence number behind a 15- or 18-character id with this prefix, or undefined. */
export function sequenceOf(prefix: string, id: string): number | undefined {
  if ((id.length !== 15 && id.length !== 18) || !id.startsWith(prefix)) return undefined;
  const id15 = id.slice(0, 15);
  if (id.length === 18 && id.slice(15).toUpperCase() !== checksum(id15)) return undefined;
  let n = 0;
  for (const c of id15.slice(3)) {
    const digit = BASE62.indexOf(c);
    if (digit < 0) return undefined;
    n = n * 62 + digit;
  }
  return n;
}
