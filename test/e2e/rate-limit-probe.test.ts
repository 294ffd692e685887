import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { factorOff, PROBE_MAX_FACTOR } from '../helpers/load-bounds.js';
import { honestHeaderMismatches, probeCases, probeSeed, THROTTLE_STATUS } from '../helpers/probe-cases.js';
import { tempDir } from '../helpers/servers.js';

interface ProbeJson {
  status: string;
  findings: Record<string, { value: number }>;
  notes: string[];
  tables: { title: string; rows: string[][] }[];
}

const SEED = probeSeed();
// POC_PROBE_VENDORS=zoho,salesforce narrows the table while working on one profile.
const CASES = probeCases(SEED, process.env.POC_PROBE_VENDORS?.split(','));

async function probe(
  settings: object,
  data: string,
  extra: string[] = [],
  vendor = 'hubspot',
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
      '--max-requests',
      '600',
      ...extra,
    ],
    { env: { POC_MOCK_SETTINGS: JSON.stringify(settings) } },
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ProbeJson;
}

describe(`rate-limit-probe infers limits it is not told (seed ${SEED}; rerun with POC_PROBE_SEED=${SEED})`, () => {
  const data = tempDir('poc-probe-');
  afterAll(() => data.remove());

  it.each(CASES)(
    '$vendor: finds a $style limit, its style and its over-limit answer inside its budget',
    async ({ vendor, style, limit, windowMs }) => {
      const json = await probe({ rateLimit: { style, limit, windowMs } }, data.path, [], vendor);
      const f = (k: string) => json.findings[k]?.value ?? Number.NaN;
      const truthPerSecond = (limit / windowMs) * 1000;
      const context = `${style} ${limit}/${windowMs}ms measured ${f('ratelimit.burst_requests')} burst, ${f('ratelimit.sustained_per_s')}/s`;
      // The drawn limit, to within what a busy machine moves it (the reason is in load-bounds.ts;
      // the errors themselves are bench/probe-accuracy.bench.js's, for the same seed).
      expect(factorOff(f('ratelimit.burst_requests'), limit), context).toBeLessThanOrEqual(PROBE_MAX_FACTOR);
      expect(factorOff(f('ratelimit.sustained_per_s'), truthPerSecond), context).toBeLessThanOrEqual(
        PROBE_MAX_FACTOR,
      );
      expect(f('ratelimit.token_bucket'), context).toBe(style === 'token-bucket' ? 1 : 0);
      expect(f('ratelimit.requests_spent')).toBeLessThanOrEqual(600);
      // Honest headers: no mismatch where a claim was compared, no count at all where none could be.
      expect(json.findings['ratelimit.header_mismatch_count']?.value, json.notes.join('\n')).toBe(
        honestHeaderMismatches(vendor),
      );
      expect(f('ratelimit.header_checks') > 0).toBe(honestHeaderMismatches(vendor) === 0);
      expect(f('ratelimit.throttle_status')).toBe(THROTTLE_STATUS[vendor]);
      const table = json.tables[0];
      expect(table?.rows.map((r) => r[0])).toEqual([
        'burst (requests)',
        'sustained (req/s)',
        'window',
        'style',
        'over-limit answer',
      ]);
      if (vendor === 'hubspot') expect(table?.rows[0]?.[1]).toBe('190'); // documented, from HubSpot's changelog
    },
  );

  it('catches limit headers that lie: remaining never reaching 0, and a wrong window', async () => {
    const json = await probe(
      {
        rateLimit: { style: 'fixed', limit: 12, windowMs: 800 },
        headerLies: { remainingOffset: 4, windowMs: 10_000 },
      },
      data.path,
    );
    expect(json.findings['ratelimit.header_mismatch_count']?.value).toBe(2);
    expect(json.notes.join('\n')).toContain(
      'the remaining header said 4 on the last admitted request; the next one was throttled',
    );
    expect(json.notes.join('\n')).toMatch(/the window header says 10s but capacity came back every/);
  });

  it('stops at --max-requests and says what it could not establish', async () => {
    const json = await probe({ rateLimit: { style: 'sliding', limit: 500, windowMs: 10_000 } }, data.path, [
      '--max-requests',
      '100',
    ]);
    expect(json.findings['ratelimit.requests_spent']?.value).toBeLessThanOrEqual(100);
    expect(json.findings['ratelimit.sustained_per_s']).toBeUndefined();
    expect(json.notes.join('\n')).toMatch(
      /no throttle within \d+ requests: the limit is above what this budget can measure/,
    );
  });
});
