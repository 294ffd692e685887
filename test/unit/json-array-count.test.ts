import { describe, expect, it } from 'vitest';
import { TooManyEventsError } from '../../harness/vendors/types.js';
import { jsonArrayLongerThan, parseJsonArray } from '../../harness/vendors/wire.js';
import { createRng, type Rng } from '../fuzz/prng.js';

/** A random JSON value whose strings hold the characters a naive counter trips on. */
function value(rng: Rng, depth: number): unknown {
  switch (rng.int(0, depth > 3 ? 3 : 5)) {
    case 0:
      return rng.int(-1000, 1000);
    case 1:
      return rng.pick(['', ',', '[', ']', '{', '}', '"', '\\', '\\"', 'a,b', '\u00e9,\u4e2d', '\\\\,']);
    case 2:
      return null;
    case 3:
      return rng.chance(0.5);
    case 4:
      return Array.from({ length: rng.int(0, 4) }, () => value(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(0, 3) }, (_, i) => [`k${i},[`, value(rng, depth + 1)]),
      );
  }
}

describe('jsonArrayLongerThan', () => {
  it('agrees with JSON.parse on 2,000 random arrays, whitespace and tricky strings included', () => {
    const rng = createRng(42);
    for (let n = 0; n < 2_000; n++) {
      const items = Array.from({ length: rng.int(0, 12) }, () => value(rng, 0));
      const text = JSON.stringify(items, null, rng.chance(0.3) ? 1 : undefined);
      const body = Buffer.from(rng.chance(0.2) ? ` \n${text}` : text);
      const max = rng.int(0, 12);
      expect(jsonArrayLongerThan(body, max), `${text} > ${max}`).toBe(items.length > max);
    }
  });

  it('says nothing about a body that is not an array', () => {
    expect(jsonArrayLongerThan(Buffer.from('{"a":1,"b":2,"c":3}'), 1)).toBe(false);
    expect(jsonArrayLongerThan(Buffer.from('"a,b,c"'), 1)).toBe(false);
  });

  it('stops at the item past the limit', () => {
    // Everything after the 101st item is garbage that a full parse would reject.
    const body = Buffer.from(`[${'1,'.repeat(101)}1${'{'.repeat(1000)}`);
    expect(jsonArrayLongerThan(body, 100)).toBe(true);
  });
});

describe('parseJsonArray', () => {
  it('refuses more than the limit with TooManyEventsError, small bodies and large alike', () => {
    const small = Buffer.from(JSON.stringify(Array.from({ length: 101 }, () => 1)));
    const large = Buffer.from(JSON.stringify(Array.from({ length: 101 }, () => 'x'.repeat(1_000))));
    expect(large.length).toBeGreaterThan(64 * 1024);
    for (const body of [small, large]) {
      expect(() => parseJsonArray(body, 100, 'events')).toThrow(TooManyEventsError);
      expect(() => parseJsonArray(body, 100, 'events')).toThrow('more than 100 events');
    }
    expect(parseJsonArray(Buffer.from('[1,2]'), 2, 'events')).toEqual([1, 2]);
    expect(() => parseJsonArray(Buffer.from('{"a":1}'), 2, 'events')).toThrow(
      'body must be a JSON array of events',
    );
  });
});
