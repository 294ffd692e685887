import { z } from 'zod';
import { bindHost, count, faultSpecs, folder, httpUrl, listenPort, positive, vendorId } from './fields.js';

/** `poc mock-vendor`: an emulated vendor served on its own, until SIGINT/SIGTERM. */
export const mockVendorOptions = z
  .object({
    vendor: vendorId('vendor to emulate (poc list vendors)'),
    port: listenPort(4010),
    host: bindHost(),
    timeScale: positive().default(1).describe('compress the vendor’s retry schedule n times'),
    faults: faultSpecs().meta({ cli: { flag: 'fault', placeholder: 'spec' } }),
    dataDir: folder('.poc', 'where generated credentials are written'),
    seedRecords: count(1).optional().describe('start with n messy, realistic contacts (fixed faker seed)'),
    readyLine: z
      .boolean()
      .default(false)
      .describe('print one JSON line when listening (used by poc run)')
      .meta({ cli: { hidden: true } }),
    exitWithStdin: z
      .boolean()
      .default(false)
      .describe('exit when stdin closes: poc run owns the mock through that pipe')
      .meta({ cli: { hidden: true } }),
  })
  .strict();

/** `poc receiver`: the reference pipeline on its own, to point a real vendor at. */
export const receiverOptions = z
  .object({
    vendor: vendorId('vendor whose webhooks it receives'),
    port: listenPort(8080),
    host: bindHost(),
    dataDir: folder('.poc/receiver', 'folder for pipeline.db'),
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
