import { describe, expect, it } from 'vitest';
import { planMigration } from '../../harness/planning/migration.js';
import { hubspotProfile } from '../../harness/vendors/hubspot/profile.js';

describe('migration plan', () => {
  it('shows the arithmetic for 2,000,000 HubSpot contacts on the documented limits', () => {
    const plan = planMigration({
      profile: hubspotProfile,
      records: 2_000_000,
      objects: ['contacts'],
      headroom: 0.8,
    });
    expect(plan.calls).toBe(20_000);
    // 190 requests / 10 s × 0.8 = 15.2 req/s
    expect(plan.seconds).toBeCloseTo(20_000 / 15.2, 5);
    expect(plan.fitsInADay).toBe(true);
    expect(plan.steps.map((s) => s.label)).toEqual([
      'API calls',
      'sustained rate',
      'time at that rate',
      'daily quota',
    ]);
    expect(plan.steps[0]?.arithmetic).toBe(
      '1 object type(s) × ⌈2,000,000 records / 100 per batch call⌉ = 1 × 20,000',
    );
  });

  it('prefers a measured rate and says where it came from', () => {
    const plan = planMigration({
      profile: hubspotProfile,
      records: 1000,
      objects: ['contacts', 'deals'],
      headroom: 1,
      measuredPerSecond: { value: 2, source: 'rate-limit-probe run X' },
    });
    expect(plan.calls).toBe(20);
    expect(plan.seconds).toBe(10);
    expect(plan.steps[1]?.arithmetic).toContain('measured 2.00 req/s (rate-limit-probe run X)');
  });

  it('spreads an import over days when the daily quota is the bottleneck', () => {
    const tight = {
      ...hubspotProfile,
      rateLimits: [...hubspotProfile.rateLimits].map((l) =>
        l.value.windowMs >= 86_400_000 ? { ...l, value: { ...l.value, requests: 5000 } } : l,
      ),
    };
    const plan = planMigration({ profile: tight, records: 2_000_000, objects: ['contacts'], headroom: 0.8 });
    expect(plan.days).toBe(5); // 20,000 calls / (5,000 × 0.8) per day
    expect(plan.fitsInADay).toBe(false);
  });

  it('counts every call an upsert costs where the vendor has no upsert', () => {
    const noUpsert = {
      ...hubspotProfile,
      batchMax: { ...hubspotProfile.batchMax, value: 1 },
      callsPerUpsert: { value: 2, source: 'search then write', confidence: 'verified' as const },
    };
    const plan = planMigration({ profile: noUpsert, records: 1000, objects: ['contacts'], headroom: 1 });
    expect(plan.calls).toBe(2000);
    expect(plan.steps[0]?.arithmetic).toBe(
      '1 object type(s) × ⌈1,000 records / 1 per batch call⌉ × 2 calls per upsert (search then write) = 1 × 2,000',
    );
  });
});
