import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hasCommand, requireTools } from '../helpers/libreoffice.js';
import { tempDir } from '../helpers/servers.js';

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const CHROMIUM = ['chromium', 'chromium-browser'].find(hasCommand) ?? 'chromium';

interface Rendered {
  readonly errors: string[];
  readonly offsite: string[];
  readonly charts: { label: string; width: number; height: number; series: number; points: number }[];
  readonly text: string;
}

/** Opens a page offline in headless Chromium: console errors, requests off the file, charts drawn. */
async function render(browser: Browser, file: string, screenshot: string): Promise<Rendered> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const offsite: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const charts = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const lines = [...svg.querySelectorAll('.series')];
      return {
        label: svg.getAttribute('aria-label') ?? '',
        width: box.width,
        height: box.height,
        series: lines.length,
        points: Math.max(
          0,
          ...lines.map((l) => (l.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length),
        ),
      };
    }),
  );
  const text = await page.innerText('body');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { errors, offsite, charts, text };
}

describe('report.html and compare --html in headless Chromium', () => {
  const data = tempDir('poc-e2e-report-');
  let browser: Browser | undefined;
  const runIds: string[] = [];
  const enabled = requireTools([CHROMIUM], 'chromium');

  beforeAll(async () => {
    if (!enabled) return;
    for (const fault of [[], ['--fault', 'jitter=50ms']]) {
      const r = await runCli(
        [
          'run',
          'webhook-storm',
          '--vendor',
          'hubspot',
          '--rate',
          '400',
          '--duration',
          '6s',
          '--grace',
          '10s',
          '--json',
          '--data-dir',
          data.path,
          ...fault,
        ],
        { timeoutMs: 120_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      runIds.push((JSON.parse(r.stdout) as { runId: string }).runId);
    }
    browser = await chromium.launch({ executablePath: `/usr/bin/${CHROMIUM}`, args: ['--no-sandbox'] });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    data.remove();
  });

  it.runIf(enabled)(
    'every run writes a self-contained report.html whose charts render with no console error',
    async () => {
      const file = join(data.path, 'runs', runIds[0] as string, 'report.html');
      expect(existsSync(file)).toBe(true);
      const shot = join(ARTIFACTS, 'report-html.png');
      const page = await render(browser as Browser, file, shot);
      expect(page.errors).toEqual([]);
      expect(page.offsite).toEqual([]);
      expect(page.charts.map((c) => c.label)).toEqual(['Rate', 'Delivery latency', 'Errors', 'Queue depth']);
      for (const c of page.charts) expect(c.width * c.height).toBeGreaterThan(50_000);
      // Six seconds of load at one point a second: the rate and latency lines are drawn, not empty.
      const rate = page.charts.find((c) => c.label === 'Rate');
      expect(rate?.series).toBe(3);
      expect(rate?.points).toBeGreaterThanOrEqual(5);
      expect(page.charts.find((c) => c.label === 'Delivery latency')?.points).toBeGreaterThanOrEqual(5);
      expect(page.text).toContain('webhook.latency_p99_ms');
      expect(page.text).toMatch(/webhook\.loss_count == 0\s+0\s+pass/);
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      expect(readFileSync(file, 'utf8')).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    },
    120_000,
  );

  it.runIf(enabled)(
    'poc compare --html overlays both runs and names what got worse',
    async () => {
      const out = join(data.path, 'compare.html');
      const r = await runCli([
        'compare',
        runIds[0] as string,
        runIds[1] as string,
        '--html',
        out,
        '--data-dir',
        data.path,
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`wrote ${out}`);
      const page = await render(browser as Browser, out, join(ARTIFACTS, 'compare-html.png'));
      expect(page.errors).toEqual([]);
      expect(page.charts).toHaveLength(4);
      // a and b: two lines for each series of the rate chart.
      expect(page.charts.find((c) => c.label === 'Rate')?.series).toBe(6);
      expect(page.text).toContain('webhook.latency_p50_ms');
      expect(page.text).toMatch(/b is (worse on: .*latency|not worse)/);
    },
    120_000,
  );
});
