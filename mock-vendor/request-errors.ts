/** What went wrong with a request before (or inside) its handler, in words every vendor maps. */
export type RequestErrorKind =
  | 'malformed-json'
  | 'unsupported-media-type'
  | 'too-large'
  | 'bad-request'
  | 'internal';

export interface RequestError {
  readonly kind: RequestErrorKind;
  readonly status: number;
  /** The parser's complaint, for the vendor's message (never a stack or an internal path). */
  readonly detail: string;
}

/**
 * Sorts an error Fastify raised (body parsing, content type, size, a bad URL) or a handler threw,
 * so each emulation can answer it in its vendor's error body instead of Fastify's
 * `{statusCode, error, message}`. Anything that is not the client's fault is `internal` (500).
 */
export function classifyRequestError(thrown: unknown): RequestError {
  const err = (thrown instanceof Error ? thrown : new Error(String(thrown))) as Error & {
    code?: unknown;
    statusCode?: unknown;
  };
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status < 400 || status >= 500) {
    return { kind: 'internal', status: 500, detail: 'internal error' };
  }
  // An empty JSON body is a Fastify error of its own; the vendors' Jackson parsers call it
  // "No content to map due to end-of-input".
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { kind: 'malformed-json', status: 400, detail: 'No content to map due to end-of-input' };
  }
  // Fastify's parser drops JSON.parse's complaint (secure-json-parse refuses __proto__ and
  // constructor.prototype the same way), so there is no position to report.
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
    return {
      kind: 'malformed-json',
      status: 400,
      detail: 'Unexpected character: the body is not valid JSON',
    };
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { kind: 'unsupported-media-type', status: 415, detail: err.message };
  }
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { kind: 'too-large', status: 413, detail: err.message };
  return { kind: 'bad-request', status, detail: err.message };
}
