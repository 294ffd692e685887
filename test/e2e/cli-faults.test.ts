import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { POC_BIN, poc, runCli, spawnCli, takenPort } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

/**
 * What happens to `poc` itself under faults: killed, a full disk, a damaged store, file-system
 * errors, two runs at once. Each test reproduces the fault as a user meets it, through the CLI.
 */

const STORM = ['run', 'webhook-storm', '--vendor', 'hubspot', '--rate', '300', '--duration', '60s'];

/** Child processes of `pid` whose command line contains `word` (Linux /proc). */
function childrenOf(pid: number, word: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(word);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function until(what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a storm and returns once it is under way, with the pid of its embedded mock. */
async function stormUnderWay(
  data: string,
): Promise<{ child: ChildProcess; mock: number; stderr: () => string }> {
  const child = spawnCli([...STORM, '--data-dir', data, '--json']);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await until('the storm to start', () => /\[storm\]/.test(stderr), 40_000);
  const [mock] = childrenOf(child.pid ?? -1, 'mock-vendor');
  expect(mock, 'the embedded mock runs as a child of poc run').toBeDefined();
  return { child, mock: mock ?? -1, stderr: () => stderr };
}

function onlyRun(data: string) {
  const db = new Database(join(data, 'runs.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, status FROM runs').all() as { id: string; status: string }[];
  } finally {
    db.close();
  }
}

describe('poc killed from outside', () => {
  it('SIGKILL: the mock dies with it, and the next command marks the run crashed', async () => {
    const data = tempDir();
    try {
      const { child, mock } = await stormUnderWay(data.path);
      child.kill('SIGKILL');
      await until('the orphaned mock to exit', () => !alive(mock), 10_000);
      expect(onlyRun(data.path).map((r) => r.status)).toEqual(['running']);
      const listed = await runCli(['list', 'runs', '--json', '--data-dir', data.path]);
      const [run] = JSON.parse(listed.stdout) as { id: string; status: string }[];
      expect(run?.status).toBe('crashed');
      const shown = await runCli(['show', run?.id ?? '', '--data-dir', data.path]);
      expect(shown.stdout).toMatch(/^status: +crashed$/m);
      expect(shown.stdout).toContain('ended without storing an outcome');
      expect(onlyRun(data.path).map((r) => r.status)).toEqual(['crashed']);
    } finally {
      data.remove();
    }
  });

  it('SIGTERM: handled like Ctrl-C: stored as aborted with what was measured, exit 130, no orphan', async () => {
    const data = tempDir();
    try {
      const { child, mock } = await stormUnderWay(data.path);
      let stdout = '';
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      const closed = new Promise<number | null>((r) => child.once('close', r));
      child.kill('SIGTERM');
      expect(await closed).toBe(130);
      const json = JSON.parse(stdout) as { status: string; findings: Record<string, { value: number }> };
      expect(json.status).toBe('aborted');
      expect(json.findings['webhook.events_sent_count']?.value).toBeGreaterThan(0);
      // Writes cut off in flight are not write errors: the vendor may well have applied them.
      expect(json.findings['webhook.write_errors_count']?.value).toBe(0);
      expect(json.findings['webhook.writes_unknown_count']).toBeDefined();
      await until('the mock to exit', () => !alive(mock), 10_000);
      expect(onlyRun(data.path).map((r) => r.status)).toEqual(['aborted']);
    } finally {
      data.remove();
    }
  });
});

describe('the run store', () => {
  it('refuses a damaged runs.db before anything starts, naming the file and the fix', async () => {
    const data = tempDir();
    try {
      const first = await runCli(['run', 'signature-check', '--vendor', 'hubspot', '--data-dir', data.path]);
      expect(first.code, first.stderr).toBe(0);
      const file = join(data.path, 'runs.db');
      // Garbage over the pages after the first (the header still says SQLite, so a plain open passes).
      const bytes = readFileSync(file);
      bytes.fill(0x5a, 4096 * 2, Math.min(bytes.length, 4096 * 6));
      writeFileSync(file, bytes);
      const runsBefore = readdirSync(join(data.path, 'runs')).length;
      const again = await runCli([...STORM, '--duration', '2s', '--data-dir', data.path]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`error POC_ERR_STORE_DAMAGED: ${file} is damaged`);
      expect(again.stderr).toContain(`mv ${file} ${file}.damaged`);
      expect(readdirSync(join(data.path, 'runs')).length, 'no run was started').toBe(runsBefore);
    } finally {
      data.remove();
    }
  });

  it('two runs started together on a fresh data dir both open it', async () => {
    const script = `
      const { RunStore } = await import(${JSON.stringify(join(POC_BIN, '..', '..', 'dist', 'harness', 'runs', 'run-store.js'))});
      const store = new RunStore(process.argv[1]);
      store.begin({ scenario: 's', vendor: 'v', target: 'mock', config: {} });
      store.close();`;
    for (let pair = 0; pair < 12; pair++) {
      const data = tempDir();
      try {
        const runs = [0, 1].map(
          () =>
            new Promise<{ code: number | null; stderr: string }>((resolve) => {
              const child = spawn(process.execPath, ['--input-type=module', '-e', script, data.path], {
                stdio: ['ignore', 'ignore', 'pipe'],
              });
              let stderr = '';
              child.stderr?.on('data', (d: Buffer) => {
                stderr += d.toString();
              });
              child.once('close', (code) => resolve({ code, stderr }));
            }),
        );
        for (const r of await Promise.all(runs)) expect(r.code, r.stderr).toBe(0);
        expect(onlyRun(data.path)).toHaveLength(2);
      } finally {
        data.remove();
      }
    }
  });

  it('stops the load when the disk fills, says so, and keeps runs.db intact', async () => {
    // A real 4 MiB tmpfs in a private mount namespace: the disk the run writes really fills.
    const probe = spawnSync('unshare', ['-rm', 'true']);
    if (probe.status !== 0) {
      console.warn('SKIPPED: unshare -rm is not permitted here, so no private tmpfs can be mounted');
      return;
    }
    const dir = tempDir();
    try {
      const mnt = join(dir.path, 'small-disk');
      mkdirSync(mnt);
      const poc = `${process.execPath} ${POC_BIN}`;
      writeFileSync(
        join(dir.path, 'check.cjs'),
        `const Database = require(${JSON.stringify(join(POC_BIN, '..', '..', 'node_modules', 'better-sqlite3'))});
         console.log(new Database(process.argv[2]).pragma('quick_check', { simple: true }));`,
      );
      const script = [
        `mount -t tmpfs -o size=4m tmpfs ${mnt}`,
        `POC_DISK_RESERVE_BYTES=1048576 ${poc} run webhook-storm --vendor hubspot --rate 2000 --duration 30s --grace 2s --json --data-dir ${mnt}/.poc > ${dir.path}/run.json 2> ${dir.path}/run.err; echo $? > ${dir.path}/run.code`,
        `${poc} list runs --json --data-dir ${mnt}/.poc > ${dir.path}/list.json`,
        `${process.execPath} ${dir.path}/check.cjs ${mnt}/.poc/runs.db > ${dir.path}/check.txt`,
      ].join('\n');
      execFileSync('unshare', ['-rm', 'sh', '-c', script], { timeout: 100_000 });
      const read = (f: string) => readFileSync(join(dir.path, f), 'utf8');
      expect(read('run.code').trim()).toBe('1');
      expect(read('run.err')).toContain('error POC_ERR_DISK_FULL:');
      expect(read('run.err')).toMatch(
        /error POC_ERR_DISK_FULL: the disk under \S+ (is full|has .* free).*; the run was stopped/,
      );
      const run = JSON.parse(read('run.json')) as { status: string; notes: string[] };
      expect(run.status).toBe('error');
      expect(run.notes.join('\n')).toContain('stopped early:');
      expect((JSON.parse(read('list.json')) as { status: string }[]).map((r) => r.status)).toEqual(['error']);
      expect(read('check.txt').trim()).toBe('ok');
    } finally {
      dir.remove();
    }
  });

  it('refuses to start when the disk is already short of the reserve', async () => {
    const data = tempDir();
    try {
      const result = await runCli([...STORM, '--data-dir', data.path], {
        env: { POC_DISK_RESERVE_BYTES: String(2 ** 60) },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /error POC_ERR_DISK_FULL: the disk under .* free, less than .*; nothing was started/,
      );
      expect(existsSync(join(data.path, 'runs'))).toBe(false);
    } finally {
      data.remove();
    }
  });
});

describe('file-system errors name the path and the fix', () => {
  it('a --data-dir that is a file', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'not-a-folder');
      writeFileSync(file, 'x');
      for (const args of [
        ['run', 'signature-check', '--vendor', 'hubspot'],
        ['list', 'runs'],
        ['show', 'nope'],
      ]) {
        const result = await runCli([...args, '--data-dir', file]);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr).toContain(
          `error POC_ERR_DATA_DIR: --data-dir: ${file} is a file, not a folder`,
        );
      }
    } finally {
      dir.remove();
    }
  });

  it('a read-only data dir can still be listed and shown', async () => {
    const data = tempDir();
    try {
      const run = await runCli(poc`run signature-check --vendor hubspot --json --data-dir ${data.path}`);
      const { runId } = JSON.parse(run.stdout) as { runId: string };
      chmodSync(data.path, 0o555);
      // Root ignores permissions: read as nobody, the way a user without write access does.
      const asUser =
        process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
      chmodSync(join(data.path, 'runs.db'), 0o444);
      for (const args of [
        ['list', 'runs'],
        ['show', runId],
      ]) {
        const command = [...asUser, process.execPath, POC_BIN, ...args, '--data-dir', data.path];
        const result = spawnSync(command[0] ?? '', command.slice(1), { encoding: 'utf8', cwd: '/' });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toContain(runId);
      }
    } finally {
      chmodSync(data.path, 0o755);
      data.remove();
    }
  });

  it('show on a data dir that does not exist creates nothing', async () => {
    const dir = tempDir();
    try {
      const missing = join(dir.path, 'nowhere');
      const result = await runCli(['show', 'some-run', '--data-dir', missing]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('POC_ERR_RUN_NOT_FOUND');
      expect(existsSync(missing)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('--junit and compare --html into a missing folder are refused before anything runs', async () => {
    const data = tempDir();
    try {
      const missing = join(data.path, 'no', 'such');
      const run = await runCli([...STORM, '--data-dir', data.path, '--junit', join(missing, 'checks.xml')]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `error POC_ERR_OUTPUT_PATH: --junit: ${join(missing, 'checks.xml')}: the folder`,
      );
      expect(existsSync(join(data.path, 'runs'))).toBe(false);
      const compare = await runCli(
        poc`compare a b --html ${join(missing, 'c.html')} --data-dir ${data.path}`,
      );
      expect(compare.code).toBe(2);
      expect(compare.stderr).toContain('error POC_ERR_OUTPUT_PATH: --html:');
    } finally {
      data.remove();
    }
  });

  it('mock-vendor on a taken port writes no credentials', async () => {
    const data = tempDir();
    const server = await takenPort();
    try {
      const { port } = server;
      const result = await runCli(
        ['mock-vendor', '--vendor', 'hubspot', '--port', String(port), '--data-dir', data.path],
        {
          env: { POC_MOCK_TOKEN: '', POC_MOCK_WEBHOOK_SECRET: '' },
        },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error POC_ERR_PORT_IN_USE: --port: ${port} is already in use`);
      expect(existsSync(join(data.path, 'mock-credentials.json'))).toBe(false);
    } finally {
      server.close();
      data.remove();
    }
  });
});
