import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planContext } from '../../harness/commands/plan-context.js';
import { loadPlan, planFromText } from '../../harness/config/plan-file.js';
import { isPocError } from '../../harness/errors.js';
import { RequestBudget } from '../../harness/pipeline/outbound/budget.js';
import { defaultPlan } from '../../harness/playbook/default-plan.js';
import { liveEnvFor } from '../../harness/playbook/live-env.js';
import { SCENARIOS } from '../../scenarios/index.js';

const dir = mkdtempSync(join(tmpdir(), 'poc-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(text: string, env: NodeJS.ProcessEnv = {}) {
  return planFromText(join(dir, 'poc.yaml'), text, planContext(env));
}

function problem(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    plan(text, env);
  } catch (err) {
    if (isPocError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('the plan was accepted');
}

describe('the plan file', () => {
  it('poc init’s default plan reads back: five scenarios on three mocks, sizes small', () => {
    writeFileSync(join(dir, 'default.yaml'), defaultPlan(Object.values(SCENARIOS)));
    const p = loadPlan(join(dir, 'default.yaml'), planContext({}));
    expect(Object.keys(p.vendors)).toEqual(['hubspot', 'salesforce', 'pipedrive']);
    expect(p.scenarios).toHaveLength(5);
    expect(p.runs).toHaveLength(15);
    const storm = p.runs.find((r) => r.scenario.id === 'webhook-storm');
    expect(storm?.resolved.config.options).toMatchObject({ rate: 200, duration: 3000 });
    expect(storm?.resolved.thresholds.map((t) => t.key)).toEqual(['webhook.latency_p99_ms']);
    // Paths are the repo's: relative to the plan file.
    expect(p.dataDir).toBe(join(dir, '.poc'));
    expect(p.outputs.dir).toBe(join(dir, 'poc-report'));
    expect(Object.isFrozen(p.runs[0]?.resolved.config)).toBe(true);
  });

  it('defaults apply to the scenarios that take them, a scenario’s own value wins, thresholds add up', () => {
    const p = plan(`
vendors: { hubspot: , pipedrive: }
defaults:
  grace: 7s
  thresholds: { webhook.loss_count: ['count==0'] }
scenarios:
  webhook-storm: { grace: 3s, thresholds: { webhook.latency_p99_ms: ['<900', { threshold: 'p(99)<2s', abortOnFail: true }] } }
  observability-mapping:
  signature-check:
`);
    const cell = (v: string, s: string) => p.runs.find((r) => r.vendor === v && r.scenario.id === s);
    expect(cell('pipedrive', 'webhook-storm')?.resolved.config.options.grace).toBe(3000);
    expect(cell('hubspot', 'observability-mapping')?.resolved.config.options.grace).toBe(7000);
    const storm = cell('hubspot', 'webhook-storm')?.resolved.thresholds ?? [];
    expect(storm.map((t) => [t.key, t.op, t.threshold, t.abortOnFail ?? false])).toEqual([
      ['webhook.loss_count', '==', 0, false],
      ['webhook.latency_p99_ms', '<', 900, false],
      ['webhook.latency_p99_ms', '<', 2000, true],
    ]);
    // signature-check takes no grace, and no storm finding: neither reaches it.
    expect(cell('hubspot', 'signature-check')?.resolved.config.options).not.toHaveProperty('grace');
  });

  it('names what is wrong where it is written, all at once, with the fix', () => {
    const message = problem(`vendors:
  hubspot:
    target: mock
    publicUrl: https://tunnel.example/webhooks/hubspot
defaults:
  colour: blue
scenarios:
  webhook-storm:
    max-requests: 5
    vendor: pipedrive
    rate: -1
`);
    expect(message).toMatch(/^POC_ERR_BAD_CONFIG: \d problems:/);
    expect(message).toContain('poc.yaml:4: vendors.hubspot.publicUrl: applies to a live vendor only');
    expect(message).toContain('poc.yaml:6: defaults.colour: no scenario of this plan takes "colour"');
    expect(message).toContain('(keys are written as in the schema: maxRequests)');
    expect(message).toContain(
      'poc.yaml:10: scenarios.webhook-storm.vendor: not a scenario option: vendors are listed under vendors:',
    );
    expect(message).toMatch(/poc\.yaml:11: scenarios\.webhook-storm\.rate: .*-1/);
  });

  it('a syntax error names its line', () => {
    expect(problem('vendors:\n  hubspot: [\n')).toMatch(
      /^POC_ERR_BAD_CONFIG: \S*poc\.yaml:\d+: .*fix the YAML syntax/,
    );
  });

  it('a live vendor holds the names of its credentials, never values, and they must be set', () => {
    const live = `vendors:
  hubspot:
    target: live
    credentials: { token: ACME_HS_TOKEN, webhookSecret: ACME_HS_SECRET }
    publicUrl: https://tunnel.example/webhooks/hubspot
scenarios: { signature-check: }
`;
    expect(problem(live)).toContain('ACME_HS_TOKEN is not set; export it (or ACME_HS_TOKEN_FILE)');
    const p = plan(live, { ACME_HS_TOKEN: 't', ACME_HS_SECRET: 's' });
    expect(p.runs[0]?.resolved.config.live).toBe(true);
    expect(JSON.stringify(p.runs[0]?.resolved.config)).not.toContain('ACME_HS');
    expect(problem(live.replace('ACME_HS_TOKEN', 'pat-na1-1234'))).toContain(
      'must be the NAME of an environment variable',
    );
    const env = liveEnvFor(
      {
        token: 'POC_HUBSPOT_ACCESS_TOKEN',
        webhookSecret: 'POC_HUBSPOT_CLIENT_SECRET',
        baseUrl: 'POC_HUBSPOT_BASE_URL',
      },
      { token: 'ACME_HS_TOKEN', webhookSecret: 'ACME_HS_SECRET' },
      { ACME_HS_TOKEN: 't', ACME_HS_SECRET_FILE: '/run/secret', POC_HUBSPOT_ACCESS_TOKEN: 'other' },
    );
    expect(env.POC_HUBSPOT_ACCESS_TOKEN).toBe('t');
    expect(env.POC_HUBSPOT_CLIENT_SECRET_FILE).toBe('/run/secret');
  });
});

describe('a budget shared across runs', () => {
  it('each run keeps its own limit, and the playbook’s holds across them', () => {
    const plan = new RequestBudget(5, 'vendors.hubspot.budget');
    const first = new RequestBudget(3, '--max-requests 3', plan);
    for (let i = 0; i < 3; i++) first.take('GET /contacts');
    expect(() => first.take('GET /contacts')).toThrow(/--max-requests 3/);
    const second = new RequestBudget(Number.POSITIVE_INFINITY, 'no limit of its own', plan);
    second.take('GET /contacts');
    second.take('GET /contacts');
    expect(() => second.take('GET /contacts')).toThrow(/vendors\.hubspot\.budget/);
    expect([first.spent, second.spent, plan.spent]).toEqual([3, 2, 5]);
    expect(second.exhausted).toBe(true);
  });
});
