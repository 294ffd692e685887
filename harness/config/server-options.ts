import { z } from 'zod';
import { count, faultSpecs, httpUrl, port, positive } from './fields.js';

/** `poc mock-vendor`: an emulated vendor served on its own, until SIGINT/SIGTERM. */
export const mockVendorOptions = z
  .object({
    vendor: z
      .string({ error: 'is required: name the vendor, e.g. --vendor hubspot' })
      .describe('vendor to emulate (poc list vendors)')
      .meta({ cli: { placeholder: 'id' } }),
    port: port()
      .default(4010)
      .describe('port to listen on (0 = any free port)')
      .meta({ cli: { placeholder: 'port' } }),
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('address to bind')
      .meta({ cli: { placeholder: 'host' } }),
    timeScale: positive().default(1).describe('compress the vendor’s retry schedule n times'),
    faults: faultSpecs().meta({ cli: { flag: 'fault', placeholder: 'spec' } }),
    dataDir: z
      .string()
      .min(1)
      .default('.poc')
      .describe('where generated credentials are written')
      .meta({ cli: { placeholder: 'dir' } }),
    seedRecords: count(1).optional().describe('start with n messy, realistic contacts (fixed faker seed)'),
    readyLine: z
      .boolean()
      .default(false)
      .describe('print one JSON line when listening (used by poc run)')
      .meta({ cli: { hidden: true } }),
  })
  .strict();

/** `poc receiver`: the reference pipeline on its own, to point a real vendor at. */
export const receiverOptions = z
  .object({
    vendor: z
      .string({ error: 'is required: name the vendor, e.g. --vendor hubspot' })
      .describe('vendor whose webhooks it receives')
      .meta({ cli: { placeholder: 'id' } }),
    port: port()
      .default(8080)
      .describe('port to listen on (0 = any free port)')
      .meta({ cli: { placeholder: 'port' } }),
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('address to bind')
      .meta({ cli: { placeholder: 'host' } }),
    dataDir: z
      .string()
      .min(1)
      .default('.poc/receiver')
      .describe('folder for pipeline.db')
      .meta({ cli: { placeholder: 'dir' } }),
    publicUrl: httpUrl('the URL the vendor posts to, e.g. https://my-tunnel.example/webhooks/hubspot')
      .optional()
      .describe('the URL the vendor posts to, if it differs from the Host header (proxy, tunnel)')
      .meta({ cli: { placeholder: 'url' } }),
    durability: z
      .enum(['power-loss', 'process-crash'])
      .default('power-loss')
      .describe('fsync each commit (power-loss) or leave it to the OS (process-crash)')
      .meta({ cli: { placeholder: 'mode' } }),
  })
  .strict();
