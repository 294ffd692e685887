import { z } from 'zod';

/**
 * HubSpot's own options of the generic commands: HubSpot has had three signature schemes
 * (v1 and v2 carry no timestamp, so a captured delivery can be replayed at will).
 */
export const hubspotOptions = {
  mock: z
    .object({
      signatureVersion: z
        .enum(['v1', 'v2', 'v3'])
        .default('v3')
        .describe('webhook signature scheme the mock sends')
        .meta({ cli: { placeholder: 'v' } }),
    })
    .strict(),
  receiver: z
    .object({
      acceptLegacySignatures: z
        .boolean()
        .default(false)
        .describe('also accept v1/v2 signatures (no timestamp: replays cannot be refused)'),
    })
    .strict(),
};
