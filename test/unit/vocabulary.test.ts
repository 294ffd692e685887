import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../harness/runs/run-store.js';
import { compareRuns, NOISE_ALLOWANCES } from '../../reports/compare.js';
import { SCENARIOS, VOCABULARY } from '../../scenarios/index.js';
import { defaultCatalogPath, loadCatalog } from '../../scorecards/catalog.js';

/**
 * Finding keys are a contract between the scenarios that produce them and everything that reads
 * them: thresholds, the scorecard catalog, the Grafana dashboards, compare. A key renamed on
 * one side must fail here, not turn a criterion silently into "not measured" or a panel blank.
 */

const findingsOf = (scenario: string) => {
  const found = SCENARIOS[scenario];
  return found ? Object.keys(found.findings) : undefined;
};

/** The keys a dashboard's `finding=~"..."` matcher names: its alternatives expanded (no nesting). */
function expand(pattern: string): string[] {
  const text = pattern.replaceAll('[.]', '.');
  const top: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === '|' && depth === 0) {
      top.push(text.slice(start, i));
      start = i + 1;
    }
  }
  top.push(text.slice(start));
  return top.flatMap((part) => {
    const group = /\(([^()]*)\)/.exec(part);
    if (!group) return [part];
    return (group[1] ?? '').split('|').flatMap((alt) => expand(part.replace(group[0], alt)));
  });
}

function run(id: string, findings: Record<string, number>): StoredRun {
  return {
    id,
    scenario: 'any',
    vendor: 'hubspot',
    target: 'mock',
    config: {},
    status: 'passed',
    startedAt: '',
    endedAt: null,
    findings: Object.entries(findings).map(([key, value]) => ({ key, value, unit: '', evidence: '' })),
    checks: [],
    notes: [],
    tables: [],
  };
}

describe('one finding vocabulary', () => {
  it('every scenario declares findings, each with unit, description and evidence kind', () => {
    expect(Object.keys(SCENARIOS).length).toBeGreaterThanOrEqual(5);
    for (const scenario of Object.values(SCENARIOS)) {
      expect(Object.keys(scenario.findings).length, scenario.id).toBeGreaterThan(0);
      for (const [key, spec] of Object.entries(scenario.findings)) {
        expect(key, scenario.id).toMatch(/^[a-z]+(\.[a-z0-9_]+)+$/);
        expect(spec.description.length, key).toBeGreaterThan(5);
        expect(['design', 'service', 'run'], key).toContain(spec.evidence);
        if (spec.better !== 'none') expect(Object.keys(NOISE_ALLOWANCES), key).toContain(spec.noise);
      }
    }
  });

  it('the shipped scorecard catalog names only findings its scenarios produce', () => {
    const catalog = loadCatalog(defaultCatalogPath(), findingsOf);
    const measured = catalog.criteria.filter((c) => c.measured);
    expect(measured.length).toBeGreaterThan(10);
    for (const c of measured) {
      const rule = c.measured;
      for (const key of [rule?.finding, rule?.ratio?.of, rule?.ratio?.to].filter((k) => k !== undefined))
        expect(findingsOf(rule?.scenario ?? ''), `${c.id}: ${key}`).toContain(key);
    }
  });

  it('a weights file naming a finding that does not exist is refused with its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poc-vocab-'));
    try {
      const renamed = readFileSync(defaultCatalogPath(), 'utf8').replace(
        'finding: webhook.write_errors_count',
        'finding: webhook.write_error_count',
      );
      const file = join(dir, 'weights.yaml');
      writeFileSync(file, renamed);
      const line = renamed.split('\n').findIndex((l) => l.includes('webhook.write_error_count')) + 1;
      expect(line).toBeGreaterThan(0);
      expect(() => loadCatalog(file, findingsOf)).toThrow(
        new RegExp(`weights.yaml:${line}: .*"webhook.write_error_count" is not a finding of webhook-storm`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every Grafana panel asks for findings that exist', () => {
    const dir = join(defaultCatalogPath(), '..', '..', 'reports', 'grafana', 'dashboards');
    const asked: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/finding(=~?)\\"([^\\"]+)\\"/g)) {
        const keys = m[1] === '=~' ? expand(m[2] ?? '') : [m[2] ?? ''];
        for (const key of keys) {
          asked.push(key);
          expect(VOCABULARY.has(key), `${file}: finding ${key}`).toBe(true);
        }
      }
    }
    expect(asked.length).toBeGreaterThan(40);
  });

  it('compare judges each finding in its declared direction, beyond its declared noise', () => {
    let judged = 0;
    for (const key of VOCABULARY.keys()) {
      const spec = VOCABULARY.get(key);
      if (!spec || spec.better === 'none' || !spec.noise) continue;
      const { relative, absolute } = NOISE_ALLOWANCES[spec.noise];
      const a = 100;
      const step = Math.max(relative * a, absolute) + 1;
      const worse = spec.better === 'lower' ? a + step : a - step;
      const [moved] = compareRuns(run('a', { [key]: a }), run('b', { [key]: worse }), (k) =>
        VOCABULARY.get(k),
      );
      expect(moved?.verdict, key).toBe('worse');
      const [still] = compareRuns(run('a', { [key]: a }), run('b', { [key]: a + (step - 1) / 2 }), (k) =>
        VOCABULARY.get(k),
      );
      expect(still?.verdict, key).toBe('same');
      judged++;
    }
    expect(judged).toBeGreaterThan(30);
  });
});
