/**
 * Tokens of an OData `$filter` or `$orderby` as Dataverse's OData library (Microsoft.OData.Core)
 * reads them. Error messages are that library's, positions 0-based as it counts them.
 */

/** A malformed or unanswerable query option; Dataverse answers it 400 with code 0x80060888. */
export class ODataQueryError extends Error {}

export type TokenKind =
  | 'identifier'
  | 'string'
  | 'json-string'
  | 'integer'
  | 'decimal'
  | 'datetimeoffset'
  | 'date'
  | 'guid'
  | '('
  | ')'
  | ','
  | '['
  | ']'
  | '='
  | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Where the token starts in the option's text (for an alias's tokens, where the alias stands). */
  readonly pos: number;
}

const PATTERNS: readonly [TokenKind, RegExp][] = [
  ['guid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/i],
  ['datetimeoffset', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/i],
  ['date', /^\d{4}-\d{2}-\d{2}(?![\w:])/],
  ['decimal', /^-?\d+\.\d+(?:[eE][+-]?\d+)?(?![\w.])/],
  ['integer', /^-?\d+(?![\w.])/],
  ['identifier', /^[A-Za-z_][\w.]*/],
];

/** `There is an unterminated literal...`: Learn's filter-rows page quotes this message. */
function unterminated(text: string): ODataQueryError {
  return new ODataQueryError(`There is an unterminated literal at position ${text.length} in '${text}'.`);
}

export function syntaxError(pos: number, text: string): ODataQueryError {
  return new ODataQueryError(`Syntax error at position ${pos} in '${text}'.`);
}

/**
 * Splits `text` into tokens. A parameter alias (`@p1`) stands for the query parameter of that
 * name, itself read as tokens; an alias with no value is null (Learn, "Use parameter aliases
 * with query options"). The whole text is read before parsing starts, so an unterminated literal
 * is reported even after an earlier mistake, as the library reports it (Learn's `O'Bryan` example).
 */
export function tokenize(text: string, aliases: URLSearchParams, nested = false): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw unterminated(text);
        if (text[j] === "'" && text[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (text[j] === "'") break;
        else value += text[j++];
      }
      tokens.push({ kind: 'string', text: value, pos: i });
      i = j + 1;
      continue;
    }
    if (c === '"') {
      // Dataverse functions take their values as JSON arrays of double-quoted strings.
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) throw unterminated(text);
      tokens.push({ kind: 'json-string', text: JSON.parse(m[0]) as string, pos: i });
      i += m[0].length;
      continue;
    }
    if ('(),[]='.includes(c)) {
      tokens.push({ kind: c as TokenKind, text: c, pos: i });
      i++;
      continue;
    }
    if (c === '@' && !nested) {
      const name = /^@[A-Za-z_]\w*/.exec(text.slice(i))?.[0];
      if (!name) throw syntaxError(i, text);
      const value = aliases.get(name);
      const inner =
        value === null
          ? [{ kind: 'identifier', text: 'null', pos: 0 } as Token]
          : tokenize(value, aliases, true).slice(0, -1);
      for (const t of inner) tokens.push({ ...t, pos: i });
      i += name.length;
      continue;
    }
    const rest = text.slice(i);
    const match = PATTERNS.map(([kind, re]) => [kind, re.exec(rest)?.[0]] as const).find(([, m]) => m);
    if (!match?.[1]) throw syntaxError(i, text);
    tokens.push({ kind: match[0], text: match[1], pos: i });
    i += match[1].length;
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}
