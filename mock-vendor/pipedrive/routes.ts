import type { FastifyInstance } from 'fastify';
import { registerPipedriveErrorReplies } from './error-replies.js';
import { registerPipedriveGate } from './gate.js';
import type { PipedriveMock } from './mock.js';
import { registerFilterRoutes } from './routes-filters.js';
import { registerPersonRoutes } from './routes-persons.js';
import { registerUserRoutes } from './routes-users.js';
import { registerV1Routes } from './routes-v1.js';

/** Pipedrive's public API as the mock serves it: auth, limits (with headers), persons, v1 extras. */
export function registerPipedriveRoutes(app: FastifyInstance, mock: PipedriveMock): void {
  registerPipedriveErrorReplies(app);
  // Pipedrive takes a GET or DELETE labelled application/json with no body (clients send the
  // header on every call); Fastify's default parser would answer 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      // JSON.parse's SyntaxError, a 400: error-replies.ts answers it in Pipedrive's envelope.
      done(Object.assign(err as SyntaxError, { statusCode: 400 }), undefined);
    }
  });
  registerPipedriveGate(app, mock);
  registerPersonRoutes(app, mock);
  registerV1Routes(app, mock);
  registerFilterRoutes(app, mock);
  registerUserRoutes(app, mock);
}
