import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evidenceOf } from '../../harness/commands/scorecard.js';
import type { Finding } from '../../harness/runs/findings.js';
import { loadAnswers, unverifiedReason } from '../../scorecards/answers.js';
import { defaultCatalogPath, loadCatalog } from '../../scorecards/catalog.js';
import { findIncomparable } from '../../scorecards/comparability.js';
import { criterionKinds } from '../../scorecards/evidence-kind.js';
import { buildScorecard } from '../../scorecards/model.js';
import type { RunFindings } from '../../scorecards/rules.js';

/**
 * What can score what (DESIGN.md, "Evidence kinds"): performance only from live runs, design
 * facts from the emulation too, answers only with evidence a reader can check; and runs that
 * are not alike are named. Pure functions over run records built here.
 */

const catalog = loadCatalog();
const kinds = criterionKinds(catalog, evidenceOf);
const dir = mkdtempSync(join(tmpdir(), 'poc-scorecard-evidence-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
function run(
  vendor: string,
  scenario: string,
  target: 'mock' | 'live',
  findings: Record<string, number>,
  options: Record<string, unknown> = {},
): RunFindings {
  seq++;
  return {
    runId: `run-${seq}`,
    scenario,
    vendor,
    target,
    endedAt: `2026-12-01T10:00:${String(seq).padStart(2, '0')}Z`,
    findings: new Map<string, Finding>(
      Object.entries(findings).map(([key, value]) => [key, { key, value, unit: '', evidence: 'test' }]),
    ),
    options,
  };
}

const cell = (card: ReturnType<typeof buildScorecard>, id: string, vendor: string) =>
  card.cells.get(id)?.get(vendor);

describe('scorecard evidence kinds', () => {
  it('reads each criterion’s kind from the finding vocabulary: performance is service, documented facts design', () => {
    expect(kinds.get('webhooks.no_loss')).toBe('service');
    expect(kinds.get('webhooks.latency_p99')).toBe('service');
    expect(kinds.get('operations.time_to_recover')).toBe('service');
    // A ratio with a measured throughput on one side is performance.
    expect(kinds.get('limits.sustained_as_documented')).toBe('service');
    expect(kinds.get('security.replay_protection')).toBe('design');
    expect(kinds.get('streaming.replay_covers_outage')).toBe('design');
    expect(kinds.get('limits.headers_honest')).toBe('design');
    expect(kinds.get('security.certifications')).toBe('answer');
    expect([...kinds.values()].every((k) => ['design', 'service', 'answer'].includes(k))).toBe(true);
  });

  it('refuses a criterion resting on a fact of poc’s own run, naming the file, criterion and fix', () => {
    const file = join(dir, 'weights.yaml');
    writeFileSync(
      file,
      `areas: [{ id: webhooks, title: Webhooks }]
criteria:
  - id: webhooks.dupes
    title: none applied twice
    area: webhooks
    weight: 3
    measured: { scenario: webhook-storm, finding: webhook.duplicates_applied_count, bands: [{ score: 3, when: "== 0" }, { score: 0 }] }
`,
    );
    expect(() => criterionKinds(loadCatalog(file), evidenceOf, file)).toThrow(
      `${file}: criterion webhooks.dupes: webhook.duplicates_applied_count is a fact of poc's own run, not of the vendor`,
    );
  });

  it('scores performance only from live runs: mock runs say "needs a live run"', () => {
    const card = buildScorecard(
      catalog,
      kinds,
      new Map(),
      [
        run('hubspot', 'webhook-storm', 'mock', { 'webhook.loss_ratio': 0 }),
        run('hubspot', 'webhook-storm', 'live', { 'webhook.loss_ratio': 0.005 }),
        run('pipedrive', 'webhook-storm', 'mock', { 'webhook.loss_ratio': 0 }),
      ],
      ['hubspot', 'pipedrive'],
    );
    // Only the live run counts for hubspot (0.005 -> 1), though its mock run would give 3.
    expect(cell(card, 'webhooks.no_loss', 'hubspot')).toMatchObject({ score: 1, status: 'measured' });
    expect(cell(card, 'webhooks.no_loss', 'pipedrive')).toMatchObject({
      score: null,
      status: 'needs a live run',
    });
    expect(String(cell(card, 'webhooks.no_loss', 'pipedrive')?.note)).toContain('--live');
    expect(card.mockOnly).toBe(false);
    const pipedrive = card.evidence.filter((e) => e.vendor === 'pipedrive');
    expect(pipedrive.map((e) => [e.status, e.score])).toEqual([['not scored: needs a live run', null]]);
    // The mock run beside the live one is not alike: the Summary says so.
    expect(card.incomparable).toHaveLength(1);
    expect(card.incomparable[0]?.differ).toEqual(['target']);
  });

  it('scores documented design facts from a mock run, marked emulated, and from live runs where a vendor has them', () => {
    const card = buildScorecard(
      catalog,
      kinds,
      new Map(),
      [
        run('hubspot', 'signature-check', 'mock', { 'signature.covers_timestamp': 1 }),
        run('hubspot', 'signature-check', 'live', { 'signature.covers_timestamp': 0 }),
        run('pipedrive', 'signature-check', 'mock', { 'signature.covers_timestamp': 0 }),
      ],
      ['hubspot', 'pipedrive'],
    );
    expect(cell(card, 'security.replay_protection', 'hubspot')).toMatchObject({
      score: 0,
      status: 'measured',
    });
    const emulated = cell(card, 'security.replay_protection', 'pipedrive');
    expect(emulated).toMatchObject({ score: 0, status: 'emulated' });
    expect(emulated?.note).toMatch(/^documented, emulated: /);
    expect(card.evidence.find((e) => e.vendor === 'pipedrive')?.status).toBe('documented, emulated');
  });

  it('a scorecard of mock runs only is flagged, and no service criterion has a score', () => {
    const card = buildScorecard(
      catalog,
      kinds,
      new Map(),
      [
        run('hubspot', 'webhook-storm', 'mock', {
          'webhook.loss_ratio': 0,
          'webhook.achieved_rate_ratio': 1,
          'webhook.latency_p99_ms': 10,
        }),
        run('hubspot', 'signature-check', 'mock', { 'signature.scheme_signed': 1 }),
      ],
      ['hubspot'],
    );
    expect(card.mockOnly).toBe(true);
    const service = catalog.criteria.filter((c) => kinds.get(c.id) === 'service');
    expect(service.length).toBeGreaterThan(4);
    for (const c of service) expect(cell(card, c.id, 'hubspot')?.score, c.id).toBeNull();
    expect(cell(card, 'security.webhooks_signed', 'hubspot')?.score).toBe(3);
  });
});

describe('scorecard answers and coverage', () => {
  it('names placeholder evidence and accepts evidence a reader can check', () => {
    for (const e of [
      '',
      '   ',
      'https://example.com/hubspot/certifications',
      'https://docs.example.org/x',
      'TODO',
      'see TODO later',
      'replace with what you found',
      'n/a',
      '...',
    ])
      expect(unverifiedReason(e), e).toBeDefined();
    expect(unverifiedReason(undefined)).toBe('no evidence given');
    for (const e of [
      'https://trust.hubspot.com',
      'MSA section 7',
      'quote Q-2026-114',
      'https://examples.com/x',
    ])
      expect(unverifiedReason(e), e).toBeUndefined();
  });

  it('an unverified answer is shown and counted but adds nothing; blank entries are not answers', () => {
    const file = join(dir, 'answers.yaml');
    writeFileSync(
      file,
      `hubspot:
  security.certifications: { score: 3, evidence: "https://trust.hubspot.com" }
  operations.sla: { score: 3, evidence: "https://example.com/hubspot/sla", note: "replace with what you found" }
  limits.pricing: { score: 2 }
  operations.sandbox:
salesforce:
  security.certifications:
`,
    );
    const answers = loadAnswers(file, catalog);
    expect(answers.has('salesforce')).toBe(false);
    const card = buildScorecard(catalog, kinds, answers, [], ['hubspot', 'salesforce', 'zoho']);
    expect(card.vendors).toEqual(['hubspot']);
    expect(card.leftOut).toEqual(['salesforce', 'zoho']);
    expect(cell(card, 'operations.sla', 'hubspot')).toMatchObject({
      score: null,
      status: 'unverified',
      given: 3,
    });
    expect(cell(card, 'limits.pricing', 'hubspot')).toMatchObject({ score: null, status: 'unverified' });
    expect(cell(card, 'operations.sandbox', 'hubspot')).toMatchObject({
      score: null,
      status: 'not answered',
    });
    const [t] = card.totals;
    const weight = catalog.criteria.find((c) => c.id === 'security.certifications')?.weight ?? 0;
    expect(t).toMatchObject({ vendor: 'hubspot', total: 3 * weight, scored: 1, unverified: 2 });
    expect(t?.scorable).toBe(catalog.criteria.length);
    expect(t?.pctScored).toBe(1);
    // In catalog order: limits, then security, then operations.
    expect(card.evidence.map((e) => [e.criterion, e.status])).toEqual([
      ['limits.pricing', 'unverified: no evidence given'],
      ['security.certifications', 'answered'],
      ['operations.sla', 'unverified: the evidence is an example.com/.org/.net placeholder'],
    ]);
  });

  it('flags runs of one criterion that differ in options, naming the keys', () => {
    const a = run('hubspot', 'webhook-storm', 'mock', {}, { rate: 50, duration: 2000, timeScale: 100 });
    const b = run('pipedrive', 'webhook-storm', 'mock', {}, { rate: 100, duration: 2000, timeScale: 100 });
    const c = run('zoho', 'webhook-storm', 'mock', {}, { rate: 50, duration: 2000, timeScale: 100 });
    const flagged = findIncomparable([
      { criterion: 'webhooks.no_loss', scenario: 'webhook-storm', runs: [a, b] },
      { criterion: 'webhooks.latency_p99', scenario: 'webhook-storm', runs: [b, a] },
      { criterion: 'api.writes_under_load', scenario: 'webhook-storm', runs: [a, c] },
    ]);
    expect(flagged).toEqual([
      expect.objectContaining({ differ: ['rate'], criteria: ['webhooks.no_loss', 'webhooks.latency_p99'] }),
    ]);
  });
});

it('the shipped catalog loads with kinds for every criterion', () => {
  expect(criterionKinds(loadCatalog(defaultCatalogPath()), evidenceOf).size).toBe(catalog.criteria.length);
});
