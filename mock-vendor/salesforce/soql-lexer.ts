import { type SoqlError, type SoqlErrorCode, soqlErrorAt } from './soql-error.js';

export type TokenKind = 'string' | 'datetime' | 'date' | 'number' | 'op' | 'punct' | 'word';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset of the token in the query, for Salesforce's "ERROR at Row:r:Column:c". */
  readonly pos: number;
}

// Order matters: a datetime before a date before a number. Datetimes need a zone, Z or an offset
// ("YYYY-MM-DDThh:mm:ss+hh:mm ... YYYY-MM-DDThh:mm:ssZ", soql-dates.ts's reference; the mock also
// reads +hhmm). A word may be a path (Account.Name) or a date literal with its n (LAST_N_DAYS:7).
const TOKEN =
  /\s*(?:('(?:[^'\\]|\\.)*')|(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))|(\d{4}-\d\d-\d\d)(?![\dT])|(-?\d+(?:\.\d+)?)(?![\w.])|(!=|<>|<=|>=|[=<>])|([,()])|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?::\d+)?))/y;
const KINDS: readonly TokenKind[] = ['string', 'datetime', 'date', 'number', 'op', 'punct', 'word'];

/** The query's tokens; a character no token starts with is MALFORMED_QUERY, as Salesforce's lexer says. */
export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    const rest = /\s*/y;
    rest.lastIndex = i;
    rest.exec(soql);
    if (rest.lastIndex >= soql.length) return tokens;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(soql);
    if (!m) {
      const at = rest.lastIndex;
      const char = soql[at] === "'" ? '<EOF>' : soql[at];
      throw soqlErrorAt('MALFORMED_QUERY', soql, at, `no viable alternative at character '${char}'`);
    }
    const group = m.slice(1).findIndex((g) => g !== undefined);
    const text = m[group + 1] as string;
    tokens.push({ kind: KINDS[group] as TokenKind, text, pos: TOKEN.lastIndex - text.length });
    i = TOKEN.lastIndex;
  }
}

/**
 * Quoted string escapes: \n \r \t \b \f (either case), \" \' \\, and in a LIKE pattern only \% and
 * \_ for a literal % or _; "if you use a backslash character in any other context, an error
 * occurs" (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm).
 */
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** The pieces of a string token: plain characters, and (in LIKE) the wildcards % and _. */
function pieces(token: Token, soql: string, like: boolean): { text: string; wildcard: boolean }[] {
  const out: { text: string; wildcard: boolean }[] = [];
  const body = token.text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out.push({ text: c, wildcard: like && (c === '%' || c === '_') });
      continue;
    }
    const e = body[++i] ?? '';
    const plain = ESCAPES[e.toLowerCase()] ?? ESCAPES[e];
    if (plain !== undefined) out.push({ text: plain, wildcard: false });
    else if (like && (e === '%' || e === '_')) out.push({ text: e, wildcard: false });
    else {
      // The message text is [unverified]; the code follows the reference's "an error occurs".
      throw soqlErrorAt(
        'MALFORMED_QUERY',
        soql,
        token.pos,
        `Invalid string literal ${token.text}. Illegal character sequence '\\${e}' in string literal.`,
      );
    }
  }
  return out;
}

/** A string literal's value. */
export function decodeString(token: Token, soql: string): string {
  return pieces(token, soql, false)
    .map((p) => p.text)
    .join('');
}

/**
 * A LIKE pattern as a regular expression over the whole value: % is any run of characters, _ is
 * exactly one, and text compares without case
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_comparisonoperators.htm).
 */
export function likePattern(token: Token, soql: string): RegExp {
  const source = pieces(token, soql, true)
    .map((p) => (p.wildcard ? (p.text === '%' ? '.*' : '.') : p.text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'is');
}

/** The parser's position in the tokens, and Salesforce-shaped errors at it. */
export class TokenStream {
  private i = 0;

  constructor(
    readonly soql: string,
    private readonly tokens: readonly Token[],
  ) {}

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.i + ahead];
  }

  next(): Token {
    const token = this.tokens[this.i];
    if (!token) throw this.unexpected();
    this.i++;
    return token;
  }

  /** Whether the current token is the keyword `word` (SOQL keywords ignore case). */
  isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }

  isPunct(p: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.text === p;
  }

  /** Consumes `word` (or punctuation) when it is next. */
  accept(word: string): boolean {
    const match = this.isWord(word) || this.isPunct(word);
    if (match) this.i++;
    return match;
  }

  expect(word: string): void {
    if (!this.accept(word)) throw this.unexpected();
  }

  get done(): boolean {
    return this.i >= this.tokens.length;
  }

  /** "unexpected token: X" at the current token (or <EOF> past the end). */
  unexpected(token = this.peek()): SoqlError {
    return this.error('MALFORMED_QUERY', `unexpected token: ${token ? token.text : '<EOF>'}`, token);
  }

  error(code: SoqlErrorCode, reason: string, token = this.peek()): SoqlError {
    return soqlErrorAt(code, this.soql, token?.pos ?? this.soql.length, reason);
  }
}
