import { describe, expect, it } from 'vitest';
import { poc, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

/** The block of findings, checks, tables and notes, as `poc run` and `poc show` print it. */
function results(text: string): string {
  const lines = text.split('\n');
  const from = lines.findIndex((l) => /^ {2}\S+\.\S+ {2,}/.test(l));
  const to = lines.findIndex((l, i) => i > from && /^(stored in|report:) /.test(l));
  return lines
    .slice(from, to === -1 ? undefined : to)
    .join('\n')
    .trim();
}

describe('poc show prints a run as poc run did', () => {
  it('same findings in the same order, units and precision, the same checks heading; latest and prefixes', async () => {
    const data = tempDir();
    try {
      const run = await runCli(['run', 'signature-check', '--vendor', 'hubspot', '--data-dir', data.path]);
      expect(run.code, run.stderr).toBe(0);
      const runId = /^run: +(\S+)$/m.exec(run.stdout)?.[1] ?? '';
      expect(run.stdout).toMatch(/^ {2}signature\.scheme_signed +yes$/m);
      expect(run.stdout).toMatch(/^checks:$/m);
      for (const ref of [runId, 'latest', runId.slice(-6), runId.slice(0, 13)]) {
        const shown = await runCli(['show', ref, '--data-dir', data.path]);
        expect(shown.code, `${ref}: ${shown.stderr}`).toBe(0);
        expect(shown.stdout).toContain(`run:      ${runId}`);
        expect(results(shown.stdout), ref).toBe(results(run.stdout));
      }
      const second = await runCli(poc`run signature-check --vendor hubspot --json --data-dir ${data.path}`);
      const secondId = (JSON.parse(second.stdout) as { runId: string }).runId;
      const latest = await runCli(['show', 'latest', '--json', '--data-dir', data.path]);
      expect((JSON.parse(latest.stdout) as { id: string }).id).toBe(secondId);
      const shared = runId.slice(0, 9);
      const ambiguous = await runCli(['show', shared, '--data-dir', data.path]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain(`"${shared}" is the start of several runs (`);
      const compared = await runCli(poc`compare ${runId.slice(-6)} latest --json --data-dir ${data.path}`);
      expect(compared.code, compared.stderr).toBe(0);
      expect(JSON.parse(compared.stdout)).toMatchObject({ a: runId, b: secondId });
    } finally {
      data.remove();
    }
  });
});
