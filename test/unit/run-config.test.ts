import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../harness/config/run-config.js';
import { getScenario, scenariosTaking } from '../../scenarios/index.js';

const VENDORS = ['hubspot', 'salesforce'];

function resolve(scenarioId: string, flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const scenario = getScenario(scenarioId);
  return resolveRunConfig(scenario, {
    flags,
    env,
    knownVendors: VENDORS,
    ownersOf: (key) => scenariosTaking(key, scenario.id),
  });
}

function problems(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected the config to be refused');
}

describe('one config edge for poc run', () => {
  it('applies defaults, resolves the time scale and freezes the result all the way down', () => {
    const { config, thresholds } = resolve('replay-backfill', {
      vendor: 'hubspot',
      outage: '20m',
      thresholds: ['reconcile.missing_count==0'],
    });
    expect(config.timeScale).toBe(600);
    expect(config.options).toMatchObject({ outage: 1_200_000, history: 30 * 86_400_000, changes: 50_000 });
    expect(config).toMatchObject({ vendor: 'hubspot', live: false, dataDir: '.poc', faults: [] });
    expect(thresholds).toEqual([{ key: 'reconcile.missing_count', op: '==', threshold: 0, source: 'user' }]);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.options)).toBe(true);
    expect(Object.isFrozen(config.thresholds)).toBe(true);
    expect(() => {
      (config as { vendor: string }).vendor = 'salesforce';
    }).toThrow(TypeError);
  });

  it('reports every problem at once, each named as the user wrote it', () => {
    const err = problems(() =>
      resolve('signature-check', { vendor: 'hubspot', rate: 5, poolSize: 5, receiverPort: 70_000 }),
    );
    expect(err.code).toBe('POC_ERR_BAD_OPTION');
    expect(err.message).toContain('3 problems:');
    expect(err.message).toContain(
      '--rate: does not apply to signature-check (it is an option of webhook-storm); drop it',
    );
    expect(err.message).toContain('--pool-size: does not apply to signature-check');
    expect(err.message).toContain('--receiver-port: "70000" must be an integer from 0 to 65535');
  });

  it('refuses options of the mock on a live run, and asks for the tunnel a live vendor needs', () => {
    const err = problems(() =>
      resolve('webhook-storm', { vendor: 'hubspot', live: true, timeScale: 10, faults: ['duplicate=1%'] }),
    );
    expect(err.message).toContain('--time-scale: the mock’s clock');
    expect(err.message).toContain('--fault: faults are injected by the mock; drop --fault or --live');
    expect(err.message).toContain('--public-url: a live vendor cannot reach 127.0.0.1');
    const live = resolve('rate-limit-probe', { vendor: 'hubspot', live: true });
    expect(live.config.maxQuotaShare).toBe(0.2);
    expect(live.config.maxRequests).toBe(1000);
  });

  it('names a value from the environment by its variable and its flag', () => {
    const err = problems(() =>
      resolve('webhook-storm', { vendor: 'hubspot' }, { POC_PROMETHEUS_RW_URL: 'nope' }),
    );
    expect(err.message).toMatch(/^--prometheus-rw \(or POC_PROMETHEUS_RW_URL\): not a URL/);
    const fromEnv = resolve(
      'webhook-storm',
      { vendor: 'hubspot' },
      { POC_PROMETHEUS_RW_PUSH_INTERVAL: '2s' },
    );
    expect(fromEnv.config.prometheusRwInterval).toBe(2000);
    const flagWins = resolve(
      'webhook-storm',
      { vendor: 'hubspot', prometheusRwInterval: '1s' },
      { POC_PROMETHEUS_RW_PUSH_INTERVAL: '2s' },
    );
    expect(flagWins.config.prometheusRwInterval).toBe(1000);
  });

  it('takes values from a file source below env and flags, named by file and line', () => {
    const scenario = getScenario('webhook-storm');
    const file = { values: { rate: 2000, duration: 'soon' }, label: (key: string) => `poc.yaml:7: ${key}` };
    const err = problems(() =>
      resolveRunConfig(scenario, {
        flags: { vendor: 'hubspot' },
        env: {},
        file,
        knownVendors: VENDORS,
        ownersOf: () => [],
      }),
    );
    expect(err.message).toBe(
      'poc.yaml:7: duration: "soon" is not a duration; write it like 250ms, 30s, 10m, 1h30m or 2d',
    );
    const ok = resolveRunConfig(scenario, {
      flags: { vendor: 'hubspot', rate: 500 },
      env: {},
      file: { ...file, values: { rate: 2000, duration: '5s' } },
      knownVendors: VENDORS,
      ownersOf: () => [],
    });
    expect(ok.config.options).toMatchObject({ rate: 500, duration: 5000 });
  });

  it('keeps a problem’s own error code when every problem is of that kind', () => {
    expect(problems(() => resolve('webhook-storm', { vendor: 'nope' })).code).toBe('POC_ERR_UNKNOWN_VENDOR');
    expect(problems(() => resolve('webhook-storm', { vendor: 'hubspot', thresholds: ['fast'] })).code).toBe(
      'POC_ERR_BAD_THRESHOLD',
    );
    expect(
      problems(() => resolve('webhook-storm', { vendor: 'hubspot', thresholds: ['fast'], rate: -1 })).code,
    ).toBe('POC_ERR_BAD_OPTION');
  });

  it('checks across fields even when a field failed: a bad rate does not hide a bad threshold', () => {
    const err = problems(() =>
      resolve('webhook-storm', {
        vendor: 'nope',
        rate: -5,
        thresholds: ['fast'],
        live: true,
        faults: ['flaky'],
      }),
    );
    expect(err.message).toContain('4 problems:');
    expect(err.message).toContain('--vendor: unknown vendor "nope"');
    expect(err.message).toContain('--rate: "-5" must be a positive number');
    expect(err.message).toContain('--threshold: "fast" is not <finding> <op> <number>');
    expect(err.message).toContain('--fault: faults are injected by the mock');
  });
});
