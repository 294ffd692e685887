import type { z } from 'zod';
import type { receiverOptions } from '../config/server-options.js';
import { PocError } from '../errors.js';
import { createPipeline } from '../pipeline/pipeline.js';
import { readSecret, requireSecret } from '../secrets.js';
import { createPipelineMetrics } from '../telemetry/metrics.js';
import { getVendor } from '../vendors/index.js';

/** Resolved options (harness/config/server-options.ts) plus the vendor's own (HubSpot's acceptLegacySignatures). */
export type ReceiverConfig = z.output<typeof receiverOptions> & Readonly<Record<string, unknown>>;

/** `poc receiver`: the reference pipeline as a standalone server, to point a real vendor at. */
export async function receiverCommand(flags: ReceiverConfig): Promise<void> {
  const vendor = getVendor(flags.vendor);
  const secretEnv = vendor.profile.credentialsEnv.webhookSecret;
  const secrets = [requireSecret(secretEnv)];
  // During a secret rotation both the new and the previous secret verify.
  const previous = readSecret(`${secretEnv}_PREVIOUS`);
  if (previous) secrets.push(previous);
  const metrics = createPipelineMetrics({
    run_id: 'receiver',
    vendor: vendor.profile.id,
    scenario: 'receiver',
    target: 'any',
  });
  const pipeline = createPipeline({
    scheme: vendor.webhooks({ secrets, acceptLegacy: flags.acceptLegacySignatures === true }),
    metrics,
    dir: flags.dataDir,
    vendor: vendor.profile.id,
    durability: flags.durability,
    // The receiver bench measures receive + verify + dedupe + enqueue alone.
    processor: process.env.POC_RECEIVER_NO_PROCESSOR !== '1',
    ...(flags.publicUrl ? { publicBaseUrl: new URL(flags.publicUrl).origin } : {}),
  });
  let url: string;
  try {
    url = await pipeline.listen(flags.port, flags.host);
  } catch (err) {
    await pipeline.close().catch(() => {});
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PocError('POC_ERR_PORT_IN_USE', `--port: ${flags.port} is already in use`);
    }
    throw err;
  }
  process.stdout.write(
    `receiver for ${vendor.profile.id} listening on ${url}${pipeline.path} (metrics: ${url}/metrics)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await pipeline.close();
}
