import type { Rng } from './prng.js';

/**
 * Body mutators: pure functions of (rng, bytes). Each returns new bytes; none touches headers, so
 * the same mutator serves tampering (headers of the original) and parser hunting (re-signed).
 */
export type BodyMutator = (rng: Rng, body: Buffer) => Buffer;

export function bitFlip(rng: Rng, body: Buffer): Buffer {
  if (body.length === 0) return Buffer.from([rng.int(0, 255)]);
  const out = Buffer.from(body);
  for (let n = rng.int(1, 8); n > 0; n--) {
    const i = rng.int(0, out.length - 1);
    out[i] = (out[i] ?? 0) ^ (1 << rng.int(0, 7));
  }
  return out;
}

export function truncate(rng: Rng, body: Buffer): Buffer {
  return body.subarray(0, rng.int(0, Math.max(0, body.length - 1)));
}

export function insertBytes(rng: Rng, body: Buffer): Buffer {
  const at = rng.int(0, body.length);
  return Buffer.concat([body.subarray(0, at), rng.bytes(rng.int(1, 64)), body.subarray(at)]);
}

/** Characters that break naive handling: NUL, controls, surrogates (lone ones too), RTL, BOM, emoji. */
const NASTY = [
  '\u0000',
  '\u0007',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud83d\ude00',
  '\ud800',
  '\u00e9',
  '\uffff',
  '"',
  '\\',
  '<',
  '&',
];

export function randomUnicode(rng: Rng, body: Buffer): Buffer {
  const text = body.toString('utf8');
  let s = '';
  for (let n = rng.int(1, 16); n > 0; n--) {
    s += rng.chance(0.5) ? rng.pick(NASTY) : String.fromCodePoint(rng.int(0x20, 0x10ffff));
  }
  const at = rng.int(0, text.length);
  return Buffer.from(text.slice(0, at) + s + text.slice(at), 'utf8');
}

/** The same document written differently: other whitespace or key order (JSON), other spacing (XML). */
export function reserialise(rng: Rng, body: Buffer): Buffer {
  const text = body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (rng.chance(0.5)) return Buffer.from(JSON.stringify(parsed, null, rng.pick([1, 2, '\t'])));
    return Buffer.from(JSON.stringify(reorder(parsed)));
  } catch {
    // XML (or not a document): spacing between tags and a trailing newline change, meaning does not.
    return Buffer.from(`${text.replace(/>\n</g, rng.chance(0.5) ? '><' : '>\r\n  <')}\n`);
  }
}

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .reverse()
      .map(([k, v]) => [k, reorder(v)]),
  );
}

export const empty: BodyMutator = () => Buffer.alloc(0);

function randomJson(rng: Rng, depth = 0): unknown {
  switch (rng.int(0, depth > 3 ? 8 : 11)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1e308, -0, 2 ** 53 + 2, 1.5, 1e-308]);
    case 3:
      return '';
    case 4:
      return rng.pick(['__proto__', 'constructor', 'toString', 'NaN', '/Date(1)/', '2026-13-45T99:99:99Z']);
    case 5:
      return 'x'.repeat(rng.int(1, 10_000));
    case 6:
      return rng.pick(NASTY).repeat(rng.int(1, 50));
    case 7:
      return [];
    case 8:
      return {};
    case 9:
      return Array.from({ length: rng.int(1, 5) }, () => randomJson(rng, depth + 1));
    case 10: {
      // JSON.parse makes "__proto__" an own key, as a hostile body would.
      const o = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
      o[rng.pick(['key', 'value', 'id', 'Id', 'constructor'])] = randomJson(rng, depth + 1);
      return o;
    }
    default: {
      let nested: unknown = randomJson(rng, depth + 1);
      for (let n = rng.int(1, 200); n > 0; n--) nested = [nested];
      return nested;
    }
  }
}

/** Replaces one node of a JSON document by a value of another type; appends junk when not JSON. */
export function typeSwap(rng: Rng, body: Buffer): Buffer {
  let root: unknown;
  try {
    root = JSON.parse(body.toString('utf8'));
  } catch {
    return xmlSwap(rng, body);
  }
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    const parent = v as Record<string, unknown> | unknown[];
    for (const [k, c] of Object.entries(parent)) {
      nodes.push({ parent, key: Array.isArray(parent) ? Number(k) : k });
      walk(c);
    }
  };
  walk(root);
  if (nodes.length === 0 || rng.chance(0.05)) return Buffer.from(JSON.stringify(randomJson(rng)));
  const { parent, key } = rng.pick(nodes);
  const value = randomJson(rng);
  if (rng.chance(0.15) && !Array.isArray(parent)) delete parent[key as string];
  else (parent as Record<string | number, unknown>)[key] = value;
  return Buffer.from(JSON.stringify(root));
}

const XML_JUNK = [
  '&',
  '&amp',
  '&#0;',
  '&#xD800;',
  '&#x10FFFF;',
  ']]>',
  '<![CDATA[',
  '<!DOCTYPE x>',
  '<?pi?>',
  '<a>',
  '</a>',
  '<x:y/>',
  '"',
  "'",
  '\u0000',
];

/** Replaces the text between two tags, or one tag's name, with hostile XML. */
export function xmlSwap(rng: Rng, body: Buffer): Buffer {
  const text = body.toString('utf8');
  const gaps = [...text.matchAll(/>([^<]*)</g)];
  const gap = gaps.length > 0 ? rng.pick(gaps) : undefined;
  let junk = '';
  for (let n = rng.int(1, 6); n > 0; n--) junk += rng.pick(XML_JUNK);
  if (!gap || gap.index === undefined) return Buffer.from(text + junk);
  const start = gap.index + 1;
  return Buffer.from(text.slice(0, start) + junk + text.slice(start + (gap[1] ?? '').length));
}

export const BODY_MUTATORS: Readonly<Record<string, BodyMutator>> = {
  'bit-flip': bitFlip,
  truncate,
  'insert-bytes': insertBytes,
  unicode: randomUnicode,
  reserialise,
  empty,
  'type-swap': typeSwap,
};
