import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../harness/runs/run-store.js';
import { getVendor } from '../../harness/vendors/index.js';
import { renderPlaybookMarkdown } from '../../reports/playbook-markdown.js';
import {
  type OverviewCell,
  type PlaybookOverview,
  relativeHref,
  renderPlaybookOverview,
} from '../../reports/playbook-overview.js';
import { SCENARIOS } from '../../scenarios/index.js';
import { runCli } from '../helpers/cli.js';
import { hasCommand, requireTools } from '../helpers/libreoffice.js';
import { tempDir } from '../helpers/servers.js';

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const CHROMIUM = ['chromium', 'chromium-browser'].find(hasCommand) ?? 'chromium';
const SCENARIO = 'signature-check';

describe('the playbook overview beside real run reports, in headless Chromium', () => {
  const data = tempDir('poc-e2e-overview-');
  // A folder of its own, with a space, so every report link climbs out of it and is encoded.
  const outDir = join(data.path, 'play book');
  const overviewFile = join(outDir, 'overview.html');
  const enabled = requireTools([CHROMIUM], 'chromium');
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!enabled) return;
    const cells: OverviewCell[] = [];
    // signature-check is the playbook's quickest scenario (about 5 s a vendor).
    for (const vendor of ['hubspot', 'pipedrive']) {
      const r = await runCli(['run', SCENARIO, '--vendor', vendor, '--json', '--data-dir', data.path], {
        timeoutMs: 120_000,
      });
      expect(r.code, r.stderr).toBe(0);
      const { runId } = JSON.parse(r.stdout) as { runId: string };
      const store = new RunStore(data.path, { mode: 'read' });
      const run = store.get(runId);
      store.close();
      cells.push({
        vendor,
        scenario: SCENARIO,
        status: run.status as OverviewCell['status'],
        runId,
        reportHref: relativeHref(outDir, join(data.path, 'runs', runId, 'report.html')),
        findings: run.findings,
        checks: run.checks,
        ...(run.endedAt ? { durationMs: Date.parse(run.endedAt) - Date.parse(run.startedAt) } : {}),
      });
    }
    cells.push({ vendor: 'salesforce', scenario: SCENARIO, status: 'pending', findings: [], checks: [] });
    const overview: PlaybookOverview = {
      id: 'pb-e2e',
      plan: 'poc.yaml',
      startedAt: new Date().toISOString(),
      vendors: ['hubspot', 'pipedrive', 'salesforce'].map((id) => ({
        id,
        name: getVendor(id).profile.name,
        target: 'mock' as const,
      })),
      scenarios: [
        {
          id: SCENARIO,
          summary: SCENARIOS[SCENARIO]?.summary ?? '',
          headlines: ['signature.forgeries_accepted_count', 'signature.covers_timestamp'],
          findings: SCENARIOS[SCENARIO]?.findings ?? {},
        },
      ],
      cells,
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(overviewFile, renderPlaybookOverview(overview));
    writeFileSync(join(outDir, 'summary.md'), renderPlaybookMarkdown(overview));
    browser = await chromium.launch({ executablePath: `/usr/bin/${CHROMIUM}`, args: ['--no-sandbox'] });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    data.remove();
  });

  it.runIf(enabled)(
    'opens offline with no console error, and every link resolves to an existing file',
    async () => {
      const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
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
      await page.goto(pathToFileURL(overviewFile).href, { waitUntil: 'load' });
      // The browser resolves each href against the page: the file it would open.
      const links = await page.$$eval('a[href]', (as) =>
        as.map((a) => (a as unknown as { href: string }).href),
      );
      const columns = await page.$$eval('table.matrix thead th', (ths) =>
        ths.map((th) => (th as unknown as { innerText: string }).innerText),
      );
      const text = await page.innerText('body');
      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, 'playbook-overview.png');
      await page.screenshot({ path: shot, fullPage: true });
      await page.close();

      expect(errors).toEqual([]);
      expect(offsite).toEqual([]);
      expect(links).toHaveLength(2);
      for (const link of links) {
        expect(link.startsWith('file:'), link).toBe(true);
        const file = fileURLToPath(link);
        expect(existsSync(file), file).toBe(true);
        expect(readFileSync(file, 'utf8')).toContain(`${SCENARIO} · `);
      }
      expect(links.map((l) => dirname(fileURLToPath(l)).split('/').at(-2))).toEqual(['runs', 'runs']);
      expect(columns).toEqual([
        'scenario / finding',
        'HubSpot\nemulation',
        'Pipedrive\nemulation',
        'Salesforce\nemulation',
      ]);
      expect(text).toContain('signature.forgeries_accepted_count');
      expect(text).toMatch(/passed · report/);
      expect(text).toContain('pending');
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      const md = readFileSync(join(outDir, 'summary.md'), 'utf8');
      expect(md).toContain('](../runs/');
    },
    120_000,
  );
});
