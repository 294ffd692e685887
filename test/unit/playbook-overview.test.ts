import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPlaybookMarkdown } from '../../reports/playbook-markdown.js';
import {
  overviewMatrix,
  type PlaybookOverview,
  relativeHref,
  renderPlaybookOverview,
} from '../../reports/playbook-overview.js';
import { SCENARIOS } from '../../scenarios/index.js';

const raw = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/playbook-overview.json'), 'utf8'),
) as PlaybookOverview;
/** The fixture with each scenario's real finding specs, as `poc playbook` passes them. */
const overview: PlaybookOverview = {
  ...raw,
  scenarios: raw.scenarios.map((s) => ({ ...s, findings: SCENARIOS[s.id]?.findings ?? {} })),
};

/** The <tr> of one scenario's status (key undefined) or one of its headline findings. */
function rowOf(html: string, scenario: string, key?: string): string {
  const open = key
    ? `<tr data-scenario="${scenario}" data-key="${key}">`
    : `<tr class="scenario" data-scenario="${scenario}">`;
  const start = html.indexOf(open);
  expect(start, open).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</tr>', start));
}

/** The <td> of one vendor in a row, tag and content. */
function cellOf(row: string, vendor: string): string {
  const match = new RegExp(`<td[^>]*data-vendor="${vendor}"[^>]*>[\\s\\S]*?</td>`).exec(row);
  expect(match, vendor).not.toBeNull();
  return match?.[0] ?? '';
}

describe('playbook overview page', () => {
  const html = renderPlaybookOverview(overview);

  it('is one self-contained page: vendors as columns, a status row and headline rows per scenario', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|https?:\/\//);
    expect(html.match(/<table class="matrix">/g)).toHaveLength(1);
    const matrix = html.slice(html.indexOf('<table class="matrix">'));
    const header = matrix.slice(0, matrix.indexOf('</thead>'));
    expect([...header.matchAll(/data-vendor="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'hubspot',
      'pipedrive',
      'salesforce',
    ]);
    // Every column here is an emulation, and says so.
    expect(header.match(/class="kind emulation"/g)).toHaveLength(3);
    expect(html).toContain('not its service');
    const body = html.slice(
      html.indexOf('<tbody>', html.indexOf('class="matrix"')),
      html.lastIndexOf('</tbody>'),
    );
    expect(body.match(/<tr class="scenario"/g)).toHaveLength(2);
    expect(body.match(/<tr data-scenario="[^"]+" data-key=/g)).toHaveLength(5);
    for (const row of body.split('\n').filter((l) => l.startsWith('<tr')))
      expect(row.match(/<td /g), row.slice(0, 80)).toHaveLength(3);
  });

  it('shows values as poc shows them, with the finding’s description as a tooltip', () => {
    const latency = cellOf(rowOf(html, 'webhook-storm', 'webhook.latency_p99_ms'), 'hubspot');
    expect(latency).toContain('>12.50 ms');
    const spec = SCENARIOS['webhook-storm']?.findings['webhook.latency_p99_ms'];
    expect(latency).toContain(`title="${spec?.description}`);
    expect(cellOf(rowOf(html, 'signature-check', 'signature.covers_timestamp'), 'hubspot')).toMatch(/>yes/);
    expect(cellOf(rowOf(html, 'signature-check', 'signature.covers_timestamp'), 'pipedrive')).toMatch(/>no/);
  });

  it('links each run to its report, and drops an href that would run code', () => {
    const links = [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual([
      'scorecard.xlsx',
      'runs/20261203-170001-aaaaaa/report.html',
      'runs/20261203-170010-bbbbbb/report.html',
      'runs/20261203-170100-cccccc/report.html',
    ]);
    expect(html).not.toContain('javascript:');
    // The run is still named when its link is refused.
    expect(cellOf(rowOf(html, 'webhook-storm'), 'pipedrive')).toContain('20261203-170300-dddddd');
  });

  it('escapes vendor names, summaries and errors', () => {
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Pipedrive &lt;img src=x onerror=alert(1)&gt; | &quot;Deals&quot;');
    expect(html).not.toContain('<b>against</b>');
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('makes every status visible, with failed thresholds on the status and on the value', () => {
    const signature = rowOf(html, 'signature-check');
    const storm = rowOf(html, 'webhook-storm');
    expect(
      ['hubspot', 'pipedrive', 'salesforce'].map(
        (v) => /data-status="(\w+)"/.exec(cellOf(signature, v))?.[1],
      ),
    ).toEqual(['passed', 'failed', 'error']);
    expect(
      ['hubspot', 'pipedrive', 'salesforce'].map((v) => /data-status="(\w+)"/.exec(cellOf(storm, v))?.[1]),
    ).toEqual(['aborted', 'passed', 'pending']);
    for (const status of ['passed', 'failed', 'error', 'aborted', 'pending'])
      expect(html).toContain(`<span class="badge ${status}">${status}</span>`);
    expect(cellOf(signature, 'pipedrive')).toContain(
      'threshold failed: <code>signature.cases_failed_count == 0</code> (got 2)',
    );
    expect(cellOf(signature, 'salesforce')).toContain('<pre class="err">could not start the mock');
    const breached = cellOf(rowOf(html, 'signature-check', 'signature.cases_failed_count'), 'pipedrive');
    expect(breached).toMatch(/class="num[^"]*\bbreach\b/);
    expect(breached).toContain('✗');
    expect(cellOf(rowOf(html, 'webhook-storm', 'webhook.loss_count'), 'salesforce')).toMatch(/>—<\/td>/);
    expect(html).toContain('6 runs: 2 passed, 1 failed, 1 aborted, 1 error, 1 pending');
    expect(cellOf(storm, 'hubspot')).toContain('2m30s');
  });

  it('ranks the scorecard totals and links the workbook', () => {
    const card = html.slice(html.indexOf('<table class="scorecard">'), html.indexOf('</table>'));
    expect(
      [...card.matchAll(/<tr><td class="num">(\d)<\/td><td>([^<]+)</g)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['1', 'HubSpot'],
      ['2', 'Pipedrive &lt;img src=x onerror=alert(1)&gt; | &quot;Deals&quot;'],
    ]);
    expect(card).toContain('80 %');
    expect(card).toContain('6 / 12');
  });
});

describe('best of a row: only where the runs honestly compare', () => {
  const best = (o: PlaybookOverview, scenario: string, key: string) => {
    const section = overviewMatrix(o).find((s) => s.scenario.id === scenario);
    const row = section?.rows.find((r) => r.key === key);
    expect(row, key).toBeDefined();
    return row?.entries.map((e) => e.best);
  };
  /** Signature-check with salesforce's run completed, so every column has a value. */
  const complete = (forgeries: number, target: 'mock' | 'live' = 'mock'): PlaybookOverview => ({
    ...overview,
    vendors: overview.vendors.map((v) => (v.id === 'salesforce' ? { ...v, target } : v)),
    cells: overview.cells.map((c) =>
      c.vendor === 'salesforce' && c.scenario === 'signature-check'
        ? {
            vendor: 'salesforce',
            scenario: 'signature-check',
            status: 'passed',
            findings: [
              { key: 'signature.forgeries_accepted_count', value: forgeries, unit: 'cases', evidence: 'x' },
            ],
            checks: [],
          }
        : c,
    ),
  });

  it('marks the best design finding across emulations, ties within noise included', () => {
    expect(best(complete(0), 'signature-check', 'signature.forgeries_accepted_count')).toEqual([
      true,
      false,
      true,
    ]);
    const html = renderPlaybookOverview(complete(0));
    expect(cellOf(rowOf(html, 'signature-check', 'signature.forgeries_accepted_count'), 'hubspot')).toMatch(
      /class="num best"[\s\S]*★/,
    );
  });

  it('marks nobody when a vendor has no completed run or no value, or target kinds differ', () => {
    // salesforce errored: two of three columns are no basis for "best".
    expect(best(overview, 'signature-check', 'signature.forgeries_accepted_count')).toEqual([
      false,
      false,
      false,
    ]);
    expect(best(complete(3), 'signature-check', 'signature.covers_timestamp')).toEqual([false, false, false]);
    expect(best(complete(0, 'live'), 'signature-check', 'signature.forgeries_accepted_count')).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('never ranks what the run did, nor an emulation’s service figures, and marks the latter', () => {
    expect(best(complete(0), 'signature-check', 'signature.cases_failed_count')).toEqual([
      false,
      false,
      false,
    ]);
    const storm: PlaybookOverview = {
      ...overview,
      vendors: overview.vendors.slice(0, 2),
      cells: overview.cells.map((c) => (c.status === 'aborted' ? { ...c, status: 'passed' } : c)),
    };
    expect(best(storm, 'webhook-storm', 'webhook.latency_p99_ms')).toEqual([false, false]);
    const row = overviewMatrix(storm)
      .find((s) => s.scenario.id === 'webhook-storm')
      ?.rows.find((r) => r.key === 'webhook.latency_p99_ms');
    expect(row?.entries.map((e) => e.emulatedService)).toEqual([true, true]);
    const live: PlaybookOverview = {
      ...storm,
      vendors: storm.vendors.map((v) => ({ ...v, target: 'live' as const })),
    };
    // Live: 12.5 ms against 40 ms is beyond the latency noise (25 %, 10 ms).
    expect(best(live, 'webhook-storm', 'webhook.latency_p99_ms')).toEqual([true, false]);
    expect(renderPlaybookOverview(live)).not.toContain('class="kind emulation"');
    // Equal everywhere: nobody is best.
    expect(best(live, 'webhook-storm', 'webhook.loss_count')).toEqual([false, false]);
  });
});

describe('playbook Markdown summary', () => {
  const md = renderPlaybookMarkdown(overview);
  const lines = md.split('\n');
  /** Cell separators of a GFM table row: pipes not escaped with a backslash. */
  const pipes = (line: string) => line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length - 1;

  it('is one GitHub table: a header, its separator, a row per scenario and per headline', () => {
    const table = lines.filter((l) => l.startsWith('|'));
    expect(table).toHaveLength(2 + 2 + 5);
    // A first column and three vendors: five separators.
    for (const line of table) expect(pipes(line), line).toBe(5);
    expect(table[0]).toMatch(
      /^\| scenario \/ finding \| HubSpot \(emulation\) \| Pipedrive .* \(emulation\) \| Salesforce \(emulation\) \|$/,
    );
    expect(table[1]).toBe('| --- | --- | --- | --- |');
    expect(table[2]).toMatch(
      /^\| \*\*signature-check\*\* \| ✅ passed · \[report\]\(runs\/20261203-170001-aaaaaa\/report\.html\) · 5\.09 s \| ❌ failed/,
    );
    expect(table.filter((l) => l.startsWith('| `'))).toHaveLength(5);
    expect(md.length).toBeLessThan(4000);
  });

  it('escapes names and errors, keeps an error to one short line, and shows every status', () => {
    // An angle bracket Markdown would read as HTML is always backslash-escaped.
    expect(md).not.toMatch(/(^|[^\\])[<>]/m);
    expect(md).toContain('Pipedrive \\<img src=x onerror=alert\\(1\\)\\> \\| "Deals" (emulation)');
    expect(md).toContain('⛔ error · could not start the mock: port in use \\</td\\>');
    expect(md).not.toContain('second line');
    for (const mark of ['✅ passed', '❌ failed', '⚠️ aborted', '⛔ error', '⏳ pending'])
      expect(md).toContain(mark);
    expect(md).toContain('✗ `signature.cases_failed_count == 0` (got 2)');
    expect(md).not.toContain('javascript:');
    expect(md).toContain('`20261203-170300-dddddd`');
  });

  it('puts links.base in front of relative links, and lists the scorecard in rank order', () => {
    const based = renderPlaybookMarkdown(overview, { base: 'https://ci.example/artifacts/run 7/' });
    expect(based).toContain(
      '[report](https://ci.example/artifacts/run%207/runs/20261203-170001-aaaaaa/report.html)',
    );
    expect(based).toContain('(https://ci.example/artifacts/run%207/scorecard.xlsx)');
    const card = md.slice(md.indexOf('**Scorecard**'));
    expect(card.indexOf('1. HubSpot 80 % (6/12 scored)')).toBeGreaterThan(-1);
    expect(card.indexOf('1. HubSpot')).toBeLessThan(card.indexOf('2. Pipedrive'));
  });
});

describe('relativeHref', () => {
  it('is relative, uses / and encodes what a URL cannot hold', () => {
    expect(relativeHref('/data/play books', '/data/play books/runs/a b#1/report.html')).toBe(
      'runs/a%20b%231/report.html',
    );
    expect(relativeHref('/data/out', '/data/runs/x/report.html')).toBe('../runs/x/report.html');
  });
});
