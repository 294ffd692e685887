import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { honestHeaderMismatches } from '../helpers/probe-cases.js';
import { tempDir } from '../helpers/servers.js';

interface ProbeJson {
  findings: Record<string, { value: number }>;
  notes: string[];
}

/**
 * Header honesty is only judged on what the probe saw: a burst that never met the throttle, or a
 * daily quota next to a burst of seconds, checks nothing, and the run must say so rather than
 * report 0 mismatches (which the scorecard reads as honest headers).
 */
async function probe(
  vendor: string,
  settings: object,
  data: string,
  maxRequests?: number,
): Promise<ProbeJson> {
  const result = await runCli(
    [
      'run',
      'rate-limit-probe',
      '--vendor',
      vendor,
      '--json',
      '--data-dir',
      data,
      ...(maxRequests === undefined ? [] : ['--max-requests', String(maxRequests)]),
    ],
    { env: { POC_MOCK_SETTINGS: JSON.stringify(settings) } },
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ProbeJson;
}

const mismatches = (json: ProbeJson) => json.findings['ratelimit.header_mismatch_count']?.value;
const checks = (json: ProbeJson) => json.findings['ratelimit.header_checks']?.value;
const notes = (json: ProbeJson) => json.notes.join('\n');

/** A first burst spends 45 % of the budget: this budget stops it one request short of `burst`. */
const justUnder = (burst: number) => Math.ceil((burst - 1) / 0.45);

// The mocks' documented defaults (mock-vendor/<id>/settings.ts) and the short-window limit each one meets first.
const DEFAULT_BURST: Record<string, number | undefined> = { hubspot: 190, pipedrive: 80, standard: 100 };

describe('rate-limit-probe judges only the limit headers it could check', () => {
  const data = tempDir('poc-probe-headers-');
  afterAll(() => data.remove());

  it.each(['hubspot', 'salesforce', 'pipedrive', 'zoho', 'dynamics', 'standard'])(
    '%s with its documented limits and the default budget: honest headers are never a mismatch',
    async (vendor) => {
      const json = await probe(vendor, {}, data.path);
      expect(mismatches(json), notes(json)).toBe(DEFAULT_BURST[vendor] === undefined ? undefined : 0);
      expect(notes(json)).not.toContain('header mismatch');
      if (DEFAULT_BURST[vendor] !== undefined) {
        expect(checks(json)).toBeGreaterThan(0);
      } else {
        // Salesforce's 100,000 a day, Zoho's credits and Dataverse's 6,000 per 5 min are beyond this
        // budget's burst: nothing was compared, and the run says so instead of a 0.
        expect(checks(json)).toBe(0);
        expect(notes(json)).toMatch(/header honesty unknown: /);
      }
      if (vendor === 'salesforce') {
        // Sforce-Limit-Info is the 24 h allocation: a daily quota, never the burst's limit.
        expect(json.findings['ratelimit.advertised_limit_requests']).toBeUndefined();
        expect(json.findings['ratelimit.advertised_daily_limit_requests']?.value).toBe(100_000);
        expect(notes(json)).toContain(
          'header not checked: the headers state a daily quota of 100000, which a burst of seconds cannot check',
        );
      }
    },
  );

  it.each(Object.entries(DEFAULT_BURST))(
    '%s with a budget just under its burst of %i: no throttle, so no claim is checked',
    async (vendor, burst) => {
      const json = await probe(vendor, {}, data.path, justUnder(burst ?? 0));
      expect(notes(json)).toMatch(/no throttle within \d+ requests/);
      expect(mismatches(json), notes(json)).toBeUndefined();
      expect(checks(json)).toBe(0);
      expect(notes(json)).toMatch(
        /header not checked: the limit header says \d+, but no burst reached the throttle/,
      );
      expect(notes(json)).toContain(
        'header honesty unknown: no claim of the limit headers could be compared with what was observed',
      );
    },
  );

  it.each(['salesforce', 'zoho', 'dynamics'])(
    '%s with a limit of 30 per second: honest whether the budget reaches it or stops just under it',
    async (vendor) => {
      const settings = { rateLimit: { style: 'fixed', limit: 30, windowMs: 1000 } };
      const reached = await probe(vendor, settings, data.path, 200);
      expect(reached.findings['ratelimit.throttle_status']).toBeDefined();
      expect(mismatches(reached), notes(reached)).toBe(honestHeaderMismatches(vendor));
      const under = await probe(vendor, settings, data.path, justUnder(30));
      expect(under.findings['ratelimit.throttle_status']).toBeUndefined();
      expect(mismatches(under), notes(under)).toBeUndefined();
      expect(checks(under)).toBe(0);
    },
  );

  const lies = { headerLies: { limitOffset: 60, remainingOffset: 5, windowMs: 20_000 } };

  it('hubspot with lying headers and the default budget: every lie it met is counted', async () => {
    const json = await probe('hubspot', lies, data.path);
    expect(mismatches(json), notes(json)).toBe(3);
    expect(notes(json)).toMatch(/header mismatch: the limit header says 250 but \d+ requests were admitted/);
    expect(notes(json)).toContain(
      'header mismatch: the remaining header said 5 on the last admitted request; the next one was throttled',
    );
    expect(notes(json)).toMatch(
      /header mismatch: the window header says 20s but capacity came back every 10/,
    );
  });

  it('hubspot with lying headers and a budget just under its burst: unknown, not honest', async () => {
    const json = await probe('hubspot', lies, data.path, justUnder(190));
    expect(mismatches(json)).toBeUndefined();
    expect(checks(json)).toBe(0);
    expect(notes(json)).toContain('header honesty unknown');
  });
});
