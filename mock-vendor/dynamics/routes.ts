import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serviceRoot } from './collection.js';
import {
  isJsonBody,
  registerDynamicsErrorReplies,
  sendNoResource,
  sendUnsupportedMediaType,
} from './error-replies.js';
import { DATAVERSE_CODES, sendOdataError } from './errors.js';
import { APPLICATION_USER_ID, type DynamicsMock } from './mock.js';
import { parseResourcePath } from './odata.js';
import { privilegeDenied, privilegeId } from './privileges.js';
import { registerTokenEndpoint, registerWebApiGuards } from './routes-auth.js';
import { type DataRequest, handleContacts } from './routes-contacts.js';
import { handleCatalog, handleServiceEndpoints, handleSteps } from './routes-registrations.js';
import { rawResource, WEB_API_PREFIX } from './web-api-path.js';

const HANDLERS: Readonly<Record<string, (d: DataRequest, mock: DynamicsMock) => FastifyReply>> = {
  contacts: handleContacts,
  serviceendpoints: handleServiceEndpoints,
  sdkmessageprocessingsteps: handleSteps,
  sdkmessages: handleCatalog,
  sdkmessagefilters: handleCatalog,
};

function decodedOnce(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The WhoAmI function: who the token belongs to, the usual first call of a client. */
function whoAmI(req: FastifyRequest, reply: FastifyReply, mock: DynamicsMock) {
  // A function answers GET only; another method matches no route (Learn shows POST WhoAmI -> 404).
  if (req.method !== 'GET') return sendNoResource(req, reply);
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
  registerDynamicsErrorReplies(app);
  registerTokenEndpoint(app, mock);
  registerWebApiGuards(app, mock);

  app.route({
    method: ['GET', 'POST', 'PATCH', 'DELETE'],
    url: `${WEB_API_PREFIX}*`,
    handler: (req: FastifyRequest, reply: FastifyReply) => {
      if (!isJsonBody(req)) return sendUnsupportedMediaType(req, reply);
      const url = new URL(req.url, 'http://mock');
      // The resource as sent; read decoded once, as the router decoded the path it matched.
      const raw = rawResource(req);
      const resource = decodedOnce(raw);
      if (resource === 'WhoAmI' || resource === 'WhoAmI()') return whoAmI(req, reply, mock);
      const self = USER_PRIVILEGES.exec(resource);
      if (self?.[1]) return userPrivileges(req, reply, mock, self[1]);
      const path = parseResourcePath(raw);
      const handler = path ? HANDLERS[path.entitySet] : undefined;
      if (!path || !handler) {
        const segment = resource.split('(')[0] ?? resource;
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
