import type { FastifyReply, FastifyRequest } from 'fastify';
import { zohoDateTime } from '../../harness/vendors/zoho/wire.js';
import type { MockRecord } from '../records.js';
import { zohoError } from './errors.js';
import { moduleByApiName } from './modules.js';

/** Shapes every records route shares: the module from the path, a record as Zoho prints it. */
export interface ModuleParams {
  module: string;
  id?: string;
}

export const SYSTEM_USER = { name: 'poc mock', id: '4876876000000100001' } as const;

export function baseUrlOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

export function resolveModule(req: FastifyRequest<{ Params: ModuleParams }>, reply: FastifyReply) {
  const module = moduleByApiName(req.params.module);
  if (!module)
    void reply.code(400).send(zohoError('INVALID_MODULE', 'the module name given seems to be invalid'));
  return module;
}

/** A record as Zoho returns it: id, its fields by API name, and the system time stamps. */
export function toZohoRecord(record: MockRecord, fields?: readonly string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    ...record.properties,
    Created_Time: zohoDateTime(record.createdAt),
    Modified_Time: zohoDateTime(record.updatedAt),
  };
  if (!fields) return { id: record.id, ...all };
  const out: Record<string, unknown> = { id: record.id };
  for (const f of fields) out[f] = all[f] ?? null;
  return out;
}
