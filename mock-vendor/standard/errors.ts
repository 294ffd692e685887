import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * The CRM's error body: RFC 9457 problem details. `type` is about:blank, so `title` is the HTTP
 * status phrase; `code` is the stable machine-readable reason clients match on.
 */
export function problem(status: number, code: string, detail: string, errors?: readonly FieldError[]) {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors?: readonly FieldError[],
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problem(status, code, detail, errors));
}
