import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { captureDelivery } from '../harness/attack/capture.js';
import {
  type AttackCase,
  buildCases,
  type Expectation,
  type OutgoingDelivery,
} from '../harness/attack/forgeries.js';
import { sendDelivery } from '../harness/attack/send.js';
import { createPipeline } from '../harness/pipeline/pipeline.js';
import type { Finding, ResultTable } from '../harness/runs/findings.js';
import type { VendorAdapter } from '../harness/vendors/types.js';
import type { RunContext, Scenario, ScenarioResult } from './types.js';

export const signatureCheckOptions = z.object({
  receiverUrl: z.string().url().optional().describe('attack this receiver instead of the reference one'),
});
export type SignatureCheckOptions = z.infer<typeof signatureCheckOptions>;

const UNITS = {
  'signature.cases_count': 'cases',
  'signature.cases_failed_count': 'cases',
  'signature.forgeries_accepted_count': 'cases',
  'signature.undetectable_count': 'cases',
  'signature.scheme_signed': 'bool',
  'signature.covers_timestamp': 'bool',
  'signature.api_rejects_unknown_token': 'bool',
} as const;

interface Outcome {
  readonly name: string;
  readonly expect: Expectation;
  readonly status: number;
  /** Events applied by this case; undefined when attacking an outside receiver. */
  readonly applied: number | undefined;
  readonly passed: boolean;
}

function judge(expect: Expectation, status: number, applied: number | undefined): boolean {
  const ok = status >= 200 && status < 300;
  switch (expect) {
    case 'accept':
      return ok && (applied === undefined || applied > 0);
    case 'duplicate':
      return ok && (applied === undefined || applied === 0);
    case 'reject':
      return status >= 400 && status < 500 && !applied;
    case 'undetectable':
      return ok;
  }
}

/** A second secret of the same form (Standard Webhooks secrets are whsec_ + base64). */
function rotatedSecret(secret: string): string {
  return secret.startsWith('whsec_')
    ? `whsec_${randomBytes(24).toString('base64')}`
    : randomBytes(18).toString('base64url');
}

/** The delivery with `secret` as its proof, for the receiver at `url` (signatures may cover it). */
function reprove(adapter: VendorAdapter, secret: string, url: string, d: OutgoingDelivery): OutgoingDelivery {
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
async function rotationCases(
  ctx: RunContext,
  adapter: VendorAdapter,
  valid: AttackCase,
  secret: string,
): Promise<Outcome[]> {
  const rotated = rotatedSecret(secret);
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

export const signatureCheck: Scenario<SignatureCheckOptions> = {
  id: 'signature-check',
  summary:
    'Attack webhook authenticity: forgeries, replays, stale timestamps, secret rotation; report unsigned vendors plainly.',
  receivesWebhooks: true,
  findingKeys: Object.keys(UNITS),
  options: signatureCheckOptions,

  async run(ctx: RunContext, opts: SignatureCheckOptions): Promise<ScenarioResult> {
    const { target } = ctx;
    const adapter = target.vendor;
    const secret = target.credentials.webhookSecret;
    const api = adapter.api({
      baseUrl: target.baseUrl,
      token: target.credentials.token,
      webhookSecret: secret,
      signal: ctx.signal,
      settings: target.settings,
      ...(ctx.budget ? { budget: ctx.budget } : {}),
    });
    const tag = ctx.runId.slice(-6);
    // A non-ASCII value: receivers that re-encode the body before verifying fail on it.
    const marker = `sig-${tag}-Zoë-王-Ω`;
    ctx.progress({ phase: 'capture', done: 0, total: 1, detail: 'asking the vendor for one real delivery' });
    const scheme = adapter.webhooks({ secrets: [secret] });
    const captured = await captureDelivery(api, scheme, {
      externalId: `sigcheck-${tag}@poc.example`,
      field: 'poc_seq',
      value: marker,
    });
    const receiverUrl = opts.receiverUrl ?? ctx.webhookUrl;
    const cases = buildCases({
      adapter,
      captured,
      secret,
      receiverUrl,
      toleranceMs: adapter.profile.webhooks.timestampToleranceMs.value,
      marker,
    });
    let applied = 0;
    const count = (events: readonly unknown[]) => {
      applied += events.length;
    };
    ctx.pipeline.events.on('accepted', count);
    const outcomes: Outcome[] = [];
    try {
      for (const [i, c] of cases.entries()) {
        if (ctx.signal.aborted) break;
        ctx.progress({ phase: 'attack', done: i, total: cases.length, detail: c.name });
        const before = applied;
        const status = await sendDelivery(receiverUrl, c.build(Date.now()));
        const got = opts.receiverUrl ? undefined : applied - before;
        outcomes.push({
          name: c.name,
          expect: c.expect,
          status,
          applied: got,
          passed: judge(c.expect, status, got),
        });
      }
    } finally {
      ctx.pipeline.events.off('accepted', count);
    }
    const valid = cases[0];
    if (valid && !opts.receiverUrl && !ctx.signal.aborted)
      outcomes.push(...(await rotationCases(ctx, adapter, valid, secret)));

    // The vendor's side: a token it never issued (revoked, expired or from another environment
    // look the same from outside) must get its 401, not data and not a 5xx.
    const stranger = adapter.api({
      baseUrl: target.baseUrl,
      token: `poc-unknown-${randomBytes(12).toString('hex')}`,
      signal: ctx.signal,
      settings: target.settings,
      ...(ctx.budget ? { budget: ctx.budget } : {}),
    });
    const strangerStatus = stranger.probe ? (await stranger.probe()).status : undefined;
    if (strangerStatus !== undefined) {
      const expect: Expectation = 'reject';
      outcomes.push({
        name: 'vendor API: a token it never issued',
        expect,
        status: strangerStatus,
        applied: undefined,
        passed: strangerStatus === 401 || strangerStatus === 403,
      });
    }

    const sec = scheme.security;
    const failed = outcomes.filter((o) => !o.passed);
    const values: Partial<Record<keyof typeof UNITS, number>> = {
      'signature.cases_count': outcomes.length,
      'signature.cases_failed_count': failed.length,
      'signature.forgeries_accepted_count': outcomes.filter(
        (o) => o.expect === 'reject' && o.status >= 200 && o.status < 300,
      ).length,
      'signature.undetectable_count': outcomes.filter((o) => o.expect === 'undetectable').length,
      'signature.scheme_signed': sec.coversBody ? 1 : 0,
      'signature.covers_timestamp': sec.coversTimestamp ? 1 : 0,
    };
    if (strangerStatus !== undefined) {
      values['signature.api_rejects_unknown_token'] =
        strangerStatus === 401 || strangerStatus === 403 ? 1 : 0;
    }
    const evidence = `${target.describe()}; ${sec.kind} scheme; ${outcomes.length} cases against ${opts.receiverUrl ? 'an outside receiver' : 'the reference receiver'}`;
    const findings: Finding[] = Object.entries(values).map(([key, value]) => ({
      key,
      value,
      unit: UNITS[key as keyof typeof UNITS],
      evidence,
    }));
    const table: ResultTable = {
      title: `${adapter.profile.name} webhook authenticity (${sec.kind})`,
      columns: ['case', 'expected', 'got', 'pass'],
      rows: outcomes.map((o) => [
        o.name,
        o.expect,
        `${o.status === 0 ? 'no answer' : `HTTP ${o.status}`}${o.applied === undefined ? '' : `, ${o.applied} applied`}`,
        o.passed ? '✓' : '✗',
      ]),
    };
    const notes: string[] = [];
    if (!sec.coversBody) {
      notes.push(
        `unsigned: ${adapter.profile.name} does not sign its deliveries (${sec.kind}); anyone holding the shared credential can forge a delivery, and a changed body or a replay cannot be detected`,
      );
    } else if (!sec.coversTimestamp) {
      notes.push(
        `${adapter.profile.name} signs the body but not a timestamp: a captured delivery can be replayed at will`,
      );
    }
    for (const f of failed)
      notes.push(
        `FAILED: ${f.name}: expected ${f.expect}, got HTTP ${f.status}${f.applied ? ` and ${f.applied} applied` : ''}`,
      );
    return {
      findings,
      notes,
      tables: [table],
      defaultThresholds: [{ key: 'signature.cases_failed_count', op: '==', threshold: 0, source: 'default' }],
    };
  },
};
