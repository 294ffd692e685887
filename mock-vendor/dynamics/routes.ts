import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DATAVERSE_API_PATH } from '../../harness/vendors/dynamics/profile.js';
import { serviceRoot } from './collection.js';
import { DATAVERSE_CODES, odataError, sendOdataError } from './errors.js';
import { APPLICATION_USER_ID, type DynamicsMock } from './mock.js';
import { parseResourcePath } from './odata.js';
import { privilegeDenied, privilegeId } from './privileges.js';
import { registerTokenEndpoint, registerWebApiGuards } from './routes-auth.js';
import { type DataRequest, handleContacts } from './routes-contacts.js';
import { handleCatalog, handleServiceEndpoints, handleSteps } from './routes-registrations.js';

const HANDLERS: Readonly<Record<string, (d: DataRequest, mock: DynamicsMock) => FastifyReply>> = {
  contacts: handleContacts,
  serviceendpoints: handleServiceEndpoints,
  sdkmessageprocessingsteps: handleSteps,
  sdkmessages: handleCatalog,
  sdkmessagefilters: handleCatalog,
};

/** The WhoAmI function: who the token belongs to, the usual first call of a client. */
function whoAmI(req: FastifyRequest, reply: FastifyReply, mock: DynamicsMock) {
  if (req.method !== 'GET') {
    return sendOdataError(reply, 405, DATAVERSE_CODES.badRequest, 'WhoAmI is a function: use GET.');
  }
  return reply.send({
    '@odata.context': `${serviceRoot(req)}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: mock.settings.organizationId,
    UserId: APPLICATION_USER_ID,
    OrganizationId: mock.settings.organizationId,
  });
}

const USER_PRIVILEGES =
  /^systemusers\(([0-9a-fA-F-]{36})\)\/Microsoft\.Dynamics\.CRM\.RetrieveUserPrivileges(?:\(\))?$/;

/**
 * The RetrieveUserPrivileges function bound to a systemuser: every privilege its roles grant,
 * the introspection a client has in place of OAuth scopes.
 */
function userPrivileges(req: FastifyRequest, reply: FastifyReply, mock: DynamicsMock, userId: string) {
  if (userId.toLowerCase() !== APPLICATION_USER_ID) {
    return sendOdataError(
      reply,
      404,
      DATAVERSE_CODES.notFound,
      `systemuser With Id = ${userId} Does Not Exist`,
    );
  }
  return reply.send({
    '@odata.context': `${serviceRoot(req)}$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`,
    RolePrivileges: mock.settings.privileges.map((name) => ({
      Depth: 'Global',
      PrivilegeId: privilegeId(name),
      BusinessUnitId: mock.settings.organizationId,
      PrivilegeName: name,
    })),
  });
}

/**
 * The Dataverse Web API as the mock serves it. OData puts keys inside the path segment
 * (`contacts(emailaddress1='a@b.c')`), which a router cannot match, so one wildcard route
 * parses the segment itself.
 */
export function registerDynamicsRoutes(app: FastifyInstance, mock: DynamicsMock): void {
  registerTokenEndpoint(app, mock);
  registerWebApiGuards(app, mock);

  // Bodies Fastify cannot parse still get Dataverse's error shape, under the Web API only.
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (req.url.startsWith(`${DATAVERSE_API_PATH}/`)) {
      const code = status === 500 ? DATAVERSE_CODES.server : DATAVERSE_CODES.badRequest;
      return reply.code(status).send(odataError(code, err.message));
    }
    return reply.code(status).send({ error: err.message });
  });

  const prefix = `${DATAVERSE_API_PATH}/`;
  app.route({
    method: ['GET', 'POST', 'PATCH', 'DELETE'],
    url: `${prefix}*`,
    handler: (req: FastifyRequest, reply: FastifyReply) => {
      const url = new URL(req.url, 'http://mock');
      const raw = url.pathname.slice(prefix.length);
      if (raw === 'WhoAmI' || raw === 'WhoAmI()') return whoAmI(req, reply, mock);
      const self = USER_PRIVILEGES.exec(raw);
      if (self?.[1]) return userPrivileges(req, reply, mock, self[1]);
      const path = parseResourcePath(raw);
      const handler = path ? HANDLERS[path.entitySet] : undefined;
      if (!path || !handler) {
        const segment = raw.split('(')[0] ?? raw;
        return sendOdataError(
          reply,
          404,
          DATAVERSE_CODES.noSegment,
          `Resource not found for the segment '${segment}'.`,
        );
      }
      // Security roles are checked before the request does anything, as Dataverse does.
      const denied = privilegeDenied(mock.settings, APPLICATION_USER_ID, req.method, path.entitySet);
      if (denied) return reply.code(403).header('odata-version', '4.0').send(denied);
      return handler({ req, reply, url, path }, mock);
    },
  });
}
