/**
 * Spellings of one request path that a router and a check reading the raw URL may tell apart:
 * percent-encoded letters, encoded slashes, doubled slashes, dot segments, changed case, a trailing
 * slash, and the delimiters a router may cut at. Each is labelled so a failure names its trick.
 */
export interface PathVariant {
  readonly trick: string;
  readonly path: string;
}

const hex = (c: string, lower = false) => {
  const h = `%${(c.codePointAt(0) ?? 0).toString(16).padStart(2, '0')}`;
  return lower ? h : h.toUpperCase();
};

/** Every variant of `path` (which starts with '/' and holds no query), the original excluded. */
export function pathVariants(path: string): PathVariant[] {
  const segments = path.split('/').slice(1);
  const join = (parts: readonly string[]) => `/${parts.join('/')}`;
  const out: PathVariant[] = [];
  const add = (trick: string, variant: string) => {
    if (variant !== path && !out.some((v) => v.path === variant)) out.push({ trick, path: variant });
  };
  for (const [i, segment] of segments.entries()) {
    const first = segment[0];
    if (first === undefined || !/[a-z]/i.test(first)) continue;
    const encoded = [...segments];
    encoded[i] = hex(first) + segment.slice(1);
    add(`percent-encoded letter in segment ${i + 1}`, join(encoded));
    encoded[i] = hex(first, true) + segment.slice(1);
    add(`lower-case percent-encoding in segment ${i + 1}`, join(encoded));
    const upper = [...segments];
    upper[i] = segment.toUpperCase();
    add(`upper-case segment ${i + 1}`, join(upper));
  }
  add(
    'every letter percent-encoded',
    path.replace(/[a-z]/gi, (c) => hex(c)),
  );
  add('whole path upper-case', path.toUpperCase());
  add('double-encoded first letter', `/${hex(segments[0]?.[0] ?? 'a').replace('%', '%25')}${path.slice(2)}`);
  for (let i = 1; i < segments.length; i++) {
    add(
      `encoded slash before segment ${i + 1}`,
      `${join(segments.slice(0, i))}%2F${segments.slice(i).join('/')}`,
    );
    add(
      `lower-case encoded slash before segment ${i + 1}`,
      `${join(segments.slice(0, i))}%2f${segments.slice(i).join('/')}`,
    );
    add(
      `doubled slash before segment ${i + 1}`,
      `${join(segments.slice(0, i))}//${segments.slice(i).join('/')}`,
    );
    add(
      `dot segment before segment ${i + 1}`,
      `${join(segments.slice(0, i))}/./${segments.slice(i).join('/')}`,
    );
    add(
      `dot-dot segment before segment ${i + 1}`,
      `${join(segments.slice(0, i))}/x/../${segments.slice(i).join('/')}`,
    );
    add(
      `encoded dot-dot before segment ${i + 1}`,
      `${join(segments.slice(0, i))}/x/%2e%2e/${segments.slice(i).join('/')}`,
    );
  }
  add('leading doubled slash', `/${path}`);
  add('leading encoded slash', `/%2F${path.slice(1)}`);
  add('leading dot segment', `/.${path}`);
  add('through the admin prefix', `/__admin/..${path}`);
  add('through an encoded admin prefix', `/%5f_admin/..${path}`);
  add('trailing slash', `${path}/`);
  add('trailing doubled slash', `${path}//`);
  add('trailing dot segment', `${path}/.`);
  add('fragment', `${path}#x`);
  add('semicolon parameter', `${path};x=1`);
  add('encoded question mark', `${path}%3Fx=1`);
  return out;
}
