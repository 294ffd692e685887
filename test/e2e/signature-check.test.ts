import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { signV3 } from '../../harness/vendors/hubspot/signature.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface CheckJson {
  status: string;
  findings: Record<string, { value: number }>;
  notes: string[];
  tables: { rows: string[][] }[];
}

const SIGNED: Record<string, boolean> = {
  hubspot: true,
  standard: true,
  pipedrive: false,
  zoho: false,
  dynamics: false,
  salesforce: false,
};

describe('poc run signature-check', () => {
  const data = tempDir('poc-sig-');
  afterAll(() => data.remove());

  it.each(Object.keys(SIGNED))(
    '%s: the reference receiver passes every case; unsigned schemes are said plainly',
    async (vendor) => {
      const result = await runCli([
        'run',
        'signature-check',
        '--vendor',
        vendor,
        '--json',
        '--data-dir',
        data.path,
      ]);
      expect(result.code, result.stderr + result.stdout).toBe(0);
      const json = JSON.parse(result.stdout) as CheckJson;
      const f = (k: string) => json.findings[k]?.value;
      expect(json.status).toBe('passed');
      expect(f('signature.cases_failed_count')).toBe(0);
      expect(f('signature.forgeries_accepted_count')).toBe(0);
      expect(f('signature.cases_count')).toBeGreaterThanOrEqual(12);
      expect(f('signature.scheme_signed')).toBe(SIGNED[vendor] ? 1 : 0);
      expect(f('signature.api_rejects_unknown_token')).toBe(1);
      const cases = json.tables[0]?.rows.map((r) => r[0]) ?? [];
      expect(cases).toContain('signed with a wrong secret');
      expect(cases).toContain('rotation: old secret after the rotation window');
      if (SIGNED[vendor]) {
        expect(cases).toContain('captured delivery replayed after the tolerance window');
        expect(json.notes.join('\n')).not.toContain('unsigned');
      } else {
        expect(json.notes.join('\n')).toMatch(/^unsigned: .* does not sign its deliveries/m);
      }
    },
  );

  // A receiver with two classic mistakes: it verifies the signature over JSON it re-serialised,
  // and it never looks at the timestamp. The scenario must fail it, naming the cases.
  async function weakReceiver(secret: string): Promise<{ app: FastifyInstance; url: string }> {
    const app = Fastify();
    app.post('/webhooks/hubspot', async (req, reply) => {
      const url = `http://${req.headers.host}${req.url}`;
      const body = JSON.stringify(req.body);
      const ts = Number(req.headers['x-hubspot-request-timestamp']);
      const expected = signV3(secret, { method: 'POST', url, body, timestamp: ts });
      if (req.headers['x-hubspot-signature-v3'] !== expected) return reply.code(401).send({});
      return reply.code(200).send({});
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, url: `${address}/webhooks/hubspot` };
  }

  it('fails a receiver that verifies re-serialised JSON and ignores timestamps, naming the cases', async () => {
    const secret = 'weak-receiver-test-secret-0123';
    const weak = await weakReceiver(secret);
    try {
      const result = await runCli(
        [
          'run',
          'signature-check',
          '--vendor',
          'hubspot',
          '--receiver-url',
          weak.url,
          '--json',
          '--data-dir',
          data.path,
        ],
        { env: { POC_MOCK_WEBHOOK_SECRET: secret } },
      );
      expect(result.code, result.stderr).toBe(99);
      const json = JSON.parse(result.stdout) as CheckJson;
      const failed = json.notes.filter((n) => n.startsWith('FAILED: ')).join('\n');
      expect(failed).toContain('FAILED: body re-serialised (whitespace and key order), proof kept');
      expect(failed).toContain('FAILED: captured delivery replayed after the tolerance window');
      expect(failed).toContain('FAILED: timestamp in the future');
      expect(json.findings['signature.forgeries_accepted_count']?.value).toBeGreaterThanOrEqual(3);
    } finally {
      await weak.app.close();
    }
  });

  it('never writes the secrets it used to output, logs or the run store', async () => {
    const token = 'pat-grep-me-token-7f3a9c2e51';
    const secret = 'grep-me-webhook-secret-b81d4e';
    const dir = tempDir('poc-secrets-');
    try {
      const env = { POC_MOCK_TOKEN: token, POC_MOCK_WEBHOOK_SECRET: secret, POC_LOG_LEVEL: 'debug' };
      const outputs: string[] = [];
      for (const vendor of ['hubspot', 'zoho']) {
        for (const args of [['webhook-storm', '--rate', '200', '--duration', '2s'], ['signature-check']]) {
          const [scenario = '', ...rest] = args;
          const r = await runCli(['run', scenario, '--vendor', vendor, ...rest, '--data-dir', dir.path], {
            env,
          });
          expect(r.code, r.stderr).toBe(0);
          outputs.push(r.stdout, r.stderr);
          const shown = await runCli(['list', 'runs', '--json', '--data-dir', dir.path]);
          outputs.push(shown.stdout);
        }
      }
      // Every file the runs wrote: run store, pipeline databases and their WAL files.
      const files = (d: string): string[] =>
        readdirSync(d).flatMap((n) =>
          statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)],
        );
      const written = files(dir.path);
      expect(written.some((f) => f.endsWith('runs.db'))).toBe(true);
      for (const text of [...outputs, ...written.map((f) => readFileSync(f).toString('latin1'))]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(secret);
      }
    } finally {
      dir.remove();
    }
  });
});
