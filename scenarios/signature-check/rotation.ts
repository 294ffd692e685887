import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttackCase, Expectation, OutgoingDelivery } from '../../harness/attack/forgeries.js';
import { sendDelivery } from '../../harness/attack/send.js';
import { createPipeline } from '../../harness/pipeline/pipeline.js';
import type { RunContext } from '../../harness/scenario.js';
import type { VendorAdapter } from '../../harness/vendors/types.js';
import { judge, type Outcome } from './judge.js';

/** The delivery with `secret` as its proof, for the receiver at `url` (signatures may cover it). */
export function reprove(
  adapter: VendorAdapter,
  secret: string,
  url: string,
  d: OutgoingDelivery,
): OutgoingDelivery {
  const scheme = adapter.webhooks({ secrets: [secret] });
  if (scheme.security.proofHeaders.length === 0)
    return { headers: d.headers, body: scheme.embed?.(d.body, secret) ?? d.body };
  const headers = { ...d.headers };
  for (const h of scheme.security.proofHeaders) delete headers[h];
  return {
    headers: { ...headers, ...scheme.sign({ method: 'POST', url, body: d.body, timestamp: Date.now() }) },
    body: d.body,
  };
}

/**
 * Secret rotation: receivers configured with both secrets accept either; after the window,
 * only the new one. Each case gets a throw-away receiver so earlier cases cannot dedupe it.
 */
export async function rotationCases(
  ctx: RunContext,
  adapter: VendorAdapter,
  valid: AttackCase,
  secret: string,
): Promise<Outcome[]> {
  const rotated = adapter.newSecret?.() ?? randomBytes(18).toString('base64url');
  const runs: [string, readonly string[], string, Expectation][] = [
    ['rotation: old secret while both are configured', [rotated, secret], secret, 'accept'],
    ['rotation: new secret while both are configured', [rotated, secret], rotated, 'accept'],
    ['rotation: old secret after the rotation window', [rotated], secret, 'reject'],
  ];
  const outcomes: Outcome[] = [];
  for (const [name, secrets, signWith, expect] of runs) {
    const dir = mkdtempSync(join(tmpdir(), 'poc-rotation-'));
    const pipeline = createPipeline({
      scheme: adapter.webhooks({ secrets }),
      metrics: ctx.metrics,
      dir,
      vendor: adapter.profile.id,
      processor: false,
    });
    try {
      const url = `${await pipeline.listen(0)}${pipeline.path}`;
      let applied = 0;
      pipeline.events.on('accepted', (events) => {
        applied += events.length;
      });
      const status = await sendDelivery(url, reprove(adapter, signWith, url, valid.build(Date.now())));
      outcomes.push({ name, expect, status, applied, passed: judge(expect, status, applied) });
    } finally {
      await pipeline.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return outcomes;
}
