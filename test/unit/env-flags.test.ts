import { describe, expect, it } from 'vitest';
import { envName, flagFields } from '../../harness/config/flags.js';
import { resolveRunConfig } from '../../harness/config/run-config.js';
import { mockVendorOptions } from '../../harness/config/server-options.js';
import { tagProblem } from '../../harness/config/tags.js';
import { resolveVendorCommand } from '../../harness/config/vendor-command.js';
import { getScenario, scenariosTaking } from '../../scenarios/index.js';

function resolve(flags: Record<string, unknown>, env: NodeJS.ProcessEnv, scenarioId = 'webhook-storm') {
  const scenario = getScenario(scenarioId);
  return resolveRunConfig(scenario, {
    flags,
    env,
    knownVendors: ['hubspot', 'salesforce'],
    ownersOf: (key) => scenariosTaking(key, scenario.id),
  });
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('every flag has a POC_* variable', () => {
  it('derives the name from the flag unless the field names its own; poc’s hidden flags have none', () => {
    expect(envName('max-requests')).toBe('POC_MAX_REQUESTS');
    const fields = flagFields(mockVendorOptions);
    expect(fields.find((f) => f.key === 'timeScale')?.env).toBe('POC_TIME_SCALE');
    expect(fields.find((f) => f.key === 'readyLine')?.env).toBeUndefined();
    const scenario = getScenario('webhook-storm');
    const run = flagFields(scenario.options);
    expect(run.find((f) => f.key === 'rate')?.env).toBe('POC_RATE');
  });

  it('reads values from the environment, typed as flags are; a flag wins', () => {
    const { config } = resolve(
      { vendor: 'hubspot', duration: '5s' },
      {
        POC_RATE: '250',
        POC_DURATION: '1m',
        POC_JSON: 'true',
        POC_FAULT: 'duplicate=0.05,failure=2%; latency=200ms,p=0.1',
        POC_TAG: 'team=integrations',
        POC_THRESHOLD: 'webhook.loss_count: count==0, abortOnFail',
      },
    );
    expect(config.options).toMatchObject({ rate: 250, duration: 5000 });
    expect(config.json).toBe(true);
    expect(config.faults).toEqual(['duplicate=0.05,failure=2%', 'latency=200ms,p=0.1']);
    expect(config.tags).toEqual({ team: 'integrations' });
    const { thresholds } = resolve(
      { vendor: 'hubspot' },
      { POC_THRESHOLD: 'webhook.loss_count: count==0, abortOnFail' },
    );
    expect(thresholds[0]).toMatchObject({ key: 'webhook.loss_count', abortOnFail: true });
    expect(resolve({ vendor: 'hubspot', rate: 10 }, { POC_RATE: '250' }).config.options).toMatchObject({
      rate: 10,
    });
    expect(resolve({}, { POC_VENDOR: 'salesforce' }).config.vendor).toBe('salesforce');
  });

  it('names a bad value by its variable, and a flag’s by its flag', () => {
    expect(refusal(() => resolve({ vendor: 'hubspot' }, { POC_RATE: 'fast' })).message).toBe(
      '--rate (or POC_RATE): "fast" is not a number',
    );
    expect(refusal(() => resolve({ vendor: 'hubspot', rate: 'fast' }, {})).message).toBe(
      '--rate: "fast" is not a number',
    );
    expect(refusal(() => resolve({ vendor: 'hubspot' }, { POC_LIVE: 'maybe' })).message).toMatch(
      /^--live \(or POC_LIVE\): /,
    );
    expect(refusal(() => resolve({}, { POC_VENDOR: 'nope' })).message).toContain(
      '--vendor (or POC_VENDOR): unknown vendor "nope"',
    );
  });

  it('reads the server commands’ variables too, the vendor’s own included', () => {
    const config = resolveVendorCommand(mockVendorOptions, 'mock', { vendor: 'hubspot' }, ['hubspot'], {
      POC_PORT: '4999',
      POC_SIGNATURE_VERSION: 'v1',
    });
    expect(config).toMatchObject({ port: 4999, signatureVersion: 'v1' });
    expect(
      refusal(() =>
        resolveVendorCommand(mockVendorOptions, 'mock', { vendor: 'hubspot' }, ['hubspot'], {
          POC_PORT: 'x',
        }),
      ).message,
    ).toBe('--port (or POC_PORT): "x" is not a number');
  });
});

describe('--tag key=value', () => {
  it('takes Prometheus label names and refuses the labels poc or Prometheus set, with the fix', () => {
    expect(tagProblem('team=integrations')).toBeUndefined();
    expect(tagProblem('team')).toBe('"team" is not key=value, e.g. team=integrations');
    expect(tagProblem('my-team=a')).toContain('"my-team" is not a Prometheus label name');
    expect(tagProblem('my-team=a')).toContain('e.g. my_team=a');
    expect(tagProblem('vendor=x')).toContain('"vendor" is a label poc or Prometheus already sets');
    expect(tagProblem('vendor=x')).toContain('e.g. poc_vendor=x');
    expect(tagProblem('__name__=x')).toContain('Prometheus’ own');
    expect(tagProblem('team=')).toContain('has no value');
  });

  it('is held as a map in the frozen config; each key once', () => {
    const { config } = resolve({ vendor: 'hubspot', tags: ['team=integrations', 'env=poc'] }, {});
    expect(config.tags).toEqual({ team: 'integrations', env: 'poc' });
    expect(Object.isFrozen(config.tags)).toBe(true);
    const err = refusal(() => resolve({ vendor: 'hubspot', tags: ['team=a', 'team=b', 'job=x'] }, {}));
    expect(err.message).toContain('--tag: "team" is tagged twice; keep one');
    expect(err.message).toContain('--tag: "job" is a label');
  });
});
