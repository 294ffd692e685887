import { zohoError } from './errors.js';

/** One token of a COQL query, with where it starts (1-based line and column) for Zoho's error details. */
export interface Token {
  readonly kind: 'word' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'end';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** A query Zoho refuses: the HTTP status and its error body (errors.ts shape). */
export class CoqlError extends Error {
  constructor(
    readonly body: ReturnType<typeof zohoError>,
    readonly status = 400,
  ) {
    super(body.message);
  }
}

/**
 * Zoho's answer to a token it did not expect, with the position its parser reports
 * (the SDK's ParseErrorDetails: line, column, near; example "SyntaxErrorLocation" in Zoho's
 * COQL API spec).
 */
export function unexpected(token: Token): CoqlError {
  const near = token.kind === 'end' ? '' : token.text;
  return new CoqlError(
    zohoError('SYNTAX_ERROR', 'unexpected token', { line: token.line, column: token.column, near }),
  );
}

const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>'];

/**
 * Splits a COQL query into tokens. Strings may be quoted either way; a quote inside is doubled
 * (Kaizen #171, "FAQs on COQL API", question 3). Queries may span lines, as Zoho's samples do.
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (start: number) => ({ line, column: start - lineStart + 1 });
  while (i < query.length) {
    const c = query[i] as string;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= query.length) throw unexpected({ kind: 'string', text: query.slice(start), ...at(start) });
        const ch = query[i] as string;
        if (ch === c && query[i + 1] === c) {
          text += c;
          i += 2;
        } else if (ch === c) {
          i++;
          break;
        } else {
          text += ch;
          i++;
        }
      }
      tokens.push({ kind: 'string', text, ...at(start) });
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, ...at(start) });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, ...at(start) });
      i += op.length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?(?![\w.])/.exec(query.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], ...at(start) });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][\w.$#]*/.exec(query.slice(i));
    const text = word ? word[0] : c;
    tokens.push({ kind: 'word', text, ...at(start) });
    if (!word) throw unexpected(tokens.at(-1) as Token);
    i += text.length;
  }
  tokens.push({ kind: 'end', text: '', ...at(i) });
  return tokens;
}
