import { z } from 'zod';
import { httpUrl } from '../../harness/config/fields.js';
import { defineScenario } from '../../harness/scenario.js';
import { SIGNATURE_CHECK_FINDINGS } from './findings.js';

export const signatureCheckOptions = z
  .object({
    receiverUrl: httpUrl(
      'the webhook URL of the receiver to attack, e.g. http://127.0.0.1:8080/webhooks/hubspot',
    )
      .optional()
      .describe('attack this receiver instead of the reference one')
      .meta({ cli: { placeholder: 'url' } }),
  })
  .strict();

export const signatureCheck = defineScenario({
  id: 'signature-check',
  summary:
    'Attack webhook authenticity: forgeries, replays, stale timestamps, secret rotation; report unsigned vendors plainly.',
  receivesWebhooks: true,
  options: signatureCheckOptions,
  findings: SIGNATURE_CHECK_FINDINGS,
  run: async (ctx, options) => (await import('./run.js')).runSignatureCheck(ctx, options),
});
