/**
 * A small, strict XML reader for the one document poc receives from Salesforce: the Outbound
 * Message SOAP envelope (and its Ack). Hand-written because the project ships no XML parser at
 * run time; it reads elements, attributes, text, CDATA and the five predefined entities plus
 * character references, resolves namespaces, and refuses everything else. A DOCTYPE is refused
 * outright, so entity expansion (XXE, billion laughs) cannot happen.
 */

export const NS_SOAP_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const NS_XSI = 'http://www.w3.org/2001/XMLSchema-instance';
export const NS_OUTBOUND = 'http://soap.sforce.com/2005/09/outbound';
export const NS_SOBJECT = 'urn:sobject.enterprise.soap.sforce.com';

export interface XmlElement {
  /** The namespace URI ('' when none is in scope). */
  readonly ns: string;
  readonly local: string;
  /** Attributes by `{ns}local` (or `local` without a namespace); xmlns declarations excluded. */
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  text: string;
}

export class XmlError extends Error {
  override readonly name = 'XmlError';
}

const MAX_DEPTH = 16;
const MAX_ELEMENTS = 100_000;
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string, at: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw new XmlError(`bare "&" near offset ${at}`);
    const named = ENTITIES[ref];
    if (named !== undefined) return named;
    const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref)
      ? Number.parseInt(ref.slice(2), 16)
      : /^#\d{1,7}$/.test(ref)
        ? Number(ref.slice(1))
        : Number.NaN;
    if (!Number.isInteger(code) || code < 0x9 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      throw new XmlError(`unknown entity "&${ref};" near offset ${at}`);
    return String.fromCodePoint(code);
  });
}

interface Open {
  readonly qname: string;
  readonly element: XmlElement;
  readonly scope: ReadonlyMap<string, string>;
}

function qualify(qname: string, scope: ReadonlyMap<string, string>, isAttr: boolean): [string, string] {
  const colon = qname.indexOf(':');
  if (colon < 0) return [isAttr ? '' : (scope.get('') ?? ''), qname];
  const prefix = qname.slice(0, colon);
  const ns = scope.get(prefix);
  if (ns === undefined) throw new XmlError(`unbound namespace prefix "${prefix}"`);
  return [ns, qname.slice(colon + 1)];
}

function parseAttributes(source: string, at: number): [string, string][] {
  const out: [string, string][] = [];
  const re = /\s*([^\s=]+)\s*=\s*("([^"<]*)"|'([^'<]*)')/y;
  let i = 0;
  while (i < source.length) {
    if (/^\s*$/.test(source.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(source);
    if (!m?.[1] || !NAME.test(m[1])) throw new XmlError(`malformed attribute near offset ${at}`);
    if (out.some(([n]) => n === m[1])) throw new XmlError(`duplicated attribute "${m[1]}" near offset ${at}`);
    out.push([m[1], decodeEntities(m[3] ?? m[4] ?? '', at)]);
    i = re.lastIndex;
  }
  return out;
}

/** Parses one XML document into its root element; throws XmlError on anything it does not accept. */
export function parseXml(input: string): XmlElement {
  let i = 0;
  if (input.charCodeAt(0) === 0xfeff) i = 1;
  const decl = /^<\?xml\s[^?]*\?>/.exec(input.slice(i));
  if (decl) i += decl[0].length;
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  const rootScope = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

  while (i < input.length) {
    const lt = input.indexOf('<', i);
    const text = input.slice(i, lt < 0 ? input.length : lt);
    const top = stack.at(-1);
    if (top) top.element.text += decodeEntities(text, i);
    else if (text.trim() !== '') throw new XmlError(`text outside the root element at offset ${i}`);
    if (lt < 0) break;
    i = lt;
    if (input.startsWith('<!--', i)) {
      const end = input.indexOf('-->', i + 4);
      if (end < 0) throw new XmlError(`unterminated comment at offset ${i}`);
      i = end + 3;
      continue;
    }
    if (input.startsWith('<![CDATA[', i)) {
      const end = input.indexOf(']]>', i + 9);
      if (end < 0 || !top) throw new XmlError(`misplaced or unterminated CDATA at offset ${i}`);
      top.element.text += input.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (input.startsWith('<!', i))
      throw new XmlError(`DOCTYPE and declarations are not accepted (offset ${i})`);
    if (input.startsWith('<?', i))
      throw new XmlError(`processing instructions are not accepted (offset ${i})`);
    const gt = input.indexOf('>', i);
    if (gt < 0) throw new XmlError(`unterminated tag at offset ${i}`);
    const tag = input.slice(i + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.qname !== name)
        throw new XmlError(`closing tag </${name}> does not match <${open?.qname ?? ''}> at offset ${i}`);
      i = gt + 1;
      continue;
    }
    if (root && stack.length === 0) throw new XmlError(`a second root element at offset ${i}`);
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameEnd = body.search(/\s|$/);
    const qname = body.slice(0, nameEnd);
    if (!NAME.test(qname))
      throw new XmlError(`malformed element name "${qname.slice(0, 40)}" at offset ${i}`);
    if (stack.length >= MAX_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_DEPTH}`);
    if (++count > MAX_ELEMENTS) throw new XmlError(`more than ${MAX_ELEMENTS} elements`);
    const rawAttrs = parseAttributes(body.slice(nameEnd), i);
    const scope = new Map(top?.scope ?? rootScope);
    for (const [name, value] of rawAttrs) {
      if (name === 'xmlns') scope.set('', value);
      else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
    }
    const attrs = new Map<string, string>();
    for (const [name, value] of rawAttrs) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const [ns, local] = qualify(name, scope, true);
      attrs.set(ns ? `{${ns}}${local}` : local, value);
    }
    const [ns, local] = qualify(qname, scope, false);
    const element: XmlElement = { ns, local, attrs, children: [], text: '' };
    if (top) top.element.children.push(element);
    else root = element;
    if (!selfClosing) stack.push({ qname, element, scope });
    i = gt + 1;
  }
  if (stack.length > 0) throw new XmlError(`unclosed element <${stack.at(-1)?.qname}>`);
  if (!root) throw new XmlError('no root element');
  return root;
}

/** The children of `parent` with this namespace and local name. */
export function childrenNamed(parent: XmlElement, ns: string, local: string): XmlElement[] {
  return parent.children.filter((c) => c.ns === ns && c.local === local);
}

/** Escapes text for element content and double-quoted attributes. */
export function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}
