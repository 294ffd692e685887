import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { captureDelivery } from '../../harness/attack/capture.js';
import { buildCases, type Expectation } from '../../harness/attack/forgeries.js';
import { sendDelivery } from '../../harness/attack/send.js';
import type { ResultTable } from '../../harness/runs/findings.js';
import { toFindings } from '../../harness/runs/vocabulary.js';
import type { RunContext, ScenarioResult } from '../../harness/scenario.js';
import { runApi } from '../../harness/targets/connect.js';
import type { signatureCheckOptions } from './definition.js';
import { SIGNATURE_CHECK_FINDINGS, type SignatureCheckFinding } from './findings.js';
import { judge, type Outcome } from './judge.js';
import { rotationCases } from './rotation.js';

type SignatureCheckOptions = z.output<typeof signatureCheckOptions>;

/**
 * Captures one real delivery, then attacks the receiver with every forgery the vendor's scheme
 * allows, rotation included, and checks that the vendor API refuses a token it never issued.
 */
export async function runSignatureCheck(
  ctx: RunContext,
  opts: SignatureCheckOptions,
): Promise<ScenarioResult> {
  const { target } = ctx;
  const adapter = target.vendor;
  const secret = target.credentials.webhookSecret;
  const api = runApi(target, ctx);
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
  const stranger = runApi(target, ctx, { token: `poc-unknown-${randomBytes(12).toString('hex')}` });
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
  const values: Partial<Record<SignatureCheckFinding, number>> = {
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
    values['signature.api_rejects_unknown_token'] = strangerStatus === 401 || strangerStatus === 403 ? 1 : 0;
  }
  const evidence = `${target.describe()}; ${sec.kind} scheme; ${outcomes.length} cases against ${opts.receiverUrl ? 'an outside receiver' : 'the reference receiver'}`;
  const findings = toFindings(SIGNATURE_CHECK_FINDINGS, values, evidence);
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
}
